package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/refserver"
)

const runLong = `Run the feature suite against a target: by default the embedded reference server,
started on a free loopback port; or --target URL, --image IMAGE, or the profile's target.

Scenarios are selected by --tags, --name and --rerun-failed together (each narrows the
others), then by the APIs the profile describes, then by --shard.`

// selectionFlags choose the scenarios, for run and list alike.
type selectionFlags struct {
	cfg   *harness.Config
	shard string
	name  string
}

func (s *selectionFlags) add(fl *pflag.FlagSet) {
	c := s.cfg
	fl.StringVar(&c.ProfilePath, "profile", "", "target profile (YAML); default: the reference server's profile. Only the APIs it describes are selected")
	fl.StringVar(&c.Tags, "tags", "", `scenarios to run, as a godog tag filter, e.g. "@ers" or "@ers && ~@rule:ERS-A003-no-body"`)
	fl.StringVar(&s.name, "name", "", `scenarios whose name, with its Examples row ("name [column: value]"), matches this regular expression (Go syntax); ANDed with --tags`)
	fl.StringVar(&c.RerunFailed, "rerun-failed", "", "a previous run's run.json (written by --evidence): select the scenarios that failed in it (failed only: not judged and not run are not rerun); ANDed with --tags")
	fl.StringVar(&c.FeaturesDir, "features", "", "run the feature files in this folder instead of the embedded ones")
	fl.StringVar(&s.shard, "shard", "", "run one share of the selection: i/n (i from 1), or auto from the CI's job matrix (GitLab CI_NODE_INDEX/CI_NODE_TOTAL, Buildkite BUILDKITE_PARALLEL_JOB/_COUNT, Kubernetes JOB_COMPLETION_INDEX with CONFORMANCE_SHARD_TOTAL)")
}

// apply reads the flags that need parsing into the configuration.
func (s *selectionFlags) apply(getenv func(string) string) error {
	if s.name != "" {
		re, err := regexp.Compile(s.name)
		if err != nil {
			return fmt.Errorf("--name %q: not a regular expression: %v", s.name, err)
		}
		s.cfg.Name = re
	}
	var err error
	s.cfg.Shard, err = harness.ParseShard(s.shard, getenv)
	return err
}

// runFlags are run's flags that are not a Config field as they stand.
type runFlags struct {
	cfg     harness.Config
	sel     selectionFlags
	random  bool
	mutants string
	choices string
}

func (a *app) runCommand() *cobra.Command {
	f := &runFlags{}
	f.sel.cfg = &f.cfg
	cmd := &cobra.Command{
		Use:   "run",
		Short: "run the feature suite (default target: the embedded reference server)",
		Long:  runLong,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.choices == "list" {
				printChoices(a.stdout)
				return nil
			}
			cfg, err := f.config(cmd.Flags(), a.getenv)
			if err != nil {
				return err
			}
			cfg.Stdout, cfg.Stderr = a.stdout, a.stderr
			cfg.Live = isTerminal(a.stderr)
			cfg.Colour = isTerminal(a.stdout) && a.getenv("NO_COLOR") == "" // no-color.org: any value turns it off
			cfg.EnvFlags = a.fromEnv
			return exitWith(harness.Run(cmd.Context(), cfg))
		},
	}
	fl := cmd.Flags()
	fl.SortFlags = false // the help lists them as here: target, selection, output, then the rest
	c := &f.cfg
	fl.StringVar(&c.Target, "target", "", "base URL of the server under test (overrides the profile's target)")
	fl.StringVar(&c.Image, "image", "", "run this container image (repository:tag, local) as the target, with the profile's container settings")
	f.sel.add(fl)
	fl.StringVar(&c.Format, "format", "pretty", "godog formatters, comma-separated; name:FILE writes a file (pretty, progress, junit, cucumber, events); at most one without a file")
	fl.Int64Var(&c.Seed, "seed", 0, "run scenarios in the random order this seed gives")
	fl.BoolVar(&f.random, "random", false, "run scenarios in a random order (the seed is printed)")
	fl.DurationVar(&c.Timeout, "timeout", 0, "request timeout (overrides the profile's; default 10s)")
	fl.StringVar(&c.Evidence, "evidence", "", "write the evidence bundle to this new folder: report.html, run.json, cucumber.json, junit.xml, exchanges.har, redactions.json, SHA256SUMS")
	fl.DurationVar(&c.Deadline, "deadline", 0, "end the whole run after this long, e.g. 30m: what has not run is \"not run\" (default: none)")
	fl.StringVar(&f.mutants, "mutants", "", "embedded reference server only: break these documented rules (comma-separated; conformance mutants --list names them)")
	fl.StringVar(&f.choices, "choices", "", "embedded reference server only: take these choices the docs allow (comma-separated, or all; conformance run --choices list names them)")
	fl.Int64Var(&c.Budget, "budget", 0, "refuse to start a run whose selected scenarios send more than this many requests (counted against the embedded reference server first); 0: no bound")
	fl.BoolVar(&c.Verbose, "verbose", false, "under each failure in the summary, print the exchanges its failing step judged (secrets masked)")
	fl.IntVar(&c.Concurrency, "concurrency", 1, "scenarios run at once, 1 to 64, each with its own records; the HPI pacing is one limiter for all, and every output is written in file order")
	fl.BoolVar(&c.DryRun, "dry-run", false, "check the profile, features, selection and test data, say what would run and how many requests it needs, and send nothing to the target")
	fl.BoolVar(&c.FailFast, "fail-fast", false, "stop after the first failed scenario: the rest are \"not run\" (exit 1)")
	completeNames(cmd, "mutants", refserver.Mutants())
	completeNames(cmd, "choices", append(refserver.Choices(), "all", "list"))
	completeNames(cmd, "format", []string{"pretty", "progress", "junit", "cucumber", "events"})
	return cmd
}

// isTerminal says whether w is a terminal: the live progress line and
// colours are for a person, not for a log.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// config checks the flags and turns them into a run's configuration.
func (f *runFlags) config(fl *pflag.FlagSet, getenv func(string) string) (harness.Config, error) {
	cfg := &f.cfg
	if f.random && cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano()
	}
	if fl.Changed("timeout") && (cfg.Timeout <= 0 || cfg.Timeout > profile.MaxTimeout) {
		return *cfg, fmt.Errorf("--timeout %s is outside (0, %s]", cfg.Timeout, profile.MaxTimeout)
	}
	if cfg.Deadline < 0 {
		return *cfg, fmt.Errorf("--deadline %s is negative", cfg.Deadline)
	}
	if cfg.Budget < 0 {
		return *cfg, fmt.Errorf("--budget %d is negative", cfg.Budget)
	}
	if cfg.Concurrency < 1 || cfg.Concurrency > harness.MaxConcurrency {
		return *cfg, fmt.Errorf("--concurrency %d: want 1 to %d", cfg.Concurrency, harness.MaxConcurrency)
	}
	if err := f.sel.apply(getenv); err != nil {
		return *cfg, err
	}
	var err error
	if cfg.Mutants, err = parseEach("--mutants", f.mutants, refserver.ParseMutants, "conformance mutants --list"); err != nil {
		return *cfg, err
	}
	if f.choices == "all" {
		cfg.Choices = refserver.Choices()
		return *cfg, nil
	}
	cfg.Choices, err = parseEach("--choices", f.choices, refserver.ParseChoices, "conformance run --choices list")
	return *cfg, err
}

// parseEach reads a comma-separated list of names one by one, so that an
// unknown name is refused in one line that says where the names are listed,
// rather than with the whole list.
func parseEach[T any](flag, list string, parse func(string) ([]T, error), lister string) ([]T, error) {
	var out []T
	for _, name := range strings.Split(list, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		one, err := parse(name)
		if err != nil {
			return nil, fmt.Errorf("%s: unknown name %q; %s names them", flag, name, lister)
		}
		out = append(out, one...)
	}
	return out, nil
}

// completeNames offers names for a comma-separated list flag's next item.
func completeNames[T ~string](cmd *cobra.Command, flag string, names []T) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		done := typed[:strings.LastIndex(typed, ",")+1] // the items already written
		var out []cobra.Completion
		for _, n := range names {
			out = append(out, done+string(n))
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}
