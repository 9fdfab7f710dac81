package harness

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/refserver"
)

// capture records every response body a handler writes.
type capture struct {
	mu   sync.Mutex
	body bytes.Buffer
}

func (c *capture) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		c.mu.Lock()
		c.body.Write(rec.Body.Bytes())
		c.mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// TestNoSecretInAnyOutput runs against a server whose answers make steps
// fail with their bodies quoted, then searches every output for the
// profile's tokens and the session keys the server issued.
func TestNoSecretInAnyOutput(t *testing.T) {
	users, err := refserver.FixtureUsers()
	require.NoError(t, err)
	t.Setenv("CANARY_CLINICIAN_TOKEN", users[0].Token)
	t.Setenv("CANARY_MULTI_ORG_TOKEN", users[1].Token)

	srv, err := refserver.New(refserver.Options{Mutants: []refserver.Mutant{refserver.ErsCreateAnswers200}})
	require.NoError(t, err)
	answers := &capture{}
	target := httptest.NewServer(answers.wrap(srv))
	defer target.Close()

	dir := t.TempDir()
	prof := filepath.Join(dir, "profile.yaml")
	require.NoError(t, os.WriteFile(prof, []byte(`
name: canary
target: `+target.URL+`
ers:
  asid: "200000000220"
  users:
    clinician:
      token: {env: CANARY_CLINICIAN_TOKEN}
      identifier: "555020964101"
      permissions: [{businessFunction: REFERRING_CLINICIAN, orgIdentifier: R01}]
    multi-org:
      token: {env: CANARY_MULTI_ORG_TOKEN}
`), 0o600))

	cucumber, junit := filepath.Join(dir, "r", "cucumber.json"), filepath.Join(dir, "r", "junit.xml")
	code, printed := run(t, Config{ProfilePath: prof, Format: "pretty,cucumber:" + cucumber + ",junit:" + junit})
	require.Equal(t, ExitFailed, code, "the mutant must make some scenario fail, so bodies are quoted")

	keys := regexp.MustCompile(`pro-xapi-session_[0-9a-f-]{36}`).FindAllString(answers.body.String(), -1)
	require.NotEmpty(t, keys, "the server issued session keys")
	secrets := append([]string{users[0].Token, users[1].Token}, keys...)

	outputs := map[string]string{"stdout and stderr": printed}
	for _, f := range []string{cucumber, junit} {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		outputs[filepath.Base(f)] = string(data)
	}
	for name, text := range outputs {
		for _, s := range secrets {
			assert.NotContains(t, text, s, "a secret leaked into %s", name)
		}
	}
	assert.Contains(t, outputs["cucumber.json"], "http-exchange.txt", "exchanges are attached as evidence")
	assert.True(t, strings.Contains(printed, "[REDACTED]"), "failure messages quote bodies with secrets masked")
}
