package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/harness/evidence"
)

// verifyCommand checks an evidence bundle: exit 0 when whole, 1 naming what changed, 2 on usage.
func (a *app) verifyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "verify DIR",
		Short: "check an evidence bundle against its SHA256SUMS: exit 1 naming the file changed",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("verify takes one folder, written by run --evidence; got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			if err := evidence.Verify(args[0]); err != nil {
				return a.fail(harness.ExitFailed, fmt.Errorf("verify %s: %w", args[0], err))
			}
			fmt.Fprintf(a.stdout, "conformance: verify %s: every file matches SHA256SUMS\n", args[0])
			return nil
		},
	}
}

// mergeCommand merges shards' evidence bundles: exit 0, or 2 when they do not make one run.
func (a *app) mergeCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge --evidence OUT DIR...",
		Short: "merge the bundles of a run's shards (run --shard i/n) into one; fails unless each scenario ran in exactly one",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("merge takes the shards' run --evidence folders; none given")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, dirs []string) error {
			if err := harness.Merge(out, dirs); err != nil {
				return a.fail(harness.ExitUsage, err) // the shards' problem, not the target's
			}
			fmt.Fprintf(a.stdout, "conformance: merged %d shards into %s; the merged run's verdict is in its run.json and report.html\n", len(dirs), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "evidence", "", "the new folder for the merged bundle (required)")
	_ = cmd.MarkFlagRequired("evidence")
	return cmd
}
