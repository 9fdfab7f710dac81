// Package mutation runs the whole suite against the reference server once
// per catalogued mutant, each with one documented rule broken, and reports
// which mutants the suite killed, by which scenarios, and which rules that
// proves are checked. It also runs the suite against each of the server's
// choices alone and all of them together (behaviours the docs allow, taken
// the other way), where every scenario must pass: one that does not
// asserts more than the docs.
package mutation

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// Result is one run of the suite against one mutant (or none), or one set of choices.
type Result struct {
	Mutant string
	Choice string           // the choice taken, or "all" for every choice together
	Breaks []string         // the rules the catalogue says the mutant breaks
	Failed []suite.Scenario // scenarios that failed
	Stray  []suite.Scenario // failed, but check none of the broken rules
	// NotJudged could not reach their Then: against a mutant that is no
	// fault (a set-up the mutant breaks); against the baseline it is one.
	NotJudged []suite.Scenario
	Total     int   // scenarios run
	Err       error // the run could not be made
}

// Killed says the suite noticed the mutant.
func (r Result) Killed() bool { return r.Err == nil && len(r.Failed) > 0 }

// Passed says every scenario of the run passed: none failed, none not judged.
func (r Result) Passed() bool {
	return r.Err == nil && r.Total > 0 && len(r.Failed) == 0 && len(r.NotJudged) == 0
}

// Report is a whole mutation run.
type Report struct {
	Baseline Result   // the unmutated reference server: nothing may fail
	Results  []Result // one per mutant, in catalogue order
	Choices  []Result // one per choice, then all of them together: every scenario must pass
	Rules    int      // rules in the catalogue
	Unproven []string // rules that no killed mutant failed a scenario of
	Took     time.Duration
}

// Run runs the baseline, every mutant and every choice, concurrency at a
// time, each against its own reference server on its own loopback port.
func Run(ctx context.Context, cat *catalogue.Catalogue, concurrency int) Report {
	return run(ctx, cat, mutantsInOrder(cat), refserver.Choices(), concurrency)
}

// run runs the baseline, the mutants and the choices given.
func run(ctx context.Context, cat *catalogue.Catalogue, mutants []string, choices []refserver.Choice, concurrency int) Report {
	start := time.Now()
	broken := cat.BrokenBy()
	results := make([]Result, len(mutants))
	chosen := make([]Result, len(choices)+1)
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(concurrency, 1))
	spawn := func(job func()) {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			job()
		})
	}
	for i, m := range mutants {
		spawn(func() { results[i] = runOne(ctx, m, broken[m]) })
	}
	for i, c := range choices {
		spawn(func() { chosen[i] = runChoices(ctx, string(c), []refserver.Choice{c}) })
	}
	spawn(func() { chosen[len(choices)] = runChoices(ctx, "all", choices) })
	baseline := runOne(ctx, "", nil)
	wg.Wait()
	r := Report{Baseline: baseline, Results: results, Choices: chosen, Rules: len(cat.Rules), Took: time.Since(start)}
	r.Unproven = unproven(cat, results)
	return r
}

// mutantsInOrder lists each mutant once, in the order the catalogue first names it.
func mutantsInOrder(cat *catalogue.Catalogue) []string {
	var out []string
	for _, r := range cat.Rules {
		for _, m := range r.Mutants {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

func runOne(ctx context.Context, mutant string, breaks []string) Result {
	var ms []refserver.Mutant
	if mutant != "" {
		ms = []refserver.Mutant{refserver.Mutant(mutant)}
	}
	res := execute(ctx, harness.Config{Mutants: ms})
	res.Mutant, res.Breaks = mutant, breaks
	for _, s := range res.Failed {
		if !checksAny(s, breaks) {
			res.Stray = append(res.Stray, s)
		}
	}
	return res
}

func runChoices(ctx context.Context, name string, cs []refserver.Choice) Result {
	res := execute(ctx, harness.Config{Choices: cs})
	res.Choice = name
	return res
}

// execute runs the whole suite against the embedded reference server cfg describes.
func execute(ctx context.Context, cfg harness.Config) Result {
	cfg.Format, cfg.Stdout, cfg.Stderr = "progress", io.Discard, io.Discard
	out, err := harness.Execute(ctx, cfg)
	return Result{Err: err, Total: len(out.Scenarios), Failed: out.Failed(), NotJudged: out.With(suite.NotJudged, suite.NotRun)}
}

// checksAny says whether the scenario is tagged with one of the rules.
func checksAny(s suite.Scenario, rules []string) bool {
	return slices.ContainsFunc(features.RuleIDs(s.Tags), func(id string) bool { return slices.Contains(rules, id) })
}

// unproven lists the rules for which no mutant made a scenario tagged
// with that rule fail: nothing shows the suite would notice it broken.
func unproven(cat *catalogue.Catalogue, results []Result) []string {
	proven := map[string]bool{}
	for _, r := range results {
		for _, s := range r.Failed {
			for _, id := range features.RuleIDs(s.Tags) {
				if slices.Contains(r.Breaks, id) {
					proven[id] = true
				}
			}
		}
	}
	var out []string
	for _, rule := range cat.Rules {
		if !proven[rule.ID] {
			out = append(out, rule.ID)
		}
	}
	return out
}

// Killed counts the mutants killed.
func (r Report) Killed() int {
	n := 0
	for _, res := range r.Results {
		if res.Killed() {
			n++
		}
	}
	return n
}

// ChoicesPassed counts the choice runs in which every scenario passed.
func (r Report) ChoicesPassed() int {
	n := 0
	for _, res := range r.Choices {
		if res.Passed() {
			n++
		}
	}
	return n
}

// OK is the verdict: the baseline passes, every mutant is killed by its
// own rules' scenarios alone, every rule is proven, and every scenario
// passes against each choice alone and against all of them together.
func (r Report) OK() bool {
	if !r.Baseline.Passed() || len(r.Unproven) > 0 || len(r.Choices) == 0 || r.ChoicesPassed() != len(r.Choices) {
		return false
	}
	for _, res := range r.Results {
		if !res.Killed() || len(res.Stray) > 0 {
			return false
		}
	}
	return true
}

// Print writes the report for people: each mutant, the scenarios that
// killed it, anything unexpected, then the kill rate.
func (r Report) Print(w io.Writer) {
	for _, res := range r.Results {
		verdict := "SURVIVED"
		switch {
		case res.Err != nil:
			verdict = "ERROR: " + res.Err.Error()
		case res.Killed():
			verdict = fmt.Sprintf("killed by %d of %d scenarios", len(res.Failed), res.Total)
		}
		if len(res.NotJudged) > 0 {
			verdict += fmt.Sprintf(" (%d not judged)", len(res.NotJudged))
		}
		fmt.Fprintf(w, "%-40s %s\n    breaks %v\n", res.Mutant, verdict, res.Breaks)
		for _, s := range res.Failed {
			mark := "  "
			if !checksAny(s, res.Breaks) {
				mark = "! " // failed, though it checks none of the broken rules
			}
			fmt.Fprintf(w, "    %s%s (%s)\n", mark, s.Name, s.URI)
		}
	}
	fmt.Fprintln(w)
	for _, res := range r.Choices {
		printChoice(w, res)
	}
	fmt.Fprintf(w, "\nbaseline (no mutant): %d scenarios, %d failed, %d not judged", r.Baseline.Total, len(r.Baseline.Failed), len(r.Baseline.NotJudged))
	if r.Baseline.Err != nil {
		fmt.Fprintf(w, " (error: %v)", r.Baseline.Err)
	}
	fmt.Fprintln(w)
	for _, s := range r.Baseline.NotJudged {
		fmt.Fprintf(w, "  not judged: %s (%s): %s\n", s.Name, s.URI, strings.Join(strings.Fields(s.Reason), " "))
	}
	for _, id := range r.Unproven {
		fmt.Fprintf(w, "unproven: no mutant failed a scenario of rule %s\n", id)
	}
	killed, total := r.Killed(), len(r.Results)
	fmt.Fprintf(w, "kill rate: %d/%d mutants (%.0f%%); rules proven: %d/%d; choices passed: %d/%d runs (each alone, and all together); took %s\n",
		killed, total, 100*float64(killed)/float64(max(total, 1)), r.Rules-len(r.Unproven), r.Rules,
		r.ChoicesPassed(), len(r.Choices), r.Took.Round(100*time.Millisecond))
}

// printChoice writes one choice run: "choice X: passed 95 of 95", and
// every scenario that did not pass, with why.
func printChoice(w io.Writer, res Result) {
	name := "choice " + res.Choice
	if res.Choice == "all" {
		name = "all choices together"
	}
	switch {
	case res.Err != nil:
		fmt.Fprintf(w, "%s: ERROR: %v\n", name, res.Err)
	case res.Passed():
		fmt.Fprintf(w, "%s: passed %d of %d\n", name, res.Total, res.Total)
	default:
		fmt.Fprintf(w, "%s: NOT PASSED: %d failed, %d not judged of %d; the scenarios assert more than the docs\n",
			name, len(res.Failed), len(res.NotJudged), res.Total)
	}
	for _, s := range slices.Concat(res.Failed, res.NotJudged) {
		fmt.Fprintf(w, "  ! %s (%s): %s %s\n", s.Name, s.URI, s.Outcome, strings.Join(strings.Fields(s.Reason), " "))
	}
}
