// Package conformancetest runs the conformance suite from a Go test, for
// vendors whose server is written in Go: the same features, profile,
// outcomes and summary as `conformance run`, against an http.Handler or a
// URL, inside `go test`.
//
//	func TestConformance(t *testing.T) {
//		conformancetest.Test(t, conformancetest.Options{
//			Handler: myserver.New(),          // served on 127.0.0.1 for the run
//			Profile: "testdata/profile.yaml", // your test data; empty: the reference profile
//			Tags:    "@hpi",
//		})
//	}
//
// Test fails t with the summary `conformance run` prints when any scenario
// fails or is not judged; Run is the same without a testing.TB, for a
// program of your own. The package is named like net/http/httptest: a
// helper for tests, kept out of the module root so that the root holds no
// code and importing the harness is a choice.
package conformancetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness"
)

// Options say what to test and how.
type Options struct {
	// Handler is the server under test. Run serves it with httptest on a
	// free 127.0.0.1 port for the run and closes it afterwards.
	Handler http.Handler
	// URL is the base URL of a server already running; it may not be
	// given with Handler. With neither, the profile names the target (its
	// target or container), and the reference profile the embedded
	// reference server.
	URL string
	// Profile is the path of a target profile; ProfileYAML is a profile's
	// text instead. With neither, the reference profile
	// (profiles.Reference), whose test data the reference server holds.
	Profile     string
	ProfileYAML []byte
	// Tags selects scenarios, as `conformance run --tags` does: "@hpi",
	// "@rule:HPI-UPD-no-duplicate", "@ers && ~@rule:ERS-A003-no-body".
	Tags string
	// Evidence is a new (or empty) folder for the evidence bundle; empty: none.
	Evidence string
	// Verbose puts under each failure the exchange its failing step judged.
	Verbose bool
	// Output gets godog's progress formatter and the harness's messages
	// on the way (a plain progress line now and then); nil: discarded.
	Output io.Writer
	// Deadline ends the whole run after it, as `--deadline` does; 0 sets none.
	Deadline time.Duration
	// Concurrency runs that many scenarios at once, as `--concurrency`
	// does (at most 64); 0 or 1: one at a time. The Handler must then be
	// safe for concurrent use, as a server's handler is.
	Concurrency int
}

// Outcome is a scenario's verdict; only Failed counts against a rule.
type Outcome string

// The outcomes, as the summary and the reports name them.
const (
	Passed    Outcome = "passed"
	Failed    Outcome = "failed"     // the target broke the scenario's rule
	NotJudged Outcome = "not judged" // the scenario could not reach its Then, or its Then could not judge
	NotRun    Outcome = "not run"    // the run was stopped before it started
)

// Scenario is one scenario's outcome.
type Scenario struct {
	Name    string // with its Examples row: "Scenario name [element: code]"
	File    string // its feature file, e.g. "hpi/update-conditions.feature"
	Line    int    // the scenario's line, or its Examples row's
	Outcome Outcome
	Rules   []string // the rule IDs it checks, e.g. "HPI-UPD-no-duplicate"
	Reason  string   // why it failed or was not judged, in one line, secrets masked
}

// Result is a finished run.
type Result struct {
	Scenarios []Scenario
	Target    string // the URL the requests went to
	// Code is the exit status `conformance run` would give: 0 passed,
	// 1 failed, 2 interrupted or the reports not written, 3 not judged.
	Code int
	// Summary is the text `conformance run` prints at the end.
	Summary string
}

// With lists the scenarios whose outcome is one of those given.
func (r Result) With(outcomes ...Outcome) []Scenario {
	return slices.DeleteFunc(slices.Clone(r.Scenarios), func(s Scenario) bool { return !slices.Contains(outcomes, s.Outcome) })
}

// Passed says every scenario passed.
func (r Result) Passed() bool { return r.Code == harness.ExitPassed }

// Test runs the suite and fails t with the summary when any scenario fails
// or is not judged; a run that cannot start (a bad profile or tag filter,
// an unreachable target) stops t with its one-line reason.
func Test(t testing.TB, opts Options) Result {
	t.Helper()
	res, err := Run(t.Context(), opts)
	if err != nil {
		t.Fatalf("conformance: %v", err)
		return res
	}
	if !res.Passed() {
		t.Errorf("conformance: the target does not conform (exit status %d):\n%s", res.Code, res.Summary)
		return res
	}
	t.Log(res.Summary)
	return res
}

// Run runs the suite; an error means it could not start.
func Run(ctx context.Context, opts Options) (Result, error) {
	if opts.Handler != nil && opts.URL != "" {
		return Result{}, errors.New("Options: give Handler or URL, not both")
	}
	if opts.Profile != "" && opts.ProfileYAML != nil {
		return Result{}, errors.New("Options: give Profile or ProfileYAML, not both")
	}
	if opts.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, opts.Deadline, fmt.Errorf("the run deadline (Options.Deadline %s) passed", opts.Deadline))
		defer cancel()
	}
	path, cleanup, err := profilePath(opts)
	if err != nil {
		return Result{}, err
	}
	defer cleanup()
	target, stop, err := serve(opts)
	if err != nil {
		return Result{}, err
	}
	var messages bytes.Buffer // for the summary: only what the end of the run says
	output := writerOr(opts.Output)
	out, err := harness.Execute(ctx, harness.Config{
		Target: target, ProfilePath: path, Tags: opts.Tags, Evidence: opts.Evidence, Verbose: opts.Verbose, Concurrency: min(opts.Concurrency, harness.MaxConcurrency),
		Format: "progress", Stdout: output, Stderr: output, // the harness's messages on the way (a container started, a plain progress line now and then)
	})
	if late := stop(); late != nil {
		if err != nil {
			return Result{}, fmt.Errorf("%w; %v", err, late)
		}
		fmt.Fprintln(&messages, "conformance:", late)
	}
	if err != nil {
		return Result{}, renamed(err, path, opts)
	}
	return result(out, &messages, opts.Verbose), nil
}

// result turns the harness's outcome into the package's own types, so a
// vendor's test depends on no harness internals.
func result(out harness.Outcome, messages *bytes.Buffer, verbose bool) Result {
	harness.Summary(messages, out, verbose)
	if out.ReportErr != nil {
		fmt.Fprintln(messages, "conformance: writing the reports:", out.ReportErr)
	}
	res := Result{Target: out.Target, Code: out.Code, Summary: strings.TrimSpace(messages.String())}
	for _, s := range out.Scenarios {
		res.Scenarios = append(res.Scenarios, Scenario{
			Name: s.Title(), File: s.URI, Line: s.Line, Outcome: Outcome(s.Outcome),
			Rules: features.RuleIDs(s.Tags), Reason: s.Reason,
		})
	}
	return res
}

// profilePath gives the harness a path: ProfileYAML goes to a private
// temporary file, removed afterwards.
func profilePath(opts Options) (string, func(), error) {
	if opts.ProfileYAML == nil {
		return opts.Profile, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "conformancetest-")
	if err != nil {
		return "", nil, fmt.Errorf("Options.ProfileYAML: %w", err)
	}
	path := filepath.Join(dir, "profile.yaml")
	if err := os.WriteFile(path, opts.ProfileYAML, 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("Options.ProfileYAML: %w", err)
	}
	return path, func() { _ = os.RemoveAll(dir) }, nil
}

// renamed names ProfileYAML's temporary file as the caller knows it.
func renamed(err error, path string, opts Options) error {
	if opts.ProfileYAML == nil {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), path, "Options.ProfileYAML"))
}

// closeWait bounds how long the end of a run waits for the handler's last
// requests: a handler that hangs must not hang the test.
const closeWait = 2 * time.Second

// serve starts the handler on a free loopback port; stop closes it, and
// says so if the handler was still busy closeWait later.
func serve(opts Options) (url string, stop func() error, err error) {
	if opts.Handler == nil {
		return opts.URL, func() error { return nil }, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("serving the handler: %w", err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: opts.Handler, ReadHeaderTimeout: 10 * time.Second}}
	srv.Start()
	return srv.URL, func() error {
		done := make(chan struct{})
		go func() { srv.Close(); close(done) }()
		select {
		case <-done:
			return nil
		case <-time.After(closeWait):
			return fmt.Errorf("the handler was still serving requests %s after the run; left running", closeWait)
		}
	}, nil
}

// writerOr is w, or io.Discard; locked, since the formatter and the
// harness's messages share it and may write from different goroutines.
func writerOr(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return &lockedWriter{w: w}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
