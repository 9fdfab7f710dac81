package suite

import (
	"encoding/json"
	"fmt"
	"io"
)

// rewriteCucumber gives godog's cucumber report the three outcomes: godog
// knows only that a step failed. A scenario not judged keeps its evidence,
// but the step that stopped it is "skipped" with the reason, so that only
// failed scenarios show as failed; one never run has every step skipped.
// godog lists features by name and scenarios in file order; the outcomes
// are matched to them by file, in that order.
func rewriteCucumber(w io.Writer, report []byte, res []Scenario) error {
	if len(report) == 0 {
		return nil
	}
	var features []map[string]any
	if err := json.Unmarshal(report, &features); err != nil {
		return fmt.Errorf("godog's cucumber report is not JSON: %w", err)
	}
	byURI := map[string][]Scenario{}
	for _, s := range res {
		byURI[s.URI] = append(byURI[s.URI], s)
	}
	for _, f := range features {
		uri, _ := f["uri"].(string)
		elements, _ := f["elements"].([]any)
		outcomes := byURI[uri]
		for i, e := range elements {
			if el, ok := e.(map[string]any); ok && i < len(outcomes) && el["name"] == outcomes[i].Name {
				markSteps(el, outcomes[i])
			}
		}
	}
	data, err := json.MarshalIndent(features, "", "    ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// markSteps sets the steps' results of a scenario not judged or not run.
func markSteps(el map[string]any, s Scenario) {
	if s.Outcome != NotJudged && s.Outcome != NotRun {
		return
	}
	el["outcome"] = string(s.Outcome)
	steps, _ := el["steps"].([]any)
	for _, st := range steps {
		step, _ := st.(map[string]any)
		result, _ := step["result"].(map[string]any)
		if result == nil {
			continue
		}
		if s.Outcome == NotRun || result["status"] == "failed" {
			result["status"] = "skipped"
			result["error_message"] = string(s.Outcome) + ": " + s.Reason
		}
	}
}
