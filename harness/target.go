package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/healthapi-conformance/conformance/harness/container"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/refserver"
)

// target is where a run sends its requests, and how to let go of it.
type target struct {
	url       string
	container *container.Target // set when the harness started one
	stop      func()
	// fresh says the harness started the target for this run: it holds
	// nothing from an earlier one.
	fresh bool
}

// targetKind is what a run's target is.
type targetKind int

const (
	embeddedTarget targetKind = iota
	urlTarget
	containerKind
)

// chooseTarget picks the target, as resolveTarget starts it and a dry run
// names it: --target, then --image, then the profile's target or
// container, else the embedded reference server; url is a URL target's.
func chooseTarget(cfg Config, prof *profile.Profile) (kind targetKind, url string, err error) {
	embeddedOnly := len(cfg.Mutants) > 0 || len(cfg.Choices) > 0
	switch {
	case cfg.Target != "" || cfg.Image == "" && !prof.Container.Used() && prof.Target != "":
		url = cfg.Target
		if url == "" {
			url = prof.Target
		}
		if embeddedOnly {
			return 0, "", fmt.Errorf("mutants and choices apply only to the embedded reference server, not to --target")
		}
		if err := profile.CheckBaseURL(url); err != nil {
			return 0, "", fmt.Errorf("--target: %w", err)
		}
		return urlTarget, strings.TrimSuffix(url, "/"), nil
	case cfg.Image != "" || prof.Container.Used():
		if embeddedOnly {
			return 0, "", fmt.Errorf("mutants and choices apply only to the embedded reference server, not to a container (set REFSERVER_MUTANTS or REFSERVER_CHOICES in container.env instead)")
		}
		return containerKind, "", nil
	}
	return embeddedTarget, "", nil
}

// resolveTarget starts or names the target chooseTarget picks.
func resolveTarget(ctx context.Context, cfg Config, prof *profile.Profile, red *redact.Redactor) (*target, error) {
	kind, url, err := chooseTarget(cfg, prof)
	switch {
	case err != nil:
		return nil, err
	case kind == urlTarget:
		return &target{url: url, stop: func() {}}, nil
	case kind == containerKind:
		return containerTarget(ctx, cfg, prof, red)
	}
	plan := prof.ReferenceServer.UsagePlan
	srv, err := refserver.Start(ctx, "127.0.0.1:0", refserver.Options{
		Mutants:   cfg.Mutants,
		Choices:   cfg.Choices,
		UsagePlan: refserver.UsagePlan{Rate: plan.PerSecond, Burst: plan.Burst},
	})
	if err != nil {
		return nil, fmt.Errorf("starting the reference server: %w", err)
	}
	return &target{url: srv.URL, stop: func() { _ = srv.Close() }, fresh: true}, nil
}

// defaultContainer fits the reference server's image, for --image with a
// profile that has no container section.
var defaultContainer = profile.Container{
	Port: 8080, Ready: profile.Ready{Path: "/healthz", Status: 200}, StartTimeout: profile.Duration(time.Minute),
}

func containerTarget(ctx context.Context, cfg Config, prof *profile.Profile, red *redact.Redactor) (*target, error) {
	c := defaultContainer
	if prof.Container != nil {
		c = *prof.Container
	}
	spec := container.Spec{
		Image: c.Image, Port: c.Port, Env: c.EnvList(),
		ReadyPath: c.Ready.Path, ReadyStatus: c.Ready.Status, StartTimeout: c.StartTimeout.Std(),
	}
	if cfg.Image != "" {
		spec.Image = cfg.Image // the flag runs that image as it is, without building
	} else if c.Build != nil {
		spec.Dockerfile, spec.Context = c.Build.Dockerfile, c.Build.Context
	}
	t, err := container.Start(ctx, spec)
	if err != nil {
		return nil, red.Error(fmt.Errorf("the container target cannot be used: %w", err))
	}
	fmt.Fprintf(cfg.Stderr, "conformance: started %s at %s, ready in %s\n", spec.Image, t.URL, t.ReadyIn.Round(time.Millisecond))
	return &target{url: t.URL, container: t, stop: func() {
		if err := t.Close(); err != nil {
			fmt.Fprintf(cfg.Stderr, "conformance: removing the container: %v\n", err)
		}
	}}, nil
}

// keepLog saves a failed run's container log beside its reports, masked.
func (t *target) keepLog(cfg Config, red *redact.Redactor) {
	if t.container == nil {
		return
	}
	path := filepath.Join(reportDir(cfg.Format), "container.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
		err = os.WriteFile(path, []byte(red.String(t.container.Logs(0))), 0o644)
		if err == nil {
			fmt.Fprintf(cfg.Stderr, "conformance: the container's log is in %s\n", path)
			return
		}
	}
	fmt.Fprintf(cfg.Stderr, "conformance: could not keep the container's log in %s\n", path)
}

// reportDir is the folder of the first report file the formats write, else "reports".
func reportDir(format string) string {
	for _, f := range strings.Split(format, ",") {
		if _, path, ok := strings.Cut(f, ":"); ok && path != "" {
			return filepath.Dir(path)
		}
	}
	return "reports"
}
