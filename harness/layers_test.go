package harness

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/healthapi-conformance/conformance/"

// imports reads the non-test imports of every package of the module, by folder.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(strings.TrimPrefix(path, "../")))
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[dir] = append(out[dir], strings.TrimPrefix(p, module))
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// TestLayersImportOnlyDownward holds docs/architecture.md true.
func TestLayersImportOnlyDownward(t *testing.T) {
	var godogs []string
	for pkg, list := range imports(t) {
		for _, im := range list {
			under := func(prefix string) bool { return pkg == prefix || strings.HasPrefix(pkg, prefix+"/") }
			switch {
			case im == "github.com/cucumber/godog":
				godogs = append(godogs, pkg)
			case strings.HasPrefix(im, "harness"):
				assert.False(t, under("steps") || under("api") || under("httpkit") || under("profile"), "%s imports %s: an import that runs back up into the runner", pkg, im)
			case im == "conformancetest" || strings.HasPrefix(im, "cmd/"):
				assert.Fail(t, "an entry point imported", "%s imports %s: the entry points (cmd/, conformancetest) sit on top; nothing imports them", pkg, im)
			case im == "steps":
				assert.True(t, under("harness"), "%s imports steps: only the runner may", pkg)
			case strings.HasPrefix(im, "api/"):
				assert.True(t, under("harness") || under("steps"), "%s imports %s: only the runner and the steps may", pkg, im)
			}
		}
	}
	assert.ElementsMatch(t, []string{"harness/suite"}, uniq(godogs), "godog stays behind harness/suite")
}

// TestGoEntryPointUsesTheRunnerOnly holds the Go entry point at the level
// of cmd/conformance: it runs the suite through harness, as the command
// line does, and reaches below it only for the ground (features, profiles).
func TestGoEntryPointUsesTheRunnerOnly(t *testing.T) {
	list, ok := imports(t)["conformancetest"]
	require.True(t, ok, "conformancetest exists")
	assert.Contains(t, list, "harness")
	for _, im := range list {
		for _, below := range []string{"harness/", "steps", "api/", "httpkit/", "refserver"} {
			assert.False(t, strings.HasPrefix(im, below), "conformancetest imports %s: it goes through harness, as cmd/conformance does", im)
		}
	}
}

func uniq(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
