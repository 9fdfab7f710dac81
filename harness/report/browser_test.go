package report

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/healthapi-conformance/conformance/harness/evidence"
)

// chromium finds a browser, or skips; in CI a missing browser is a failure,
// since .ci/run installs it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is missing: none of chromium, chromium-browser, google-chrome is on PATH (.ci/run installs Debian's chromium)")
	}
	t.Skip("no chromium, chromium-browser or google-chrome on PATH: the report's browser test is skipped (apt-get install -y chromium)")
	return ""
}

// problems collects what the page must never do: throw, log an error,
// open a dialog (an injected alert) or ask the network for anything.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// listen is chromedp.Listen (ListenTarget before v0.21): it must return
// fast and run no command, so a dialog is dismissed from a goroutine.
func (p *problems) listen(ctx context.Context) error {
	return chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			p.add("JS exception at line %d: %s %s", d.LineNumber+1, d.Text, describe(d.Exception))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, describe(a))
				}
				p.add("console error: %s", strings.Join(args, " "))
			}
		case *page.EventJavascriptDialogOpening:
			p.add("a dialog opened: %q", e.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(e.Request.URL, "file://") {
				p.add("the page asked the network for %s", e.Request.URL)
			}
		}
	})
}

// describe is what the DevTools console would show of a value.
func describe(o *runtime.RemoteObject) string {
	switch {
	case o == nil:
		return ""
	case o.Description != "":
		return o.Description
	}
	return string(o.Value)
}

func TestTheReportInChromium(t *testing.T) {
	exe := chromium(t)
	run := syntheticRun(1000)
	poison(&run.Scenarios[7]) // untrusted text in one scenario of the thousand
	path := filepath.Join(t.TempDir(), "report.html")
	writeReport(t, path, run)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	var seen problems
	must(t, "start chromium and listen", seen.listen(bctx))
	version, err := chromedp.Run(bctx, chromedp.Evaluate[string](`navigator.userAgent`))
	must(t, "ask chromium its version", err)
	t.Logf("browser: %s", version)

	start := time.Now()
	must(t, "open the report", chromedp.Do(bctx,
		chromedp.Navigate("file://"+path),
		chromedp.WaitReady(chromedp.CSS(`html[data-ready]`)),
	))
	wall := time.Since(start)
	timing, err := chromedp.Run(bctx, chromedp.Evaluate[struct {
		Ready, DCL, Load float64
	}](`(() => { const n = performance.getEntriesByType("navigation")[0];
		return {Ready: Number(document.documentElement.dataset.ready), DCL: n.domContentLoadedEventEnd, Load: n.loadEventEnd}; })()`))
	must(t, "read the timing", err)
	t.Logf("%d scenarios: usable (filters ready) %.0f ms after navigation start; DOMContentLoaded %.0f ms, load %.0f ms; %v from Navigate to ready as the test saw it",
		len(run.Scenarios), timing.Ready, timing.DCL, timing.Load, wall)

	t.Run("counts", func(t *testing.T) { checkCounts(t, bctx, run) })
	t.Run("filters", func(t *testing.T) { checkFilters(t, bctx, run) })
	t.Run("exchange", func(t *testing.T) { checkExchange(t, bctx) })
	t.Run("untrusted text", func(t *testing.T) { checkInert(t, bctx, run.Scenarios[7].Name) })
	// Printing lays out every page at once: a small report keeps that quick.
	small := syntheticRun(20)
	small.Suite.Embedded, small.Suite.FeaturesDir = false, "/home/ana/features"
	smallPath := filepath.Join(filepath.Dir(path), "small.html")
	writeReport(t, smallPath, small)
	must(t, "open the small report", chromedp.Do(bctx, chromedp.Navigate("file://"+smallPath), chromedp.WaitReady(chromedp.CSS(`html[data-ready]`))))
	t.Run("print", func(t *testing.T) { checkPrint(t, bctx, "custom suite from --features /home/ana/features") })

	seen.mu.Lock()
	defer seen.mu.Unlock()
	for _, p := range seen.list {
		t.Error(p)
	}
}

func writeReport(t *testing.T, path string, run *evidence.Run) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(f, run); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func checkCounts(t *testing.T, ctx context.Context, run *evidence.Run) {
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(() => {
		const text = id => document.getElementById(id).textContent;
		return {passed: text("count-passed"), failed: text("count-failed"), notJudged: text("count-not-judged"),
			notRun: text("count-not-run"), listed: text("count-listed"), shown: text("shown"),
			sections: String(document.querySelectorAll("section.sc").length)};
	})()`))
	must(t, "read the counts", err)
	c := run.Counts
	n := fmt.Sprint(len(run.Scenarios))
	want := map[string]string{"passed": fmt.Sprint(c.Passed), "failed": fmt.Sprint(c.Failed), "notJudged": fmt.Sprint(c.NotJudged),
		"notRun": fmt.Sprint(c.NotRun), "listed": n, "shown": n, "sections": n}
	for k, v := range want {
		if shown[k] != v {
			t.Errorf("%s: the page shows %q, the run has %s", k, shown[k], v)
		}
	}
}

// filter sets the filters as a user would (a change or input event each)
// and answers the anchors of the scenarios left visible and the count shown.
const filter = `((set) => {
	for (const [id, v] of Object.entries(set)) {
		const el = document.getElementById(id);
		el.value = v;
		el.dispatchEvent(new Event(el.tagName === "INPUT" ? "input" : "change"));
	}
	const visible = [...document.querySelectorAll("section.sc")].filter(s => getComputedStyle(s).display !== "none").map(s => s.id);
	return {visible, shown: document.getElementById("shown").textContent};
})(%s)`

func checkFilters(t *testing.T, ctx context.Context, run *evidence.Run) {
	rule, compliance := run.Rules[3].ID, run.Compliance[2].ID
	for _, c := range []struct {
		name string
		set  string
		keep func(s evidence.Scenario) bool
	}{
		{"outcome failed", `{"f-outcome": "failed"}`, func(s evidence.Scenario) bool { return s.Outcome == evidence.Failed }},
		{"API hpi, not judged", `{"f-outcome": "not judged", "f-api": "hpi"}`, func(s evidence.Scenario) bool { return s.API == "hpi" && s.Outcome == evidence.NotJudged }},
		{"rule " + rule, `{"f-rule": "` + rule + `"}`, func(s evidence.Scenario) bool { return slices.Contains(s.Rules, rule) }},
		{"compliance " + compliance, `{"f-compliance": "` + compliance + `"}`, func(s evidence.Scenario) bool { return slices.Contains(s.Compliance, compliance) }},
		{"text", `{"f-text": "scenario 123 keeps"}`, func(s evidence.Scenario) bool { return strings.HasPrefix(s.Name, "Scenario 123 keeps") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for i, s := range run.Scenarios {
				if c.keep(s) {
					want = append(want, fmt.Sprintf("s%d", i+1))
				}
			}
			reset := `{"f-outcome": "", "f-api": "", "f-rule": "", "f-compliance": "", "f-text": ""}`
			must(t, "clear the filters", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(filter, reset))))
			got, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
				Visible []string `json:"visible"`
				Shown   string   `json:"shown"`
			}](fmt.Sprintf(filter, c.set)))
			must(t, "filter", err)
			if len(want) == 0 || !slices.Equal(got.Visible, want) {
				t.Errorf("visible: %d scenarios %v, want %d %v", len(got.Visible), head(got.Visible), len(want), head(want))
			}
			if got.Shown != fmt.Sprint(len(want)) {
				t.Errorf("the page says %s shown, want %d", got.Shown, len(want))
			}
		})
	}
	must(t, "show all", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#f-reset`))))
}

func head(s []string) []string { return s[:min(len(s), 5)] }

func checkExchange(t *testing.T, ctx context.Context) {
	const ex = `#s1 details.ex`
	closed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.querySelector("`+ex+` pre.headers").checkVisibility()`))
	must(t, "look at the exchange", err)
	if !closed {
		t.Error("the exchange is open before anyone opened it")
	}
	// The scenario is laid out only once on screen (content-visibility), so
	// it is scrolled to first, or the click lands where the summary was not.
	must(t, "open the exchange", chromedp.Do(ctx,
		chromedp.ScrollIntoView(chromedp.CSS(ex+` summary`)),
		chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`, chromedp.EvalAwaitPromise),
		chromedp.Click(chromedp.CSS(ex+` summary`)),
	))
	opened, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("`+ex+`").open`))
	must(t, "look at the exchange", err)
	if !opened {
		t.Fatal("a click on the summary did not open the exchange")
	}
	headers, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(ex+` pre.headers`)))
	must(t, "read the headers", err)
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(ex+` pre.body`)))
	must(t, "read the body", err)
	if !strings.Contains(headers, "X-Correlation-Id: c0ffee-0-0") {
		t.Errorf("the request headers shown are %q", headers)
	}
	if !strings.Contains(body, `  "resourceType": "PractitionerRole",`) {
		t.Errorf("the body is not shown pretty-printed: %.200q", body)
	}
}

// checkInert proves the hostile scenario's text is text: no element was
// made of it, and its name reads as written.
func checkInert(t *testing.T, ctx context.Context, name string) {
	got, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Foreign int    `json:"foreign"`
		Scripts int    `json:"scripts"`
		Title   string `json:"title"`
	}](`({
		foreign: document.querySelectorAll("img, svg, iframe, object, embed, [onerror], [onload], [onmouseover]").length,
		scripts: document.scripts.length,
		title: document.querySelector("#s8 h3").textContent})`))
	must(t, "look for injected elements", err)
	if got.Foreign != 0 || got.Scripts != 1 {
		t.Errorf("untrusted text came out live: %d injected elements, %d scripts", got.Foreign, got.Scripts)
	}
	if !strings.Contains(got.Title, name) {
		t.Errorf("the hostile name reads %q, want it to contain %q", got.Title, name)
	}
}

// checkPrint looks at the page as printed: each scenario on a new page,
// headed by the run's line, every exchange open.
func checkPrint(t *testing.T, ctx context.Context, suite string) {
	must(t, "emulate print", media(ctx, "print"))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Break  string `json:"break"`
		Header bool   `json:"header"`
		Suite  string `json:"suite"`
		Body   bool   `json:"body"`
	}](`({
			break: getComputedStyle(document.querySelector("#s2")).breakBefore,
			header: document.querySelector("#s2 .ph").checkVisibility(),
			suite: document.querySelector("#s2 .ph .suite").textContent,
			body: document.querySelector("#s2 details.ex pre.body").checkVisibility()})`))
	must(t, "look at the printed page", err)
	// "print" on one scenario leaves the others off the paper.
	solo, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`(() => {
		document.body.classList.add("solo");
		document.querySelector("#s3").classList.add("only");
		const shown = ["#s2", "#s3", ".overview"].map(s => document.querySelector(s).checkVisibility());
		document.body.classList.remove("solo");
		document.querySelector("#s3").classList.remove("only");
		return shown;
	})()`))
	must(t, "print one scenario", err)
	if !slices.Equal(solo, []bool{false, true, false}) {
		t.Errorf("printing scenario 3 alone shows scenario 2, 3 and the overview: %v", solo)
	}
	must(t, "back to the screen", media(ctx, ""))
	if got.Break != "page" || !got.Header || got.Suite != suite || !got.Body {
		t.Errorf("printed, a scenario has break-before %q, header shown %v with suite %q, closed exchange shown %v",
			got.Break, got.Header, got.Suite, got.Body)
	}
}

// media emulates a CSS media type ("print"), or the screen again with "".
func media(ctx context.Context, m string) error {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
	return err
}
