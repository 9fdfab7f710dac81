package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const withContainer = minimalHPI + `
container:
  build: {context: image}
  port: 8080
  env: {PLAIN: visible, TOKEN: {env: TEST_CONTAINER_TOKEN}}
  ready: {path: /healthz}
`

func TestContainerDefaultsAndPaths(t *testing.T) {
	t.Setenv("TEST_CONTAINER_TOKEN", "container-secret-value")
	dir := t.TempDir()
	path := filepath.Join(dir, "p.yaml")
	require.NoError(t, os.WriteFile(path, []byte(withContainer), 0o600))
	p, err := Load(path)
	require.NoError(t, err)
	c := p.Container
	assert.True(t, c.Used())
	assert.Equal(t, filepath.Join(dir, "image"), c.Build.Context, "the context is relative to the profile")
	assert.Equal(t, "Dockerfile", c.Build.Dockerfile)
	assert.Equal(t, DefaultBuiltImage, c.Image)
	assert.Equal(t, 200, c.Ready.Status)
	assert.Equal(t, time.Minute, c.StartTimeout.Std())
	assert.Equal(t, []string{"PLAIN=visible", "TOKEN=container-secret-value"}, c.EnvList())
	assert.Contains(t, p.Secrets(), "container-secret-value", "env values from the environment are secrets")
	assert.NotContains(t, p.Secrets(), "visible")
}

func TestContainerMistakesAreNamed(t *testing.T) {
	t.Setenv("TEST_CONTAINER_TOKEN", "x")
	for change, want := range map[string][2]string{
		"port":    {"port: 8080", "container.port"},
		"probe":   {"ready: {path: /healthz}", "container.ready.path"},
		"timeout": {"ready: {path: /healthz}", "container.startTimeout"},
		"both":    {"container:", "target and container"},
	} {
		text := withContainer
		switch change {
		case "timeout":
			text = strings.Replace(text, "ready: {path: /healthz}", "ready: {path: /healthz}\n  startTimeout: 11m", 1)
		case "both":
			text = "target: http://127.0.0.1:1\n" + text
		default:
			text = strings.Replace(text, want[0], "", 1)
		}
		_, err := Parse([]byte(text), "test")
		assert.ErrorContains(t, err, want[1], change)
	}
}
