package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
)

// The shards of a selection are disjoint and together make it whole.
func TestShardsPartitionTheSelection(t *testing.T) {
	all, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	seen := map[string]int{}
	for i := 1; i <= 3; i++ {
		n := 0
		for _, s := range all {
			if (Shard{i, 3}).Has(s.ID()) {
				seen[s.ID()]++
				n++
			}
		}
		assert.Greater(t, n, len(all)/6, "shard %d/3 takes a fair share", i)
	}
	assert.Len(t, seen, len(all))
	for id, n := range seen {
		assert.Equal(t, 1, n, id)
	}
}

func TestShardsAreReadFromTheCI(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	for vars, want := range map[string]Shard{
		"CI_NODE_INDEX=2 CI_NODE_TOTAL=3":                         {2, 3},
		"BUILDKITE_PARALLEL_JOB=0 BUILDKITE_PARALLEL_JOB_COUNT=4": {1, 4},
		"JOB_COMPLETION_INDEX=4 CONFORMANCE_SHARD_TOTAL=5":        {5, 5},
	} {
		m := map[string]string{}
		for _, kv := range strings.Fields(vars) {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
		got, err := ParseShard("auto", env(m))
		require.NoError(t, err, vars)
		assert.Equal(t, want, got, vars)
	}
	_, err := ParseShard("auto", env(nil))
	assert.ErrorContains(t, err, "none of CI_NODE_INDEX")
	for _, bad := range []string{"0/3", "4/3", "1/0", "x", "1/2/3"} {
		_, err := ParseShard(bad, env(nil))
		assert.Error(t, err, bad)
	}
}

// A run split in 3 shards and merged equals the unsharded run, scenario
// by scenario; a merge with a shard missing, or one twice, fails naming
// the scenarios.
func TestThreeShardsMergedAreTheWholeRun(t *testing.T) {
	_, whole := evidenceRun(t, Config{Tags: "@ers"})
	var dirs []string
	for i := 1; i <= 3; i++ {
		dir, shard := evidenceRun(t, Config{Tags: "@ers", Shard: Shard{i, 3}})
		assert.Equal(t, fmt.Sprintf("%d/3", i), shard.Selection.Shard)
		assert.Less(t, len(shard.Scenarios), len(whole.Scenarios))
		dirs = append(dirs, dir)
	}
	out := filepath.Join(t.TempDir(), "merged")
	require.NoError(t, Merge(out, dirs))
	require.NoError(t, evidence.Verify(out))
	var merged evidence.Run
	require.NoError(t, readJSON(filepath.Join(out, evidence.RunFile), &merged))
	require.Len(t, merged.Scenarios, len(whole.Scenarios))
	for i, s := range whole.Scenarios {
		assert.Equal(t, s.ID, merged.Scenarios[i].ID)
		assert.Equal(t, s.Outcome, merged.Scenarios[i].Outcome, s.ID)
	}
	assert.Equal(t, whole.Counts, merged.Counts)
	junit, err := os.ReadFile(filepath.Join(out, evidence.JUnitFile))
	require.NoError(t, err)
	assert.Equal(t, len(whole.Scenarios), strings.Count(string(junit), "<testcase "), "junit holds every shard's testcases")
	assert.NotContains(t, string(junit), `name="shard"`)
	var cucumber []struct{ Elements []any }
	require.NoError(t, readJSON(filepath.Join(out, evidence.CucumberFile), &cucumber))
	elements := 0
	for _, f := range cucumber {
		elements += len(f.Elements)
	}
	assert.Equal(t, len(whole.Scenarios), elements, "cucumber holds every shard's scenarios")
	assert.Equal(t, whole.ExitCode, merged.ExitCode)
	assert.Equal(t, len(whole.Rules), len(merged.Rules))
	for i, r := range whole.Rules {
		assert.Equal(t, r.Verdict, merged.Rules[i].Verdict, r.ID)
	}

	err = Merge(filepath.Join(t.TempDir(), "m"), dirs[:2])
	assert.ErrorContains(t, err, "scenarios ran in no shard: ers/")
	err = Merge(filepath.Join(t.TempDir(), "m"), append(dirs, dirs[0]))
	assert.ErrorContains(t, err, "scenarios ran in more than one shard: ers/")
}

// A shard's bundle changed after the run is refused by name.
func TestAMergeRefusesAChangedShard(t *testing.T) {
	dir, _ := evidenceRun(t, Config{Tags: "@rule:ERS-A003-no-body"})
	f, err := os.OpenFile(filepath.Join(dir, evidence.RunFile), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(" ")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	err = Merge(filepath.Join(t.TempDir(), "m"), []string{dir})
	assert.ErrorContains(t, err, dir+": run.json: changed since the run")
}

// Shards run with other profiles are no shares of one run.
func TestAMergeRefusesShardsOfOtherProfiles(t *testing.T) {
	one, _ := evidenceRun(t, Config{Tags: "@ers", Shard: Shard{1, 2}})
	other := referenceProfileWith(t, "name: reference server", "name: another environment")
	two, _ := evidenceRun(t, Config{Tags: "@ers", Shard: Shard{2, 2}, ProfilePath: other})
	err := Merge(filepath.Join(t.TempDir(), "m"), []string{one, two})
	assert.ErrorContains(t, err, "they ran with other tools, profiles or targets")
}
