package suite

import (
	"bytes"
	"encoding/json"
	"io"
)

// rewriteEvents gives godog's event stream the three outcomes. Scenarios
// run one at a time, so the k-th TestCaseStarted is the k-th scenario that
// ran: its step and case events say "skipped" with the reason where it was
// not judged, and carry its outcome.
func rewriteEvents(w io.Writer, stream []byte, ran []Scenario) error {
	k := -1
	failed := false
	for _, raw := range bytes.Split(stream, []byte("\n")) {
		var ev map[string]any
		if json.Unmarshal(raw, &ev) != nil {
			continue
		}
		switch ev["event"] {
		case "TestCaseStarted":
			k++
		case "TestStepFinished", "TestCaseFinished":
			if k >= 0 && k < len(ran) {
				markEvent(ev, ran[k])
				failed = failed || ran[k].Outcome == Failed
			}
		case "TestRunFinished":
			if ev["status"] == "failed" && !failed {
				ev["status"] = "skipped" // nothing failed; some were not judged
			}
		}
		line, _ := json.Marshal(ev)
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return nil
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
