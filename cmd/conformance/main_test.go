package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line with an empty environment.
func runCLI(args ...string) (int, string, string) {
	return runEnv(nil, args...)
}

// runEnv runs the command line with env as its whole environment.
func runEnv(env map[string]string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

func TestRunPassesAgainstTheEmbeddedServer(t *testing.T) {
	code, stdout, stderr := runCLI("run", "--random", "--format", "progress")
	assert.Equal(t, 0, code, stdout+stderr)
	assert.Contains(t, stderr, "0 failed")
	assert.Contains(t, stderr, "repeat it with --seed")
}

func TestTagsSelectScenarios(t *testing.T) {
	code, _, stderr := runCLI("run", "--tags", "@rule:ERS-A001-201-created", "--format", "progress")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "conformance: 1 scenarios, 1 passed")
}

func TestFailingRunExitsOne(t *testing.T) {
	code, _, stderr := runCLI("run", "--mutants", "ers-create-answers-200", "--format", "progress")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "FAILED A valid smartcard token opens a session with 201 Created")
}

func TestEveryChoiceTogetherPasses(t *testing.T) {
	code, _, stderr := runCLI("run", "--choices", "all", "--format", "progress")
	assert.Equal(t, 0, code, stderr)
	code, _, stderr = runCLI("run", "--choices", "hpi-stale-version-412,ers-no-typeinfo", "--format", "progress", "--target", "http://127.0.0.1:1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "only to the embedded reference server")
}

func TestReportsAreWrittenWhereAsked(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "nested", "junit.xml")
	cucumber := filepath.Join(dir, "nested", "cucumber.json")
	code, _, _ := runCLI("run", "--format", "progress,junit:"+junit+",cucumber:"+cucumber)
	require.Equal(t, 0, code)
	for _, f := range []string{junit, cucumber} {
		info, err := os.Stat(f)
		require.NoError(t, err)
		assert.Positive(t, info.Size())
	}
}

func TestScenariosRunAtOnce(t *testing.T) {
	code, _, stderr := runCLI("run", "--concurrency", "4", "--tags", "@ers", "--format", "progress")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, " 0 failed, 0 not judged")
}

func TestFeaturesFromAFolder(t *testing.T) {
	code, _, stderr := runCLI("run", "--features", "../../features", "--format", "progress")
	assert.Equal(t, 0, code, stderr)
}

// A usage error is one line on stderr, naming what is wrong, and exit 2;
// nothing goes to stdout, and cobra's usage is not dumped.
func TestUsageErrorsExitTwoInOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{}, "name a command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"rn"}, "did you mean run?"},
		{[]string{"help", "frobnicate"}, `no help for "frobnicate"`},
		{[]string{"run", "--no-such-flag"}, "unknown flag: --no-such-flag (see conformance run --help)"},
		{[]string{"run", "-profile", "x.yaml"}, "two dashes (--profile)"},
		{[]string{"run", "extra-argument"}, `unexpected argument "extra-argument"`},
		{[]string{"run", "--seed", "abc"}, `invalid argument "abc" for "--seed"`},
		{[]string{"run", "--mutants", "no-such-mutant"}, "conformance mutants --list names them"},
		{[]string{"run", "--choices", "no-such-choice"}, "conformance run --choices list names them"},
		{[]string{"run", "--format", "no-such-formatter"}, `unknown formatter "no-such-formatter"`},
		{[]string{"run", "--timeout", "-1s"}, "--timeout -1s is outside"},
		{[]string{"run", "--timeout", "0"}, "--timeout 0s is outside"},
		{[]string{"run", "--timeout", "100h"}, "is outside"},
		{[]string{"run", "--tags", "@ers &&"}, "is not a tag"},
		{[]string{"run", "--name", "("}, `--name "(": not a regular expression`},
		{[]string{"list", "--name", "[a-"}, "not a regular expression"},
		{[]string{"run", "--shard", "4/3"}, "--shard"},
		{[]string{"verify"}, "verify takes one folder"},
		{[]string{"verify", "a", "b"}, "verify takes one folder"},
		{[]string{"merge", "somewhere"}, `"evidence" not set`},
		{[]string{"merge", "--evidence", "out"}, "none given"},
		{[]string{"mutants", "--concurrency", "0"}, "--concurrency 0"},
		{[]string{"run", "--concurrency", "0"}, "--concurrency 0: want 1 to 64"},
		{[]string{"run", "--concurrency", "65"}, "--concurrency 65: want 1 to 64"},
		{[]string{"version", "extra"}, "unexpected argument"},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		assert.Equal(t, 2, code, "%v: %s", tc.args, stderr)
		assert.Empty(t, stdout, "%v", tc.args)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), "%v: one line: %q", tc.args, stderr)
		assert.True(t, strings.HasPrefix(stderr, "conformance: "), "%v: %q", tc.args, stderr)
		assert.Contains(t, stderr, tc.says, "%v", tc.args)
	}
}

func TestHelpAndVersionGoToStdoutWithExitZero(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says []string
	}{
		{[]string{"--help"}, []string{"Available Commands:", "list", "completion", "CONFORMANCE_<FLAG>", "Exit status"}},
		{[]string{"-h"}, []string{"Available Commands:"}},
		{[]string{"help"}, []string{"Available Commands:"}},
		{[]string{"help", "run"}, []string{"conformance run [flags]", "--profile string", "--dry-run", "--fail-fast", "--rerun-failed", "CONFORMANCE_<FLAG>"}},
		{[]string{"run", "--help"}, []string{"conformance run [flags]", "--name string", "conformance mutants --list", "conformance run --choices list"}},
		{[]string{"list", "-h"}, []string{"--json", "--tags", "--shard"}},
		{[]string{"completion", "--help"}, []string{"bash"}},
		{[]string{"--version"}, []string{"conformance 0."}},
		{[]string{"version"}, []string{"conformance 0."}},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		assert.Equal(t, 0, code, "%v: %s", tc.args, stderr)
		assert.Empty(t, stderr, "%v", tc.args)
		for _, s := range tc.says {
			assert.Contains(t, stdout, s, "%v", tc.args)
		}
	}
	assert.NotContains(t, func() string { _, out, _ := runCLI("run", "--help"); return out }(), "refserver/", "a binary's user has no source tree")
	_, long, _ := runCLI("--version")
	_, short, _ := runCLI("version")
	assert.Equal(t, long, short, "--version and version say the same")
	assert.Regexp(t, `^conformance \S+ \(.+\)\n$`, short, "name, version and revision")
}
