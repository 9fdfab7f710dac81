package harness

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// reports runs cfg writing junit and cucumber reports, and returns the
// outcome, what was printed, and the two reports.
func reports(t *testing.T, ctx context.Context, cfg Config) (Outcome, int, string, junitReport, []cucumberFeature) {
	t.Helper()
	dir := t.TempDir()
	junit, cucumber := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "cucumber.json")
	cfg.Format = "progress,junit:" + junit + ",cucumber:" + cucumber
	var stdout, stderr strings.Builder
	cfg.Stdout, cfg.Stderr = &stdout, &stderr
	res, err := Execute(ctx, cfg)
	require.NoError(t, err)
	summarise(&stderr, res)

	var j junitReport
	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &j), string(data))
	var c []cucumberFeature
	data, err = os.ReadFile(cucumber)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &c))
	return res, res.Code, stdout.String() + stderr.String(), j, c
}

type junitReport struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Cases []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
			Error   *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

type cucumberFeature struct {
	Elements []struct {
		Name    string `json:"name"`
		Outcome string `json:"outcome"`
		Steps   []struct {
			Result struct {
				Status string `json:"status"`
				Error  string `json:"error_message"`
			} `json:"result"`
		} `json:"steps"`
	} `json:"elements"`
}

// statuses counts the cucumber step statuses.
func statuses(c []cucumberFeature) map[string]int {
	out := map[string]int{}
	for _, f := range c {
		for _, e := range f.Elements {
			for _, s := range e.Steps {
				out[s.Result.Status]++
			}
		}
	}
	return out
}

const typo = `@ers @source:ers/A001-create-professional-session.md
Feature: A feature with a typo

  @rule:ERS-A001-201-created
  Scenario: A step nobody defined
    When the smartcard user "clinician" creates a profesional session
    Then the response status is 201 Created

  @rule:ERS-A001-201-created
  Scenario: A step everybody knows
    When the smartcard user "clinician" creates a professional session
    Then the response status is 201 Created
`

// An undefined step is the feature's fault, not the target's: not judged, exit 3.
func TestAnUndefinedStepIsNotJudged(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "typo.feature"), []byte(typo), 0o644))
	res, code, printed, junit, cucumber := reports(t, context.Background(), Config{FeaturesDir: dir})

	assert.Equal(t, ExitNotJudged, code)
	assert.Empty(t, res.Failed())
	require.Len(t, res.With(suite.NotJudged), 1)
	assert.Contains(t, res.With(suite.NotJudged)[0].Reason, `"the smartcard user \"clinician\" creates a profesional session" matches no step definition`)
	assert.Contains(t, printed, "conformance: 2 scenarios, 1 passed, 0 failed, 1 not judged against")
	assert.Contains(t, printed, "NOT JUDGED A step nobody defined")

	assert.Equal(t, []int{2, 0, 1, 0}, []int{junit.Tests, junit.Failures, junit.Errors, junit.Skipped})
	assert.Zero(t, statuses(cucumber)["failed"])
}

// A Then that finds the target breaking its rule fails; a Given the target
// refuses leaves its scenario not judged; each report says which.
func TestFailedAndNotJudgedAreTellApart(t *testing.T) {
	res, code, printed, junit, cucumber := reports(t, context.Background(), Config{
		Tags: "@rule:ERS-A002-200-ok,@rule:ERS-A001-201-created", Mutants: []refserver.Mutant{refserver.ErsCreateAnswers200},
	})
	assert.Equal(t, ExitFailed, code)
	require.Len(t, res.Failed(), 1, "201 Created is checked by a Then")
	assert.Contains(t, res.Failed()[0].Reason, "expected status 201 Created, got 200 OK")
	assert.Empty(t, res.With(suite.NotJudged), "a 200 still opens the session the other scenario needs")
	assert.Contains(t, printed, "FAILED A valid smartcard token opens a session with 201 Created")
	assert.Equal(t, 1, junit.Failures)
	assert.Equal(t, 1, statuses(cucumber)["failed"])
}

// Ctrl-C against a conforming server: nothing failed in any report; what
// never started is "not run"; exit 2, and the summary says how far it got.
func TestAnInterruptedRunFailsNothing(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 12 {
			cancel() // as Ctrl-C would, a few scenarios in
		}
		ref.ServeHTTP(w, r)
	}))
	defer srv.Close()

	res, code, printed, junit, cucumber := reports(t, ctx, Config{Target: srv.URL, Tags: "@ers"})
	assert.Equal(t, ExitUsage, code)
	assert.True(t, res.Interrupted)
	assert.Empty(t, res.Failed())
	assert.NotEmpty(t, res.With(suite.Passed), "the scenarios before the interruption passed")
	assert.NotEmpty(t, res.With(suite.NotRun))
	assert.Contains(t, printed, "conformance: interrupted after")
	assert.Zero(t, junit.Failures)
	assert.Equal(t, len(res.With(suite.NotRun)), junit.Skipped)
	assert.Zero(t, statuses(cucumber)["failed"])
}

// One connection reset on one request: that scenario is not judged, every
// other passes, and the run says so with exit 3.
func TestOneResetLeavesOneScenarioNotJudged(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	var creates atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/PractitionerRole") && creates.Add(1) == 3 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close() // a reset, before any answer
			}
			return
		}
		ref.ServeHTTP(w, r)
	}))
	defer srv.Close()

	res, err := Execute(context.Background(), Config{Target: srv.URL, Tags: "@hpi", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	assert.Equal(t, ExitNotJudged, res.Code)
	assert.Empty(t, res.Failed())
	unjudged := res.With(suite.NotJudged)
	require.Len(t, unjudged, 1)
	assert.Contains(t, unjudged[0].Reason, "closed the connection")
	assert.Len(t, res.With(suite.Passed), len(res.Scenarios)-1)
}
