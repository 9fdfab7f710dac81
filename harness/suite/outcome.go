package suite

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/steps"
)

// Outcome is a scenario's verdict.
type Outcome string

// The outcomes: only Failed counts against a rule.
const (
	Passed    Outcome = "passed"     // every step passed
	Failed    Outcome = "failed"     // a Then step found the target breaking the scenario's rule
	NotJudged Outcome = "not judged" // the scenario could not reach its Then, or the Then could not judge
	NotRun    Outcome = "not run"    // the run was interrupted before the scenario started
)

// Scenario is the outcome of one scenario.
type Scenario struct {
	Name     string
	URI      string
	Tags     []string
	Outcome  Outcome
	Reason   string // why it failed or was not judged, in one line, secrets masked
	Duration time.Duration
	Line     int             // the scenario's line in its file, or its Examples row's
	Row      []features.Cell // an outline's Examples row
	// Steps and Exchanges, masked, when the run keeps evidence.
	Steps     []evidence.Step
	Exchanges []evidence.Exchange
	// Judged is what a failed scenario's failing step judged, as masked
	// transcripts: its own exchanges, or the last step's before it that made any.
	Judged []string
	pickle int // godog's pickle id: the order of the scenario in its file
}

// RowText is the Examples row as "name: value; name: value"; empty for a plain scenario.
func (s Scenario) RowText() string { return features.Scenario{Row: s.Row}.RowText() }

// ID is the scenario's ID, as features.Scenario.ID gives it.
func (s Scenario) ID() string { return features.Scenario{URI: s.URI, Line: s.Line}.ID() }

// Title is the scenario's name, with its Examples row: the rows of an
// outline share its name.
func (s Scenario) Title() string { return features.Scenario{Name: s.Name, Row: s.Row}.Title() }

const notRunReason = "not run: the run was interrupted before this scenario started"

// notRunWhy says why a scenario of a stopped run was not run: interrupted,
// or stopped by --fail-fast at an earlier failure.
func notRunWhy(run context.Context) string {
	if ff, ok := stoppedBy(run); ok {
		return "not run: " + ff.Error()
	}
	return notRunReason
}

// judgement follows one scenario through its steps.
type judgement struct {
	run     context.Context // the run's: done once it is interrupted
	started time.Time
	notRun  bool
	step    *godog.Step // the first step that did not pass
	err     error
	// steps and exchanges, when the run keeps evidence
	steps     []evidence.Step
	exchanges []evidence.Exchange
	// judged are the transcripts of the last step that made any, up to step.
	judged []string
}

func (j *judgement) begin() {
	j.started = time.Now()
	j.notRun = j.run.Err() != nil
}

// stepEnded keeps the first step that returned an error, and the
// exchanges it judged: a Then that sends nothing judges the answer before it.
func (j *judgement) stepEnded(st *godog.Step, err error, exchanges []string) {
	if j.step != nil {
		return
	}
	if len(exchanges) > 0 {
		j.judged = exchanges
	}
	if err != nil {
		j.step, j.err = st, err
	}
}

// verdict turns the scenario's error into an outcome and its reason.
func (j *judgement) verdict(s *godog.Scenario, err error, red *redact.Redactor) Scenario {
	out := Scenario{Name: red.String(s.Name), URI: s.Uri, Duration: time.Since(j.started)} // a feature may quote a secret's value
	out.pickle, _ = strconv.Atoi(s.Id)
	for _, t := range s.Tags {
		out.Tags = append(out.Tags, t.Name)
	}
	out.Outcome, out.Reason = j.classify(err)
	out.Reason = red.String(out.Reason)
	out.Steps, out.Exchanges = j.steps, j.exchanges
	if out.Outcome == NotJudged || out.Outcome == NotRun {
		for i, st := range out.Steps {
			if st.Status == "failed" { // it judged nothing
				out.Steps[i].Status = string(out.Outcome)
			}
		}
	}
	if out.Outcome == Failed {
		out.Judged = j.judged // already masked
	}
	return out
}

func (j *judgement) classify(err error) (Outcome, string) {
	if j.err == nil {
		j.err = err
	}
	switch {
	case j.notRun:
		return NotRun, notRunWhy(j.run)
	case err == nil:
		return Passed, ""
	case j.step != nil && j.step.Type == messages.PickleStepType_OUTCOME && steps.IsViolation(j.err):
		return Failed, j.err.Error() // judged on a whole answer: a stop that came after does not undo it
	case j.run.Err() != nil:
		if ff, ok := stoppedBy(j.run); ok {
			return NotJudged, "the run was stopped during this scenario: " + ff.Error()
		}
		return NotJudged, "the run was interrupted during this scenario"
	case errors.Is(err, godog.ErrUndefined):
		return NotJudged, fmt.Sprintf("the step %q matches no step definition (a typo in the feature?)", j.stepText())
	case errors.Is(err, godog.ErrPending):
		return NotJudged, fmt.Sprintf("the step %q is pending", j.stepText())
	case errors.Is(err, godog.ErrAmbiguous):
		return NotJudged, fmt.Sprintf("the step %q matches more than one step definition", j.stepText())
	}
	return NotJudged, fmt.Sprintf("%s step %q: %v", j.phase(), j.stepText(), j.err)
}

func (j *judgement) stepText() string {
	if j.step == nil {
		return "(none)"
	}
	return j.step.Text
}

func (j *judgement) phase() string {
	if j.step == nil {
		return "a"
	}
	switch j.step.Type {
	case messages.PickleStepType_CONTEXT:
		return "Given"
	case messages.PickleStepType_ACTION:
		return "When"
	}
	return "Then"
}

// inFileOrder sorts scenarios as godog's reports list them: by file, then by pickle.
func inFileOrder(list []Scenario) {
	sort.SliceStable(list, func(a, b int) bool {
		if list[a].URI != list[b].URI {
			return list[a].URI < list[b].URI
		}
		return list[a].pickle < list[b].pickle
	})
}
