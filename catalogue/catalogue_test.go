package catalogue

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/refserver"
)

// The catalogue and the features are held to each other, both ways.
func TestEveryRuleHasAScenarioAndEveryScenarioARule(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	scenarios, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	checked := map[string]bool{}
	for _, s := range scenarios {
		for _, id := range s.Rules() {
			r, ok := c.Rule(id)
			if assert.True(t, ok, "%s: %q names a rule that is not in catalogue/rules.yaml", s.URI, s.Name) {
				assert.Contains(t, s.Tags, "@"+r.API, "%s: rule %s is an %s rule", s.URI, id, r.API)
			}
			checked[id] = true
		}
	}
	for _, r := range c.Rules {
		assert.True(t, checked[r.ID], "rule %s has no scenario", r.ID)
	}
}

// Every mutant the reference server has breaks a catalogued rule, and
// every mutant the catalogue names exists.
func TestMutantsAndRulesMatch(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	broken := c.BrokenBy()
	known := refserver.Mutants()
	for _, m := range known {
		assert.Contains(t, broken, string(m), "mutant %s breaks no catalogued rule", m)
	}
	for m := range broken {
		assert.True(t, slices.Contains(known, refserver.Mutant(m)), "the catalogue names mutant %s, which the reference server does not have", m)
	}
}

func TestCheckRefusesAnIncompleteRule(t *testing.T) {
	for name, r := range map[string]Rule{
		"no mutant":   {ID: "X-1", API: "ers", Source: "ers/a.md", Section: "s", Text: "t", Basis: "stated"},
		"bad basis":   {ID: "X-1", API: "ers", Source: "ers/a.md", Section: "s", Text: "t", Basis: "guess", Mutants: []string{"m"}},
		"wrong api":   {ID: "X-1", API: "hpi", Source: "ers/a.md", Section: "s", Text: "t", Basis: "stated", Mutants: []string{"m"}},
		"no sentence": {ID: "X-1", API: "ers", Source: "ers/a.md", Section: "s", Basis: "stated", Mutants: []string{"m"}},
	} {
		assert.Error(t, (&Catalogue{Rules: []Rule{r}}).check(), name)
	}
}

// Each rule's source page exists in the spec, and each defect it cites is
// in docs/spec-defects.md.
func TestSourcesAndDefectsExist(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	defects, err := os.ReadFile("../docs/spec-defects.md")
	require.NoError(t, err)
	_, err = os.Stat("../../shared/spec")
	haveSpec := err == nil
	for _, r := range c.Rules {
		if haveSpec {
			_, err := os.Stat(filepath.Join("../../shared/spec", r.Source))
			assert.NoError(t, err, "%s cites a page that is not in the spec", r.ID)
		}
		for _, d := range r.Defects {
			assert.Contains(t, string(defects), "| "+d+" |", "%s cites %s, which docs/spec-defects.md does not list", r.ID, d)
		}
	}
}
