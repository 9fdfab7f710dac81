package traceability

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
)

func TestMatrixShowsEveryRuleWithItsScenariosAndResults(t *testing.T) {
	cat, md := matrixOf(t, `[
	 {"uri": "ers/create-session.feature", "elements": [
	   {"name": "A valid smartcard token opens a session with 201 Created", "line": 10, "steps": [{"result": {"status": "passed"}}]},
	   {"name": "No role is selected when a session is created", "line": 55, "steps": [{"result": {"status": "passed"}}, {"result": {"status": "failed"}}]},
	   {"name": "The new session names the smartcard user", "line": 51, "outcome": "not judged", "steps": [{"result": {"status": "skipped"}}]}]}]`)
	for _, r := range cat.Rules {
		assert.Contains(t, md, "| "+r.ID+" |", "every rule has a row")
	}
	assert.Contains(t, row(md, "ERS-A001-201-created"), "passed 1 of 1")
	assert.Contains(t, row(md, "ERS-A001-no-permission-selected"), "**FAILED** 1 of 1")
	assert.Contains(t, row(md, "HPI-UPD-stale-version"), "not run")
	assert.Contains(t, row(md, "HPI-UPD-stale-version"), "An update carrying an out-of-date version is refused (`hpi/update-versioning.feature`)")
	assert.Contains(t, row(md, "HPI-UPD-stale-version"), "hpi-stale-version-accepted")
	assert.Contains(t, row(md, "ERS-A001-user-identified"), "not judged 1 of 1")
	assert.Contains(t, md, "Last run: 1 passed, 1 failed, 1 not judged.")
}

// One failing row of an outline fails its own rules only: the rows share
// the outline's name, and each Examples table names its rule.
func TestAFailingRowFailsOnlyItsOwnRules(t *testing.T) {
	const name = "An update need not contain what the record never had"
	_, md := matrixOf(t, `[
	 {"uri": "hpi/update-conditions.feature", "elements": [
	   {"name": "`+name+`", "line": 18, "steps": [{"result": {"status": "passed"}}, {"result": {"status": "failed"}}]},
	   {"name": "`+name+`", "line": 23, "steps": [{"result": {"status": "passed"}}]},
	   {"name": "`+name+`", "line": 24, "steps": [{"result": {"status": "passed"}}]}]}]`)
	assert.Contains(t, row(md, "HPI-UPD-code-required"), "**FAILED** 1 of 1")
	assert.Contains(t, row(md, "HPI-UPD-org-or-facility"), "passed 2 of 2", "the rows of the other Examples table")
	assert.Contains(t, md, "Last run: 2 passed, 1 failed, 0 not judged.")
}

// matrixOf is the matrix of the embedded features with the results of a cucumber report.
func matrixOf(t *testing.T, report string) (*catalogue.Catalogue, string) {
	t.Helper()
	cat, err := catalogue.Load()
	require.NoError(t, err)
	scenarios, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "cucumber.json")
	require.NoError(t, os.WriteFile(path, []byte(report), 0o600))
	results, err := ReadCucumber(path)
	require.NoError(t, err)
	var out bytes.Buffer
	Write(&out, cat, scenarios, results, "reports/cucumber.json")
	return cat, out.String()
}

// row is the matrix line of a rule.
func row(md, id string) string {
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| "+id+" |") {
			return line
		}
	}
	return ""
}

// The committed matrix must list every catalogued rule: regenerate it
// (make matrix) when the catalogue changes.
func TestCommittedMatrixIsCurrent(t *testing.T) {
	cat, err := catalogue.Load()
	require.NoError(t, err)
	md, err := os.ReadFile("../../docs/traceability.md")
	require.NoError(t, err, "docs/traceability.md is missing: run make matrix")
	for _, r := range cat.Rules {
		assert.Contains(t, string(md), "| "+r.ID+" |", "docs/traceability.md lacks %s: run make matrix", r.ID)
	}
}
