package harness

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/healthapi-conformance/conformance/harness/suite"
)

// clock is a progress line's time, moved by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time       { return c.t }
func (c *clock) pass(d time.Duration) { c.t = c.t.Add(d) }
func testProgress(live bool) (*progress, *bytes.Buffer, *clock) {
	var w bytes.Buffer
	c := &clock{t: time.Unix(1e9, 0)}
	p := newProgress(&w, 4, live, true)
	p.now = c.now
	p.start, p.drawn = c.t, c.t
	return p, &w, c
}

func TestALiveLineCountsTheOutcomesAndTheTimeLeft(t *testing.T) {
	p, w, c := testProgress(true)
	c.pass(time.Second)
	p.scenario(suite.Scenario{Outcome: suite.Passed})
	assert.Equal(t, "\r\x1b[Kscenario 1 of 4: \x1b[32m1\x1b[0m passed, 0 failed, 0 not judged, about 3s left", w.String())
	w.Reset()
	c.pass(time.Second)
	p.waiting(1500*time.Millisecond, "usage plan")
	assert.Contains(t, w.String(), "scenario 1 of 4", "a wait is drawn at once")
	assert.Contains(t, w.String(), "about 6s left; waiting 1.5s: usage plan")
	w.Reset()
	_, _ = p.under(&bytes.Buffer{}).Write([]byte("pretty output\n"))
	assert.Equal(t, "\r\x1b[K", w.String(), "the formatters' output goes above the line, which is cleared first")
	c.pass(time.Second)
	p.scenario(suite.Scenario{Outcome: suite.Failed})
	assert.NotContains(t, w.String(), "waiting", "the wait is over once a scenario ends")
	assert.Contains(t, w.String(), "\x1b[31m1\x1b[0m failed")
	w.Reset()
	p.end()
	assert.Equal(t, "\r\x1b[K", w.String(), "the summary starts on a clean line")
}

func TestALogHearsOfTheRunEveryTenSeconds(t *testing.T) {
	p, w, c := testProgress(false)
	p.scenario(suite.Scenario{Outcome: suite.Passed})
	p.waiting(500*time.Millisecond, "usage plan")
	assert.Empty(t, w.String(), "a fast run, and waits under a second, print nothing at once")
	c.pass(plainEvery)
	p.waiting(2*time.Second, "429 Too Many Requests")
	assert.Equal(t, "conformance: scenario 1 of 4: 1 passed, 0 failed, 0 not judged, about 30s left; waiting 2s: 429 Too Many Requests; "+
		"waits since the last line, added up over the scenarios: 500ms (usage plan), 2s (429 Too Many Requests)\n", w.String(),
		"plain: no colour, no carriage return")
	w.Reset()
	c.pass(time.Second)
	p.scenario(suite.Scenario{Outcome: suite.NotJudged})
	assert.Empty(t, w.String(), "at most a line every ten seconds")
	c.pass(plainEvery)
	p.scenario(suite.Scenario{Outcome: suite.Passed})
	assert.True(t, strings.HasPrefix(w.String(), "conformance: scenario 3 of 4: 2 passed, 0 failed, 1 not judged"), w.String())
	assert.NotContains(t, w.String(), "waits since", "the waits were told in the line before")
	p.end()
	assert.NotContains(t, w.String(), "\r")
}

// A run on a terminal ends its live line at "n of n", and clears it for the summary.
func TestARunOnATerminalShowsItsProgress(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), Config{Tags: "@ers", Format: "progress", Live: true, Stdout: &stdout, Stderr: &stderr})
	assert.Equal(t, ExitPassed, code)
	line, _, found := strings.Cut(stderr.String(), "\r\x1b[K\nconformance:")
	assert.True(t, found, "the line is cleared before the summary: %q", stderr.String())
	assert.Regexp(t, `scenario (\d+) of (\d+): (\d+) passed, 0 failed, 0 not judged$`, line)
}
