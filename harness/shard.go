package harness

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"strconv"
	"strings"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/profile"
)

// Shard is one of Total shares of a run (Index counts from 1); the zero
// Shard is the whole run. Each scenario belongs to one share, by a stable
// hash of its ID (file and line), so that CI jobs that each run one share
// run every scenario once, with no coordinator.
type Shard struct{ Index, Total int }

// Has says whether the scenario of id is this shard's.
func (s Shard) Has(id string) bool {
	if s.Total <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64()%uint64(s.Total)) == s.Index-1
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Total) }

// ParseShard reads --shard: "i/n" (i from 1 to n), or "auto", which takes
// the index and total from the CI's environment (getenv).
func ParseShard(text string, getenv func(string) string) (Shard, error) {
	if text == "" {
		return Shard{}, nil
	}
	if text == "auto" {
		return shardFromCI(getenv)
	}
	i, n, ok := strings.Cut(text, "/")
	index, err1 := strconv.Atoi(i)
	total, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || total < 1 || index < 1 || index > total || total > 1000 {
		return Shard{}, fmt.Errorf("--shard %q: want i/n with 1 <= i <= n <= 1000, e.g. 2/3, or auto", text)
	}
	return Shard{index, total}, nil
}

// ciShardVars are the CI systems' job-matrix variables: index, total, and
// whether the index counts from 0.
var ciShardVars = []struct {
	index, total string
	fromZero     bool
}{
	{"CI_NODE_INDEX", "CI_NODE_TOTAL", false},                        // GitLab parallel
	{"BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", true}, // Buildkite
	{"JOB_COMPLETION_INDEX", "CONFORMANCE_SHARD_TOTAL", true},        // Kubernetes Indexed Job; the total is the Job's completions
}

func shardFromCI(getenv func(string) string) (Shard, error) {
	for _, v := range ciShardVars {
		if getenv(v.index) == "" {
			continue
		}
		index, err1 := strconv.Atoi(getenv(v.index))
		total, err2 := strconv.Atoi(getenv(v.total))
		if v.fromZero {
			index++
		}
		if err1 != nil || err2 != nil || total < 1 || index < 1 || index > total {
			return Shard{}, fmt.Errorf("--shard auto: %s=%q and %s=%q do not name a shard", v.index, getenv(v.index), v.total, getenv(v.total))
		}
		return Shard{index, total}, nil
	}
	return Shard{}, fmt.Errorf("--shard auto: none of CI_NODE_INDEX (GitLab), BUILDKITE_PARALLEL_JOB (Buildkite) or JOB_COMPLETION_INDEX (Kubernetes, with CONFORMANCE_SHARD_TOTAL) is set; on GitHub Actions pass --shard ${{ matrix.shard }}/N")
}

// only is the selection's share of the shard, and the features holding just it.
func (s selection) only(shard Shard) selection {
	out := selection{ids: s.ids, total: s.total, pick: s.pick}
	for _, sc := range s.all {
		if shard.Has(sc.ID()) {
			out.add(sc)
		}
	}
	return out
}

// shardOf narrows a run to its shard: the selection, the features godog
// reads (cut down to the picker's scenarios too), and the HPI pacing,
// divided among the shards, which cannot share one limiter.
func shardOf(cfg Config, prof *profile.Profile, fsys fs.FS, sel selection) (fs.FS, selection, error) {
	if cfg.Shard.Total <= 1 {
		if !sel.pick.active() {
			return fsys, sel, nil
		}
		sub, err := picked(fsys, sel.pick, func(features.Scenario) bool { return true })
		return sub, sel, err
	}
	share, err := shareOf(cfg.Shard, sel)
	if err != nil {
		return nil, sel, err
	}
	sub, err := picked(fsys, sel.pick, func(s features.Scenario) bool { return cfg.Shard.Has(s.ID()) })
	if err != nil {
		return nil, sel, err
	}
	if prof.HPI != nil && prof.HPI.Pacing.PerSecond > 0 {
		prof.HPI.Pacing.PerSecond /= float64(cfg.Shard.Total)
		prof.HPI.Pacing.Burst = max(1, prof.HPI.Pacing.Burst/cfg.Shard.Total)
		fmt.Fprintf(cfg.Stderr, "conformance: shard %s: hpi.pacing is divided among the %d shards, which cannot share one limiter: %.3g requests a second, burst %d, here\n",
			cfg.Shard, cfg.Shard.Total, prof.HPI.Pacing.PerSecond, prof.HPI.Pacing.Burst)
	}
	return sub, share, nil
}

// shareOf is the shard's share of the selection, refused when empty.
func shareOf(shard Shard, sel selection) (selection, error) {
	share := sel.only(shard)
	if len(share.all) == 0 {
		return sel, fmt.Errorf("--shard %s: none of the %d scenarios selected falls to this shard; use fewer shards", shard, len(sel.all))
	}
	return share, nil
}

// picked is fsys holding only the scenarios the picker and keep both keep;
// godog applies the tags.
func picked(fsys fs.FS, pick picker, keep func(features.Scenario) bool) (fs.FS, error) {
	return features.Subset(fsys, func(s features.Scenario) bool { return pick.keeps(s) && keep(s) })
}
