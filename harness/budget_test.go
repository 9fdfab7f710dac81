package harness

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --budget counts the requests the selection sends against the reference
// server first: over the budget, the run ends before the target sees a
// request; within it, the run goes on, and the summary counts what it sent.
func TestABudgetTooSmallSendsNothing(t *testing.T) {
	var seen atomic.Int64
	target := refTarget(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen.Add(1)
			h.ServeHTTP(w, r)
		})
	})
	code, out := run(t, Config{Target: target, Tags: "@ers", Budget: 10})
	assert.Equal(t, ExitUsage, code, out)
	assert.Contains(t, out, "--budget 10: the 47 scenarios selected send")
	assert.Contains(t, out, "select fewer (--tags, --name, --shard) or raise --budget")
	assert.Zero(t, seen.Load(), "the target saw no request")

	code, out = run(t, Config{Target: target, Tags: "@ers", Budget: 1000})
	require.Equal(t, ExitPassed, code, out)
	line := out[strings.Index(out, "conformance: requests sent: "):]
	assert.Contains(t, line, "e-RS ")
	assert.Positive(t, seen.Load())
	assert.Contains(t, out, "conformance: --budget 1000: the 47 scenarios selected send ")
}
