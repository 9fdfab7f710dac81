package suite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// cucumberOut joins godog's cucumber report of each part, a JSON array of
// features, into one array.
type cucumberOut struct {
	out   io.Writer    // the masked destination
	part  bytes.Buffer // this part's report, as godog writes it
	parts int          // parts written so far
}

func (c *cucumberOut) Write(p []byte) (int, error) { return c.part.Write(p) }

// endPart writes the part's features into the array, given their outcomes
// unless every scenario was judged: then godog's report is right as it is,
// and is not decoded.
func (c *cucumberOut) endPart(res []Scenario, judged bool) error {
	defer c.part.Reset()
	doc := c.part.Bytes()
	if !judged {
		var b bytes.Buffer
		if err := rewriteCucumber(&b, doc, res); err != nil {
			return err
		}
		doc = b.Bytes()
	}
	doc = bytes.TrimSpace(doc)
	if len(doc) < 2 || doc[0] != '[' || doc[len(doc)-1] != ']' {
		return fmt.Errorf("godog's cucumber report is not a JSON array")
	}
	if inner := bytes.TrimSpace(doc[1 : len(doc)-1]); len(inner) > 0 {
		sep := ",\n    "
		if c.parts == 0 {
			sep = "[\n    "
		}
		c.parts++
		if _, err := io.WriteString(c.out, sep); err != nil {
			return err
		}
		if _, err := c.out.Write(inner); err != nil {
			return err
		}
	}
	return nil
}

// MergeCucumber writes one cucumber report from the reports of a run's
// shards, joined as the parts of one run are.
func MergeCucumber(w io.Writer, reports ...io.Reader) error {
	c := &cucumberOut{out: w}
	for _, r := range reports {
		if _, err := c.part.ReadFrom(r); err != nil {
			return err
		}
		if err := c.endPart(nil, true); err != nil {
			return fmt.Errorf("a shard's cucumber report: %w", err)
		}
	}
	return c.finish()
}

// finish closes the array.
func (c *cucumberOut) finish() error {
	end := "\n]\n"
	if c.parts == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(c.out, end)
	return err
}

// rewriteCucumber gives godog's cucumber report the three outcomes: godog
// knows only that a step failed. A scenario not judged keeps its evidence,
// but the step that stopped it is "skipped" with the reason, so that only
// failed scenarios show as failed; one never run has every step skipped.
// godog lists features by name and scenarios in file order; the outcomes
// are matched to them by file, in that order.
func rewriteCucumber(w io.Writer, report []byte, res []Scenario) error {
	// Only the scenarios not judged are decoded whole: a report holds every
	// exchange of the run, and decoding all of it would double the run's memory.
	var features []map[string]json.RawMessage
	if err := json.Unmarshal(report, &features); err != nil {
		return fmt.Errorf("godog's cucumber report is not JSON: %w", err)
	}
	byURI := map[string][]Scenario{}
	for _, s := range res {
		byURI[s.URI] = append(byURI[s.URI], s)
	}
	for _, f := range features {
		if err := markFeature(f, byURI); err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(features, "", "    ")
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// markFeature marks the elements of one feature, matched to outcomes in file order.
func markFeature(f map[string]json.RawMessage, byURI map[string][]Scenario) error {
	var uri string
	var elements []json.RawMessage
	if json.Unmarshal(f["uri"], &uri) != nil || json.Unmarshal(f["elements"], &elements) != nil {
		return nil // not a feature as godog writes one: left as it is
	}
	outcomes := byURI[uri]
	changed := false
	for i := range elements {
		if i >= len(outcomes) || (outcomes[i].Outcome != NotJudged && outcomes[i].Outcome != NotRun) {
			continue
		}
		var el map[string]any
		if json.Unmarshal(elements[i], &el) != nil || el["name"] != outcomes[i].Name {
			continue
		}
		markSteps(el, outcomes[i])
		elements[i], _ = json.Marshal(el)
		changed = true
	}
	if changed {
		data, err := json.Marshal(elements)
		if err != nil {
			return err
		}
		f["elements"] = data
	}
	return nil
}

// markSteps sets the steps' results of a scenario not judged or not run.
func markSteps(el map[string]any, s Scenario) {
	el["outcome"] = string(s.Outcome)
	steps, _ := el["steps"].([]any)
	for _, st := range steps {
		step, _ := st.(map[string]any)
		result, _ := step["result"].(map[string]any)
		if result == nil {
			continue
		}
		if status := result["status"]; s.Outcome == NotRun || status != "passed" && status != "skipped" {
			result["status"] = "skipped" // failed, undefined, pending or ambiguous: it judged nothing
			result["error_message"] = string(s.Outcome) + ": " + s.Reason
		}
	}
}
