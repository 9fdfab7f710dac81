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
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// reported is a run and what each of its outputs says.
type reported struct {
	Outcome
	printed  string
	junit    junitReport
	cucumber []cucumberFeature
	events   map[string]int // TestCaseFinished outcomes, and TestStepFinished "failed steps"
	// runEvents counts TestRunStarted and TestRunFinished.
	runEvents map[string]int
}

// reports runs cfg writing junit, cucumber and events reports.
func reports(t *testing.T, ctx context.Context, cfg Config) reported {
	t.Helper()
	dir := t.TempDir()
	junit, cucumber, events := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "cucumber.json"), filepath.Join(dir, "events.ndjson")
	cfg.Format = "progress,junit:" + junit + ",cucumber:" + cucumber + ",events:" + events
	var stdout, stderr strings.Builder
	cfg.Stdout, cfg.Stderr = &stdout, &stderr
	res, err := Execute(ctx, cfg)
	require.NoError(t, err)
	summarise(&stderr, res, cfg.Verbose)
	r := reported{Outcome: res, events: map[string]int{}, runEvents: map[string]int{}}

	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &r.junit), string(data))
	data, err = os.ReadFile(cucumber)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &r.cucumber))
	data, err = os.ReadFile(events)
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var ev struct{ Event, Status, Outcome string }
		require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
		switch ev.Event {
		case "TestCaseFinished":
			r.events[ev.Outcome]++
		case "TestRunStarted", "TestRunFinished":
			r.runEvents[ev.Event]++
		}
		if ev.Status == "failed" && ev.Event == "TestStepFinished" {
			r.events["failed steps"]++
		}
	}
	r.printed = stdout.String() + stderr.String()
	return r
}

type junitReport struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Cases []struct {
			Name       string `xml:"name,attr"`
			Classname  string `xml:"classname,attr"`
			File       string `xml:"file,attr"`
			Line       int    `xml:"line,attr"`
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
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
	r := reports(t, context.Background(), Config{FeaturesDir: dir})

	assert.Equal(t, ExitNotJudged, r.Code)
	assert.Empty(t, r.Failed())
	require.Len(t, r.With(suite.NotJudged), 1)
	assert.Contains(t, r.With(suite.NotJudged)[0].Reason, `"the smartcard user \"clinician\" creates a profesional session" matches no step definition`)
	assert.Contains(t, r.printed, "conformance: 2 scenarios, 1 passed, 0 failed, 1 not judged against")
	assert.Contains(t, r.printed, "NOT JUDGED A step nobody defined")

	assert.Equal(t, []int{2, 0, 1, 0}, []int{r.junit.Tests, r.junit.Failures, r.junit.Errors, r.junit.Skipped})
	assert.Zero(t, statuses(r.cucumber)["failed"])
	assert.Equal(t, map[string]int{"passed": 1, "not judged": 1}, r.events)
}

// A Then that finds the target breaking its rule fails; a Given the target
// refuses leaves its scenario not judged; each report says which.
func TestFailedAndNotJudgedAreTellApart(t *testing.T) {
	r := reports(t, context.Background(), Config{
		Tags: "@rule:ERS-A002-200-ok,@rule:ERS-A001-201-created", Mutants: []refserver.Mutant{refserver.ErsCreateAnswers200},
	})
	assert.Equal(t, ExitFailed, r.Code)
	require.Len(t, r.Failed(), 1, "201 Created is checked by a Then")
	assert.Contains(t, r.Failed()[0].Reason, "expected status 201 Created, got 200 OK")
	assert.Empty(t, r.With(suite.NotJudged), "a 200 still opens the session the other scenario needs")
	assert.Contains(t, r.printed, "FAILED A valid smartcard token opens a session with 201 Created")
	assert.Equal(t, 1, r.junit.Failures)
	assert.Equal(t, 1, statuses(r.cucumber)["failed"])
	assert.Equal(t, map[string]int{"passed": 1, "failed": 1, "failed steps": 1}, r.events)
}

// Ctrl-C against a conforming server: nothing failed in any report; what
// never started is "not run"; exit 2, and the summary says how far it got.
func TestAnInterruptedRunFailsNothing(t *testing.T) {
	ctx, target := interruptedAt(t, 12)
	r := reports(t, ctx, Config{Target: target, Tags: "@ers"})
	assert.Equal(t, ExitUsage, r.Code)
	assert.True(t, r.Interrupted)
	assert.Empty(t, r.Failed())
	assert.NotEmpty(t, r.With(suite.Passed), "the scenarios before the interruption passed")
	assert.NotEmpty(t, r.With(suite.NotRun))
	assert.Contains(t, r.printed, "conformance: interrupted after")
	assert.Zero(t, r.junit.Failures)
	assert.Equal(t, len(r.With(suite.NotRun)), r.junit.Skipped)
	assert.Zero(t, statuses(r.cucumber)["failed"])
	assert.Zero(t, r.events["failed steps"])
	assert.Equal(t, len(r.With(suite.NotRun)), r.events["not run"])
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

// A report that cannot be written (a full disk) loses no verdict: the
// summary is printed, and the run ends with exit 2 saying why.
func TestAReportThatCannotBeWrittenKeepsTheVerdict(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here to stand for a full disk")
	}
	code, out := run(t, Config{Tags: "@rule:ERS-A001-201-created", Format: "progress,junit:/dev/full"})
	assert.Equal(t, ExitUsage, code, out)
	assert.Contains(t, out, "conformance: 1 scenarios, 1 passed, 0 failed, 0 not judged")
	assert.Contains(t, out, "conformance: writing the reports:")
}

// A run deadline ends the run as Ctrl-C would, saying which it was.
func TestARunDeadlineEndsTheRun(t *testing.T) {
	ref, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		ref.ServeHTTP(w, r)
	}))
	defer slow.Close()
	code, out := run(t, Config{Target: slow.URL, Tags: "@ers", Deadline: 800 * time.Millisecond})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "the run deadline (--deadline 800ms) passed")
	assert.Contains(t, out, "were not run")
	assert.Contains(t, out, " 0 failed,")
}

// A run in parts of a few scenarios reports as one run: every scenario
// in the junit and cucumber reports, one TestRunStarted and one
// TestRunFinished in the events. Interrupted, the parts never reached are
// "not run" in the outcomes and in junit, and no report fails anything.
func TestARunInPartsReportsAsOne(t *testing.T) {
	r := reports(t, context.Background(), Config{Tags: "@ers", partSize: 5})
	require.Equal(t, ExitPassed, r.Code, r.printed)
	n := len(r.Scenarios)
	assert.Greater(t, n, 20)
	assert.Equal(t, n, r.junit.Tests)
	cases := 0
	for _, f := range r.cucumber {
		cases += len(f.Elements)
	}
	assert.Equal(t, n, cases, "the cucumber report holds every part's scenarios")
	assert.Equal(t, n, r.events["passed"])
	assert.Equal(t, map[string]int{"TestRunStarted": 1, "TestRunFinished": 1}, r.runEvents)

	ctx, target := interruptedAt(t, 12)
	r = reports(t, ctx, Config{Target: target, Tags: "@ers", partSize: 5})
	assert.Equal(t, ExitUsage, r.Code)
	assert.Len(t, r.Scenarios, n, "every scenario has an outcome")
	notRun := len(r.With(suite.NotRun))
	assert.Greater(t, notRun, n/2, "the parts never reached are not run")
	assert.Equal(t, notRun, r.junit.Skipped)
	assert.Empty(t, r.Failed())
	assert.Zero(t, statuses(r.cucumber)["failed"])
	assert.Zero(t, r.events["failed steps"])
	assert.Equal(t, map[string]int{"TestRunStarted": 1, "TestRunFinished": 1}, r.runEvents)
}

// Each outcome carries its scenario's line, and an outline's Examples row.
func TestOutcomesKnowTheirLineAndRow(t *testing.T) {
	res, err := Execute(context.Background(), Config{Tags: "@rule:HPI-UPD-code-required", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	var rows []string
	for _, s := range res.Scenarios {
		assert.Positive(t, s.Line, s.Name)
		rows = append(rows, s.RowText())
	}
	assert.Contains(t, rows, "element: code")
}

// interruptedAt is a reference server whose n-th request cancels the
// context returned, as Ctrl-C would, a few scenarios in.
func interruptedAt(t *testing.T, n int64) (context.Context, string) {
	t.Helper()
	ref, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == n {
			cancel()
		}
		ref.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return ctx, srv.URL
}

// Rows of an outline that differ only in a doc string keep their own line
// and row, whatever order they run in: the body each sent is its row's.
func TestRowsDifferingInADocStringKeepTheirLines(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 4} {
		_, run := evidenceRun(t, Config{Tags: "@rule:ERS-A001-body-valid", Seed: seed})
		checked := 0
		for _, s := range run.Scenarios {
			if s.URI != "ers/create-session-errors.feature" || !strings.HasPrefix(s.Row, "body: ") || len(s.Exchanges) == 0 {
				continue
			}
			body, _, _ := strings.Cut(strings.TrimPrefix(s.Row, "body: "), "; why: ")
			assert.Equal(t, body, s.Exchanges[0].RequestBody, "seed %d: %s", seed, s.ID)
			checked++
		}
		assert.GreaterOrEqual(t, checked, 4)
	}
}
