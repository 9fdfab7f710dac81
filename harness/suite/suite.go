// Package suite runs the feature files with godog. It is the one package
// that drives godog, so godog could be replaced without touching the steps:
// it keeps per-scenario results and attaches the HTTP exchanges of each
// step as evidence in the cucumber report.
package suite

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cucumber/godog"

	"github.com/healthapi-conformance/conformance/steps"
)

// Options say which features to run, how, and against what.
type Options struct {
	FS       fs.FS    // where the features are
	Paths    []string // folders or files within FS; default "."
	Tags     string   // godog tag filter
	Format   string   // godog formatter list, e.g. "pretty,junit:out/report.xml"
	Output   io.Writer
	Seed     int64 // 0 runs scenarios in file order; any other value shuffles with it
	TestingT *testing.T
	Context  context.Context
	Env      *steps.Env
}

// Scenario is the outcome of one scenario.
type Scenario struct {
	Name    string
	URI     string
	Tags    []string
	Failure string // empty when it passed
}

// Result is the outcome of a run.
type Result struct {
	// Code is godog's: 0 passed, 1 failed, 2 options or features unusable.
	Code      int
	Scenarios []Scenario
}

// Failed lists the scenarios that failed.
func (r Result) Failed() []Scenario {
	var out []Scenario
	for _, s := range r.Scenarios {
		if s.Failure != "" {
			out = append(out, s)
		}
	}
	return out
}

// Run runs the suite and returns its outcome.
func Run(opts Options) Result {
	if opts.Format == "" {
		opts.Format = "pretty"
	}
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	if err := makeReportDirs(opts.Format); err != nil {
		io.WriteString(opts.Output, "conformance: "+err.Error()+"\n")
		return Result{Code: 2}
	}
	rec := &recorder{}
	code := godog.TestSuite{
		Name:                "conformance",
		ScenarioInitializer: func(sc *godog.ScenarioContext) { initScenario(sc, opts.Env, rec) },
		Options: &godog.Options{
			FS:             opts.FS,
			Paths:          opts.Paths,
			Tags:           opts.Tags,
			Format:         opts.Format,
			Output:         opts.Output,
			Randomize:      opts.Seed,
			Strict:         true, // undefined, pending and ambiguous steps fail
			NoColors:       true,
			TestingT:       opts.TestingT,
			DefaultContext: opts.Context,
		},
	}.Run()
	return Result{Code: code, Scenarios: rec.list()}
}

func initScenario(sc *godog.ScenarioContext, env *steps.Env, rec *recorder) {
	steps.Register(sc, env.Redactor)
	sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
		return steps.NewWorld(ctx, env), nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, _ godog.StepResultStatus, err error) (context.Context, error) {
		for _, t := range steps.TakeEvidence(ctx) {
			ctx = godog.Attach(ctx, godog.Attachment{Body: []byte(t), FileName: "http-exchange.txt", MediaType: "text/plain"})
		}
		return ctx, nil // a hook's error is added to the step's, so return none
	})
	sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
		rec.add(s, env.Redactor.Error(err))
		return ctx, nil
	})
}

// recorder collects scenario outcomes; godog may run scenarios concurrently.
type recorder struct {
	mu        sync.Mutex
	scenarios []Scenario
}

func (r *recorder) add(s *godog.Scenario, err error) {
	out := Scenario{Name: s.Name, URI: s.Uri}
	for _, t := range s.Tags {
		out.Tags = append(out.Tags, t.Name)
	}
	if err != nil {
		out.Failure = err.Error()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scenarios = append(r.scenarios, out)
}

func (r *recorder) list() []Scenario {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Scenario(nil), r.scenarios...)
}

// makeReportDirs creates the folders of "name:path" formatters; godog
// refuses to run when they are missing.
func makeReportDirs(format string) error {
	for _, f := range strings.Split(format, ",") {
		_, path, ok := strings.Cut(f, ":")
		if !ok || path == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
	}
	return nil
}
