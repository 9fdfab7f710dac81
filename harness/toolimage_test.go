package harness

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/container"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/profiles"
)

const toolTestImage = "healthapi-conformance/conformance:test"

// caBundle is where Debian's builder keeps its CA bundle, as `make tool-image` reads it.
const caBundle = "/etc/ssl/certs/ca-certificates.crt"

// buildToolImage builds the harness's own image as `make tool-image` does:
// the static binary and the builder's CA bundle in rootfs/, with
// build/conformance.Dockerfile.
func buildToolImage(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	rootfs := filepath.Join(dir, "rootfs")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(rootfs, "conformance"), "../cmd/conformance")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	if ca, err := os.ReadFile(caBundle); err == nil {
		require.NoError(t, os.MkdirAll(filepath.Join(rootfs, filepath.Dir(caBundle)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(rootfs, caBundle), ca, 0o644))
	}
	dockerfile, err := os.ReadFile("../build/conformance.Dockerfile")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), dockerfile, 0o644))
	pool, err := container.Pool()
	require.NoError(t, err)
	require.NoError(t, container.Build(context.Background(), pool, container.Spec{Image: toolTestImage, Dockerfile: "Dockerfile", Context: dir}))
}

// The tool image runs the suite against the reference image from inside
// the reference container's network namespace, so every request stays on
// loopback; it writes its evidence, as the host user, to a mounted folder;
// and both containers are gone afterwards.
func TestToolImageRunsTheSuiteAgainstTheReferenceImage(t *testing.T) {
	requireDocker(t)
	start := time.Now()
	require.NoError(t, referenceImage())
	buildToolImage(t)
	t.Logf("both images built in %s", time.Since(start).Round(time.Millisecond))

	ref, err := container.Start(t.Context(), container.Spec{
		Image: testImage, Port: 8080, ReadyPath: "/healthz", ReadyStatus: 200, StartTimeout: time.Minute,
	})
	require.NoError(t, err)
	closed := false
	defer func() {
		if !closed { // a failed require: remove it all the same
			_ = ref.Close()
		}
	}()

	dir := t.TempDir()
	prof := filepath.Join(dir, "profile.yaml")
	require.NoError(t, os.WriteFile(prof, profiles.Reference, 0o644))
	out := filepath.Join(dir, "out")
	require.NoError(t, os.Mkdir(out, 0o755))
	code, logs, toolID := runTool(t, ref.ID(), []string{prof + ":/profile.yaml:ro", out + ":/evidence"},
		"run", "--profile", "/profile.yaml", "--target", "http://127.0.0.1:8080", "--evidence", "/evidence/run1", "--format", "progress")
	require.Equal(t, ExitPassed, code, logs)
	assert.Regexp(t, `conformance: (\d+) scenarios, (\d+) passed, 0 failed, 0 not judged against http://127\.0\.0\.1:8080`, logs)

	bundle := filepath.Join(out, "run1")
	for _, name := range []string{"run.json", evidence.SumsFile} {
		info, err := os.Stat(filepath.Join(bundle, name))
		require.NoError(t, err, logs)
		owner := info.Sys().(*syscall.Stat_t)
		assert.Equal(t, uint32(os.Getuid()), owner.Uid, "%s is the host user's", name)
		assert.NotZero(t, info.Mode().Perm()&0o400, "%s is readable by its owner", name)
	}
	assert.NoError(t, evidence.Verify(bundle))

	closed = true
	assert.NoError(t, ref.Close())
	// By ID, not by comparing this project's containers before and after:
	// other runs on the same engine start and remove theirs meanwhile.
	assertGone(t, ref.ID(), "the reference container")
	assertGone(t, toolID, "the tool's container")
}

func assertGone(t *testing.T, id, what string) {
	t.Helper()
	pool, err := container.Pool()
	require.NoError(t, err)
	_, err = pool.Client.InspectContainer(id)
	var noSuch *docker.NoSuchContainer
	assert.ErrorAs(t, err, &noSuch, "%s %.12s is removed", what, id)
}

// runTool runs the tool image in the network namespace of the container
// netOf, as the host user, waits for it (at most toolWait) and removes it;
// it returns the exit code, the output and the container's ID.
func runTool(t *testing.T, netOf string, binds []string, args ...string) (int, string, string) {
	t.Helper()
	pool, err := container.Pool()
	require.NoError(t, err)
	repo, tag, _ := strings.Cut(toolTestImage, ":")
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository: repo, Tag: tag, Cmd: args, Mounts: binds,
		User:   strconv.Itoa(os.Getuid()) + ":" + strconv.Itoa(os.Getgid()),
		Labels: map[string]string{container.Label: "1"}, // seen by ourContainers; with no lease, never swept
	}, func(hc *docker.HostConfig) {
		hc.NetworkMode = "container:" + netOf
		hc.PublishAllPorts = false
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
	})
	require.NoError(t, err)
	defer func() { assert.NoError(t, pool.Purge(res)) }()

	const toolWait = 3 * time.Minute
	ctx, cancel := context.WithTimeout(t.Context(), toolWait)
	defer cancel()
	code, err := pool.Client.WaitContainerWithContext(res.Container.ID, ctx)
	var logs bytes.Buffer
	_ = pool.Client.Logs(docker.LogsOptions{Container: res.Container.ID, OutputStream: &logs, ErrorStream: &logs, Stdout: true, Stderr: true})
	require.NoError(t, err, "the tool container did not end within %s:\n%s", toolWait, logs.String())
	return code, logs.String(), res.Container.ID
}
