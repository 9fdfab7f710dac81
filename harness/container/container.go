// Package container starts a target server from a container image with
// dockertest: it builds the image when given a Dockerfile, runs it with its
// API port published on 127.0.0.1, waits for the readiness probe, and always
// removes the container afterwards.
package container

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
)

// Label marks every container this project starts, so a later run can
// sweep up one that an earlier, killed run left behind.
const (
	Label      = "io.healthapi-conformance.target"
	LabelLease = "io.healthapi-conformance.lease" // the run's lease file in LeaseDir (lease.go)
)

// Spec says which image to run and how to tell it is ready.
type Spec struct {
	Image        string // repository:tag; with Dockerfile, the tag to build
	Dockerfile   string // path within Context; empty: Image must exist locally
	Context      string // build context folder
	Port         int    // the port the API listens on inside the container
	Env          []string
	ReadyPath    string // HTTP path probed until it answers ReadyStatus
	ReadyStatus  int
	StartTimeout time.Duration
}

// Target is a running container.
type Target struct {
	URL      string        // http://127.0.0.1:PORT
	ReadyIn  time.Duration // from start to the first ready answer
	pool     *dockertest.Pool
	resource *dockertest.Resource
	lease    *lease // held until Close
}

// Pool connects to the Docker engine (DOCKER_HOST, or the default socket)
// and pins the client to the engine's API version: dockertest's default
// build call is refused by engines that dropped old API versions.
func Pool() (*dockertest.Pool, error) {
	pool, err := dockertest.NewPool("")
	if err != nil {
		return nil, fmt.Errorf("no Docker engine: %w (set DOCKER_HOST if it is not at the default socket)", err)
	}
	env, err := pool.Client.Version()
	if err != nil {
		return nil, fmt.Errorf("no Docker engine answers at %s: %w (set DOCKER_HOST if it is not the default)", pool.Client.Endpoint(), err)
	}
	client, err := docker.NewVersionedClient(pool.Client.Endpoint(), env.Get("ApiVersion"))
	if err != nil {
		return nil, err
	}
	pool.Client = client
	return pool, nil
}

// Start builds the image if the spec asks for it, runs it and waits until
// it is ready. On any failure the container is already removed.
func Start(ctx context.Context, spec Spec) (*Target, error) {
	pool, err := Pool()
	if err != nil {
		return nil, err
	}
	Sweep(pool)
	held, err := takeLease()
	if err != nil {
		return nil, err
	}
	t, err := start(ctx, pool, spec, held)
	if err != nil {
		held.release()
	}
	return t, err
}

func start(ctx context.Context, pool *dockertest.Pool, spec Spec, held *lease) (*Target, error) {
	if spec.Dockerfile != "" {
		if err := Build(ctx, pool, spec); err != nil {
			return nil, err
		}
	}
	repo, tag := splitImage(spec.Image)
	if _, err := pool.Client.InspectImage(repo + ":" + tag); err != nil {
		return nil, fmt.Errorf("image %s:%s is not on this machine (no registry is reachable to pull it): build it first, e.g. make image", repo, tag)
	}
	started := time.Now()
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository: repo, Tag: tag, Env: spec.Env,
		Labels:       held.labels(),
		ExposedPorts: []string{port(spec)},
		PortBindings: map[docker.Port][]docker.PortBinding{docker.Port(port(spec)): {{HostIP: "127.0.0.1", HostPort: "0"}}},
	}, func(hc *docker.HostConfig) {
		// No AutoRemove: a container that dies at start keeps its logs for
		// the error message; Close removes it, and Sweep removes one a killed run left.
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
		hc.PublishAllPorts = false
	})
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", spec.Image, err)
	}
	t := &Target{URL: "http://127.0.0.1:" + res.GetPort(port(spec)), pool: pool, resource: res, lease: held}
	if err := t.waitReady(ctx, spec); err != nil {
		logs := t.Logs(20)
		_ = t.remove()
		return nil, fmt.Errorf("%w\nthe container's last log lines:\n%s", err, indent(logs))
	}
	t.ReadyIn = time.Since(started)
	return t, nil
}

// labels mark a container as this project's, started by the lease's run.
func (l *lease) labels() map[string]string {
	return map[string]string{Label: "1", LabelLease: l.id + ".lock"}
}

func port(s Spec) string { return strconv.Itoa(s.Port) + "/tcp" }

// Build builds spec.Image from spec.Dockerfile in spec.Context, keeping
// the build output for the error message (dockertest's own build drops it).
func Build(ctx context.Context, pool *dockertest.Pool, spec Spec) error {
	var out bytes.Buffer
	err := pool.Client.BuildImage(docker.BuildImageOptions{
		Context: ctx, Name: spec.Image, Dockerfile: spec.Dockerfile, ContextDir: spec.Context,
		OutputStream: &out, RmTmpContainer: true, ForceRmTmpContainer: true,
	})
	if err != nil {
		return fmt.Errorf("building %s from %s in %s: %w\n%s", spec.Image, spec.Dockerfile, spec.Context, err, indent(lastLines(out.String(), 20)))
	}
	return nil
}

// waitReady probes the readiness path until it answers the ready status,
// the container exits, or the start timeout passes.
func (t *Target) waitReady(ctx context.Context, spec Spec) error {
	ctx, cancel := context.WithTimeout(ctx, spec.StartTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	last := "no answer yet"
	for delay := 50 * time.Millisecond; ; delay = min(delay*2, time.Second) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.URL+spec.ReadyPath, nil)
		if resp, err := client.Do(req); err != nil {
			last = err.Error()
		} else {
			resp.Body.Close()
			if resp.StatusCode == spec.ReadyStatus {
				return nil
			}
			last = "answered " + resp.Status
		}
		if c, err := t.pool.Client.InspectContainer(t.resource.Container.ID); err == nil && !c.State.Running {
			return fmt.Errorf("container %s exited (code %d) before it was ready", spec.Image, c.State.ExitCode)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("container %s was not ready within %s: GET %s never answered %d (last: %s)",
				spec.Image, spec.StartTimeout, spec.ReadyPath, spec.ReadyStatus, last)
		case <-time.After(delay):
		}
	}
}

// ID is the container's ID: another container can join its network
// namespace with --network container:ID, to reach it on loopback.
func (t *Target) ID() string { return t.resource.Container.ID }

// Logs returns the container's last n log lines (all when n <= 0), stdout and stderr merged.
func (t *Target) Logs(n int) string {
	tail := "all"
	if n > 0 {
		tail = strconv.Itoa(n)
	}
	var out bytes.Buffer
	err := t.pool.Client.Logs(docker.LogsOptions{
		Container: t.resource.Container.ID, OutputStream: &out, ErrorStream: &out,
		Stdout: true, Stderr: true, Tail: tail,
	})
	if err != nil {
		return "(no logs: " + err.Error() + ")"
	}
	return out.String()
}

// Close removes the container, whatever state it is in, and ends the lease.
func (t *Target) Close() error {
	err := t.remove()
	if err == nil && t.lease != nil {
		t.lease.release()
	}
	return err
}

func (t *Target) remove() error {
	err := t.pool.Purge(t.resource)
	var noSuch *docker.NoSuchContainer
	if errors.As(err, &noSuch) {
		return nil // already gone
	}
	return err
}

// Sweep removes containers that an earlier run on this machine left
// behind: labelled by this project with a lease whose run is provably gone
// (lease.go). Any other container, this project's label or not, is spared.
func Sweep(pool *dockertest.Pool) {
	list, err := pool.Client.ListContainers(docker.ListContainersOptions{All: true, Filters: map[string][]string{"label": {Label}}})
	if err != nil {
		return
	}
	for _, c := range list {
		if dead, ok := takeOver(c.Labels[LabelLease]); ok {
			if pool.Client.RemoveContainer(docker.RemoveContainerOptions{ID: c.ID, Force: true}) == nil {
				dead.release()
			} else {
				_ = dead.file.Close()
			}
		}
	}
}

func splitImage(image string) (string, string) {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i], image[i+1:]
	}
	return image, "latest"
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func indent(s string) string {
	return "  | " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  | ")
}
