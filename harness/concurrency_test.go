package harness

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// concurrentRun runs the suite with n scenarios at once, writing every
// formatter, and returns the outcome and each output with its timings,
// timestamps and request ids blanked.
func concurrentRun(t *testing.T, n int, cfg Config) (Outcome, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	var stdout bytes.Buffer
	cfg.Concurrency, cfg.Stdout, cfg.Stderr = n, &stdout, &bytes.Buffer{}
	cfg.Format = "pretty,progress:" + filepath.Join(dir, "progress.txt") + ",cucumber:" + filepath.Join(dir, "cucumber.json") +
		",events:" + filepath.Join(dir, "events.ndjson") + ",junit:" + filepath.Join(dir, "junit.xml")
	res, err := Execute(context.Background(), cfg)
	require.NoError(t, err)
	outs := map[string]string{"pretty": stdout.String()}
	for _, name := range []string{"progress.txt", "cucumber.json", "events.ndjson", "junit.xml"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		outs[name] = string(b)
	}
	for name, text := range outs {
		outs[name] = varying.ReplaceAllString(text, "…")
	}
	if d := os.Getenv("CONCURRENCY_DUMP"); d != "" {
		for name, text := range outs {
			_ = os.MkdirAll(filepath.Join(d, strconv.Itoa(n)), 0o755)
			_ = os.WriteFile(filepath.Join(d, strconv.Itoa(n), name), []byte(text), 0o644)
		}
	}
	return res, outs
}

// varying matches what differs from one run to the next: the exchanges
// attached to the events (the test data a scenario draws), durations,
// timestamps, generated ids, the test practitioner each scenario draws,
// and the tokens and keys the server issues. The events' definition_id is
// left out too: godog reads it from a store keyed by the outline's step, so
// rows of one outline running at once may name each other's definition
// (README: concurrency).
var varying = regexp.MustCompile(`"definition_id":"[^"]*"|"body":"(\\.|[^"\\])*"|Practitioner/\w+|\w{3}, \d\d \w{3} \d{4} [\d:]+ GMT|127\.0\.0\.1:\d+|\d{4}-\d\d-\d\dT[\d:.]+Z|\d+(\.\d+)?(ns|µs|ms|s|m)\b|"(duration|timestamp|time)": ?\d+|(time|timestamp)="[^"]*"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d{10,}\b|[A-Za-z0-9+/=_-]{20,}`)

// TestConcurrentRunIsTheSequentialRun: with four scenarios at once, every
// outcome and every output is the one-at-a-time run's, in file order. The
// race detector makes the whole suite ten times slower, so under -race the
// e-RS features (outlines included) stand for it; make test runs the whole
// suite in its second go test, without -race.
func TestConcurrentRunIsTheSequentialRun(t *testing.T) {
	var cfg Config
	if raceDetector {
		cfg.Tags = "@ers"
	}
	seq, seqOut := concurrentRun(t, 1, cfg)
	con, conOut := concurrentRun(t, 4, cfg)
	require.Equal(t, ExitPassed, con.Code, "the suite passes at concurrency 4")
	assert.Equal(t, seq.Requests, con.Requests, "the same requests")
	require.Len(t, con.Scenarios, len(seq.Scenarios))
	for i := range seq.Scenarios {
		assert.Equal(t, seq.Scenarios[i].ID(), con.Scenarios[i].ID())
		assert.Equal(t, seq.Scenarios[i].Outcome, con.Scenarios[i].Outcome, seq.Scenarios[i].ID())
	}
	for name := range seqOut {
		assert.Equal(t, seqOut[name], conOut[name], "%s is written as a sequential run writes it", name)
	}
}

// TestConcurrentRunFailsWhereTheSequentialRunFails: a mutant fails the same
// scenarios, and only those, at any concurrency.
func TestConcurrentRunFailsWhereTheSequentialRunFails(t *testing.T) {
	mutants, err := refserver.ParseMutants("hpi-duplicate-accepted,ers-role-not-held-accepted")
	require.NoError(t, err)
	outcome := func(n int) Outcome {
		res, err := Execute(context.Background(), Config{Mutants: mutants, Seed: 7, Concurrency: n, Format: "progress", Stdout: &bytes.Buffer{}})
		require.NoError(t, err)
		return res
	}
	seq, con := outcome(1), outcome(4)
	require.Equal(t, ExitFailed, con.Code)
	ids := func(list []suite.Scenario) (out []string) {
		for _, s := range list {
			out = append(out, s.ID())
		}
		return out
	}
	require.NotEmpty(t, seq.Failed())
	assert.Equal(t, ids(seq.Failed()), ids(con.Failed()))
	assert.Equal(t, ids(seq.With(suite.NotJudged)), ids(con.With(suite.NotJudged)))
}
