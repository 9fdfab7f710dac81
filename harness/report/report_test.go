package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/healthapi-conformance/conformance/harness/evidence"
)

var update = flag.Bool("update", false, "rewrite testdata/small.html from the report as it is")

func render(t *testing.T, run *evidence.Run) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, run); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return b.String()
}

// tags are the page's real tags: text of the run is escaped, so its "<" is "&lt;".
var tags = regexp.MustCompile(`<[a-zA-Z][^>]*>`)

var attr = regexp.MustCompile(`\s([a-zA-Z-]+)="([^"]*)"`)

// allowed are the tags and attributes the template writes; anything else is
// text of the run that came out live.
var (
	allowedTags  = "html head meta title style body header form label select option input button span main section h1 h2 h3 h4 h5 p div table tr th td code b a details summary ol li pre script"
	allowedAttrs = " lang charset name content class id onsubmit value type placeholder href title data-outcome data-api data-rules data-compliance "
)

func TestTheReportLoadsNothingFromTheNetwork(t *testing.T) {
	run := syntheticRun(50)
	run.Suite = evidence.Suite{FeaturesDir: "/home/ana/features", FeaturesSHA256: "11", CatalogueSHA256: "22"}
	html := render(t, run)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b(src|href)\s*=\s*["']?\s*(https?:)?//`),
		regexp.MustCompile(`(?i)@import`),
		regexp.MustCompile(`(?i)url\(\s*["']?\s*(https?:)?//`),
	} {
		if m := bad.FindString(html); m != "" {
			t.Errorf("the report reaches out to the network: %q", m)
		}
	}
	for _, tag := range tags.FindAllString(html, -1) {
		for _, a := range attr.FindAllStringSubmatch(tag, -1) {
			if a[1] == "src" || (a[1] == "href" && !strings.HasPrefix(a[2], "#")) {
				t.Errorf("%s: only links within the page are allowed", tag)
			}
		}
	}
	if n := strings.Count(html, "<script"); n != 1 {
		t.Errorf("want the one inline script, found %d <script", n)
	}
}

// hostile is what a target could put in any text: each would run or break
// out of its element if it came out unescaped.
var hostile = []string{`</script>`, `<img src=x onerror=alert(1)>`, `"`, `" onmouseover="alert(2)`, `'><svg onload=alert(3)>`}

func hostileText(i int) string { return "x" + strings.Join(hostile, "") + string(rune('a'+i)) }

// poison puts hostile text in every text field of s that the page shows.
func poison(s *evidence.Scenario) {
	h := hostileText
	s.ID, s.Name, s.URI, s.Row, s.Reason, s.API = h(0), h(1), h(2), h(3), h(4), h(5)
	s.Rules, s.Compliance, s.Sources = []string{h(6)}, []string{h(7)}, []string{h(8)}
	s.Steps[0] = evidence.Step{Text: h(9), Status: h(10)}
	e := &s.Exchanges[0]
	e.Method, e.URL, e.TargetDate = h(11), h(12), h(13)
	e.RequestHeaders = append(e.RequestHeaders, evidence.Header{Name: h(14), Value: h(15)})
	e.ResponseHeaders = append(e.ResponseHeaders, evidence.Header{Name: h(16), Value: h(17)})
	e.RequestBody = h(18)                                                                         // text
	e.ResponseBody = `{"issue":[{"diagnostics":"` + strings.ReplaceAll(h(19), `"`, `\"`) + `"}]}` // JSON
}

func poisonedRun() *evidence.Run {
	run := syntheticRun(10)
	poison(&run.Scenarios[0])
	h := hostileText
	run.Tool = evidence.Tool{Name: h(20), Version: h(21), Revision: h(22)}
	run.Suite = evidence.Suite{FeaturesDir: h(23), FeaturesSHA256: h(24), CatalogueSHA256: h(25)}
	run.Selection.Tags, run.Selection.RulesLeftOut = h(26), []string{h(27)}
	run.Target, run.Profile = h(0), h(1)
	run.Assurance = &evidence.Assurance{Organisation: h(2), Application: h(3), ApplicationVersion: h(4), Interactions: []string{h(9)}, Tester: h(5), Contact: h(6), IGVersion: h(7), FHIRVersion: h(8)}
	run.Rules = append(run.Rules, evidence.Rule{ID: h(9), Says: h(10), Source: h(11), Verdict: h(12), Scenarios: []string{h(13)}})
	return run
}

func TestUntrustedTextNeverComesOutLive(t *testing.T) {
	html := render(t, poisonedRun())
	if n := strings.Count(strings.ToLower(html), "</script"); n != 1 {
		t.Errorf("want only the page's own </script>, found %d", n)
	}
	for _, live := range []string{"<img", "<svg", `" onmouseover="`, `"alert(2)`} {
		if strings.Contains(html, live) {
			t.Errorf("%q came out live", live)
		}
	}
	names := " " + allowedTags + " "
	for _, tag := range tags.FindAllString(html, -1) {
		name := strings.ToLower(regexp.MustCompile(`^<([a-zA-Z0-9]+)`).FindStringSubmatch(tag)[1])
		if !strings.Contains(names, " "+name+" ") {
			t.Errorf("tag %s is not the template's", tag)
		}
		rest := attr.ReplaceAllStringFunc(tag[len(name)+1:], func(a string) string {
			if n := attr.FindStringSubmatch(a)[1]; !strings.Contains(allowedAttrs, " "+n+" ") {
				t.Errorf("attribute %s in %s is not the template's", n, tag)
			}
			return ""
		})
		if strings.TrimSpace(strings.TrimSuffix(rest, ">")) != "" {
			t.Errorf("%s holds more than the template's quoted attributes: %q", tag, rest)
		}
	}
	// Shown, escaped: not dropped.
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;/script&gt;", "&#34; onmouseover=&#34;alert(2)"} {
		if !strings.Contains(html, want) {
			t.Errorf("the hostile text is not shown escaped as %q", want)
		}
	}
}

func TestTheReportHoldsTheRun(t *testing.T) {
	run := syntheticRun(14)
	run.Interrupted = true
	s := &run.Scenarios[2]
	s.Exchanges[2].Step = 99 // names no step
	s.Exchanges[1].Received, s.Exchanges[1].Status = time.Time{}, 0
	s.Exchanges[1].RequestBody = "plain <text> body"
	run.Rules[0].Scenarios = append(run.Rules[0].Scenarios, "gone.feature:1")
	html := render(t, run)
	for _, want := range []string{
		"<b>conformance v0.9.0</b> (69ad867)", `<span class="suite embedded">embedded suite</span>`,
		"abababababababababababababababababababababababababababababababab", "cdcdcdcdcdcd",
		"<code>@ers,@hpi</code>", "14 of 54 scenarios", "2: ERS-A099-left-out HPI-R099-left-out",
		"https://target.example/api", "vendor-uat", "<tr><th>Seed<td>42",
		"2026-03-02 09:30:00.000 Z", "2026-03-02 09:30:14.000 Z", "<tr><th>Exit code<td>1",
		"This run was interrupted", `<td id="count-passed">8`, `<td id="count-failed">2`,
		`<td id="count-not-judged">2`, `<td id="count-not-run">2`,
		"<tr><th>Organisation Name<td>Example Health Ltd", "<tr><th>Application name and version<td>Clinic Pro 4.2",
		"<tr><th>HPI IG Version<td>1.4.0", "<tr><th>FHIR release version<td>R4 4.0.1",
		"<tr><th>Test Script version<td>conformance v0.9.0, 69ad867",
		"<tr><th>Tester name and contact details<td>Ana Tester, ana@example.org",
		"<tr><th>Examples row<td>header: X-Correlation-Id; why: row 0",
		"<code>features/ers/operation-02.feature:12</code>", "expected status 200, but received 404",
		`<a href="#s3">features/ers/operation-02.feature:12</a>`, `<span class="missing" title="not in this run">gone.feature:1</span>`,
		`<a href="#c1">HPI-O-Get-1</a>`, "hpi/page-1.md",
		`<span class="st failed">failed</span> Then the answer is as documented`,
		"Exchanges of no listed step", "(no answer)", "→ <span class=\"http\">no answer</span>",
		"<tr><th>Target Date<td>Mon, 02 Mar 2026 09:30:02 UTC",
		"Authorization: Bearer ••••", "\n  &#34;resourceType&#34;: &#34;PractitionerRole&#34;,\n",
		`<pre class="body">plain &lt;text&gt; body</pre>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// The run's line heads every scenario's printed page.
	if n := strings.Count(html, `<div class="ph"><p class="meta"><b>conformance v0.9.0</b> (69ad867) · <span class="suite embedded">embedded suite</span>`); n != len(run.Scenarios) {
		t.Errorf("the print header with the suite is on %d scenarios, want %d", n, len(run.Scenarios))
	}
	if n := strings.Count(html, `<details class="ex">`); n != 3*len(run.Scenarios) {
		t.Errorf("%d exchanges shown, want %d, each collapsed", n, 3*len(run.Scenarios))
	}
	if strings.Contains(html, "counts in run.json differ") {
		t.Error("the counts agree with the scenarios, yet the report says they differ")
	}
}

func TestACustomSuiteIsSaidOnEveryPage(t *testing.T) {
	run := syntheticRun(5)
	run.Suite.Embedded, run.Suite.FeaturesDir = false, "/home/ana/features"
	html := render(t, run)
	line := `<span class="suite custom">custom suite from --features /home/ana/features</span>`
	if n := strings.Count(html, line); n != 1+len(run.Scenarios) {
		t.Errorf("the custom suite is said %d times, want at the top and on each of %d scenarios", n, len(run.Scenarios))
	}
	if !strings.Contains(html, "<title>Conformance report: https://target.example/api · custom suite</title>") {
		t.Error("the title does not say the suite is custom")
	}
}

func TestCountsThatDisagreeWithTheScenariosAreFlagged(t *testing.T) {
	run := syntheticRun(7)
	run.Counts.Passed++
	if html := render(t, run); !strings.Contains(html, "The counts in run.json differ from the scenarios listed: 4 passed, 1 failed, 1 not judged, 1 not run.") {
		t.Error("counts that disagree with the scenarios are not flagged")
	}
}

func TestARunWithoutAssuranceSaysSo(t *testing.T) {
	run := syntheticRun(2)
	run.Assurance = nil
	if html := render(t, run); !strings.Contains(html, "The profile has no assurance section.") {
		t.Error("a run without assurance does not say so")
	}
	if err := WriteHTML(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteHTML of no run returned no error")
	}
}

// The budget: 1,000 scenarios of three exchanges with 1 KB bodies fit in 15 MB.
func TestAThousandScenariosFitTheBudget(t *testing.T) {
	const budget = 15 << 20
	run := syntheticRun(1000)
	start := time.Now()
	html := render(t, run)
	t.Logf("1,000 scenarios, 3,000 exchanges: %d bytes (%.1f MB) written in %v", len(html), float64(len(html))/(1<<20), time.Since(start))
	if len(html) > budget {
		t.Errorf("the report is %d bytes, over the budget of %d", len(html), budget)
	}
}

// A golden file, so that a change in what assessors read shows in review.
func TestSmallReportIsAsReviewed(t *testing.T) {
	run := syntheticRun(3)
	run.Scenarios[2].Exchanges = run.Scenarios[2].Exchanges[:1]
	html := render(t, run)
	golden := filepath.Join("testdata", "small.html")
	if *update {
		if err := os.WriteFile(golden, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./harness/report -run Small -update writes it)", err)
	}
	if html != string(want) {
		t.Errorf("the report differs from %s; review it with -update and git diff", golden)
	}
}
