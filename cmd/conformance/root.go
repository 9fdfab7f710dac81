package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/healthapi-conformance/conformance/harness/evidence"
)

const rootLong = `conformance checks an API server against the published e-RS and HPI documentation.

Exit status: 0 every selected scenario passed; 1 a scenario failed (the target broke a
documented rule); 2 a usage, profile, features or target error, or an interrupted run;
3 none failed, but some scenarios were not judged.`

// envHelp ends every command's help: the environment is part of the command line.
const envHelp = `
Every flag can also be set as CONFORMANCE_<FLAG>, dashes as underscores (CONFORMANCE_TARGET, CONFORMANCE_DRY_RUN=true); a flag on the command line wins.
`

// root is the command tree. Errors are silenced here and told in one line
// by run; help goes to standard output.
func (a *app) root() *cobra.Command {
	t := evidence.ThisTool()
	root := &cobra.Command{
		Use:           "conformance",
		Short:         "check an API server against the published e-RS and HPI documentation",
		Long:          rootLong,
		Version:       t.Version + " (" + t.Revision + ")",
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          unknownCommand,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return fmt.Errorf("name a command: %s", strings.Join(commandNames(cmd), ", "))
		},
		PersistentPreRunE:          func(cmd *cobra.Command, _ []string) error { return a.bindEnv(cmd) },
		SuggestionsMinimumDistance: 2,
	}
	root.SetVersionTemplate(`{{.Name}} {{.Version}}` + "\n")
	root.SetUsageTemplate(root.UsageTemplate() + envHelp)
	root.SetFlagErrorFunc(flagError)
	root.SetHelpCommand(helpCommand())
	root.AddCommand(a.runCommand(), a.listCommand(), a.coverageCommand(), a.mutantsCommand(), a.matrixCommand(),
		a.verifyCommand(), a.mergeCommand(), a.versionCommand())
	return root
}

// unknownCommand refuses an argument of the root that names no command,
// suggesting the nearest, in one line.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if near := cmd.SuggestionsFor(args[0]); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(near, " or "))
	}
	return fmt.Errorf("%s; the commands: %s", msg, strings.Join(commandNames(cmd), ", "))
}

func commandNames(root *cobra.Command) []string {
	var out []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			out = append(out, c.Name())
		}
	}
	return out
}

// flagError adds, to pflag's error, the two-dash spelling a one-dash long flag lacks.
func flagError(_ *cobra.Command, err error) error {
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown shorthand flag") {
		if i := strings.Index(msg, " in -"); i >= 0 && len(msg) > i+6 {
			return fmt.Errorf("%s: long flags take two dashes (--%s)", msg, strings.Fields(msg[i+5:])[0])
		}
	}
	return err
}

// helpCommand is cobra's, but an unknown topic is a usage error, not the root's usage with exit 0.
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return fmt.Errorf("no help for %q: not a command", strings.Join(args, " "))
			}
			return cmd.Help()
		},
		ValidArgsFunction: func(c *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return commandNames(c.Root()), cobra.ShellCompDirectiveNoFileComp
		},
	}
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the name, version and VCS revision (as --version does)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			t := evidence.ThisTool()
			fmt.Fprintf(a.stdout, "%s %s (%s)\n", t.Name, t.Version, t.Revision)
			return nil
		},
	}
}

// noArgs refuses any argument, naming it.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	return nil
}
