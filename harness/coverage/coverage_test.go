package coverage

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/refserver"
)

func fakeSources() Sources {
	return Sources{
		Catalogue: &catalogue.Catalogue{Rules: []catalogue.Rule{
			{ID: "R-1", Mutants: []string{"m-1"}},
			{ID: "R-2", Mutants: []string{"m-2"}},
			{ID: "R-3", Mutants: []string{"m-3"}},
		}},
		Scenarios: []features.Scenario{{Tags: []string{"@rule:R-1"}}, {Tags: []string{"@rule:R-2"}}},
		Mutants:   []refserver.Mutant{"m-1", "m-2", "m-3"},
		Choices:   []refserver.Choice{"c-1"},
	}
}

func tested(rules []string, m string) catalogue.Statement {
	return catalogue.Statement{ID: "P.01", Tested: &catalogue.Tested{Rules: rules, Mutant: m}}
}

func untested(kind, choice string) catalogue.Statement {
	return catalogue.Statement{ID: "P.02", Untested: &catalogue.Untested{Kind: kind, Why: "because", Choice: choice}}
}

func TestAVerdictIsHeldToTheCatalogueFeaturesAndServer(t *testing.T) {
	for name, c := range map[string]struct {
		s    catalogue.Statement
		want string // part of the reason it is unaccounted; empty: accounted
	}{
		"tested and proven":         {tested([]string{"R-1"}, "m-1"), ""},
		"proven by its second rule": {tested([]string{"R-1", "R-2"}, "m-2"), ""},
		"unknown rule":              {tested([]string{"R-9"}, "m-1"), "R-9 is not in catalogue/rules.yaml"},
		"rule without scenario":     {tested([]string{"R-3"}, "m-3"), "R-3 has no scenario"},
		"mutant of another rule":    {tested([]string{"R-1"}, "m-2"), "m-2 breaks none of its rules"},
		"mutant the server lacks":   {tested([]string{"R-1"}, "m-9"), "no mutant m-9"},
		"a freedom taken":           {untested(catalogue.Freedom, "c-1"), ""},
		"a freedom no choice takes": {untested(catalogue.Freedom, "c-9"), "no choice c-9"},
		"a client obligation":       {untested(catalogue.ClientObligation, ""), ""},
		"a gap":                     {catalogue.Statement{ID: "P.03", Gap: "needs a scenario"}, "gap: needs a scenario"},
	} {
		r := Account([]catalogue.Page{{Page: "README.md", Statements: []catalogue.Statement{c.s}}}, fakeSources())
		got := r.Pages[0].Entries[0].Unaccounted
		if c.want == "" {
			assert.Empty(t, got, name)
		} else {
			assert.Contains(t, got, c.want, name)
		}
	}
}

func TestCountsAndTheClosingLine(t *testing.T) {
	r := Account([]catalogue.Page{{Page: "ers/models.md", Statements: []catalogue.Statement{
		tested([]string{"R-1"}, "m-1"),
		untested(catalogue.Freedom, "c-1"),
		untested(catalogue.Informational, ""),
		untested(catalogue.Informational, ""),
		{ID: "P.04", Gap: "todo"},
	}}}, fakeSources())
	var out bytes.Buffer
	r.Print(&out)
	text := out.String()
	assert.Contains(t, text, "ers/models.md: 5 statements, 1 tested, 3 not tested (1 freedom, 2 informational), 1 unaccounted\n")
	assert.Contains(t, text, "  unaccounted P.04 (line ): gap: todo\n")
	assert.Contains(t, text, "README.md: 1 statements, 0 tested, 0 not tested, 1 unaccounted\n  unaccounted: the page has no inventory")
	n := len(catalogue.SpecPages) - 1 // pages with no inventory, one unaccounted each
	assert.True(t, strings.HasSuffix(text, "coverage: "+itoa(5+n)+" statements, 1 tested, 3 not tested, "+itoa(1+n)+" unaccounted\n"), text)
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestMarkdownEscapesTheWords(t *testing.T) {
	s := untested(catalogue.Contradicted, "")
	s.Words, s.Untested.Defect = "a | b\n c", "D-ERS-01"
	var out bytes.Buffer
	Account([]catalogue.Page{{Page: "ers/models.md", Statements: []catalogue.Statement{s}}}, fakeSources()).Markdown(&out)
	assert.Contains(t, out.String(), "| P.02 |  | a \\| b c | not tested, contradicted: because (D-ERS-01) |")
}

// The committed docs/coverage.md is what the inventory makes now.
func TestCoverageDocIsCurrent(t *testing.T) {
	pages, err := catalogue.LoadStatements()
	require.NoError(t, err)
	src, err := Embedded()
	require.NoError(t, err)
	var want bytes.Buffer
	Account(pages, src).Markdown(&want)
	got, err := os.ReadFile("../../docs/coverage.md")
	require.NoError(t, err, "docs/coverage.md is missing: run make coverage")
	assert.True(t, bytes.Equal(want.Bytes(), got), "docs/coverage.md is stale: run make coverage")
}

// Every page is inventoried and every statement accounted for: what
// `conformance coverage` requires, held by make test too.
func TestEveryStatementIsAccounted(t *testing.T) {
	pages, err := catalogue.LoadStatements()
	require.NoError(t, err)
	src, err := Embedded()
	require.NoError(t, err)
	r := Account(pages, src)
	for _, p := range r.Pages {
		assert.False(t, p.Missing, "%s has no inventory in catalogue/statements/", p.Page)
		for _, e := range p.Entries {
			assert.Empty(t, e.Unaccounted, "%s %s", p.Page, e.ID)
		}
	}
	assert.Zero(t, r.Total().Unaccounted)
}

// Every catalogued rule checks at least one statement a page makes: a rule
// no statement cites asserts what no page says.
func TestEveryRuleChecksAStatement(t *testing.T) {
	pages, err := catalogue.LoadStatements()
	require.NoError(t, err)
	cat, err := catalogue.Load()
	require.NoError(t, err)
	cited := map[string]bool{}
	for _, p := range pages {
		for _, s := range p.Statements {
			if s.Tested != nil {
				for _, id := range s.Tested.Rules {
					cited[id] = true
				}
			}
		}
	}
	for _, r := range cat.Rules {
		assert.True(t, cited[r.ID], "rule %s checks no statement of catalogue/statements/", r.ID)
	}
}
