package harness

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/traceability"
	"github.com/healthapi-conformance/conformance/refserver"
)

// The matrix from a real run's cucumber report: the mutant fails one row
// of an outline, and only that row's rule is FAILED, not the rule of the
// outline's other Examples table.
func TestTheMatrixFailsOnlyTheRuleOfTheFailingRow(t *testing.T) {
	report := filepath.Join(t.TempDir(), "cucumber.json")
	res, err := Execute(context.Background(), Config{
		Tags: "@rule:HPI-UPD-code-required,@rule:HPI-UPD-org-or-facility", Mutants: []refserver.Mutant{refserver.HpiCodeAlwaysRequired},
		Format: "progress,cucumber:" + report, Stdout: &strings.Builder{},
	})
	require.NoError(t, err)
	require.Len(t, res.Failed(), 1, "the row | code | alone")
	results, err := traceability.ReadCucumber(report)
	require.NoError(t, err)
	cat, err := catalogue.Load()
	require.NoError(t, err)
	scenarios, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	var out bytes.Buffer
	traceability.Write(&out, cat, scenarios, results, report)
	rows := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		if id, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |"); ok {
			rows[id] = line
		}
	}
	assert.Contains(t, rows["HPI-UPD-code-required"], "**FAILED** 1 of ")
	assert.Contains(t, rows["HPI-UPD-org-or-facility"], "| passed ", "its rows passed")
}
