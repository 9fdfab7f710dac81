package catalogue

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const specDir = "../../shared/spec"

// The inventory quotes the spec; tests that read it skip where it is absent.
func readSpec(t *testing.T, page string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(specDir, page))
	if os.IsNotExist(err) {
		t.Skipf("the spec is not beside this checkout (%s): the inventory's quotes are not checked", specDir)
	}
	require.NoError(t, err)
	return data
}

func TestEveryStatementQuotesItsPage(t *testing.T) {
	pages, err := LoadStatements()
	require.NoError(t, err)
	for _, p := range pages {
		page := readSpec(t, p.Page)
		for _, s := range p.Statements {
			assert.True(t, s.QuotedIn(page), "%s %s: the words %q are not on %s lines %s", p.File, s.ID, s.Words, p.Page, s.Lines)
		}
	}
}

func TestSpecPagesAreThePagesOfTheSpec(t *testing.T) {
	readSpec(t, "README.md")
	var found []string
	err := filepath.WalkDir(specDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(specDir, path)
			found = append(found, filepath.ToSlash(rel))
		}
		return err
	})
	require.NoError(t, err)
	assert.ElementsMatch(t, found, SpecPages)
}

func TestStatementDefectsAreListed(t *testing.T) {
	pages, err := LoadStatements()
	require.NoError(t, err)
	defects, err := os.ReadFile("../docs/spec-defects.md")
	require.NoError(t, err)
	for _, p := range pages {
		for _, s := range p.Statements {
			if s.Untested != nil && s.Untested.Defect != "" {
				assert.Contains(t, string(defects), "| "+s.Untested.Defect+" |", "%s cites %s, which docs/spec-defects.md does not list", s.ID, s.Untested.Defect)
			}
		}
	}
}

func TestQuotedIn(t *testing.T) {
	page := []byte("# Title\nThe **token** is\n  required | in `body`.\nAnd more.\n")
	for words, want := range map[string]bool{
		"The token is required":               true,
		"token is required in body.":          true,
		"The token ... in body":               true,
		"in body ... The token":               false,
		"And more":                            false, // line 4 is outside 2-3
		"The token is optional":               false,
		"The **token** is required \\| in":    false,
		"The **token** is\n  required | in `": true,
	} {
		s := Statement{ID: "X.01", Lines: "2-3", Words: words}
		assert.Equal(t, want, s.QuotedIn(page), words)
	}
	assert.False(t, Statement{Lines: "3-9", Words: "required"}.QuotedIn(page), "lines past the end")
}

func TestReadStatementsRefusesABadInventory(t *testing.T) {
	const ok = "page: ers/models.md\nstatements:\n"
	tested := "  - {id: ERS-MODEL.01, lines: \"3\", words: w, tested: {rules: [R], mutant: m}}\n"
	for name, text := range map[string]string{
		"unknown field":       ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, gap: g, note: x}\n",
		"unknown page":        "page: ers/other.md\nstatements: []\n",
		"no page":             "statements: []\n",
		"bad id":              ok + "  - {id: ERS-MODEL-1, lines: \"3\", words: w, gap: g}\n",
		"bad lines":           ok + "  - {id: ERS-MODEL.01, lines: \"5-3\", words: w, gap: g}\n",
		"no words":            ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: \" \", gap: g}\n",
		"no verdict":          ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w}\n",
		"two verdicts":        ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, gap: g, tested: {rules: [R], mutant: m}}\n",
		"tested, no mutant":   ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, tested: {rules: [R]}}\n",
		"tested, no rule":     ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, tested: {mutant: m}}\n",
		"unknown kind":        ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, untested: {kind: later, why: y}}\n",
		"no why":              ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, untested: {kind: informational}}\n",
		"freedom, no choice":  ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, untested: {kind: freedom, why: y}}\n",
		"contradicted, no D-": ok + "  - {id: ERS-MODEL.01, lines: \"3\", words: w, untested: {kind: contradicted, why: y, defect: see above}}\n",
		"id twice":            ok + tested + tested,
	} {
		_, err := readStatements(fstest.MapFS{"s/a.yaml": {Data: []byte(text)}}, "s")
		assert.Error(t, err, name)
	}
	pages, err := readStatements(fstest.MapFS{"s/a.yaml": {Data: []byte(ok + tested)}}, "s")
	require.NoError(t, err)
	assert.Equal(t, "tested", pages[0].Statements[0].Verdict())
}

func TestAPageHasOneInventory(t *testing.T) {
	one := []byte("page: ers/models.md\nstatements: []\n")
	_, err := readStatements(fstest.MapFS{"s/a.yaml": {Data: one}, "s/b.yaml": {Data: one}}, "s")
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "already has"), err)
	assert.True(t, slices.Contains(SpecPages, "ers/models.md"))
}
