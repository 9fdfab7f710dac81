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
hpi:
  clientId: `+clients[0].ClientID+`
  clientSecret: {env: CANARY_HPI_CLIENT_SECRET}
  apiKey: {env: CANARY_HPI_API_KEY}
  userid: "99ZZZS"
  testData:
    practitioners: [91ZZAA, 91ZZAB, 91ZZAC, 91ZZAD, 91ZZAE, 91ZZAF, 91ZZAG, 91ZZAH, 91ZZBA, 91ZZBB, 91ZZBC, 91ZZBD, 91ZZBE, 91ZZBF, 91ZZBG, 91ZZBH, 91ZZCA, 91ZZCB, 91ZZCC, 91ZZCD, 91ZZCE, 91ZZCF, 91ZZCG, 91ZZCH, 91ZZDA, 91ZZDB, 91ZZDC, 91ZZDD, 91ZZDE, 91ZZDF, 91ZZDG, 91ZZDH, 91ZZEA]
    facility: FZZ999-B
    organisation: GZZ998-G
    roleCodes: [{code: "542114"}, {code: "253311"}, {code: "253111"}, {code: "254411"}]
    unknownPractitioner: 99ZZZZ
`), 0o600))

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
