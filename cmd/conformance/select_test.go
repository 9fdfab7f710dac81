package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness"
)

// listJSON runs list --json with args and parses what it prints.
func listJSON(t *testing.T, args ...string) []harness.Listed {
	t.Helper()
	code, stdout, stderr := runCLI(append([]string{"list", "--json"}, args...)...)
	require.Equal(t, 0, code, stderr)
	var out struct {
		Count     int              `json:"count"`
		Scenarios []harness.Listed `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out), "list --json prints JSON")
	require.Equal(t, out.Count, len(out.Scenarios))
	return out.Scenarios
}

// list --json lists every scenario of the features, each with its rules,
// every rule being the catalogue's, and an ID no other scenario has.
func TestListJSONListsEveryScenarioWithItsRules(t *testing.T) {
	all, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	cat, err := catalogue.Load()
	require.NoError(t, err)
	listed := listJSON(t)
	require.Len(t, listed, len(all), "every scenario, every Examples row")
	ids := map[string]bool{}
	for i, s := range listed {
		assert.Equal(t, all[i].ID(), s.ID, "file order")
		assert.Equal(t, all[i].Rules(), s.Rules)
		assert.NotEmpty(t, s.Rules, "%s checks a rule", s.ID)
		assert.NotEmpty(t, s.Sources, "%s names its page", s.ID)
		assert.Contains(t, []string{"ers", "hpi"}, s.API)
		for _, r := range s.Rules {
			_, ok := cat.Rule(r)
			assert.True(t, ok, "%s: rule %s is catalogued", s.ID, r)
		}
		assert.False(t, ids[s.ID], "%s listed once", s.ID)
		ids[s.ID] = true
	}
	var rows int
	for _, s := range listed {
		if s.Row != "" {
			rows++
		}
	}
	assert.Positive(t, rows, "outline rows are listed with their values")
}

func TestListPlainPrintsALineAScenarioAndTheCount(t *testing.T) {
	code, stdout, stderr := runCLI("list", "--tags", "@ers")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	ers := listJSON(t, "--tags", "@ers")
	require.Len(t, lines, len(ers)+1)
	assert.Regexp(t, `^\d+ scenarios \(e-RS \d+, HPI 0\)$`, lines[len(lines)-1])
	for i, s := range ers {
		assert.True(t, strings.HasPrefix(lines[i], s.ID+"  "+s.Name), lines[i])
		assert.Contains(t, lines[i], "rules: "+strings.Join(s.Rules, ", "))
	}
}

// list takes run's selection: shards split the list, --name narrows it.
func TestListSelectsAsRunDoes(t *testing.T) {
	all := listJSON(t)
	seen := map[string]int{}
	for _, shard := range []string{"1/3", "2/3", "3/3"} {
		for _, s := range listJSON(t, "--shard", shard) {
			seen[s.ID]++
		}
	}
	assert.Len(t, seen, len(all), "the shards together list every scenario")
	for id, n := range seen {
		assert.Equal(t, 1, n, "%s falls to one shard", id)
	}
	rows := listJSON(t, "--name", `\[element: code\]$`)
	require.Len(t, rows, 1)
	assert.Equal(t, "element: code", rows[0].Row)
}

// A dry run checks and counts, and sends nothing to the target: its access log stays empty.
func TestDryRunSendsNothing(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	defer srv.Close()
	code, stdout, stderr := runCLI("run", "--dry-run", "--target", srv.URL, "--tags", "@hpi", "--budget", "100000")
	require.Equal(t, 0, code, stderr)
	assert.Zero(t, hits.Load(), "no request reached the target")
	n := len(listJSON(t, "--tags", "@hpi"))
	assert.Contains(t, stdout, "dry run: "+strconv.Itoa(n)+" scenarios would run (e-RS 0, HPI "+strconv.Itoa(n)+")")
	assert.Regexp(t, `they send [1-9]\d* requests`, stdout)
	assert.Contains(t, stdout, srv.URL)

	// What a dry run can judge without the target, it judges.
	code, _, stderr = runCLI("run", "--dry-run", "--target", srv.URL, "--budget", "1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--budget 1")
	code, _, stderr = runCLI("run", "--dry-run", "--target", "ftp://"+strings.TrimPrefix(srv.URL, "http://"))
	assert.Equal(t, 2, code, stderr)
	assert.Zero(t, hits.Load())
}

func TestNameSelectsScenariosAndTheirRows(t *testing.T) {
	code, _, stderr := runCLI("run", "--name", `^An update need not contain what the record never had \[element: code\]$`, "--format", "progress")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "conformance: 1 scenarios, 1 passed")
	// ANDed with the tags: that row is HPI's.
	code, _, stderr = runCLI("run", "--tags", "@ers", "--name", `element: code`, "--format", "progress")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `no scenario matches --tags "@ers" and --name "element: code"`)
}

func TestFailFastStopsAtTheFirstFailureWithExitOne(t *testing.T) {
	mutants := "ers-create-answers-200,hpi-stale-version-accepted" // each kills a scenario of its own API
	code, _, stderr := runCLI("run", "--mutants", mutants, "--format", "progress")
	require.Equal(t, 1, code)
	require.Regexp(t, `, 2 failed`, stderr, "without --fail-fast both fail")

	code, _, stderr = runCLI("run", "--mutants", mutants, "--fail-fast", "--format", "progress")
	assert.Equal(t, 1, code, "a failure, not an interrupted run: %s", stderr)
	assert.Regexp(t, `, 1 failed, [1-9]\d* not judged`, stderr)
	assert.Contains(t, stderr, "--fail-fast: A valid smartcard token opens a session with 201 Created failed: stopped after")
	assert.Contains(t, stderr, "were not run")
}

func TestRerunFailedRunsExactlyTheFailedScenarios(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "evidence")
	mutants := "ers-create-answers-200,hpi-stale-version-accepted"
	code, _, stderr := runCLI("run", "--mutants", mutants, "--format", "progress", "--evidence", dir)
	require.Equal(t, 1, code, stderr)
	runJSON := filepath.Join(dir, "run.json")

	listed := listJSON(t, "--rerun-failed", runJSON)
	var ids []string
	for _, s := range listed {
		ids = append(ids, s.ID)
	}
	assert.ElementsMatch(t, []string{"ers/create-session.feature:10", "hpi/update-versioning.feature:25"}, ids)

	code, _, stderr = runCLI("run", "--rerun-failed", runJSON, "--mutants", mutants, "--format", "progress")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "conformance: 2 scenarios, 0 passed, 2 failed")
	code, _, stderr = runCLI("run", "--rerun-failed", runJSON, "--format", "progress")
	assert.Equal(t, 0, code, "fixed: %s", stderr)
	assert.Contains(t, stderr, "conformance: 2 scenarios, 2 passed")
	code, _, stderr = runCLI("run", "--rerun-failed", runJSON, "--tags", "@hpi", "--format", "progress")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "conformance: 1 scenarios, 1 passed", "ANDed with the tags")
}

func TestRerunFailedRefusesWhatIsNotAPreviousRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		return path
	}
	gone := `{"tool":{"name":"conformance"},"scenarios":[{"id":"ers/create-session.feature:10","name":"A scenario since renamed","outcome":"failed"}]}`
	passed := `{"tool":{"name":"conformance"},"counts":{"passed":1},"scenarios":[{"id":"ers/create-session.feature:10","name":"x","outcome":"passed"}]}`
	for _, tc := range []struct{ path, says string }{
		{write("junit.xml", "<testsuites/>"), "not a run.json"},
		{write("other.json", `{"name":"something else"}`), "not a run.json"},
		{write("gone.json", gone), `1 failed scenario of that run is not in these features (edited since?): ers/create-session.feature:10 "A scenario since renamed"`},
		{write("passed.json", passed), "no scenario failed in that run"},
		{filepath.Join(dir, "missing.json"), "no such file"},
	} {
		for _, cmd := range []string{"run", "list"} {
			code, _, stderr := runCLI(cmd, "--rerun-failed", tc.path)
			assert.Equal(t, 2, code, "%s %s", cmd, tc.path)
			assert.Contains(t, stderr, tc.says, "%s %s", cmd, tc.path)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
		}
	}
}

func TestFormatsThatCannotWorkAreRefusedBeforeTheRun(t *testing.T) {
	code, stdout, stderr := runCLI("run", "--format", "pretty,junit")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout, "nothing ran")
	assert.Contains(t, stderr, "pretty and junit would all write to standard output")
	assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)

	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	bad := filepath.Join(file, "x.xml") // under a file, so no one, root included, can write it
	code, stdout, stderr = runCLI("run", "--format", "progress,junit:"+bad)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout, "nothing ran")
	assert.Contains(t, stderr, "the junit report cannot be written to "+bad+": not a directory")
	assert.NotContains(t, stderr, "godog")
}

// Every flag of every command is bound to its variable, generically.
func TestEveryFlagIsSetFromItsEnvironmentVariable(t *testing.T) {
	valid := map[string]string{"string": "x", "bool": "true", "int": "3", "int64": "3", "duration": "2s"}
	root := (&app{getenv: func(string) string { return "" }}).root()
	var checked int
	for _, cmd := range append(root.Commands(), root) {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" || f.Name == "version" {
				return
			}
			value, ok := valid[f.Value.Type()]
			require.True(t, ok, "a value for a %s flag", f.Value.Type())
			name := envName(f.Name)
			a := &app{getenv: func(k string) string {
				if k == name {
					return value
				}
				return ""
			}}
			fresh, _, err := a.root().Find([]string{cmd.Name()})
			if cmd == root {
				fresh = a.root()
			}
			require.NoError(t, err)
			require.NoError(t, a.bindEnv(fresh), name)
			assert.True(t, fresh.Flags().Changed(f.Name), "%s sets --%s of %s", name, f.Name, cmd.Name())
			assert.Equal(t, []string{name}, a.fromEnv)
			checked++
		})
	}
	assert.Greater(t, checked, 25, "the flags of run, list, mutants, matrix, coverage, merge and completion")
	assert.Equal(t, "CONFORMANCE_DRY_RUN", envName("dry-run"))
}

func TestEnvironmentSetsFlagsAndTheCommandLineWins(t *testing.T) {
	env := map[string]string{"CONFORMANCE_TAGS": "@rule:ERS-A001-201-created", "CONFORMANCE_FORMAT": "progress"}
	code, _, stderr := runEnv(env, "run")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "conformance: 1 scenarios, 1 passed")
	code, _, stderr = runEnv(env, "run", "--tags", "@ers")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "conformance: "+strconv.Itoa(len(listJSON(t, "--tags", "@ers")))+" scenarios", "--tags wins over CONFORMANCE_TAGS")

	code, stdout, _ := runEnv(map[string]string{"CONFORMANCE_JSON": "true"}, "list", "--tags", "@ers")
	assert.Equal(t, 0, code)
	assert.True(t, json.Valid([]byte(stdout)), "CONFORMANCE_JSON=true is --json")

	for env, says := range map[string]string{
		"CONFORMANCE_TIMEOUT": "CONFORMANCE_TIMEOUT: not a value for --timeout",
		"CONFORMANCE_SEED":    "CONFORMANCE_SEED: not a value for --seed",
		"CONFORMANCE_RANDOM":  "CONFORMANCE_RANDOM: not a value for --random",
	} {
		code, _, stderr := runEnv(map[string]string{env: "not-a-value"}, "run")
		assert.Equal(t, 2, code, env)
		assert.Contains(t, stderr, says)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
	}
	// A value that parses but is refused names the variable too.
	code, _, stderr = runEnv(map[string]string{"CONFORMANCE_TIMEOUT": "0s"}, "run")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "set from the environment: CONFORMANCE_TIMEOUT")
	// So does a refusal of the run's own, after the flags parsed.
	code, _, stderr = runEnv(map[string]string{"CONFORMANCE_TAGS": "@typo"}, "run")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `no scenario matches --tags "@typo"`)
	assert.Contains(t, stderr, "flags set from the environment: CONFORMANCE_TAGS")
}

func TestMutantsAndChoicesAreListedWithTheirSentences(t *testing.T) {
	cat, err := catalogue.Load()
	require.NoError(t, err)
	code, stdout, stderr := runCLI("mutants", "--list")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	broken := cat.BrokenBy()
	assert.Len(t, lines, len(broken), "one line a mutant")
	for _, line := range lines {
		name, _, ok := strings.Cut(line, ": ")
		require.True(t, ok, line)
		require.NotEmpty(t, broken[name], "%s is catalogued", name)
		for _, id := range broken[name] {
			r, _ := cat.Rule(id)
			assert.Contains(t, line, id+" ("+r.Text+")")
		}
	}

	code, stdout, stderr = runCLI("run", "--choices", "list")
	require.Equal(t, 0, code, stderr)
	lines = strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	assert.Greater(t, len(lines), 10)
	for _, line := range lines {
		name, says, ok := strings.Cut(line, ": ")
		require.True(t, ok, line)
		assert.Regexp(t, `^(ers|hpi)-[a-z0-9-]+$`, name)
		assert.Regexp(t, `\.(md|fsh):\d+`, says, "%s names the page line that allows it", name)
	}
}
