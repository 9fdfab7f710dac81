package harness

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README states the Go version go.mod needs, not an older one: a
// toolchain older than go.mod's go line refuses (or downloads) to build.
func TestReadmeStatesTheGoVersionGoModNeeds(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	require.NoError(t, err)
	want := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	require.NotNil(t, want, "go.mod has a go line")
	readme := readme(t)
	stated := regexp.MustCompile(`Go (1\.\d+(?:\.\d+)?) or later`).FindAllStringSubmatch(readme, -1)
	require.NotEmpty(t, stated, "the README states a Go version")
	for _, s := range stated {
		assert.Equal(t, string(want[1]), s[1], "README: %q", s[0])
	}
}

// The README's first section is how to get the tool without Go, naming both ways.
func TestReadmeOpensWithTheToolWithoutGo(t *testing.T) {
	sections := strings.Split(readme(t), "\n## ")
	require.Greater(t, len(sections), 1)
	first := sections[1]
	assert.True(t, strings.HasPrefix(first, "Getting the tool without Go"), "the first section: %.60q", first)
	for _, want := range []string{"make dist", "make tool-image", "--network container:", "SHA256SUMS"} {
		assert.Contains(t, first, want)
	}
}

func readme(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	return string(data)
}
