package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/healthapi-conformance/conformance/harness"
)

func (a *app) listCommand() *cobra.Command {
	var cfg harness.Config
	sel := selectionFlags{cfg: &cfg}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "list the scenarios a run would select, with their rules, compliance IDs and source pages",
		Long: `List the scenarios a run with the same selection flags would select, in file order: each
with its feature file and line (its ID, as run.json and --rerun-failed name it), its Examples
row, its rules, compliance IDs and source pages. Nothing is started or sent.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := sel.apply(a.getenv); err != nil {
				return err
			}
			list, err := harness.List(cfg)
			if err != nil {
				return a.fail(harness.ExitUsage, err)
			}
			if asJSON {
				return writeListJSON(a.stdout, list)
			}
			writeList(a.stdout, list)
			return nil
		},
	}
	sel.add(cmd.Flags())
	cmd.Flags().BoolVar(&asJSON, "json", false, `print one JSON object, {"count": N, "scenarios": [...]}, instead of lines`)
	return cmd
}

// writeList prints a line a scenario, then the count.
func writeList(w io.Writer, list []harness.Listed) {
	apis := map[string]int{}
	for _, s := range list {
		apis[s.API]++
		fmt.Fprintf(w, "%s  %s  rules: %s", s.ID, s.Title(), orNone(s.Rules))
		if len(s.Compliance) > 0 {
			fmt.Fprintf(w, "  compliance: %s", strings.Join(s.Compliance, ", "))
		}
		fmt.Fprintf(w, "  sources: %s\n", orNone(s.Sources))
	}
	fmt.Fprintf(w, "%d scenarios (e-RS %d, HPI %d)\n", len(list), apis["ers"], apis["hpi"])
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "(none)"
	}
	return strings.Join(list, ", ")
}

// writeListJSON prints the list as one JSON object.
func writeListJSON(w io.Writer, list []harness.Listed) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Count     int              `json:"count"`
		Scenarios []harness.Listed `json:"scenarios"`
	}{len(list), list})
}
