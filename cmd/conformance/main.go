// Command conformance runs the conformance suite against a target server:
// by default the embedded reference server, or any URL or profile.
//
//	conformance run [--target URL | --image IMAGE] [--profile FILE] [--tags EXPR] [--format LIST]
//	                [--features DIR] [--random | --seed N] [--timeout D] [--mutants LIST] [--choices LIST] [--verbose]
//	conformance mutants [--concurrency N]
//	conformance matrix [--results CUCUMBER.json] [--out FILE]
//	conformance coverage [--markdown FILE]
//
// Exit status: 0 every selected scenario passed, 1 a scenario failed,
// 2 a usage, profile, features or target error, or an interrupted run,
// 3 none failed but some scenarios were not judged.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/refserver"
)

const usageText = `conformance checks an API server against the published e-RS and HPI documentation.

Usage:
  conformance run [flags]    run the feature suite (default target: the embedded reference server)
  conformance mutants        run the suite against every mutant and every choice of the reference server; print the kill rate
  conformance matrix         write the traceability matrix (rules, sources, scenarios, last results)
  conformance coverage       account for every documented statement: tested, or not tested with a reason
  conformance verify DIR     check an evidence bundle against its SHA256SUMS: exit 1 naming the file changed
  conformance merge --evidence OUT DIR...
                             merge the bundles of a run's shards (run --shard i/n) into one; fails unless each scenario ran in exactly one
  conformance version        print the version and VCS revision
  conformance help           show this text

Flags of run:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C or SIGTERM ends the run cleanly (the container is
	// removed); after that, signals act as usual, so a second one kills.
	context.AfterFunc(ctx, stop)
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, opts := runFlags(stderr)
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
		if len(args) == 0 {
			return harness.ExitUsage
		}
		return harness.ExitPassed
	}
	switch args[0] {
	case "mutants":
		return mutants(ctx, args[1:], stdout, stderr)
	case "matrix":
		return matrix(args[1:], stdout, stderr)
	case "coverage":
		return coverageCmd(args[1:], stdout, stderr)
	case "verify":
		return verifyCmd(args[1:], stdout, stderr)
	case "merge":
		return mergeCmd(args[1:], stdout, stderr)
	case "version":
		t := evidence.ThisTool()
		fmt.Fprintf(stdout, "%s %s (%s)\n", t.Name, t.Version, t.Revision)
		return harness.ExitPassed
	case "run":
	default:
		fmt.Fprintf(stderr, "conformance: unknown command %q (try: conformance help)\n", args[0])
		return harness.ExitUsage
	}
	cfg, err := parseRun(fs, opts, args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "conformance:", err)
		}
		return harness.ExitUsage
	}
	cfg.Stdout, cfg.Stderr = stdout, stderr
	return harness.Run(ctx, cfg)
}

type runOptions struct {
	cfg     harness.Config
	random  bool
	mutants string
	choices string
	shard   string
}

func runFlags(stderr io.Writer) (*flag.FlagSet, *runOptions) {
	opts := &runOptions{}
	fs := flag.NewFlagSet("conformance run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &opts.cfg
	fs.StringVar(&c.Target, "target", "", "base URL of the server under test (overrides the profile's target)")
	fs.StringVar(&c.Image, "image", "", "run this container image (repository:tag, local) as the target, with the profile's container settings")
	fs.StringVar(&c.ProfilePath, "profile", "", "target profile (YAML); default: the reference server's profile")
	fs.StringVar(&c.Tags, "tags", "", `scenarios to run, as a godog tag filter, e.g. "@ers" or "@ers && ~@rule:ERS-A003-no-body"`)
	fs.StringVar(&c.Format, "format", "pretty", "godog formatters, comma-separated; name:FILE writes a file (pretty, progress, junit, cucumber, events)")
	fs.StringVar(&c.FeaturesDir, "features", "", "run the feature files in this folder instead of the embedded ones")
	fs.Int64Var(&c.Seed, "seed", 0, "run scenarios in the random order this seed gives")
	fs.BoolVar(&opts.random, "random", false, "run scenarios in a random order (the seed is printed)")
	fs.DurationVar(&c.Timeout, "timeout", 0, "request timeout (overrides the profile's; default 10s)")
	fs.StringVar(&c.Evidence, "evidence", "", "write the evidence bundle to this new folder: report.html, run.json, cucumber.json, junit.xml, exchanges.har, redactions.json, SHA256SUMS")
	fs.DurationVar(&c.Deadline, "deadline", 0, "end the whole run after this long, e.g. 30m: what has not run is \"not run\" (default: none)")
	fs.StringVar(&opts.mutants, "mutants", "", "embedded reference server only: break these documented rules (comma-separated; see refserver/mutants.go)")
	fs.Int64Var(&c.Budget, "budget", 0, "refuse to start a run whose selected scenarios send more than this many requests (counted against the embedded reference server first); 0: no bound")
	fs.StringVar(&opts.shard, "shard", "", "run one share of the selection: i/n (i from 1), or auto from the CI's job matrix (GitLab CI_NODE_INDEX/CI_NODE_TOTAL, Buildkite BUILDKITE_PARALLEL_JOB/_COUNT, Kubernetes JOB_COMPLETION_INDEX with CONFORMANCE_SHARD_TOTAL)")
	fs.StringVar(&opts.choices, "choices", "", "embedded reference server only: take these choices the docs allow (comma-separated, or all; see refserver/choices.go)")
	fs.BoolVar(&c.Verbose, "verbose", false, "under each failure in the summary, print the exchanges its failing step judged (secrets masked)")
	return fs, opts
}

func parseRun(fs *flag.FlagSet, opts *runOptions, args []string) (harness.Config, error) {
	if err := fs.Parse(args); err != nil {
		return harness.Config{}, err
	}
	if fs.NArg() > 0 {
		return harness.Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := opts.cfg
	if opts.random && cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano()
	}
	timeoutSet := false
	fs.Visit(func(f *flag.Flag) { timeoutSet = timeoutSet || f.Name == "timeout" })
	if timeoutSet && (cfg.Timeout <= 0 || cfg.Timeout > profile.MaxTimeout) {
		return cfg, fmt.Errorf("--timeout %s is outside (0, %s]", cfg.Timeout, profile.MaxTimeout)
	}
	if cfg.Deadline < 0 {
		return cfg, fmt.Errorf("--deadline %s is negative", cfg.Deadline)
	}
	if cfg.Budget < 0 {
		return cfg, fmt.Errorf("--budget %d is negative", cfg.Budget)
	}
	var err error
	if cfg.Shard, err = harness.ParseShard(opts.shard, os.Getenv); err != nil {
		return cfg, err
	}
	mutants, err := refserver.ParseMutants(opts.mutants)
	if err != nil {
		return cfg, err
	}
	cfg.Mutants = mutants
	cfg.Choices = refserver.Choices()
	if opts.choices != "all" {
		cfg.Choices, err = refserver.ParseChoices(opts.choices)
	}
	return cfg, err
}

// verifyCmd checks an evidence bundle: exit 0 when whole, 1 naming what changed, 2 on usage.
func verifyCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "conformance: usage: conformance verify DIR (a folder written by run --evidence)")
		return harness.ExitUsage
	}
	if err := evidence.Verify(args[0]); err != nil {
		fmt.Fprintf(stderr, "conformance: verify %s: %v\n", args[0], err)
		return harness.ExitFailed
	}
	fmt.Fprintf(stdout, "conformance: verify %s: every file matches SHA256SUMS\n", args[0])
	return harness.ExitPassed
}

// mergeCmd merges shards' evidence bundles: exit 0, or 2 when they do not make one run.
func mergeCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("evidence", "", "the new folder for the merged bundle")
	if err := fs.Parse(args); err != nil {
		return harness.ExitUsage
	}
	if *out == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "conformance: usage: conformance merge --evidence OUT DIR... (the shards' run --evidence folders)")
		return harness.ExitUsage
	}
	if err := harness.Merge(*out, fs.Args()); err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return harness.ExitUsage // the shards' problem, not the target's
	}
	fmt.Fprintf(stdout, "conformance: merged %d shards into %s; the merged run's verdict is in its run.json and report.html\n", fs.NArg(), *out)
	return harness.ExitPassed
}
