// Package harness is the conformance runner: it reads the profile, resolves
// the target (a URL, or the embedded reference server on a free loopback
// port), checks the target answers HTTP at all, runs the selected features
// and turns the outcome into an exit status.
package harness

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/profiles"
	"github.com/healthapi-conformance/conformance/refserver"
	"github.com/healthapi-conformance/conformance/steps"
)

// Exit statuses.
const (
	ExitPassed    = 0 // every selected scenario passed
	ExitFailed    = 1 // a scenario failed: the target broke a documented rule
	ExitUsage     = 2 // bad flags, profile, features or target, or an interrupted run
	ExitNotJudged = 3 // none failed, but some scenarios were not judged
)

// MaxConcurrency bounds Config.Concurrency: each scenario at once holds its
// own records and connections, and the pacing is shared anyway.
const MaxConcurrency = 64

// Config is one run, as the command line describes it.
type Config struct {
	Target      string        // overrides the profile's target
	Image       string        // a container image to run as the target, with the profile's container settings
	ProfilePath string        // empty: the reference server's profile
	Tags        string        // godog tag filter
	Format      string        // godog formatter list
	FeaturesDir string        // empty: the embedded features
	Seed        int64         // 0: file order; otherwise shuffle with it
	Timeout     time.Duration // overrides the profile's request timeout
	Deadline    time.Duration // the whole run's; 0 sets none
	Evidence    string        // a folder for the evidence bundle; empty: none
	Shard       Shard         // the share of the selection to run; zero: all
	Budget      int64         // the most requests the run may send; 0: no bound
	Mutants     []refserver.Mutant
	Choices     []refserver.Choice
	Verbose     bool     // the summary shows, under each failure, the exchanges its failing step judged
	Concurrency int      // scenarios run at once; 0 or 1: one at a time
	Live        bool     // Stderr is a terminal: a live progress line, not a plain line now and then
	Colour      bool     // colour on the terminal (pretty, progress, the live line)
	EnvFlags    []string // the CONFORMANCE_* variables that set flags, named when the run is refused
	// Name selects, with the tags, the scenarios whose title (name and Examples row) it matches.
	Name *regexp.Regexp
	// RerunFailed is a previous run's run.json: select, with the tags, the scenarios that failed in it.
	RerunFailed string
	FailFast    bool      // stop after the first failed scenario; the rest are not run
	DryRun      bool      // check everything that needs no target, say what would run, and send nothing
	Stdout      io.Writer // formatter output
	Stderr      io.Writer // messages and the summary
	partSize    int       // scenarios per godog run; 0: the suite's own (for the tests)
}

// Run runs the suite and returns the exit status, having explained any failure on Stderr.
func Run(ctx context.Context, cfg Config) int {
	if cfg.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, cfg.Deadline, fmt.Errorf("the run deadline (--deadline %s) passed", cfg.Deadline))
		defer cancel()
	}
	res, err := Execute(ctx, cfg)
	if err != nil {
		fmt.Fprintln(cfg.Stderr, "conformance:", err)
		if len(cfg.EnvFlags) > 0 { // the refusal may be of one of them
			fmt.Fprintf(cfg.Stderr, "conformance: flags set from the environment: %s\n", strings.Join(cfg.EnvFlags, ", "))
		}
		return ExitUsage
	}
	if res.Plan != nil {
		res.Plan.print(cfg.Stdout)
		return ExitPassed
	}
	summarise(cfg.Stderr, res, cfg.Verbose)
	if cfg.FeaturesDir != "" {
		fmt.Fprintf(cfg.Stderr, "conformance: these are the features of %s, not the embedded suite: a custom suite\n", cfg.FeaturesDir)
	}
	if cfg.Evidence != "" && res.ReportErr == nil {
		fmt.Fprintf(cfg.Stderr, "conformance: evidence bundle in %s (check it with: conformance verify %s)\n", cfg.Evidence, cfg.Evidence)
	}
	if res.ReportErr != nil {
		fmt.Fprintln(cfg.Stderr, "conformance: writing the reports:", res.ReportErr)
	}
	if res.Interrupted {
		fmt.Fprintln(cfg.Stderr, "conformance: interrupted: the run was stopped before it finished:", context.Cause(ctx))
	}
	return res.Code
}

// Outcome is a finished run.
type Outcome struct {
	suite.Result
	Target  string
	Seed    int64
	Retries int64 // HPI requests retried after 429 Too Many Requests
	// Requests counts what was sent to the target, pre-flight included.
	Requests Requests
	// Masked counts, by profile key or kind, the secrets masked in the outputs.
	Masked map[string]int64
	// Interrupted says the run was stopped (Ctrl-C, SIGTERM) before it finished.
	Interrupted bool
	// Plan is what a dry run (Config.DryRun) would run; nothing else is set then.
	Plan *Plan
}

// Execute runs the suite; an error means the run could not start (exit 2).
func Execute(ctx context.Context, cfg Config) (Outcome, error) {
	started := time.Now()
	if err := suite.CheckFormat(cfg.Format); err != nil {
		return Outcome{}, err
	}
	c, err := choose(cfg) // before any target or container is started
	if err != nil {
		return Outcome{}, err
	}
	prof, fsys, tags, sel := c.prof, c.fsys, c.tags, c.sel
	if cfg.Timeout > 0 {
		prof.Timeout = profile.Duration(cfg.Timeout)
	}
	runFS, sel, err := shardOf(cfg, prof, fsys, sel)
	if err != nil {
		return Outcome{}, err
	}
	if sel.hpi > 0 { // before any target is started: the profile alone says it
		if err := checkTestData(prof.HPI, sel); err != nil {
			return Outcome{}, err
		}
	}
	if cfg.DryRun { // nothing is started, written or sent
		if cfg.Evidence != "" {
			if err := evidence.Check(cfg.Evidence); err != nil {
				return Outcome{}, err
			}
		}
		return dryRun(ctx, cfg, prof, tags, sel)
	}
	if cfg.Budget > 0 { // before any target is started
		if err := checkBudget(ctx, cfg, tags); err != nil {
			return Outcome{}, err
		}
	}
	if err := suite.ProbeFormatFiles(cfg.Format); err != nil { // before any target is started
		return Outcome{}, err
	}
	if cfg.Evidence != "" { // before any target is started
		if err := evidence.Prepare(cfg.Evidence); err != nil {
			return Outcome{}, err
		}
		cfg.Format = evidenceFormats(cfg.Format, cfg.Evidence)
	}
	red := profileRedactor(prof)
	tgt, err := resolveTarget(ctx, cfg, prof, red)
	if err != nil {
		return Outcome{}, err
	}
	defer tgt.stop()
	target := tgt.url

	prog := newProgress(cfg.Stderr, len(sel.all), cfg.Live, cfg.Colour)
	env, err := connect(ctx, cfg, prof, sel, target, red, prog.waiting)
	if err != nil {
		return Outcome{}, err
	}
	env.FreshTarget = tgt.fresh
	facts, err := newRunFacts(cfg, prof, fsys, sel, started)
	if err != nil {
		return Outcome{}, err
	}
	res := suite.Run(suite.Options{
		FS: runFS, Dir: cfg.FeaturesDir, Selected: sel.all, PartSize: cfg.partSize, Tags: tags, Format: cfg.Format, Output: prog.under(cfg.Stdout),
		Seed: cfg.Seed, Context: ctx, Env: env, KeepEvidence: cfg.Evidence != "",
		RunProperties: runProperties(facts, target),
		KeepJudged:    cfg.Verbose,
		Concurrency:   cfg.Concurrency,
		OnScenario:    prog.scenario,
		Colour:        cfg.Colour,
		FailFast:      cfg.FailFast,
	})
	prog.end()
	if res.Err != nil {
		return Outcome{}, res.Err
	}
	if res.Code == ExitUsage { // godog refused the features, saying why on the process's standard error
		return Outcome{}, fmt.Errorf("godog could not run the features (--features %q); its reason, if it gave one, is on standard error above", cfg.FeaturesDir)
	}
	out := Outcome{Result: res, Target: red.String(target), Seed: cfg.Seed, Retries: retried(env), Requests: requests(env), Interrupted: ctx.Err() != nil}
	out.Code = exitStatus(out)
	if out.Code != ExitPassed {
		tgt.keepLog(cfg, red)
	}
	out.Masked = red.Masked()
	if cfg.Evidence != "" && out.ReportErr == nil {
		out.ReportErr = bundle(facts, out)
		out.Code = exitStatus(out)
	}
	return out, nil
}

// bundle writes the evidence bundle of a finished run.
func bundle(f runFacts, out Outcome) error {
	run, err := runRecord(f, out)
	if err != nil {
		return err
	}
	return writeBundle(f.cfg.Evidence, run, out.Masked)
}

// exitStatus: a failure outweighs a scenario not judged; an interrupted
// run is judged by no one.
func exitStatus(o Outcome) int {
	return exitFor(o.Interrupted || o.ReportErr != nil, len(o.Failed()), len(o.With(suite.NotJudged, suite.NotRun)))
}

// exitFor is the exit status of a run that ended judged by no one (broken
// off), or with failed and unjudged scenarios.
func exitFor(brokenOff bool, failed, unjudged int) int {
	switch {
	case brokenOff:
		return ExitUsage
	case failed > 0:
		return ExitFailed
	case unjudged > 0:
		return ExitNotJudged
	}
	return ExitPassed
}

// Requests are the requests a run sent, by API.
type Requests struct{ ERS, HPI, Token int64 }

// Total is every request sent to the target.
func (r Requests) Total() int64 { return r.ERS + r.HPI + r.Token }

func (r Requests) String() string {
	return fmt.Sprintf("e-RS %d, HPI %d, HPI token endpoint %d", r.ERS, r.HPI, r.Token)
}

func requests(env *steps.Env) Requests {
	var r Requests
	if env.ERS != nil {
		r.ERS = env.ERS.Sent()
	}
	if env.HPI != nil {
		r.HPI, r.Token = env.HPI.Sent()
	}
	return r
}

func retried(env *steps.Env) int64 {
	if env.HPI == nil {
		return 0
	}
	return env.HPI.Retried()
}

// selectAPIs leaves out the scenarios of an API the profile does not describe.
func selectAPIs(tags string, prof *profile.Profile) (string, error) {
	var skip []string
	if prof.ERS == nil {
		skip = append(skip, "~@ers")
	}
	if prof.HPI == nil {
		skip = append(skip, "~@hpi")
	}
	if len(skip) == 0 {
		return tags, nil
	}
	if strings.Contains(tags, ",") {
		return "", fmt.Errorf("--tags %q: the profile describes only one API, so its scenarios are selected with && only (godog mixes , and && unpredictably)", tags)
	}
	if tags != "" {
		skip = append(skip, tags)
	}
	return strings.Join(skip, "&&"), nil
}

func loadProfile(path string) (*profile.Profile, error) {
	if path == "" {
		return profile.Parse(profiles.Reference, "(embedded reference profile)")
	}
	return profile.Load(path)
}

func featureFS(dir string) (fs.FS, error) {
	if dir == "" {
		return features.FS, nil
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, fmt.Errorf("--features %s: not a readable folder", dir)
	}
	return os.DirFS(dir), nil
}

// summarise prints the verdict, every scenario that did not pass with its
// rules and reason (diagnose.go), and the seed.
func summarise(w io.Writer, o Outcome, verbose bool) {
	failed, unjudged := o.Failed(), o.With(suite.NotJudged, suite.NotRun)
	fmt.Fprintf(w, "\nconformance: %d scenarios, %d passed, %d failed, %d not judged against %s\n",
		len(o.Scenarios), len(o.With(suite.Passed)), len(failed), len(unjudged), o.Target)
	for _, s := range failed {
		fmt.Fprintf(w, "  FAILED %s (%s:%d) %s\n      %s\n", s.Title(), s.URI, s.Line, ruleTags(s.Tags), oneLine(headline(s.Reason)))
		diagnose(w, s, verbose)
	}
	for _, s := range o.With(suite.NotJudged) {
		fmt.Fprintf(w, "  NOT JUDGED %s (%s:%d): %s\n", s.Title(), s.URI, s.Line, oneLine(s.Reason))
	}
	if notRun := len(o.With(suite.NotRun)); notRun > 0 {
		why := "interrupted"
		if o.Stopped != nil {
			why = o.Stopped.Error() + ": stopped"
		}
		fmt.Fprintf(w, "conformance: %s after %d of %d scenarios; the other %d were not run\n", why, len(o.Scenarios)-notRun, len(o.Scenarios), notRun)
	}
	fmt.Fprintf(w, "conformance: requests sent: %s\n", o.Requests)
	if o.Retries > 0 {
		fmt.Fprintf(w, "conformance: %d HPI requests were answered 429 Too Many Requests and retried; each retry is in the report's evidence\n", o.Retries)
	}
	if len(o.Masked) > 0 {
		fmt.Fprintf(w, "conformance: secrets masked as %s in the output and evidence, by profile key or kind: %s\n", redact.Mask, maskedList(o.Masked))
	}
	if o.Seed != 0 {
		fmt.Fprintf(w, "conformance: scenarios ran in random order; repeat it with --seed %d\n", o.Seed)
	}
}

// maskedList names each secret masked, by its profile key or kind, never its value.
func maskedList(m map[string]int64) string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s (%d)", name, m[name]))
	}
	return strings.Join(parts, ", ")
}

// oneLine keeps a reason to one line of reasonable length.
func oneLine(s string) string { return shortened(strings.Join(strings.Fields(s), " ")) }

// shortened keeps a line to a reasonable length.
func shortened(s string) string {
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

func ruleTags(tags []string) string {
	var rules []string
	for _, id := range features.RuleIDs(tags) {
		rules = append(rules, "@rule:"+id)
	}
	return strings.Join(rules, " ")
}

// checkBudget counts the requests the selected scenarios send by running
// them against the embedded reference server, and refuses a run that
// would send more than the budget (HPI test accounts have a monthly quota).
// A target that answers otherwise, or throttles, may need a few more.
func checkBudget(ctx context.Context, cfg Config, tags string) error {
	out, err := countRequests(ctx, cfg, tags)
	if err != nil {
		return fmt.Errorf("--budget: counting the requests against the reference server: %w", err)
	}
	if out.Code != ExitPassed {
		return fmt.Errorf("--budget: the selected scenarios did not all pass against the reference server (exit %d), so their requests cannot be counted", out.Code)
	}
	need := out.Requests.Total()
	if err := overBudget(cfg.Budget, len(out.Scenarios), out.Requests); err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stderr, "conformance: --budget %d: the %d scenarios selected send %d requests against the reference server (%s)\n",
		cfg.Budget, len(out.Scenarios), need, out.Requests)
	return nil
}

// overBudget refuses a selection whose requests exceed the budget.
func overBudget(budget int64, scenarios int, r Requests) error {
	if budget <= 0 || r.Total() <= budget {
		return nil
	}
	return fmt.Errorf("--budget %d: the %d scenarios selected send %d requests against the reference server (%s): "+
		"select fewer (--tags, --name, --shard) or raise --budget", budget, scenarios, r.Total(), r)
}

// countRequests runs the run's selection against the embedded reference
// server, quietly, to count the requests it sends there.
func countRequests(ctx context.Context, cfg Config, tags string) (Outcome, error) {
	return Execute(ctx, Config{FeaturesDir: cfg.FeaturesDir, Tags: tags, Shard: cfg.Shard, Name: cfg.Name, RerunFailed: cfg.RerunFailed,
		Format: "progress", Stdout: io.Discard, Stderr: io.Discard})
}
