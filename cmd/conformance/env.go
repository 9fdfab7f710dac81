package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envPrefix starts the environment variable of every flag.
const envPrefix = "CONFORMANCE_"

// envName is the variable that sets a flag: --dry-run is CONFORMANCE_DRY_RUN.
func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// bindEnv sets every flag of cmd that the command line left unset from its
// variable, when that is set and not empty, as if it had been given: a
// value pflag refuses is a usage error naming the variable. It walks the
// flags, so a new flag is bound with nothing more to write.
func (a *app) bindEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" || f.Name == "version" {
			return
		}
		name := envName(f.Name)
		value := a.getenv(name)
		if value == "" {
			return
		}
		if e := cmd.Flags().Set(f.Name, value); e != nil {
			err = fmt.Errorf("%s: not a value for --%s: %v", name, f.Name, e)
			return
		}
		a.fromEnv = append(a.fromEnv, name)
	})
	return err
}
