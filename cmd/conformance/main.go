// Command conformance runs the conformance suite against a target server:
// by default the embedded reference server, or any URL or profile.
//
//	conformance run [--target URL | --image IMAGE] [--profile FILE] [--tags EXPR] [--name REGEX] [--format LIST] ...
//	conformance list [--json] [--tags EXPR] [--name REGEX] [--profile FILE] [--shard i/n]
//	conformance mutants [--list] [--concurrency N]
//	conformance matrix [--results CUCUMBER.json] [--out FILE]
//	conformance coverage [--markdown FILE]
//	conformance verify DIR
//	conformance merge --evidence OUT DIR...
//	conformance version | --version
//	conformance completion bash|zsh|fish|powershell
//
// Every flag can also be set as CONFORMANCE_<FLAG> (dashes as
// underscores); a flag on the command line wins.
//
// Exit status: 0 every selected scenario passed, 1 a scenario failed,
// 2 a usage, profile, features or target error, or an interrupted run,
// 3 none failed but some scenarios were not judged.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/healthapi-conformance/conformance/harness"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C or SIGTERM ends the run cleanly (the container is
	// removed); after that, signals act as usual, so a second one kills.
	context.AfterFunc(ctx, stop)
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// run runs the command line args and returns the exit status; getenv
// gives the environment (CONFORMANCE_* flags, the CI's shard variables).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv}
	root := a.root()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	var status exitStatus
	switch {
	case err == nil:
		return harness.ExitPassed
	case errors.As(err, &status): // the command has said why
		return int(status)
	}
	// Every other error is a usage error, told in one line; cobra's usage
	// dump is silenced, and the line says where the help is.
	where := root.CommandPath()
	if cmd != nil && cmd.Name() != "help" {
		where = cmd.CommandPath()
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if len(a.fromEnv) > 0 {
		msg += "; set from the environment: " + strings.Join(a.fromEnv, ", ")
	}
	fmt.Fprintf(stderr, "conformance: %s (see %s --help)\n", msg, where)
	return harness.ExitUsage
}

// exitStatus ends a command that has printed its own outcome.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// exitWith turns an exit status into what a command returns.
func exitWith(code int) error {
	if code == harness.ExitPassed {
		return nil
	}
	return exitStatus(code)
}

// app is one invocation: where it writes, and its environment.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	fromEnv        []string // the CONFORMANCE_* variables that set a flag
}

// fail prints a command's error in one line and ends it with code.
func (a *app) fail(code int, err error) error {
	fmt.Fprintln(a.stderr, "conformance:", err)
	return exitStatus(code)
}
