package profile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/tlstest"
)

const minimal = `
ers:
  asid: "200000000220"
  users:
    clinician:
      token: secret-token-value
`

func TestDefaults(t *testing.T) {
	p, err := Parse([]byte(minimal), "test")
	require.NoError(t, err)
	assert.Equal(t, DefaultTimeout, p.Timeout.Std())
	assert.Equal(t, "http://h:1/ers-api", p.ERSBaseURL("http://h:1/"))
	assert.Equal(t, DefaultASIDHeader, p.ERS.Headers.ASID)
	assert.Equal(t, DefaultSessionHeader, p.ERS.Headers.SessionKey)
	assert.Equal(t, []string{"secret-token-value"}, p.Secrets())
}

func TestSecretFromEnvironment(t *testing.T) {
	t.Setenv("TEST_ERS_TOKEN", "from-the-environment")
	p, err := Parse([]byte(`
ers:
  asid: "1"
  url: https://ers.example.org/ers-api/
  users:
    clinician:
      token: {env: TEST_ERS_TOKEN}
`), "test")
	require.NoError(t, err)
	tok := p.ERS.Users["clinician"].Token
	assert.Equal(t, "from-the-environment", tok.Value())
	assert.NotContains(t, tok.String(), "from-the-environment", "a printed secret shows only where it came from")
	assert.Equal(t, "https://ers.example.org/ers-api", p.ERSBaseURL("http://ignored"))
}

func TestProfileErrorsAreReadable(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"empty":             {"", "the file is empty"},
		"not YAML":          {"ers: [unclosed", "profile test"},
		"misspelt key":      {"timout: 5s\n" + minimal, "field timout not found"},
		"bad duration":      {"timeout: soon\n" + minimal, `"soon" is not a duration`},
		"bad target":        {"target: ftp://x\n" + minimal, "target:"},
		"no users":          {"ers: {asid: '1'}", "at least one smartcard user"},
		"no asid":           {"ers: {users: {a: {token: abcdefg}}}", "ers.asid"},
		"unset env secret":  {"ers: {asid: '1', users: {a: {token: {env: NO_SUCH_VAR_X}}}}", "the environment lacks NO_SUCH_VAR_X (profile key ers.users.a.token)"},
		"secret wrong form": {"ers: {asid: '1', users: {a: {token: [1]}}}", "a secret is a string or {env: VARIABLE}"},
		"half a permission": {"ers: {asid: '1', users: {a: {token: abcdefg, permissions: [{businessFunction: X}]}}}", "orgIdentifier are required"},
		"relative ers url":  {"ers: {asid: '1', url: ers-api, users: {a: {token: abcdefg}}}", "ers.url"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "test")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestTimeoutBounds(t *testing.T) {
	_, err := Parse([]byte("timeout: 10m\n"+minimal), "test")
	assert.ErrorContains(t, err, "outside")
	p, err := Parse([]byte("timeout: 1m30s\n"+minimal), "test")
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, p.Timeout.Std())
}

// Every missing environment variable is named in one message, with the
// profile keys that need them, so one run tells a user all there is to export.
func TestEveryMissingEnvironmentVariableIsNamedAtOnce(t *testing.T) {
	t.Setenv("TEST_PRESENT_SECRET", "present-secret-value")
	t.Setenv("TEST_EMPTY_SECRET", "")
	_, err := Parse([]byte(`
ers:
  asid: "1"
  users:
    clinician: {token: {env: TEST_MISSING_CLINICIAN}}
    multi-org: {token: {env: TEST_PRESENT_SECRET}}
hpi:
  clientId: client
  clientSecret: {env: TEST_PRESENT_SECRET}
  apiKey: {env: TEST_EMPTY_SECRET}
  userid: "99ZZZS"
  testData:
    practitioners: [91ZZAA, 91ZZAB]
    facility: FZZ999-B
    roleCodes: [{code: "253111"}, {code: "542114"}]
    unknownPractitioner: 99ZZZZ
`), "test")
	require.Error(t, err)
	assert.Contains(t, err.Error(),
		"the environment lacks TEST_MISSING_CLINICIAN, TEST_EMPTY_SECRET (profile keys ers.users.clinician.token, hpi.apiKey)")
	assert.NotContains(t, err.Error(), "present-secret-value")
	assert.NotContains(t, err.Error(), "TEST_PRESENT_SECRET", "a variable that is set is not named")
}

func TestOneVariableForTwoKeysIsNamedOnce(t *testing.T) {
	_, err := Parse([]byte("ers: {asid: '1', users: {a: {token: {env: TEST_SHARED_X}}, b: {token: {env: TEST_SHARED_X}}}}"), "test")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the environment lacks TEST_SHARED_X (profile keys ers.users.a.token, ers.users.b.token)")
}

func TestOnlyARegularFileOfBoundedSizeIsRead(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe")
	require.NoError(t, syscall.Mkfifo(pipe, 0o600)) // opened, it would wait for a writer
	for _, path := range []string{"/dev/zero", pipe, t.TempDir()} {
		_, err := Load(path)
		assert.ErrorContains(t, err, "not a regular file", path)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(big, make([]byte, MaxSize+1), 0o600))
	_, err := Load(big)
	assert.ErrorContains(t, err, "more than a profile's")
}

func TestAURLWithUserInformationIsRefusedWithoutPrintingIt(t *testing.T) {
	err := CheckBaseURL("https://vendor:hunter2-password@ers.test.example.org")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
	assert.Contains(t, err.Error(), "user information")
}

func TestTokenAuthIsBasicOrBody(t *testing.T) {
	ref, err := os.ReadFile("../profiles/reference.yaml")
	require.NoError(t, err)
	with := func(line string) string { return strings.Replace(string(ref), "\nhpi:\n", "\nhpi:\n"+line, 1) }
	p, err := Parse(ref, "test")
	require.NoError(t, err)
	assert.Equal(t, TokenAuthBasic, p.HPI.TokenAuth)
	p, err = Parse([]byte(with("  tokenAuth: body\n")), "test")
	require.NoError(t, err)
	assert.Equal(t, TokenAuthBody, p.HPI.TokenAuth)
	_, err = Parse([]byte(with("  tokenAuth: guess\n")), "test")
	assert.ErrorContains(t, err, `hpi.tokenAuth: "guess"`)
}

func TestTLSFilesAreLoadedAndChecked(t *testing.T) {
	ca, err := tlstest.NewAuthority("test CA")
	require.NoError(t, err)
	client, err := ca.Client("vendor")
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name string, data []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	write("ca.pem", ca.PEM)
	write("client.pem", client.CertPEM)
	write("client.key", client.KeyPEM)
	write("junk.pem", []byte("not PEM"))
	load := func(tlsYAML string) (*Profile, error) {
		path := filepath.Join(dir, "p.yaml")
		write("p.yaml", []byte(minimal+"tls:\n"+tlsYAML))
		return Load(path)
	}

	p, err := load("  caFile: ca.pem\n  certFile: client.pem\n  keyFile: client.key\n")
	require.NoError(t, err)
	cfg := p.TLSConfig()
	require.NotNil(t, cfg)
	assert.Len(t, cfg.Certificates, 1)
	assert.NotNil(t, cfg.RootCAs)

	for tlsYAML, want := range map[string]string{
		"  caFile: missing.pem\n":                        "tls.caFile:",
		"  caFile: junk.pem\n":                           "holds no PEM certificate",
		"  certFile: client.pem\n":                       "needs its key",
		"  certFile: client.pem\n  keyFile: ca.pem\n":    "not a certificate and its key",
		"  certFile: client.pem\n  keyFile: /dev/zero\n": "not a regular file",
	} {
		_, err := load(tlsYAML)
		assert.ErrorContains(t, err, want, tlsYAML)
		if err != nil {
			assert.NotContains(t, err.Error(), "PRIVATE KEY", "a key is never quoted")
		}
	}
	p, err = Parse([]byte(minimal), "test")
	require.NoError(t, err)
	assert.Nil(t, p.TLSConfig(), "no tls section: the system's roots")
}
