package harness

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
)

// progress tells a person how far a run has gone: on a terminal, a live
// line under the output (scenario i of n, the outcomes so far, the time
// left, and any wait for the usage plan); in a log, a plain line now and
// then, so that a paced run is never silent for long.
type progress struct {
	mu     sync.Mutex
	w      io.Writer // where the line goes: the run's Stderr
	live   bool      // w is a terminal: one line, redrawn in place
	colour bool
	total  int
	start  time.Time

	passed, failed, unjudged int // so far

	wait      string                   // what the run is waiting for, while it waits
	waitUntil time.Time                // when the wait ends
	waited    map[string]time.Duration // in a log: the waits since the last line, by why
	shown     bool                     // the live line is on the screen
	drawn     time.Time                // when the line was last drawn or printed
	now       func() time.Time
}

// plainEvery is how often a log hears how far the run has gone.
const plainEvery = 10 * time.Second

// liveEvery bounds how often the live line is redrawn.
const liveEvery = 100 * time.Millisecond

func newProgress(w io.Writer, total int, live, colour bool) *progress {
	if w == nil { // Execute's callers (mutants, budget, tests) may want no messages
		w = io.Discard
	}
	p := &progress{w: w, total: total, live: live, colour: colour && live, now: time.Now, waited: map[string]time.Duration{}}
	p.start, p.drawn = p.now(), p.now()
	return p
}

// done is how many scenarios have ended.
func (p *progress) done() int { return p.passed + p.failed + p.unjudged }

// scenario counts a scenario's outcome.
func (p *progress) scenario(s suite.Scenario) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch s.Outcome {
	case suite.Passed:
		p.passed++
	case suite.Failed:
		p.failed++
	default:
		p.unjudged++
	}
	p.wait = ""
	p.update(false)
}

// waiting says the run waits d, for why (exchange.Policy.OnWait).
func (p *progress) waiting(d time.Duration, why string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wait, p.waitUntil = why, p.now().Add(d)
	if !p.live {
		p.waited[why] += d // a log hears of the waits in its next line
	}
	p.update(p.live || d >= time.Second)
}

// update draws the line, if it is time to.
func (p *progress) update(waitNews bool) {
	since := p.now().Sub(p.drawn)
	if p.live && (waitNews || since >= liveEvery || p.done() == p.total) {
		fmt.Fprintf(p.w, "\r\x1b[K%s", p.line())
		p.shown = true
		p.drawn = p.now()
	} else if !p.live && since >= plainEvery {
		fmt.Fprintf(p.w, "conformance: %s%s\n", p.line(), p.waitedSince())
		p.drawn = p.now()
	}
}

// line is the run so far, in a line.
func (p *progress) line() string {
	var b strings.Builder
	done := p.done()
	fmt.Fprintf(&b, "scenario %d of %d: %s passed, %s failed, %s not judged", done, p.total,
		p.paint("32", p.passed), p.paint("31", p.failed), p.paint("33", p.unjudged))
	if done > 0 && done < p.total {
		per := p.now().Sub(p.start) / time.Duration(done)
		fmt.Fprintf(&b, ", about %s left", (per * time.Duration(p.total-done)).Round(time.Second))
	}
	if p.wait != "" {
		fmt.Fprintf(&b, "; waiting %s: %s", max(p.waitUntil.Sub(p.now()), 0).Round(100*time.Millisecond), p.wait)
	}
	return b.String()
}

// waitedSince says, in a log's line, how long the run waited since the
// last line, by why, and starts counting again.
func (p *progress) waitedSince() string {
	var parts []string
	for _, why := range []string{exchange.WaitPacing, exchange.WaitRetry} {
		if d := p.waited[why]; d > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", d.Round(100*time.Millisecond), why))
		}
	}
	clear(p.waited)
	if len(parts) == 0 {
		return ""
	}
	return "; waits since the last line, added up over the scenarios: " + strings.Join(parts, ", ")
}

// paint colours a count that is not zero, on a terminal that takes colour.
func (p *progress) paint(code string, n int) string {
	if !p.colour || n == 0 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("\x1b[%sm%d\x1b[0m", code, n)
}

// end takes the live line off the screen, for the summary.
func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// under wraps the formatters' destination: on a terminal, what they write
// goes above the live line, which is drawn again at the next scenario.
func (p *progress) under(w io.Writer) io.Writer {
	if !p.live {
		return w
	}
	return writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.clear()
		return w.Write(b)
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
