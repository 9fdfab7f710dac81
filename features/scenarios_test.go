package features

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each scenario knows its line, and an outline's its Examples row.
func TestScenariosKnowTheirLineAndRow(t *testing.T) {
	all, err := Scenarios(FS)
	require.NoError(t, err)
	var rows, plain int
	for _, s := range all {
		require.Positive(t, s.Line, "%s %s", s.URI, s.Name)
		if len(s.Row) > 0 {
			rows++
		} else {
			plain++
		}
	}
	assert.Greater(t, rows, 50)
	assert.Greater(t, plain, 50)
	for _, s := range all {
		if s.URI == "hpi/update-conditions.feature" && s.RowText() == "element: code" {
			assert.Equal(t, 18, s.Line, "the row's line")
			return
		}
	}
	t.Fatal("the row | code | of update-conditions.feature is not found")
}

// A subset holds exactly the scenarios and rows kept, each with its ID
// and steps as in the whole; the rest is commented out, lines kept.
func TestASubsetKeepsExactlyWhatItIsTold(t *testing.T) {
	all, err := Scenarios(FS)
	require.NoError(t, err)
	for k := range 3 {
		keep := func(s Scenario) bool { return s.Index%3 == k }
		sub, err := Subset(FS, keep)
		require.NoError(t, err)
		got, err := Scenarios(sub)
		require.NoError(t, err)
		var want []Scenario
		for _, s := range all {
			if keep(s) {
				want = append(want, s)
			}
		}
		require.Len(t, got, len(want), "part %d", k)
		for i := range want {
			assert.Equal(t, want[i].ID(), got[i].ID())
			assert.Equal(t, want[i].Name, got[i].Name)
			assert.Equal(t, want[i].Steps, got[i].Steps, want[i].ID())
			assert.Equal(t, want[i].Tags, got[i].Tags, want[i].ID())
		}
	}
}
