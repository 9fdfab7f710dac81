package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
)

// picker is the selection beyond the tag filter: --name, and the failed
// scenarios of the run --rerun-failed names. Both are ANDed with the tags.
// godog cannot select by either, so the run's features are cut down to the
// picked scenarios with features.Subset, as a shard's are.
type picker struct {
	name  *regexp.Regexp
	rerun map[string]string // a failed scenario's ID → its name, from run.json
	from  string            // the run.json rerun came from
}

func newPicker(cfg Config) (picker, error) {
	p := picker{name: cfg.Name, from: cfg.RerunFailed}
	if cfg.RerunFailed != "" {
		var err error
		if p.rerun, err = failedIn(cfg.RerunFailed); err != nil {
			return picker{}, err
		}
	}
	return p, nil
}

// active says whether the picker narrows the selection at all.
func (p picker) active() bool { return p.name != nil || p.rerun != nil }

// keeps says whether the picker keeps the scenario; tags aside.
func (p picker) keeps(s features.Scenario) bool {
	if p.name != nil && !p.name.MatchString(s.Title()) {
		return false
	}
	if p.rerun != nil {
		if _, ok := p.rerun[s.ID()]; !ok {
			return false
		}
	}
	return true
}

// check refuses a rerun whose failed scenarios are not in the features as
// they were: an edited file moves lines, and an ID would then name another
// scenario, so the scenario there must still bear the name.
func (p picker) check(all []features.Scenario) error {
	var gone []string
	for id, name := range p.rerun {
		i := slices.IndexFunc(all, func(s features.Scenario) bool { return s.ID() == id })
		if i < 0 || all[i].Name != name {
			gone = append(gone, fmt.Sprintf("%s %q", id, name))
		}
	}
	if len(gone) == 0 {
		return nil
	}
	slices.Sort(gone)
	verb := "are"
	if len(gone) == 1 {
		verb = "is"
	}
	return fmt.Errorf("--rerun-failed %s: %s of that run %s not in these features (edited since?): %s; run the whole selection instead",
		p.from, count(len(gone), "failed scenario"), verb, strings.Join(gone, ", "))
}

// describe names the selection's flags for a message.
func (p picker) describe(tags string) string {
	parts := []string{fmt.Sprintf("--tags %q", tags)}
	if p.name != nil {
		parts = append(parts, fmt.Sprintf("--name %q", p.name.String()))
	}
	if p.rerun != nil {
		parts = append(parts, "--rerun-failed "+p.from)
	}
	return strings.Join(parts, " and ")
}

// maxRunJSON bounds the run.json --rerun-failed reads: its exchanges are
// bounded by the requests' own bounds, and a run's are far below this.
const maxRunJSON = 512 << 20

// failedIn reads a previous run's run.json and returns its failed
// scenarios, by ID, with their names. Only "failed" is taken: a scenario
// not judged or not run says nothing against the target, and rerunning it
// is a matter of fixing the profile or the target's availability first.
func failedIn(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--rerun-failed: %w", err)
	}
	defer f.Close()
	var run evidence.Run
	dec := json.NewDecoder(io.LimitReader(f, maxRunJSON))
	if err := dec.Decode(&run); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w (truncated, or larger than %d MiB)", err, maxRunJSON>>20)
		}
		return nil, fmt.Errorf("--rerun-failed %s: not a run.json (written by run --evidence): %w", path, err)
	}
	if run.Tool.Name != evidence.ThisTool().Name || len(run.Scenarios) == 0 {
		return nil, fmt.Errorf("--rerun-failed %s: not a run.json (written by run --evidence): it names no tool %q run with scenarios", path, evidence.ThisTool().Name)
	}
	out := map[string]string{}
	for _, s := range run.Scenarios {
		if s.ID == "" {
			return nil, fmt.Errorf("--rerun-failed %s: not a run.json: a scenario has no id", path)
		}
		if s.Outcome == evidence.Failed {
			out[s.ID] = s.Name
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--rerun-failed %s: no scenario failed in that run (%d passed, %d not judged, %d not run): nothing to rerun",
			path, run.Counts.Passed, run.Counts.NotJudged, run.Counts.NotRun)
	}
	return out, nil
}
