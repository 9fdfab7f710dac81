package features

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specDir is the specification beside the repository, as CI lays it out.
const specDir = "../../shared/spec"

// TestEveryScenarioIsTraceable checks what analysts rely on: every scenario
// names its API, the rule it checks, and a spec page that exists.
func TestEveryScenarioIsTraceable(t *testing.T) {
	_, err := os.Stat(specDir)
	haveSpec := err == nil
	scenarios := 0
	err = fs.WalkDir(FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		api := strings.Split(path, "/")[0]
		for _, p := range pickles(t, path) {
			scenarios++
			tags := tagNames(p.Tags)
			where := path + ": " + p.Name
			assert.Contains(t, tags, "@"+api, where)
			assert.True(t, slices.ContainsFunc(tags, prefixed("@rule:")), "%s has no @rule: tag", where)
			assert.True(t, slices.ContainsFunc(tags, prefixed("@source:")), "%s has no @source: tag", where)
			for _, tag := range tags {
				if src, ok := strings.CutPrefix(tag, "@source:"); ok && haveSpec {
					_, err := os.Stat(filepath.Join(specDir, src))
					assert.NoError(t, err, "%s cites a page that is not in the spec", where)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, scenarios, 0)
	if !haveSpec {
		t.Logf("%s not found: @source pages not checked", specDir)
	}
}

func pickles(t *testing.T, path string) []*messages.Pickle {
	f, err := FS.Open(path)
	require.NoError(t, err)
	defer f.Close()
	doc, err := gherkin.ParseGherkinDocument(f, (&messages.Incrementing{}).NewId)
	require.NoError(t, err, path)
	doc.Uri = path
	return gherkin.Pickles(*doc, path, (&messages.Incrementing{}).NewId)
}

func tagNames(tags []*messages.PickleTag) []string {
	out := make([]string, len(tags))
	for i, tag := range tags {
		out[i] = tag.Name
	}
	return out
}

func prefixed(p string) func(string) bool {
	return func(s string) bool { return strings.HasPrefix(s, p) }
}
