package suite

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
)

// eventsOut gives godog's event stream the three outcomes, a part at a
// time. The k-th TestCaseStarted is the k-th scenario that ran: one at a
// time, in the order they ran; at --concurrency N, ordered.go releases the
// events in file order and the recorder puts the part's outcomes in that
// order too (inFileOrderSince). Its step and case events say "skipped" with the
// reason where it was not judged, and carry its outcome. A run in parts is
// one stream: the first part's TestRunStarted and the last one's
// TestRunFinished.
type eventsOut struct {
	godog    bytes.Buffer // this part's stream, as godog writes it
	out      io.Writer
	k        int            // the TestCaseStarted events seen, less one
	started  bool           // TestRunStarted written
	failed   bool           // a scenario that ran failed
	finished map[string]any // the last TestRunFinished seen, written at the end
}

func (e *eventsOut) Write(p []byte) (int, error) { return e.godog.Write(p) }

// endPart writes the part's events; ran is every scenario that ran so far, in order.
func (e *eventsOut) endPart(ran []Scenario) error {
	defer e.godog.Reset()
	for _, raw := range bytes.Split(e.godog.Bytes(), []byte("\n")) {
		var ev map[string]any
		if json.Unmarshal(raw, &ev) != nil {
			continue
		}
		switch ev["event"] {
		case "TestRunStarted":
			if e.started {
				continue
			}
			e.started = true
		case "TestCaseStarted":
			e.k++
		case "TestStepFinished", "TestCaseFinished":
			if e.k >= 0 && e.k < len(ran) {
				markEvent(ev, ran[e.k])
				e.failed = e.failed || ran[e.k].Outcome == Failed
			}
		case "TestRunFinished":
			e.finished = ev
			continue
		}
		if err := writeEvent(e.out, ev); err != nil {
			return err
		}
	}
	return nil
}

// finish writes the run's TestRunFinished, with the run's status.
func (e *eventsOut) finish(ran []Scenario) error {
	if e.finished == nil {
		return nil
	}
	switch {
	case e.failed:
		e.finished["status"] = "failed"
	case slices.ContainsFunc(ran, func(s Scenario) bool { return s.Outcome != Passed }):
		e.finished["status"] = "skipped" // nothing failed; some were not judged
	default:
		e.finished["status"] = "passed"
	}
	return writeEvent(e.out, e.finished)
}

func writeEvent(w io.Writer, ev map[string]any) error {
	line, _ := json.Marshal(ev)
	_, err := w.Write(append(line, '\n'))
	return err
}

func markEvent(ev map[string]any, s Scenario) {
	if ev["event"] == "TestCaseFinished" {
		ev["outcome"] = string(s.Outcome)
	}
	if (s.Outcome == NotJudged || s.Outcome == NotRun) && ev["status"] == "failed" {
		ev["status"] = "skipped"
		ev["summary"] = string(s.Outcome) + ": " + s.Reason
	}
}
