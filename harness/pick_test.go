package harness

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// writeRun writes a run.json holding scenarios.
func writeRun(t *testing.T, scenarios ...evidence.Scenario) string {
	t.Helper()
	data, err := json.Marshal(evidence.Run{Tool: evidence.ThisTool(), Scenarios: scenarios})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), evidence.RunFile)
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// scenarioAt is the embedded scenario of the ID.
func scenarioAt(t *testing.T, id string) features.Scenario {
	t.Helper()
	all, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	for _, s := range all {
		if s.ID() == id {
			return s
		}
	}
	t.Fatalf("no scenario %s", id)
	return features.Scenario{}
}

// --name matches a scenario's title, Examples row included, and is ANDed with the tags.
func TestNameSelectsByTitle(t *testing.T) {
	list, err := List(Config{Name: regexp.MustCompile(`\[element: code\]`)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "element: code", list[0].Row)

	all, err := List(Config{Name: regexp.MustCompile(`^An update`)})
	require.NoError(t, err)
	hpi, err := List(Config{Name: regexp.MustCompile(`^An update`), Tags: "@hpi"})
	require.NoError(t, err)
	_, err = List(Config{Name: regexp.MustCompile(`^An update`), Tags: "@ers"})
	assert.ErrorContains(t, err, `no scenario matches --tags "@ers" and --name "^An update"`, "as run refuses it")
	assert.Greater(t, len(all), 5)
	assert.Len(t, hpi, len(all), "every update scenario is HPI's")
	for _, s := range all {
		assert.True(t, strings.HasPrefix(s.Name, "An update"), s.Name)
	}

	code, out := run(t, Config{Name: regexp.MustCompile(`\[element: code\]`)})
	assert.Equal(t, ExitPassed, code, out)
	assert.Contains(t, out, "conformance: 1 scenarios, 1 passed")
	code, out = run(t, Config{Name: regexp.MustCompile(`nothing is called this`)})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, `no scenario matches --tags "" and --name "nothing is called this"`)
}

// --rerun-failed takes the failed scenarios of a run.json, and only those;
// scenarios not judged or not run are not rerun.
func TestRerunFailedTakesTheFailedOnly(t *testing.T) {
	failed, notJudged := scenarioAt(t, "ers/create-session.feature:10"), scenarioAt(t, "hpi/update-versioning.feature:25")
	path := writeRun(t,
		evidence.Scenario{ID: failed.ID(), Name: failed.Name, Outcome: evidence.Failed},
		evidence.Scenario{ID: notJudged.ID(), Name: notJudged.Name, Outcome: evidence.NotJudged},
		evidence.Scenario{ID: "ers/create-session.feature:1", Name: "passed", Outcome: evidence.Passed})
	list, err := List(Config{RerunFailed: path})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, failed.ID(), list[0].ID)

	res, err := Execute(context.Background(), Config{RerunFailed: path, Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	require.Len(t, res.Scenarios, 1, "godog ran the failed scenario alone")
	assert.Equal(t, failed.ID(), res.Scenarios[0].ID())
	assert.Equal(t, suite.Passed, res.Scenarios[0].Outcome)

	_, err = List(Config{RerunFailed: path, Tags: "@hpi"})
	assert.ErrorContains(t, err, "no scenario matches", "ANDed with the tags")

	// The evidence says how the run was selected.
	_, rerun := evidenceRun(t, Config{RerunFailed: path, Name: regexp.MustCompile(`201`)})
	assert.Equal(t, path, rerun.Selection.RerunFailed)
	assert.Equal(t, "201", rerun.Selection.Name)
	assert.Equal(t, []string{failed.ID()}, rerun.Selection.IDs)
}

func TestRerunFailedRefusesAFileThatIsNoRunOrNoLongerFits(t *testing.T) {
	s := scenarioAt(t, "ers/create-session.feature:10")
	bare := filepath.Join(t.TempDir(), "bare.json")
	require.NoError(t, os.WriteFile(bare, []byte(`{"scenarios":[{"id":"x:1","outcome":"failed"}]}`), 0o644))
	for path, says := range map[string]string{
		bare: "not a run.json",
		writeRun(t, evidence.Scenario{ID: s.ID(), Name: "another name", Outcome: evidence.Failed}):       "1 failed scenario of that run is not in these features",
		writeRun(t, evidence.Scenario{ID: "ers/gone.feature:3", Name: s.Name, Outcome: evidence.Failed}): "ers/gone.feature:3",
		writeRun(t, evidence.Scenario{ID: s.ID(), Name: s.Name, Outcome: evidence.Passed}):               "no scenario failed in that run",
		writeRun(t, evidence.Scenario{Name: s.Name, Outcome: evidence.Failed}):                           "a scenario has no id",
	} {
		_, err := List(Config{RerunFailed: path})
		assert.ErrorContains(t, err, says, path)
		code, out := run(t, Config{RerunFailed: path})
		assert.Equal(t, ExitUsage, code)
		assert.Contains(t, out, says)
	}
}

// A dry run checks, counts against the embedded reference server, and
// sends nothing to the target.
func TestADryRunSendsNothing(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	res, err := Execute(context.Background(), Config{DryRun: true, Target: srv.URL, Tags: "@ers", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	require.NotNil(t, res.Plan)
	assert.Zero(t, hits.Load(), "the target's access log stays empty")
	whole, err := Execute(context.Background(), Config{Tags: "@ers", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	assert.Equal(t, len(whole.Scenarios), res.Plan.ERS)
	assert.Zero(t, res.Plan.HPI)
	assert.Equal(t, whole.Requests, res.Plan.Requests, "counted as a real run against the reference server")
	assert.Equal(t, srv.URL, res.Plan.Target)

	// The checks that need no target are made: a foreign absolute endpoint.
	prof := referenceProfileWith(t, "tokenUrl: /oauth2/token", "tokenUrl: http://127.0.0.1:9/oauth2/token")
	code, out := run(t, Config{DryRun: true, ProfilePath: prof, Target: srv.URL})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "hpi.tokenUrl: http://127.0.0.1:9/oauth2/token is an absolute URL")
	code, out = run(t, Config{DryRun: true, Target: srv.URL, Budget: 5})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "--budget 5")
	assert.Zero(t, hits.Load())

	code, out = run(t, Config{DryRun: true, Tags: "@hpi", Shard: Shard{1, 2}})
	assert.Equal(t, ExitPassed, code, out)
	assert.Regexp(t, `dry run: \d+ scenarios would run \(e-RS 0, HPI \d+\) of the \d+ in the features, shard 1/2 of a selection of \d+, against the embedded reference server \(not started\)`, out)
	assert.Contains(t, out, "nothing was sent to the target")
}

// --fail-fast stops at the first failure: the rest are not run, saying
// why, in the outcomes and the reports; it is a failure (exit 1), not an
// interrupted run.
func TestFailFastStopsAtTheFirstFailure(t *testing.T) {
	mutants := []refserver.Mutant{"ers-create-answers-200", "hpi-stale-version-accepted"}
	r := reports(t, context.Background(), Config{Mutants: mutants, FailFast: true, partSize: 20})
	assert.Equal(t, ExitFailed, r.Code, r.printed)
	require.Len(t, r.Failed(), 1)
	assert.Equal(t, "A valid smartcard token opens a session with 201 Created", r.Failed()[0].Name)
	notRun := r.With(suite.NotRun)
	assert.Greater(t, len(notRun), 100, "the parts after, and the rest of the part")
	assert.Len(t, r.With(suite.NotJudged), 0)
	for _, s := range notRun {
		assert.Equal(t, "not run: --fail-fast: A valid smartcard token opens a session with 201 Created failed", s.Reason)
	}
	assert.False(t, r.Interrupted)
	assert.Equal(t, len(notRun), r.junit.Skipped)
	assert.Equal(t, 1, r.junit.Failures)
	assert.Contains(t, r.printed, "--fail-fast: A valid smartcard token opens a session with 201 Created failed: stopped after")

	passing := reports(t, context.Background(), Config{Tags: "@ers", FailFast: true, partSize: 20})
	assert.Equal(t, ExitPassed, passing.Code, "nothing failed, nothing stopped")
	assert.Empty(t, passing.With(suite.NotRun))
}

// Two formatters on standard output, or a file that cannot be written,
// end the run before anything starts, in our words.
func TestFormatsAreCheckedBeforeTheRun(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	for format, says := range map[string]string{
		"pretty,junit":                          `--format "pretty,junit": pretty and junit would all write to standard output`,
		"progress,cucumber:" + file + "/x.json": "the cucumber report cannot be written to " + file + "/x.json: not a directory",
	} {
		code, out := run(t, Config{Target: srv.URL, Format: format})
		assert.Equal(t, ExitUsage, code, format)
		assert.Contains(t, out, says)
		assert.NotContains(t, out, "godog")
	}
	assert.Zero(t, hits.Load(), "refused before any request")
}
