package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/healthapi-conformance/conformance/harness/evidence"
)

// outcomes cycle so that every outcome, both APIs and every rule meet.
var outcomes = []string{evidence.Passed, evidence.Passed, evidence.Failed, evidence.Passed, evidence.NotJudged, evidence.Passed, evidence.NotRun}

// syntheticRun is a run of n scenarios, each with three exchanges whose
// bodies are about 1 KB, as the budget in the brief assumes.
func syntheticRun(n int) *evidence.Run {
	start := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	run := &evidence.Run{
		Tool:  evidence.Tool{Name: "conformance", Version: "v0.9.0", Revision: "69ad867"},
		Suite: evidence.Suite{Embedded: true, FeaturesSHA256: strings.Repeat("ab", 32), CatalogueSHA256: strings.Repeat("cd", 32)},
		Selection: evidence.Selection{Tags: "@ers,@hpi", Selected: n, Total: n + 40,
			RulesLeftOut: []string{"ERS-A099-left-out", "HPI-R099-left-out"}},
		Target:  "https://target.example/api",
		Profile: "vendor-uat",
		Assurance: &evidence.Assurance{Organisation: "Example Health Ltd", Application: "Clinic Pro", ApplicationVersion: "4.2",
			Tester: "Ana Tester", Contact: "ana@example.org", IGVersion: "1.4.0", FHIRVersion: "R4 4.0.1"},
		Seed:    42,
		Started: start,
	}
	rules := map[string]*evidence.Rule{}
	var order []string
	for i := 0; i < n; i++ {
		s := syntheticScenario(i, start.Add(time.Duration(i)*time.Second))
		run.Scenarios = append(run.Scenarios, s)
		run.Counts.Add(s.Outcome)
		for _, id := range append(append([]string{}, s.Rules...), s.Compliance...) {
			if rules[id] == nil {
				rules[id] = &evidence.Rule{ID: id, Says: "The docs promise " + id, Source: "spec page, section " + id}
				order = append(order, id)
			}
			rules[id].Scenarios = append(rules[id].Scenarios, s.ID)
			rules[id].Verdict = worse(rules[id].Verdict, s.Outcome)
		}
	}
	for _, id := range order {
		if strings.HasPrefix(id, "HPI-O-") {
			run.Compliance = append(run.Compliance, *rules[id])
		} else {
			run.Rules = append(run.Rules, *rules[id])
		}
	}
	run.Ended = start.Add(time.Duration(n) * time.Second)
	if run.Counts.Failed > 0 {
		run.ExitCode = 1
	}
	return run
}

func syntheticScenario(i int, at time.Time) evidence.Scenario {
	api := []string{"ers", "hpi"}[i%2]
	uri := fmt.Sprintf("features/%s/operation-%02d.feature", api, i%25)
	s := evidence.Scenario{
		ID: fmt.Sprintf("%s:%d", uri, 10+i), Name: fmt.Sprintf("Scenario %d keeps promise %d", i, i%11),
		URI: uri, Line: 10 + i, API: api, Outcome: outcomes[i%len(outcomes)],
		Rules:   []string{fmt.Sprintf("%s-R%03d", strings.ToUpper(api), i%20)},
		Sources: []string{api + "/page-" + fmt.Sprint(i%5) + ".md"}, DurationMS: int64(40 + i%90),
		Steps: []evidence.Step{{Text: "Given a session", Status: "passed"}, {Text: "When the user asks", Status: "passed"}, {Text: "Then the answer is as documented", Status: "passed"}},
	}
	if i%3 == 0 {
		s.Row = fmt.Sprintf("header: X-Correlation-Id; why: row %d", i)
	}
	if api == "hpi" {
		s.Compliance = []string{fmt.Sprintf("HPI-O-Get-%d", i%7)}
	}
	switch s.Outcome {
	case evidence.Failed:
		s.Reason, s.Steps[2].Status = "expected status 200, but received 404", "failed"
	case evidence.NotJudged:
		s.Reason, s.Steps[2].Status = "the target did not answer within 30s", "failed"
	case evidence.NotRun:
		s.Reason, s.Steps[1].Status, s.Steps[2].Status = "the run was stopped", "skipped", "skipped"
	}
	for k := 0; k < 3; k++ {
		s.Exchanges = append(s.Exchanges, syntheticExchange(i, k, at.Add(time.Duration(k)*100*time.Millisecond)))
	}
	return s
}

func syntheticExchange(i, k int, at time.Time) evidence.Exchange {
	e := evidence.Exchange{
		Step: k, Sent: at, Received: at.Add(37 * time.Millisecond), TargetDate: at.Format(time.RFC1123),
		Method: "GET", URL: fmt.Sprintf("https://target.example/api/PractitionerRole/PR%05d-%d", i, k), Status: 200,
		RequestHeaders: []evidence.Header{{Name: "Accept", Value: "application/fhir+json"}, {Name: "Authorization", Value: "Bearer ••••"},
			{Name: "X-Correlation-Id", Value: fmt.Sprintf("c0ffee-%d-%d", i, k)}, {Name: "userId", Value: "user-1"}, {Name: "User-Agent", Value: "conformance/v0.9.0"}},
		ResponseHeaders: []evidence.Header{{Name: "Content-Type", Value: "application/fhir+json"}, {Name: "Date", Value: at.Format(time.RFC1123)},
			{Name: "X-Correlation-Id", Value: fmt.Sprintf("c0ffee-%d-%d", i, k)}, {Name: "Content-Length", Value: "1024"}},
		ResponseBody: fhirBody(i, k),
	}
	if k == 1 {
		e.Method, e.RequestBody = "POST", fhirBody(i, k+10)
	}
	return e
}

// fhirBody is about 1 KB of compact JSON, as a target sends it.
func fhirBody(i, k int) string {
	b := fmt.Sprintf(`{"resourceType":"PractitionerRole","id":"PR%05d-%d","meta":{"versionId":"1","lastUpdated":"2026-03-02T09:30:00Z"},`+
		`"practitioner":{"reference":"Practitioner/99ZZZZ"},"organization":{"reference":"Organization/G00001-G"},"location":[{"reference":"Location/F0K068-D"}],`+
		`"code":[{"coding":[{"system":"https://standards.digital.health.nz/ns/practitioner-role-code","code":"NUR"}]}],`+
		`"period":{"start":"2020-01-01"},"telecom":[{"system":"phone","value":"+64 4 496 2000","use":"work"}],`, i, k)
	for len(b) < 980 {
		b += fmt.Sprintf(`"extension%d":{"url":"https://example.org/ext/%d","valueString":"some value %d"},`, len(b), len(b), i)
	}
	return b + `"active":true}`
}

// worse is a rule's verdict once one more of its scenarios is known.
func worse(verdict, outcome string) string {
	switch {
	case verdict == evidence.Failed || outcome == evidence.Failed:
		return evidence.Failed
	case verdict == evidence.NotJudged || outcome == evidence.NotJudged || outcome == evidence.NotRun:
		return evidence.NotJudged
	}
	return evidence.Passed
}
