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
