package refserver

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/catalogue"
)

// ruleEntry is a rule of any table, as the tests see it.
type ruleEntry struct {
	table, id, says string
	off             []Mutant
}

func entries[T any](table string, rules []rule[T]) []ruleEntry {
	var out []ruleEntry
	for _, r := range rules {
		out = append(out, ruleEntry{table, r.id, r.says, r.off})
		out = append(out, entries(table, r.sub)...)
	}
	return out
}

func allRules() []ruleEntry {
	var out []ruleEntry
	for name, t := range map[string][]ersRule{"create": createRules, "select": selectRules, "delete": deleteRules} {
		out = append(out, entries(name, t)...)
	}
	for name, t := range map[string][]roleRule{"read": readRules, "add": addRules, "update": updateRules, "replace": replaceRules} {
		out = append(out, entries(name, t)...)
	}
	out = append(out, entries("token", tokenRules)...)
	return append(out, entries("gateway", gatewayRules)...)
}

func shapeMutants() map[Mutant]int {
	n := map[Mutant]int{}
	for _, s := range ersShapes {
		n[s.name]++
	}
	for _, s := range hpiShapes {
		n[s.name]++
	}
	for _, s := range hpiPromiseShapes {
		n[s.name]++
	}
	return n
}

// Each mutant is listed once, and does what its kind says: a mutant that
// switches rules off is in a rule's off list and has no shape; a shape
// mutant has exactly one shape.
func TestEveryMutantIsListedOnceAndUsedAsItsKindSays(t *testing.T) {
	seen := map[Mutant]bool{}
	for _, m := range mutantTable {
		assert.False(t, seen[m.name], "%s is listed twice", m.name)
		seen[m.name] = true
		assert.NotEmpty(t, m.says, m.name)
	}
	switching := map[Mutant]bool{}
	for _, r := range allRules() {
		for _, m := range r.off {
			assert.True(t, known(m), "rule %s (%s) names unknown mutant %s", r.id, r.table, m)
			switching[m] = true
		}
	}
	shaping := shapeMutants()
	for m := range shaping {
		assert.True(t, known(m), "a shape names unknown mutant %s", m)
	}
	for _, m := range mutantTable {
		switch m.kind {
		case switchesOff:
			assert.True(t, switching[m.name], "%s switches no rule off", m.name)
			assert.Zero(t, shaping[m.name], "%s switches rules off but has a shape", m.name)
		case shapes:
			assert.Equal(t, 1, shaping[m.name], "%s should have exactly one shape", m.name)
		default:
			t.Errorf("%s has no kind", m.name)
		}
	}
}

// A rule that names a catalogue id names one the catalogue has.
func TestRuleIDsAreInTheCatalogue(t *testing.T) {
	cat, err := catalogue.Load()
	require.NoError(t, err)
	catalogueID := regexp.MustCompile(`^(ERS|HPI)-`)
	for _, r := range allRules() {
		assert.NotEmpty(t, r.says, "rule %s (%s) has no sentence", r.id, r.table)
		if catalogueID.MatchString(r.id) {
			_, ok := cat.Rule(r.id)
			assert.True(t, ok, "rule %s (%s) is not in catalogue/rules.yaml", r.id, r.table)
		}
	}
}
