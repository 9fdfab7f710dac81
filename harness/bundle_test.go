package harness

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/evidence"
)

// evidenceRun runs cfg with --evidence into a new folder and reads run.json.
func evidenceRun(t *testing.T, cfg Config) (string, evidence.Run) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "evidence")
	cfg.Evidence, cfg.Format, cfg.Stdout = dir, "progress", &strings.Builder{}
	_, err := Execute(context.Background(), cfg)
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(dir, evidence.RunFile))
	require.NoError(t, err)
	var run evidence.Run
	require.NoError(t, json.Unmarshal(data, &run))
	return dir, run
}

// A bundle holds every file the issue lists, sealed: sha256sum -c and
// conformance verify pass, and one changed byte makes both fail, naming the file.
func TestTheEvidenceBundleIsSealed(t *testing.T) {
	dir, run := evidenceRun(t, Config{Tags: "@rule:ERS-A003-no-body"})
	for _, name := range []string{evidence.ReportFile, evidence.RunFile, evidence.HARFile, evidence.RedactionsFile, evidence.CucumberFile, evidence.JUnitFile, evidence.SumsFile} {
		assert.FileExists(t, filepath.Join(dir, name))
	}
	require.NoError(t, evidence.Verify(dir))
	sha256sum := func() error {
		cmd := exec.Command("sha256sum", "-c", "--quiet", evidence.SumsFile)
		cmd.Dir = dir
		return cmd.Run()
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		require.NoError(t, sha256sum(), "sha256sum -c reads SHA256SUMS")
	}

	path := filepath.Join(dir, evidence.HARFile)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	data[len(data)/2] ^= 1
	require.NoError(t, os.WriteFile(path, data, 0o644))
	assert.ErrorContains(t, evidence.Verify(dir), evidence.HARFile+": changed since the run")
	if _, err := exec.LookPath("sha256sum"); err == nil {
		assert.Error(t, sha256sum(), "sha256sum -c finds the change too")
	}
	data[len(data)/2] ^= 1
	require.NoError(t, os.WriteFile(path, data, 0o644))
	require.NoError(t, evidence.Verify(dir), "the byte put back")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o644))
	assert.ErrorContains(t, evidence.Verify(dir), "extra.txt: in the folder, but not in SHA256SUMS")
	assert.Positive(t, run.Counts.Passed)
}

// The HAR is HAR 1.2: an entry per exchange of run.json, each with its start.
func TestTheHARHoldsEveryExchange(t *testing.T) {
	dir, run := evidenceRun(t, Config{Tags: "@rule:ERS-A003-no-body"})
	data, err := os.ReadFile(filepath.Join(dir, evidence.HARFile))
	require.NoError(t, err)
	var har struct {
		Log struct {
			Version string
			Entries []struct {
				StartedDateTime string
				Request         struct{ Method, URL string }
				Response        struct{ Status int }
			}
		}
	}
	require.NoError(t, json.Unmarshal(data, &har))
	assert.Equal(t, "1.2", har.Log.Version)
	n := 0
	for _, s := range run.Scenarios {
		n += len(s.Exchanges)
	}
	require.Len(t, har.Log.Entries, n)
	for _, e := range har.Log.Entries {
		_, err := time.Parse(time.RFC3339, e.StartedDateTime)
		assert.NoError(t, err)
		assert.NotEmpty(t, e.Request.Method)
		assert.Positive(t, e.Response.Status)
	}
}

// run.json names the tool, the suite and its hashes, the target, the
// profile, the seed, the selection and what it leaves out, start and end;
// each exchange says when it was sent and received.
func TestRunJSONSaysWhatRanAndWhen(t *testing.T) {
	_, run := evidenceRun(t, Config{Tags: "@rule:ERS-A003-no-body", Seed: 5})
	assert.Equal(t, "conformance", run.Tool.Name)
	assert.NotEmpty(t, run.Tool.Version)
	assert.NotEmpty(t, run.Tool.Revision, "a revision, or \"revision unknown\"")
	assert.True(t, run.Suite.Embedded)
	assert.Len(t, run.Suite.FeaturesSHA256, 64)
	assert.Len(t, run.Suite.CatalogueSHA256, 64)
	assert.Equal(t, "reference server", run.Profile)
	assert.Contains(t, run.Target, "http://127.0.0.1:")
	assert.EqualValues(t, 5, run.Seed)
	assert.Equal(t, "@rule:ERS-A003-no-body", run.Selection.Tags)
	assert.Less(t, run.Selection.Selected, run.Selection.Total)
	assert.Contains(t, run.Selection.RulesLeftOut, "HPI-UPD-stale-version", "a filtered run lists the rules it leaves out")
	assert.NotContains(t, run.Selection.RulesLeftOut, "ERS-A003-no-body")
	assert.False(t, run.Ended.Before(run.Started))
	require.NotEmpty(t, run.Scenarios)
	s := run.Scenarios[0]
	assert.Equal(t, s.URI+":"+strconv.Itoa(s.Line), s.ID)
	assert.Contains(t, s.Rules, "ERS-A003-no-body")
	require.NotEmpty(t, s.Exchanges)
	ex := s.Exchanges[0]
	assert.False(t, ex.Sent.IsZero())
	assert.False(t, ex.Received.Before(ex.Sent))
	assert.NotEmpty(t, ex.TargetDate)
	for _, r := range run.Rules {
		if r.ID == "ERS-A003-no-body" {
			assert.Equal(t, evidence.Passed, r.Verdict)
			assert.NotEmpty(t, r.Says)
		}
	}
}

// A run of a features copy says so.
func TestRunJSONSaysTheFeaturesAreACopy(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "hpi"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hpi", "extra.feature"), []byte(rowsTheSuiteDoesNotShip), 0o644))
	_, run := evidenceRun(t, Config{FeaturesDir: dir})
	assert.False(t, run.Suite.Embedded)
	assert.Equal(t, dir, run.Suite.FeaturesDir)
}

// A folder that holds anything is refused before the run starts.
func TestEvidenceGoesOnlyToANewFolder(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "old.txt"), []byte("earlier evidence"), 0o644))
	_, err := Execute(context.Background(), Config{Evidence: dir, Stdout: &strings.Builder{}})
	assert.ErrorContains(t, err, "the folder is not empty")
}

// The junit report names the run's facts too: a custom suite says so.
func TestJUnitNamesTheRun(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "hpi"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hpi", "extra.feature"), []byte(rowsTheSuiteDoesNotShip), 0o644))
	bundle, _ := evidenceRun(t, Config{FeaturesDir: dir})
	data, err := os.ReadFile(filepath.Join(bundle, evidence.JUnitFile))
	require.NoError(t, err)
	text := string(data)
	assert.Contains(t, text, `<property name="suite" value="custom: the features of `+dir+`">`)
	assert.Contains(t, text, `<property name="profile" value="reference server">`)
	assert.Regexp(t, `<property name="features-sha256" value="[0-9a-f]{64}">`, text)
	assert.Contains(t, text, `<property name="revision" value="`)
}
