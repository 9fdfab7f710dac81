package harness

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/profiles"
)

// referenceProfileWith writes the reference profile with text replaced,
// given as pairs: old, new, old, new...
func referenceProfileWith(t *testing.T, pairs ...string) string {
	t.Helper()
	require.Zero(t, len(pairs)%2, "replacements come in pairs")
	text := string(profiles.Reference)
	for i := 0; i < len(pairs); i += 2 {
		require.Contains(t, text, pairs[i])
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	path := filepath.Join(t.TempDir(), "profile.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// A reference server on the silver plan (5 requests per second, here with
// a burst of 2) answers the unpaced harness 429 often: each scenario sends
// its create, read and update back to back. The run still passes, and every
// retry shows. A few scenarios are enough to provoke the plan: the whole
// HPI suite at 5 requests per second would take two minutes.
func TestUsagePlanRunPassesWithRetriesReported(t *testing.T) {
	t.Parallel()
	prof := referenceProfileWith(t, "usagePlan: {perSecond: 0, burst: 0}", "usagePlan: {perSecond: 5, burst: 2}")
	cucumber := filepath.Join(t.TempDir(), "cucumber.json")
	code, printed := run(t, Config{ProfilePath: prof, Tags: "@rule:HPI-UPD-current-version,@rule:HPI-GET-etag", Format: "progress,cucumber:" + cucumber})
	require.Equal(t, ExitPassed, code, printed)
	assert.Regexp(t, `\d+ HPI requests were answered 429 Too Many Requests and retried`, printed)
	evidence := attachments(t, cucumber)
	assert.True(t, strings.Contains(evidence, "retry 1: attempt answered 429 Too Many Requests"), "retries are in the report's evidence")
}

// attachments returns every attachment of a cucumber JSON report, decoded.
func attachments(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var features []struct {
		Elements []struct {
			Steps []struct {
				Embeddings []struct{ Data string }
			}
		}
	}
	require.NoError(t, json.Unmarshal(data, &features))
	var b strings.Builder
	for _, f := range features {
		for _, e := range f.Elements {
			for _, s := range e.Steps {
				for _, em := range s.Embeddings {
					text, err := base64.StdEncoding.DecodeString(em.Data)
					require.NoError(t, err)
					b.Write(text)
				}
			}
		}
	}
	return b.String()
}

// Pacing under the plan's rate avoids the 429s altogether. The margin is
// wide (half the rate, no burst) because the plan is judged at arrival: on a
// loaded machine, a request delayed on its way lets the next ones arrive
// closer together than they were sent.
func TestPacingUnderThePlanRateNeedsNoRetry(t *testing.T) {
	t.Parallel()
	prof := referenceProfileWith(t,
		"usagePlan: {perSecond: 0, burst: 0}", "usagePlan: {perSecond: 20, burst: 5}",
		"pacing: {perSecond: 0, burst: 0}", "pacing: {perSecond: 10, burst: 1}")
	res, err := Execute(t.Context(), Config{ProfilePath: prof, Tags: "@rule:HPI-UPD-current-version", Format: "progress", Stdout: os.Stderr})
	require.NoError(t, err)
	assert.Equal(t, ExitPassed, res.Code)
	assert.Zero(t, res.Retries, "a client paced under the plan is never throttled")
}
