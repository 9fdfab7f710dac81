package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
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

func TestFeaturesFromAFolder(t *testing.T) {
	code, _, stderr := runCLI("run", "--features", "../../features", "--format", "progress")
	assert.Equal(t, 0, code, stderr)
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"run", "--no-such-flag"},
		{"run", "extra-argument"},
		{"run", "--mutants", "no-such-mutant"},
		{"run", "--choices", "no-such-choice"},
		{"run", "--format", "no-such-formatter"},
		{"run", "--timeout", "-1s"},
		{"run", "--timeout", "0"},
		{"run", "--timeout", "100h"},
		{"run", "--tags", "@ers &&"},
	} {
		code, _, stderr := runCLI(args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.NotEmpty(t, stderr, "%v explains itself", args)
	}
}

func TestHelpExitsZero(t *testing.T) {
	code, _, stderr := runCLI("help")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "-profile")
}
