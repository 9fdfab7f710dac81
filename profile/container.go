package profile

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Container describes a target the harness starts itself from an image.
type Container struct {
	// Image is repository:tag; with Build, the tag the built image gets.
	Image string `yaml:"image"`
	// Build, when set, builds Image from a Dockerfile first.
	Build *Build `yaml:"build"`
	// Port is the port the API listens on inside the container.
	Port int `yaml:"port"`
	// Env are environment variables for the container; values may be secrets.
	Env map[string]Secret `yaml:"env"`
	// Ready is the probe that says the target has started.
	Ready Ready `yaml:"ready"`
	// StartTimeout bounds the wait for the probe.
	StartTimeout Duration `yaml:"startTimeout"`
}

// Build names a Dockerfile and its build context.
type Build struct {
	// Context is the build context folder, relative to the profile file.
	Context string `yaml:"context"`
	// Dockerfile is the Dockerfile's path within Context.
	Dockerfile string `yaml:"dockerfile"`
}

// Ready is an HTTP path and the status that means ready.
type Ready struct {
	Path   string `yaml:"path"`
	Status int    `yaml:"status"`
}

// Container defaults.
const (
	DefaultBuiltImage   = "healthapi-conformance/target:built"
	DefaultStartTimeout = time.Minute
	maxStartTimeout     = 10 * time.Minute
)

// Used says whether the profile asks for a container target.
func (c *Container) Used() bool { return c != nil && (c.Image != "" || c.Build != nil) }

func (c *Container) applyDefaults() {
	if c.Build != nil && c.Image == "" {
		c.Image = DefaultBuiltImage
	}
	if c.Build != nil && c.Build.Dockerfile == "" {
		c.Build.Dockerfile = "Dockerfile"
	}
	if c.Ready.Status == 0 {
		c.Ready.Status = 200
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = Duration(DefaultStartTimeout)
	}
}

func (c *Container) validate() error {
	switch {
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("container.port: %d is not the port the API listens on (1-65535)", c.Port)
	case !strings.HasPrefix(c.Ready.Path, "/"):
		return errors.New("container.ready.path: an HTTP path starting with / is required, e.g. /healthz")
	case c.Ready.Status < 100 || c.Ready.Status > 599:
		return fmt.Errorf("container.ready.status: %d is not an HTTP status", c.Ready.Status)
	case c.StartTimeout.Std() <= 0 || c.StartTimeout.Std() > maxStartTimeout:
		return fmt.Errorf("container.startTimeout: %s is outside (0, %s]", c.StartTimeout.Std(), maxStartTimeout)
	case c.Build != nil && c.Build.Context == "":
		return errors.New("container.build.context: the build context folder is required")
	}
	return nil
}

// resolve makes the build context relative to the profile's folder.
func (c *Container) resolve(dir string) {
	if c.Build != nil && !filepath.IsAbs(c.Build.Context) {
		c.Build.Context = filepath.Join(dir, c.Build.Context)
	}
}

// EnvList is the container's environment as NAME=value, sorted.
func (c *Container) EnvList() []string {
	out := make([]string, 0, len(c.Env))
	for k, v := range c.Env {
		out = append(out, k+"="+v.Value())
	}
	sort.Strings(out)
	return out
}
