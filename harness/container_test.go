package harness

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/container"
)

const testImage = "healthapi-conformance/refserver:test"

// requireDocker skips a test where no Docker engine is reachable, except in
// CI (CI=true), where a missing engine is a failure.
func requireDocker(t *testing.T) {
	t.Helper()
	if _, err := container.Pool(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no Docker engine is reachable: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
}

var imageContext = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "refserver-image-")
	if err != nil {
		return "", err
	}
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "refserver"), "../cmd/refserver")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", &buildError{string(out), err}
	}
	dockerfile, err := os.ReadFile("../build/refserver.Dockerfile")
	if err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "Dockerfile"), dockerfile, 0o644)
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

// referenceImage builds the reference server's image as `make image` does.
var referenceImage = sync.OnceValue(func() error {
	dir, err := imageContext()
	if err != nil {
		return err
	}
	pool, err := container.Pool()
	if err != nil {
		return err
	}
	return container.Build(context.Background(), pool, container.Spec{Image: testImage, Dockerfile: "Dockerfile", Context: dir})
})

// ourContainers lists the containers this project started that still exist.
func ourContainers(t *testing.T) []string {
	t.Helper()
	var ids []string
	for _, c := range listOurs(t) {
		ids = append(ids, c.ID)
	}
	return ids
}

func listOurs(t *testing.T) []docker.APIContainers {
	t.Helper()
	pool, err := container.Pool()
	require.NoError(t, err)
	list, err := pool.Client.ListContainers(docker.ListContainersOptions{All: true, Filters: map[string][]string{"label": {container.Label}}})
	require.NoError(t, err)
	return list
}

// leftBehind lists this project's containers that were not there before
// and belong to no live run: a run going on elsewhere on the shared engine
// holds its lease locked, and a run that ended removed its lease, so what a
// finished run left has a lease that is gone or free.
func leftBehind(t *testing.T, before []string) []string {
	t.Helper()
	dir, err := container.LeaseDir()
	require.NoError(t, err)
	var left []string
	for _, c := range listOurs(t) {
		if slices.Contains(before, c.ID) || leaseHeld(filepath.Join(dir, filepath.Base(c.Labels[container.LabelLease]))) {
			continue
		}
		left = append(left, c.ID)
	}
	return left
}

// leaseHeld says whether a live run holds the lease file locked.
func leaseHeld(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}

// The profile names a Dockerfile: the harness builds the reference image,
// runs it, passes the whole suite against it, and removes it.
func TestContainerBuiltFromDockerfilePassesTheSuite(t *testing.T) {
	requireDocker(t)
	dir, err := imageContext()
	require.NoError(t, err)
	prof := referenceProfileWith(t,
		"  # build: {context: ../bin/image, dockerfile: Dockerfile}", "  build: {context: "+dir+", dockerfile: Dockerfile}",
		`image: ""`, "image: "+testImage+"-built")

	before := ourContainers(t)
	code, printed := run(t, Config{ProfilePath: prof})
	require.Equal(t, ExitPassed, code, printed)
	all, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	assert.Contains(t, printed, fmt.Sprintf("conformance: %d scenarios, %d passed", len(all), len(all)))
	assert.Regexp(t, `started healthapi-conformance/refserver:test-built at http://127\.0\.0\.1:\d+, ready in \S+`, printed)
	for _, line := range strings.Split(printed, "\n") {
		if strings.Contains(line, "ready in") {
			t.Log(line) // the start-to-ready time, for the record
		}
	}
	assert.Empty(t, leftBehind(t, before), "the container is removed after the run")
}

// A container whose probe never succeeds ends the run with exit 2, its
// last log lines, and no container left behind.
func TestContainerNeverReadyIsRemovedWithItsLogs(t *testing.T) {
	requireDocker(t)
	require.NoError(t, referenceImage())
	prof := referenceProfileWith(t, "  ready: {path: /healthz, status: 200}\n  startTimeout: 60s",
		"  ready: {path: /never-ready, status: 200}\n  startTimeout: 2s")
	before := ourContainers(t)
	start := time.Now()
	code, printed := run(t, Config{ProfilePath: prof, Image: testImage})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, printed, "was not ready within 2s: GET /never-ready never answered 200 (last: answered 404 Not Found)")
	assert.Contains(t, printed, "the container's last log lines:")
	assert.Contains(t, printed, "refserver: listening on", "the log lines are the container's")
	assert.Less(t, time.Since(start), 30*time.Second)
	assert.Empty(t, leftBehind(t, before), "no container is left behind")
}

// An image that is not on the machine is a clear error, not a pull that hangs.
func TestMissingImageIsAClearError(t *testing.T) {
	requireDocker(t)
	code, printed := run(t, Config{Image: "healthapi-conformance/no-such-image:none"})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, printed, "is not on this machine (no registry is reachable to pull it)")
}

// A failing run keeps the container's log beside its reports.
func TestFailingContainerRunKeepsTheLog(t *testing.T) {
	requireDocker(t)
	require.NoError(t, referenceImage())
	prof := referenceProfileWith(t, "  env: {}", `  env: {REFSERVER_MUTANTS: ers-create-answers-200}`)
	reports := t.TempDir()
	code, printed := run(t, Config{ProfilePath: prof, Image: testImage, Tags: "@ers", Format: "progress,junit:" + reports + "/junit.xml"})
	require.Equal(t, ExitFailed, code, printed)
	log, err := os.ReadFile(filepath.Join(reports, "container.log"))
	require.NoError(t, err, printed)
	assert.Contains(t, string(log), "POST /ers-api/v1/ProfessionalSession 200", "the mutant's answers are in the log")
}

// SIGTERM in the middle of a run ends it with exit 2 and removes the container.
func TestInterruptedRunRemovesTheContainer(t *testing.T) {
	requireDocker(t)
	require.NoError(t, referenceImage())
	bin := filepath.Join(t.TempDir(), "conformance")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/conformance").CombinedOutput()
	require.NoError(t, err, string(out))
	// Paced at 2 requests a second, the HPI run lasts minutes: long enough to interrupt.
	prof := referenceProfileWith(t, "pacing: {perSecond: 0, burst: 0}", "pacing: {perSecond: 2, burst: 1}")
	before := ourContainers(t)

	cmd := exec.Command(bin, "run", "--profile", prof, "--image", testImage, "--tags", "@hpi", "--format", "progress")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stderr)
	var seen []string
	for lines.Scan() {
		seen = append(seen, lines.Text())
		if strings.Contains(lines.Text(), "ready in") {
			break
		}
	}
	require.NotEmpty(t, seen)
	require.Contains(t, seen[len(seen)-1], "ready in", "the container started")
	require.NotEmpty(t, ourContainers(t), "the container is running")
	time.Sleep(time.Second)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for lines.Scan() {
		seen = append(seen, lines.Text())
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, ExitUsage, exit.ExitCode())
	assert.Contains(t, strings.Join(seen, "\n"), "interrupted")
	assert.Empty(t, leftBehind(t, before), "the interrupted run removed its container")
}

// A container left by a run that was killed (its lease file is here and
// unlocked) is removed by the next run's sweep. Every other container of
// this project's label is kept: a live run's, one whose lease is not on
// this machine (another host sharing the engine), and one labelled only by
// PID and hostname, which another namespace can share.
func TestSweepRemovesOnlyContainersOfProvablyDeadRuns(t *testing.T) {
	requireDocker(t)
	require.NoError(t, referenceImage())
	pool, err := container.Pool()
	require.NoError(t, err)
	dir, err := container.LeaseDir()
	require.NoError(t, err)
	repo, tag, _ := strings.Cut(testImage, ":")
	start := func(labels map[string]string) string {
		labels[container.Label] = "1"
		res, err := pool.RunWithOptions(&dockertest.RunOptions{Repository: repo, Tag: tag, Labels: labels},
			func(hc *docker.HostConfig) { hc.AutoRemove = true; hc.PublishAllPorts = false })
		require.NoError(t, err)
		t.Cleanup(func() { _ = pool.Purge(res) })
		return res.Container.ID
	}
	deadLease := "00000000000000000000000000000001.lock"
	require.NoError(t, os.WriteFile(filepath.Join(dir, deadLease), nil, 0o600)) // a lease no process holds
	live, err := os.CreateTemp(dir, "")
	require.NoError(t, err)
	defer live.Close() // open (and locked) to the end: a live run holds its lease
	liveLease := "00000000000000000000000000000002.lock"
	require.NoError(t, os.Rename(live.Name(), filepath.Join(dir, liveLease)))
	defer os.Remove(filepath.Join(dir, liveLease))
	require.NoError(t, syscall.Flock(int(live.Fd()), syscall.LOCK_EX)) // held by this process, as a live run holds it

	orphan := start(map[string]string{container.LabelLease: deadLease})
	kept := map[string]string{
		"a live run's":                   start(map[string]string{container.LabelLease: liveLease}),
		"a lease not on this machine":    start(map[string]string{container.LabelLease: "00000000000000000000000000000003.lock"}),
		"labelled by PID and host alone": start(map[string]string{"io.healthapi-conformance.pid": "4194399", "io.healthapi-conformance.host": "shared"}),
	}
	container.Sweep(pool)
	ids := ourContainers(t)
	assert.NotContains(t, ids, orphan, "the dead run's container is swept")
	assert.NoFileExists(t, filepath.Join(dir, deadLease), "and its lease is gone")
	for why, id := range kept {
		assert.Contains(t, ids, id, "%s container is kept", why)
	}
}

// A container that exits at start ends the run at once with its own words.
func TestContainerThatExitsAtStartIsReported(t *testing.T) {
	requireDocker(t)
	require.NoError(t, referenceImage())
	prof := referenceProfileWith(t, "  env: {}", `  env: {REFSERVER_MUTANTS: no-such-mutant}`)
	before := ourContainers(t)
	start := time.Now()
	code, printed := run(t, Config{ProfilePath: prof, Image: testImage})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, printed, "exited (code 2) before it was ready")
	assert.Contains(t, printed, `unknown mutant "no-such-mutant"`, "the container's own message is shown")
	assert.Less(t, time.Since(start), 20*time.Second, "no wait for the start timeout")
	assert.Empty(t, leftBehind(t, before), "no container is left behind")
}
