package harness

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/harness/suite"
)

// shardRun is one shard's bundle, read back.
type shardRun struct {
	dir string
	run evidence.Run
}

// Merge writes one bundle into out from the bundles of a sharded run's
// shards. It refuses, naming them, unless every bundle is whole, all are
// shares of one selection of one suite, and every scenario of that
// selection ran in exactly one of them.
func Merge(out string, dirs []string) error {
	if len(dirs) == 0 {
		return fmt.Errorf("merge: name the shards' evidence folders")
	}
	shards, err := readShards(dirs)
	if err != nil {
		return err
	}
	if err := checkShares(shards); err != nil {
		return err
	}
	merged, err := mergeRuns(shards)
	if err != nil {
		return err
	}
	if err := evidence.Prepare(out); err != nil {
		return err
	}
	if err := mergeReports(out, dirs); err != nil {
		return err
	}
	masked, err := mergedRedactions(dirs)
	if err != nil {
		return err
	}
	return writeBundle(out, merged, masked)
}

func readShards(dirs []string) ([]shardRun, error) {
	var out []shardRun
	for _, dir := range dirs {
		if err := evidence.Verify(dir); err != nil {
			return nil, fmt.Errorf("merge: %s: %w", dir, err)
		}
		var r shardRun
		r.dir = dir
		if err := readJSON(filepath.Join(dir, evidence.RunFile), &r.run); err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// checkShares says whether the shards are shares of one selection that
// together ran each of its scenarios once.
func checkShares(shards []shardRun) error {
	first := shards[0].run
	for _, s := range shards[1:] {
		r := s.run
		if r.Suite.FeaturesSHA256 != first.Suite.FeaturesSHA256 || r.Suite.CatalogueSHA256 != first.Suite.CatalogueSHA256 ||
			r.Selection.Tags != first.Selection.Tags || !slices.Equal(r.Selection.IDs, first.Selection.IDs) {
			return fmt.Errorf("merge: %s and %s are not shares of one run: their features, catalogue or selection differ", shards[0].dir, s.dir)
		}
		if r.Tool != first.Tool || r.Profile != first.Profile || !sameTarget(r.Target, first.Target) {
			return fmt.Errorf("merge: %s and %s are not shares of one run: they ran with other tools, profiles or targets (%s %s, %q, %s; %s %s, %q, %s)",
				shards[0].dir, s.dir, first.Tool.Version, first.Tool.Revision, first.Profile, first.Target, r.Tool.Version, r.Tool.Revision, r.Profile, r.Target)
		}
	}
	ran := map[string][]string{} // scenario ID → the shards that ran it
	for _, s := range shards {
		for _, sc := range s.run.Scenarios {
			ran[sc.ID] = append(ran[sc.ID], s.dir)
		}
	}
	var missing, twice []string
	for _, id := range first.Selection.IDs {
		switch n := len(ran[id]); {
		case n == 0:
			missing = append(missing, id)
		case n > 1:
			twice = append(twice, id+" (in "+strings.Join(ran[id], ", ")+")")
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("%d scenarios ran in no shard: %s", len(missing), listed(missing)))
	}
	if len(twice) > 0 {
		problems = append(problems, fmt.Sprintf("%d scenarios ran in more than one shard: %s", len(twice), listed(twice)))
	}
	if len(problems) > 0 {
		return fmt.Errorf("merge: every scenario of the selection must run in exactly one shard: %s", strings.Join(problems, "; "))
	}
	return nil
}

// listed names the first ten of a list.
func listed(list []string) string {
	if len(list) > 10 {
		return strings.Join(list[:10], ", ") + fmt.Sprintf(", and %d more", len(list)-10)
	}
	return strings.Join(list, ", ")
}

// mergeRuns is the run the shards make together: its scenarios in the
// selection's order, its counts, verdicts and exit status worked out again.
func mergeRuns(shards []shardRun) (*evidence.Run, error) {
	cat, err := catalogue.Load()
	if err != nil {
		return nil, err
	}
	merged := shards[0].run
	merged.Selection.Shard, merged.Scenarios = "", nil
	byID := map[string]evidence.Scenario{}
	var targets []string
	for _, s := range shards {
		for _, sc := range s.run.Scenarios {
			byID[sc.ID] = sc
		}
		if s.run.Started.Before(merged.Started) {
			merged.Started = s.run.Started
		}
		if s.run.Ended.After(merged.Ended) {
			merged.Ended = s.run.Ended
		}
		merged.Interrupted = merged.Interrupted || s.run.Interrupted
		if !slices.Contains(targets, s.run.Target) {
			targets = append(targets, s.run.Target)
		}
	}
	for _, id := range merged.Selection.IDs {
		merged.Scenarios = append(merged.Scenarios, byID[id])
	}
	merged.Target = strings.Join(targets, ", ")
	merged.Selection.Selected = len(merged.Scenarios)
	merged.Counts = counts(merged.Scenarios)
	merged.Rules, merged.Selection.RulesLeftOut = ruleVerdicts(cat, merged.Scenarios)
	merged.Compliance = complianceVerdicts(merged.Scenarios)
	merged.ExitCode = exitFor(merged.Interrupted, merged.Counts.Failed, merged.Counts.NotJudged+merged.Counts.NotRun)
	return &merged, nil
}

// mergeReports joins the shards' cucumber reports into one array, and
// their junit reports into one report.
func mergeReports(out string, dirs []string) error {
	if err := mergeFile(out, dirs, evidence.CucumberFile, suite.MergeCucumber); err != nil {
		return err
	}
	return mergeFile(out, dirs, evidence.JUnitFile, suite.MergeJUnit)
}

// mergeFile writes out/name by merging each shard's file of that name.
func mergeFile(out string, dirs []string, name string, merge func(io.Writer, ...io.Reader) error) error {
	return evidence.WriteFile(out, name, func(w io.Writer) error {
		var readers []io.Reader
		for _, dir := range dirs {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			defer f.Close()
			readers = append(readers, f)
		}
		return merge(w, readers...)
	})
}

// mergedRedactions sums what each shard masked.
func mergedRedactions(dirs []string) (map[string]int64, error) {
	sum := map[string]int64{}
	for _, dir := range dirs {
		var r evidence.Redactions
		if err := readJSON(filepath.Join(dir, evidence.RedactionsFile), &r); err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		for k, n := range r.Masked {
			sum[k] += n
		}
	}
	return sum, nil
}

// sameTarget: one URL, or two on this machine's loopback (each job's own
// embedded server or container, a free port each).
func sameTarget(a, b string) bool {
	if a == b {
		return true
	}
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && loopback(ua.Hostname()) && loopback(ub.Hostname())
}
