package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/harness/mutation"
	"github.com/healthapi-conformance/conformance/refserver"
)

// mutantsCommand runs the suite against every catalogued mutant and every
// choice of the reference server, and prints the kill rate; it exits 0 only
// when every mutant is killed by its own rules' scenarios, every rule is
// proven, the unmutated server passes, and every scenario passes against
// each choice alone and against all of them together.
func (a *app) mutantsCommand() *cobra.Command {
	var concurrency int
	var list bool
	cmd := &cobra.Command{
		Use:   "mutants",
		Short: "run the suite against every mutant and every choice of the reference server; print the kill rate",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := catalogue.Load()
			if err != nil {
				return a.fail(harness.ExitUsage, err)
			}
			if list {
				printMutants(a.stdout, cat)
				return nil
			}
			if concurrency < 1 {
				return fmt.Errorf("--concurrency %d: want 1 or more", concurrency)
			}
			if a.getenv("GOGC") == "" {
				// 300 short runs make garbage fast: collecting a quarter as
				// often takes a third off the wall time, for 400 MB, not 150.
				debug.SetGCPercent(400)
			}
			report := mutation.Run(cmd.Context(), cat, concurrency)
			report.Print(a.stdout)
			if !report.OK() {
				return exitStatus(harness.ExitFailed)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&concurrency, "concurrency", 2*runtime.NumCPU(), "mutants run at once, each against its own reference server")
	cmd.Flags().BoolVar(&list, "list", false, "list the mutants, one a line: its name, what the server then does, and each rule it breaks with the rule's sentence; run nothing")
	return cmd
}

// printMutants lists every mutant of the reference server with the rules
// the catalogue says it breaks.
func printMutants(w io.Writer, cat *catalogue.Catalogue) {
	broken := cat.BrokenBy()
	for _, m := range refserver.Mutants() {
		var rules []string
		for _, id := range broken[string(m)] {
			r, _ := cat.Rule(id)
			rules = append(rules, fmt.Sprintf("%s (%s)", id, r.Text))
		}
		if len(rules) == 0 {
			rules = []string{"no catalogued rule"}
		}
		fmt.Fprintf(w, "%s: %s Breaks %s\n", m, refserver.MutantSays(m), strings.Join(rules, "; "))
	}
}

// printChoices lists every choice of the reference server with its sentence.
func printChoices(w io.Writer) {
	for _, c := range refserver.Choices() {
		fmt.Fprintf(w, "%s: %s\n", c, refserver.ChoiceSays(c))
	}
}
