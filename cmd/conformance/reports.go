package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/harness/coverage"
	"github.com/healthapi-conformance/conformance/harness/traceability"
)

// matrixCommand writes the traceability matrix, with the results of a cucumber report if given.
func (a *app) matrixCommand() *cobra.Command {
	var results, out string
	cmd := &cobra.Command{
		Use:   "matrix",
		Short: "write the traceability matrix (rules, sources, scenarios, last results)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := writeMatrix(results, out, a.stdout); err != nil {
				return a.fail(harness.ExitUsage, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&results, "results", "", "cucumber JSON report of the run to show (conformance run --format cucumber:FILE)")
	cmd.Flags().StringVar(&out, "out", "", "write the Markdown here instead of standard output")
	return cmd
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
	if outPath == "" {
		traceability.Write(stdout, cat, scenarios, results, resultsPath)
		return nil
	}
	return writeFile(outPath, func(w io.Writer) { traceability.Write(w, cat, scenarios, results, resultsPath) })
}

// coverageCommand accounts for every documented statement; it exits 1 when
// any is unaccounted (no verdict, or one the catalogue, features or
// reference server do not bear out).
func (a *app) coverageCommand() *cobra.Command {
	var markdown string
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "account for every documented statement: tested, or not tested with a reason",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			report, err := accountStatements()
			if err != nil {
				return a.fail(harness.ExitUsage, err)
			}
			if markdown != "" {
				if err := writeFile(markdown, report.Markdown); err != nil {
					return a.fail(harness.ExitUsage, err)
				}
			}
			report.Print(a.stdout)
			if report.Total().Unaccounted > 0 {
				return exitStatus(harness.ExitFailed)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&markdown, "markdown", "", "also write docs/coverage.md, the statements with their words and verdicts, to this file")
	return cmd
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
