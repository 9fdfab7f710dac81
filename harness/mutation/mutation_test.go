package mutation

import (
	"bytes"
	"context"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// The suite kills every catalogued mutant, each only through scenarios of
// the rules it breaks; every rule is proven; the unmutated server passes.
// It is 300 runs of the suite: under the race detector that is eight
// minutes on two cores, so `make test` runs it in a second go test without
// -race, and the race pass runs a sample (TestMutantsAndChoicesRunAtOnce).
func TestKillRateIsComplete(t *testing.T) {
	if raceDetector {
		t.Skip("the whole kill rate runs without -race: make test runs it after the race pass (go test -run TestKillRateIsComplete ./harness/mutation)")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as conformance mutants does: a third faster
	cat, err := catalogue.Load()
	require.NoError(t, err)
	report := Run(context.Background(), cat, 2*runtime.NumCPU())
	var out bytes.Buffer
	report.Print(&out)
	t.Log("\n" + out.String())
	assert.True(t, report.OK(), "see the report above")
	assert.Equal(t, len(report.Results), report.Killed())
	assert.Empty(t, report.Unproven)
	assert.Empty(t, report.Baseline.Failed)
	assert.Equal(t, len(report.Choices), report.ChoicesPassed(), "every choice alone and all together pass")
	assert.Contains(t, out.String(), "all choices together: passed")
}

// A sample of mutants and choices, run at once: the runner is safe under
// the race detector, and each of them still has its verdict.
func TestMutantsAndChoicesRunAtOnce(t *testing.T) {
	cat, err := catalogue.Load()
	require.NoError(t, err)
	mutants := []string{"ers-create-any-asid", "hpi-duplicate-accepted", "hpi-stale-version-accepted"}
	choices := refserver.Choices()[:2]
	report := run(context.Background(), cat, mutants, choices, 4)
	require.Len(t, report.Results, len(mutants))
	for _, r := range report.Results {
		assert.NotEmpty(t, r.Failed, "mutant %s is killed", r.Mutant)
		assert.Empty(t, r.Stray, "mutant %s is killed only by its rules' scenarios", r.Mutant)
	}
	assert.Equal(t, len(choices)+1, report.ChoicesPassed(), "each choice alone, and the two together, pass")
	assert.Empty(t, report.Baseline.Failed)
}

// A choice run in which a scenario fails, or is not judged, fails the verdict and says which.
func TestAChoiceThatFailsAScenarioFailsTheVerdict(t *testing.T) {
	passed := Result{Total: 2}
	scenario := suite.Scenario{Name: "An update carrying an out-of-date version is refused", URI: "hpi/update-versioning.feature",
		Outcome: suite.Failed, Reason: "expected status 409"}
	report := Report{Baseline: passed, Results: []Result{{Mutant: "m", Failed: []suite.Scenario{{}}, Total: 2}},
		Choices: []Result{{Choice: "hpi-stale-version-412", Total: 2, Failed: []suite.Scenario{scenario}}, {Choice: "all", Total: 2}}}
	assert.False(t, report.OK())
	var out bytes.Buffer
	report.Print(&out)
	assert.Contains(t, out.String(), "choice hpi-stale-version-412: NOT PASSED: 1 failed, 0 not judged of 2")
	assert.Contains(t, out.String(), "! An update carrying an out-of-date version is refused (hpi/update-versioning.feature): failed expected status 409")
	assert.Contains(t, out.String(), "all choices together: passed 2 of 2")
	report.Choices[0] = Result{Choice: "hpi-stale-version-412", Total: 2}
	assert.True(t, report.OK())
	report.Choices[1].NotJudged = []suite.Scenario{scenario}
	assert.False(t, report.OK(), "not judged counts too")
	report.Choices = nil
	assert.False(t, report.OK(), "no choice run at all")
}
