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
// profile's secrets (smartcard tokens, HPI client secret and API key), the
// session keys and the bearer tokens the server issued.
func TestNoSecretInAnyOutput(t *testing.T) {
	users, err := refserver.FixtureUsers()
	require.NoError(t, err)
	clients, err := refserver.FixtureClients()
	require.NoError(t, err)
	t.Setenv("CANARY_CLINICIAN_TOKEN", users[0].Token)
	t.Setenv("CANARY_MULTI_ORG_TOKEN", users[1].Token)
	t.Setenv("CANARY_HPI_CLIENT_SECRET", clients[0].ClientSecret)
	t.Setenv("CANARY_HPI_API_KEY", clients[0].APIKey)

	srv, err := refserver.New(refserver.Options{Mutants: []refserver.Mutant{refserver.ErsCreateAnswers200, refserver.HpiStaleVersionAccepted}})
	require.NoError(t, err)
	answers := &capture{}
	target := httptest.NewServer(answers.wrap(srv))
	defer target.Close()

	// The reference profile, with every secret taken from the environment instead.
	prof := referenceProfileWith(t,
		`target: ""`, "target: "+target.URL,
		`"`+users[0].Token+`"`, "{env: CANARY_CLINICIAN_TOKEN}",
		`"`+users[1].Token+`"`, "{env: CANARY_MULTI_ORG_TOKEN}",
		`"`+clients[0].ClientSecret+`"`, "{env: CANARY_HPI_CLIENT_SECRET}",
		`"`+clients[0].APIKey+`"`, "{env: CANARY_HPI_API_KEY}")
	dir := t.TempDir()
	cucumber, junit := filepath.Join(dir, "r", "cucumber.json"), filepath.Join(dir, "r", "junit.xml")
	code, printed := run(t, Config{ProfilePath: prof, Format: "pretty,cucumber:" + cucumber + ",junit:" + junit})
	require.Equal(t, ExitFailed, code, "the mutant must make some scenario fail, so bodies are quoted")

	keys := regexp.MustCompile(`pro-xapi-session_[0-9a-f-]{36}`).FindAllString(answers.body.String(), -1)
	require.NotEmpty(t, keys, "the server issued session keys")
	bearers := regexp.MustCompile(`"access_token":"([0-9a-f]+)"`).FindAllStringSubmatch(answers.body.String(), -1)
	require.NotEmpty(t, bearers, "the server issued access tokens")
	secrets := append([]string{users[0].Token, users[1].Token, clients[0].ClientSecret, clients[0].APIKey}, keys...)
	for _, b := range bearers {
		secrets = append(secrets, b[1])
	}

	outputs := map[string]string{"stdout and stderr": printed}
	for _, f := range []string{cucumber, junit} {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		outputs[filepath.Base(f)] = string(data)
	}
	outputs["evidence attached to cucumber.json"] = attachments(t, cucumber) // base64 in the file
	for name, text := range outputs {
		for _, s := range secrets {
			assert.NotContains(t, text, s, "a secret leaked into %s", name)
		}
	}
	assert.Contains(t, outputs["evidence attached to cucumber.json"], "x-api-key: [REDACTED]", "exchanges are attached as evidence, masked")
	assert.Contains(t, printed, "FAILED An update carrying an out-of-date version is refused", "the HPI mutant made a scenario fail")
	assert.True(t, strings.Contains(printed, "[REDACTED]"), "failure messages quote bodies with secrets masked")
}
