package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/harness/coverage"
	"github.com/healthapi-conformance/conformance/harness/mutation"
	"github.com/healthapi-conformance/conformance/harness/traceability"
)

// mutants runs the suite against every catalogued mutant and every choice
// of the reference server, and prints the kill rate; it exits 0 only when
// every mutant is killed by its own rules' scenarios, every rule is proven,
// the unmutated server passes, and every scenario passes against each
// choice alone and against all of them together.
func mutants(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance mutants", flag.ContinueOnError)
	fs.SetOutput(stderr)
	concurrency := fs.Int("concurrency", 2*runtime.NumCPU(), "mutants run at once, each against its own reference server")
	if err := fs.Parse(args); err != nil {
		return harness.ExitUsage
	}
	cat, err := catalogue.Load()
	if err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return harness.ExitUsage
	}
	report := mutation.Run(ctx, cat, *concurrency)
	report.Print(stdout)
	if !report.OK() {
		return harness.ExitFailed
	}
	return harness.ExitPassed
}

// matrix writes the traceability matrix, with the results of a cucumber report if given.
func matrix(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance matrix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	results := fs.String("results", "", "cucumber JSON report of the run to show (conformance run --format cucumber:FILE)")
	out := fs.String("out", "", "write the Markdown here instead of standard output")
	if err := fs.Parse(args); err != nil {
		return harness.ExitUsage
	}
	if err := writeMatrix(*results, *out, stdout); err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return harness.ExitUsage
	}
	return harness.ExitPassed
}

func writeMatrix(resultsPath, outPath string, stdout io.Writer) error {
	cat, err := catalogue.Load()
	if err != nil {
		return err
	}
	scenarios, err := features.Scenarios(features.FS)
	if err != nil {
		return err
	}
	var results traceability.Results
	if resultsPath != "" {
		if results, err = traceability.ReadCucumber(resultsPath); err != nil {
			return err
		}
	}
	w := stdout
	if outPath != "" {
		f, err := os.Create(outPath)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	traceability.Write(w, cat, scenarios, results, resultsPath)
	return nil
}

// coverageCmd accounts for every documented statement; it exits 1 when any
// is unaccounted (no verdict, or one the catalogue, features or reference
// server do not bear out).
func coverageCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance coverage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	markdown := fs.String("markdown", "", "also write docs/coverage.md, the statements with their words and verdicts, to this file")
	if err := fs.Parse(args); err != nil {
		return harness.ExitUsage
	}
	report, err := accountStatements()
	if err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return harness.ExitUsage
	}
	if *markdown != "" {
		if err := writeFile(*markdown, report.Markdown); err != nil {
			fmt.Fprintln(stderr, "conformance:", err)
			return harness.ExitUsage
		}
	}
	report.Print(stdout)
	if report.Total().Unaccounted > 0 {
		return harness.ExitFailed
	}
	return harness.ExitPassed
}

func accountStatements() (coverage.Report, error) {
	pages, err := catalogue.LoadStatements()
	if err != nil {
		return coverage.Report{}, err
	}
	src, err := coverage.Embedded()
	if err != nil {
		return coverage.Report{}, err
	}
	return coverage.Account(pages, src), nil
}

// writeFile writes what write produces to path, reporting a failed close.
func writeFile(path string, write func(io.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	write(f)
	return f.Close()
}
