package conformancetest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/conformancetest"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/profiles"
	"github.com/healthapi-conformance/conformance/refserver"
)

// recordingTB is a testing.TB whose Errorf, Fatalf and Log are recorded
// rather than acted on, so a test can assert the failing path; the rest
// (Context, Helper, TempDir) is the real test's.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatals []string
	logs   []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprint(args...))
}

func reference(t *testing.T, mutants ...refserver.Mutant) http.Handler {
	t.Helper()
	srv, err := refserver.New(refserver.Options{Mutants: mutants})
	require.NoError(t, err)
	return srv
}

func everyScenario(t *testing.T) int {
	t.Helper()
	all, err := features.Scenarios(features.FS)
	require.NoError(t, err)
	return len(all)
}

// The reference server's handler, served by the function itself, passes
// every scenario, and the test is not failed.
func TestReferenceHandlerPasses(t *testing.T) {
	rec := &recordingTB{TB: t}
	var progress bytes.Buffer
	res := conformancetest.Test(rec, conformancetest.Options{Handler: reference(t), Output: &progress})
	assert.Empty(t, rec.errors)
	assert.Empty(t, rec.fatals)
	assert.True(t, res.Passed())
	assert.Equal(t, 0, res.Code)
	assert.Len(t, res.With(conformancetest.Passed), everyScenario(t))
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, res.Target, "the handler is served on loopback")
	assert.Contains(t, res.Summary, fmt.Sprintf("conformance: %d scenarios, %[1]d passed, 0 failed, 0 not judged", everyScenario(t)))
	require.Len(t, rec.logs, 1)
	assert.Equal(t, res.Summary, rec.logs[0], "a passing run logs its summary")
	assert.NotEmpty(t, progress.String(), "godog's progress goes to Output")
}

// A mutant that accepts duplicate roles fails, the test is failed with the
// summary, and the summary and the outcomes name the broken rules.
func TestMutantFailsNamingItsRule(t *testing.T) {
	rec := &recordingTB{TB: t}
	res := conformancetest.Test(rec, conformancetest.Options{Handler: reference(t, refserver.HpiDuplicateAccepted), Tags: "@hpi"})
	assert.Empty(t, rec.fatals)
	require.Len(t, rec.errors, 1, "the test is failed once, with the summary")
	msg := rec.errors[0]
	assert.Contains(t, msg, "exit status 1")
	assert.Contains(t, msg, res.Summary)
	assert.Regexp(t, `FAILED .* @rule:HPI-(UPD|ADD)-no-duplicate`, msg)
	assert.Equal(t, 1, res.Code)
	assert.False(t, res.Passed())

	failed := res.With(conformancetest.Failed)
	require.NotEmpty(t, failed)
	var rules []string
	for _, s := range failed {
		rules = append(rules, s.Rules...)
		assert.NotEmpty(t, s.Reason, "%s says why", s.Name)
		assert.True(t, strings.HasPrefix(s.File, "hpi/"), s.File)
		assert.Positive(t, s.Line)
	}
	assert.Contains(t, rules, "HPI-UPD-no-duplicate")
	assert.Contains(t, rules, "HPI-ADD-no-duplicate")
	assert.Empty(t, rec.logs)
	assert.NotContains(t, msg, "the exchange the failing step judged")
}

// At Options.Concurrency 4 the same scenarios fail, in the same order.
func TestConcurrencyFailsTheSameScenarios(t *testing.T) {
	names := func(n int) []string {
		res := conformancetest.Test(&recordingTB{TB: t}, conformancetest.Options{Handler: reference(t, refserver.HpiDuplicateAccepted), Tags: "@hpi", Concurrency: n})
		var out []string
		for _, s := range res.With(conformancetest.Failed) {
			out = append(out, s.File+":"+strconv.Itoa(s.Line))
		}
		return out
	}
	one := names(1)
	require.NotEmpty(t, one)
	assert.Equal(t, one, names(4))
}

// Verbose puts under each failure the exchange its failing step judged, masked.
func TestVerboseShowsTheJudgedExchange(t *testing.T) {
	rec := &recordingTB{TB: t}
	conformancetest.Test(rec, conformancetest.Options{
		Handler: reference(t, refserver.HpiDuplicateAccepted), Tags: "@rule:HPI-UPD-no-duplicate", Verbose: true,
	})
	require.Len(t, rec.errors, 1)
	assert.Contains(t, rec.errors[0], "the exchange the failing step judged:")
	assert.Regexp(t, `PUT http://127\.0\.0\.1:\d+/fhir/PractitionerRole/`, rec.errors[0])
	assert.Contains(t, rec.errors[0], "x-api-key: [REDACTED]")
	assert.NotContains(t, rec.errors[0], "refserver-api-key-5b2d9a", "the API key is masked")
}

// A server already running is tested by its URL, with a profile given as
// its text, and the evidence bundle is written and verifies.
func TestURLWithProfileYAMLAndEvidence(t *testing.T) {
	srv, err := refserver.Start(t.Context(), "127.0.0.1:0", refserver.Options{})
	require.NoError(t, err)
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "evidence")
	res := conformancetest.Test(t, conformancetest.Options{URL: srv.URL, ProfileYAML: profiles.Reference, Tags: "@ers", Evidence: dir})
	assert.True(t, res.Passed())
	assert.Equal(t, srv.URL, res.Target)
	for _, s := range res.Scenarios {
		assert.Contains(t, s.File, "ers/")
	}
	require.NoError(t, evidence.Verify(dir))
	assert.FileExists(t, filepath.Join(dir, "run.json"))
}

// A run that cannot start stops the test with one line; nothing is judged.
func TestRunThatCannotStartStopsTheTest(t *testing.T) {
	cases := map[string]struct {
		opts conformancetest.Options
		want string
	}{
		"handler and URL": {conformancetest.Options{Handler: http.NotFoundHandler(), URL: "http://127.0.0.1:1"}, "give Handler or URL, not both"},
		"two profiles":    {conformancetest.Options{Profile: "x.yaml", ProfileYAML: profiles.Reference}, "give Profile or ProfileYAML, not both"},
		"bad profile":     {conformancetest.Options{ProfileYAML: []byte("timeout: [")}, "profile Options.ProfileYAML: yaml: line 1"},
		"missing profile": {conformancetest.Options{Profile: "no-such-profile.yaml"}, "no-such-profile.yaml"},
		"bad tags":        {conformancetest.Options{Tags: "@a &&"}, "--tags"},
		"no HTTP":         {conformancetest.Options{Handler: hangUp{}}, "127.0.0.1"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			res := conformancetest.Test(rec, c.opts)
			require.Len(t, rec.fatals, 1)
			assert.Contains(t, rec.fatals[0], c.want)
			assert.NotContains(t, strings.TrimSpace(rec.fatals[0]), "\n", "one line")
			assert.Empty(t, rec.errors)
			assert.Empty(t, res.Scenarios)
		})
	}
}

// hangUp closes every connection without an answer: a target that does
// not speak HTTP.
type hangUp struct{}

func (hangUp) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = c.Close()
	}
}

// A handler that never answers ends the run within the profile's request
// timeout and the bounded wait for the handler, not never.
func TestHangingHandlerDoesNotHangTheTest(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	hang := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release })
	prof := strings.Replace(string(profiles.Reference), "timeout: 10s", "timeout: 1s", 1)
	require.NotEqual(t, string(profiles.Reference), prof, "the reference profile's timeout line moved")
	start := time.Now()
	_, err := conformancetest.Run(t.Context(), conformancetest.Options{Handler: hang, ProfileYAML: []byte(prof)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1s")
	assert.Less(t, time.Since(start), 15*time.Second)
}

// ProfileYAML's temporary file is removed after the run: it may hold secrets.
func TestProfileYAMLLeavesNoFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	conformancetest.Test(t, conformancetest.Options{Handler: reference(t), ProfileYAML: profiles.Reference, Tags: "@ers"})
	left, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, left)
}
