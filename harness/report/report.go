// Package report writes report.html: one self-contained page an assessor
// reads, from run.json's Run. It loads nothing from the network, escapes
// every text of the run (a target's bodies and headers are untrusted) with
// html/template, and prints one page per scenario.
package report

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/healthapi-conformance/conformance/harness/evidence"
)

var (
	//go:embed report.tmpl
	pageTemplate string
	//go:embed report.css
	pageCSS string
	//go:embed report.js
	pageJS string
)

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"when":   when,
	"took":   took,
	"class":  class,
	"join":   func(s []string) string { return strings.Join(s, " ") },
	"status": status,
	"short":  short,
}).Parse(pageTemplate))

// WriteHTML writes the report of run to w.
func WriteHTML(w io.Writer, run *evidence.Run) error {
	if run == nil {
		return errors.New("report: no run to write")
	}
	v := newView(run)
	var meta strings.Builder // the run's facts head every printed page: escaped once, not once a scenario
	if err := reportTemplate.ExecuteTemplate(&meta, "meta", run); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	v.Meta = template.HTML(meta.String()) // html/template's own output, in the same (HTML text) context
	bw := bufio.NewWriterSize(w, 64<<10)  // the template writes in many small pieces
	if err := reportTemplate.Execute(bw, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return bw.Flush()
}

// view is the Run arranged as the page shows it: anchors resolved,
// exchanges under their steps, bodies pretty-printed.
type view struct {
	Run        *evidence.Run
	Meta       template.HTML // the "meta" template of Run, rendered
	CSS        template.CSS
	JS         template.JS
	Tally      evidence.Counts // counted from the scenarios listed
	Rules      []ruleView
	Compliance []ruleView
	Scenarios  []scenarioView
}

// TallyDiffers says the counts in run.json disagree with its scenarios.
func (v view) TallyDiffers() bool { return v.Tally != v.Run.Counts }

type ruleView struct {
	evidence.Rule
	Anchor string
	Links  []link
}

// link is a scenario a rule names; Anchor is empty when the run lacks it.
type link struct{ Anchor, ID string }

type scenarioView struct {
	*evidence.Scenario
	Anchor     string
	Rules      []link
	Compliance []link
	Steps      []stepView
	Loose      []exchangeView // exchanges whose step index names no step
}

type stepView struct {
	evidence.Step
	Exchanges []exchangeView
}

type exchangeView struct {
	*evidence.Exchange
	RequestBody, ResponseBody body
}

// body is a request or response body, pretty-printed when it is JSON.
type body struct {
	Text string
	JSON bool
}

func newView(run *evidence.Run) view {
	v := view{Run: run, CSS: template.CSS(pageCSS), JS: template.JS(pageJS)}
	scenarios := map[string]string{}
	for i, s := range run.Scenarios {
		scenarios[s.ID] = fmt.Sprintf("s%d", i+1)
		v.Tally.Add(s.Outcome)
	}
	v.Rules = ruleViews(run.Rules, "r", scenarios)
	v.Compliance = ruleViews(run.Compliance, "c", scenarios)
	rules, compliance := anchors(v.Rules), anchors(v.Compliance)
	for i := range run.Scenarios {
		s := &run.Scenarios[i]
		v.Scenarios = append(v.Scenarios, scenarioView{
			Scenario:   s,
			Anchor:     scenarios[s.ID],
			Rules:      links(s.Rules, rules),
			Compliance: links(s.Compliance, compliance),
			Steps:      steps(s),
			Loose:      loose(s),
		})
	}
	return v
}

func ruleViews(rules []evidence.Rule, prefix string, scenarios map[string]string) []ruleView {
	out := make([]ruleView, len(rules))
	for i, r := range rules {
		out[i] = ruleView{Rule: r, Anchor: fmt.Sprintf("%s%d", prefix, i+1), Links: links(r.Scenarios, scenarios)}
	}
	return out
}

func anchors(rules []ruleView) map[string]string {
	m := make(map[string]string, len(rules))
	for _, r := range rules {
		m[r.ID] = r.Anchor
	}
	return m
}

func links(ids []string, anchors map[string]string) []link {
	out := make([]link, len(ids))
	for i, id := range ids {
		out[i] = link{Anchor: anchors[id], ID: id}
	}
	return out
}

func steps(s *evidence.Scenario) []stepView {
	out := make([]stepView, len(s.Steps))
	for i, st := range s.Steps {
		out[i].Step = st
	}
	for i := range s.Exchanges {
		if e := &s.Exchanges[i]; e.Step >= 0 && e.Step < len(out) {
			out[e.Step].Exchanges = append(out[e.Step].Exchanges, exchange(e))
		}
	}
	return out
}

func loose(s *evidence.Scenario) []exchangeView {
	var out []exchangeView
	for i := range s.Exchanges {
		if e := &s.Exchanges[i]; e.Step < 0 || e.Step >= len(s.Steps) {
			out = append(out, exchange(e))
		}
	}
	return out
}

func exchange(e *evidence.Exchange) exchangeView {
	return exchangeView{Exchange: e, RequestBody: pretty(e.RequestBody), ResponseBody: pretty(e.ResponseBody)}
}

// pretty indents a JSON body; any other body stays as it came.
func pretty(s string) body {
	if !json.Valid([]byte(s)) {
		return body{Text: s}
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return body{Text: s}
	}
	return body{Text: b.String(), JSON: true}
}

// when shows a time to the millisecond, in the zone it was taken in.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04:05.000 Z07:00")
}

// took is how long a target took to answer.
func took(e *evidence.Exchange) string {
	if e.Received.IsZero() {
		return "no answer"
	}
	return fmt.Sprintf("%d ms", e.Received.Sub(e.Sent).Milliseconds())
}

// status is an exchange's HTTP status, or that none came.
func status(code int) string {
	if code == 0 {
		return "no answer"
	}
	return fmt.Sprint(code)
}

// short is the start of a digest, enough to tell two suites apart at a glance.
func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// class turns an outcome or verdict ("not judged") into a CSS class.
func class(s string) string { return strings.ReplaceAll(s, " ", "-") }
