// Package suite runs the feature files with godog. It is the one package
// that imports godog, so godog could be replaced without touching the
// steps: it registers each scenario's steps, attaches the HTTP exchanges of
// each step as evidence, masks every secret in what godog writes, and keeps
// per-scenario results.
package suite

import (
	"cmp"
	"context"
	"errors"
	"io"
	"io/fs"
	"slices"
	"sync"

	"github.com/cucumber/godog"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/steps"
)

// Options say which features to run, how, and against what.
type Options struct {
	FS      fs.FS    // where the features are
	Dir     string   // the folder FS reads, as reports name a feature's file; default "features"
	Paths   []string // folders or files within FS; default "."
	Tags    string   // godog tag filter
	Format  string   // godog formatter list, e.g. "pretty,junit:out/report.xml"
	Output  io.Writer
	Seed    int64 // 0 runs scenarios in file order; any other value shuffles with it
	Context context.Context
	Env     *steps.Env
	// Selected are the scenarios the tag filter selects, in file order: the
	// run goes in parts of whole files (parts.go). Empty: one part, Paths.
	Selected []features.Scenario
	PartSize int // scenarios per part; 0: partSize
	// KeepEvidence keeps each scenario's steps and exchanges in its
	// outcome, masked, for the evidence bundle.
	KeepEvidence bool
	// KeepJudged keeps, for a failure's diagnosis (--verbose), the masked
	// transcripts of what its failing step judged.
	KeepJudged bool
	// RunProperties are the run's facts, named in the junit report.
	RunProperties []Property
	// OnScenario, if set, hears of each scenario's outcome as it ends.
	OnScenario func(Scenario)
	// Colour keeps the colours of pretty and progress on Output (a terminal).
	Colour bool
	// Concurrency is how many scenarios run at once; 0 or 1: one at a time.
	// Every output is then written in file order (ordered.go).
	Concurrency int
	// FailFast stops the run after the first failed scenario: the rest are not run.
	FailFast bool
	stop     context.CancelCauseFunc // FailFast's: cancels Context with the failure
}

// Result is the outcome of a run.
type Result struct {
	// Code is godog's: 0 passed, 1 failed, 2 options or features unusable.
	Code      int
	Scenarios []Scenario
	// ReportErr says a report could not be written; the outcomes stand.
	ReportErr error
	// Err says the run could not start (Code 2): a formatter's file cannot be written.
	Err error
	// Stopped is why a --fail-fast run stopped early, if it did.
	Stopped error
}

// failFast is the cause a --fail-fast run stops with: its first failure.
type failFast struct{ title string }

func (f failFast) Error() string { return "--fail-fast: " + f.title + " failed" }

// stoppedBy is the failure that stopped a --fail-fast run, if one did.
func stoppedBy(run context.Context) (failFast, bool) {
	var ff failFast
	return ff, errors.As(context.Cause(run), &ff)
}

// With lists the scenarios whose outcome is one of those given.
func (r Result) With(outcomes ...Outcome) []Scenario {
	var out []Scenario
	for _, s := range r.Scenarios {
		if slices.Contains(outcomes, s.Outcome) {
			out = append(out, s)
		}
	}
	return out
}

// Failed lists the scenarios that failed.
func (r Result) Failed() []Scenario { return r.With(Failed) }

// Run runs the suite and returns its outcome.
func Run(opts Options) Result {
	if opts.Format == "" {
		opts.Format = "pretty"
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	if opts.FailFast {
		opts.Context, opts.stop = context.WithCancelCause(opts.Context)
		defer opts.stop(nil)
	}
	rec := newRecorder(opts.Selected, opts.Env.Redactor)
	rec.onAdd = opts.OnScenario
	out, err := openOutputs(opts.Format, opts.Output, opts.Env.Redactor, opts.Colour)
	if err != nil {
		return Result{Code: 2, Err: err}
	}
	code := 0
	parts := split(opts.Selected, opts.Paths, cmp.Or(opts.PartSize, partSize))
	for i, p := range parts {
		if opts.Context.Err() != nil {
			for _, rest := range parts[i:] {
				rec.notRun(rest.scenarios, notRunWhy(opts.Context))
			}
			break
		}
		p.from = rec.count()
		if code = max(code, runPart(opts, out, rec, p)); code == 2 {
			break // options or features unusable: the next part would say the same
		}
		if opts.Concurrency > 1 {
			rec.inFileOrderSince(p.from) // the order the outputs show them in
		}
		if err == nil {
			inFile, ran := rec.list()
			err = out.endPart(inFile, ran, rec.judgedSince(p))
		}
	}
	scenarios, ran := rec.list()
	if err == nil {
		err = out.finish(scenarios, ran, cmp.Or(opts.Dir, "features"), opts.RunProperties)
	}
	if cerr := out.close(); err == nil {
		err = cerr
	}
	res := Result{Code: code, Scenarios: scenarios, ReportErr: err}
	if ff, ok := stoppedBy(opts.Context); ok {
		res.Stopped = ff
	}
	return res
}

// runPart runs one part with godog and returns godog's exit code.
func runPart(opts Options, out *outputs, rec *recorder, p part) int {
	var order []string
	if opts.Concurrency > 1 {
		order = partOrder(p.scenarios)
	}
	out.startPart(order)
	transcripts := opts.KeepJudged || out.attaches() // a transcript costs: built only where it is shown
	name := runs.add(out)
	defer runs.all.Delete(name)
	return godog.TestSuite{
		Name:                name,
		ScenarioInitializer: func(sc *godog.ScenarioContext) { initScenario(sc, opts, rec, transcripts) },
		Options: &godog.Options{
			FS:             opts.FS,
			Paths:          p.paths,
			Tags:           opts.Tags,
			Format:         out.godog,
			Output:         io.Discard, // every formatter writes to its own masked destination
			Randomize:      opts.Seed,
			Strict:         true, // undefined, pending and ambiguous steps fail
			NoColors:       true,
			DefaultContext: opts.Context,
			Concurrency:    max(opts.Concurrency, 1),
		},
	}.Run()
}

// initScenario gives a scenario its World: godog calls it once per
// scenario. With transcripts, each exchange's masked transcript is attached
// to its step and kept for a failure's diagnosis.
func initScenario(sc *godog.ScenarioContext, opts Options, rec *recorder, transcripts bool) {
	w := steps.NewWorld(opts.Env)
	j := &judgement{run: opts.Context}
	if opts.Context.Err() != nil {
		// godog cannot stop a run: once it is interrupted, each scenario
		// left gets one step definition, which skips, and not the step
		// table, whose registration is most of a scenario's cost.
		sc.Step(`.`, func() error { return godog.ErrSkip })
	} else {
		w.Register(*sc) // a value, so that godog records each step at its table line
	}
	sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
		j.begin()
		texts := make([]string, len(s.Steps))
		for i, st := range s.Steps {
			texts[i] = st.Text
		}
		w.Plan(texts)
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		if opts.KeepEvidence {
			j.steps = append(j.steps, evidence.Step{Text: opts.Env.Redactor.String(st.Text), Status: status.String()})
		}
		exchanges := w.TakeEvidence()
		var texts []string
		if transcripts {
			texts = make([]string, len(exchanges))
			for i, ex := range exchanges {
				texts[i] = ex.Transcript(opts.Env.Redactor)
			}
		}
		j.stepEnded(st, err, texts)
		for _, t := range texts {
			ctx = godog.Attach(ctx, godog.Attachment{Body: []byte(t), FileName: "http-exchange.txt", MediaType: "text/plain"})
		}
		if opts.KeepEvidence {
			for _, ex := range exchanges {
				j.exchanges = append(j.exchanges, evidence.FromExchange(ex, len(j.steps)-1, opts.Env.Redactor))
			}
		}
		return ctx, nil // a hook's error is added to the step's, so return none
	})
	sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
		v := rec.add(j.verdict(s, err, opts.Env.Redactor), features.PickleKey(s))
		if opts.stop != nil && v.Outcome == Failed {
			opts.stop(failFast{v.Title()})
		}
		return ctx, nil
	})
}

// recorder collects scenario outcomes; godog may run scenarios concurrently.
type recorder struct {
	mu        sync.Mutex
	scenarios []Scenario
	places    map[string][]features.Scenario // the selected scenarios not yet recorded, by features.PickleKey
	red       *redact.Redactor               // masks the rows: a feature may quote a secret's value
	onAdd     func(Scenario)                 // Options.OnScenario
}

func newRecorder(selected []features.Scenario, red *redact.Redactor) *recorder {
	r := &recorder{places: map[string][]features.Scenario{}, red: red}
	for _, s := range selected {
		r.places[s.Key] = append(r.places[s.Key], s)
	}
	return r
}

// add records an outcome, with the line and Examples row of the scenario of key, and returns it so.
func (r *recorder) add(s Scenario, key string) Scenario {
	r.mu.Lock()
	if list := r.places[key]; len(list) > 0 {
		s.Line, s.Row = list[0].Line, r.masked(list[0].Row)
		r.places[key] = list[1:]
	}
	r.scenarios = append(r.scenarios, s)
	r.mu.Unlock()
	if r.onAdd != nil {
		r.onAdd(s)
	}
	return s
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.scenarios)
}

// judgedSince says whether every scenario recorded since the part began passed or failed.
func (r *recorder) judgedSince(p part) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !slices.ContainsFunc(r.scenarios[p.from:], func(s Scenario) bool { return s.Outcome == NotJudged || s.Outcome == NotRun })
}

func (r *recorder) masked(row []features.Cell) []features.Cell {
	out := make([]features.Cell, len(row))
	for i, c := range row {
		out[i] = features.Cell{Name: c.Name, Value: r.red.String(c.Value)}
	}
	return out
}

// inFileOrderSince puts the scenarios recorded since from in file order.
func (r *recorder) inFileOrderSince(from int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	inFileOrder(r.scenarios[from:])
}

// notRun records scenarios of a part the run never reached, and why.
func (r *recorder) notRun(list []features.Scenario, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range list {
		r.scenarios = append(r.scenarios, Scenario{Name: r.red.String(s.Name), URI: s.URI, Tags: s.Tags, Outcome: NotRun,
			Reason: reason, Line: s.Line, Row: r.masked(s.Row), pickle: s.Index})
	}
}

// list returns the outcomes in file order, and in the order they ran.
func (r *recorder) list() (inFile, ran []Scenario) {
	r.mu.Lock()
	defer r.mu.Unlock()
	inFile = append([]Scenario(nil), r.scenarios...)
	inFileOrder(inFile)
	return inFile, append([]Scenario(nil), r.scenarios...)
}
