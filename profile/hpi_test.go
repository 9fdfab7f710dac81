package profile

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const minimalHPI = `
hpi:
  clientId: client
  clientSecret: client-secret-value
  apiKey: api-key-value
  userid: "99ZZZS"
  testData:
    practitioners: [91ZZAA, 91ZZAB]
    facility: FZZ999-B
    roleCodes: [{code: "253111"}, {code: "542114"}]
    unknownPractitioner: 99ZZZZ
`

func TestHPIDefaults(t *testing.T) {
	p, err := Parse([]byte(minimalHPI), "test")
	require.NoError(t, err)
	assert.Nil(t, p.ERS, "a profile may describe the HPI alone")
	assert.Equal(t, "http://h:1/fhir", p.HPIBaseURL("http://h:1/"))
	assert.Equal(t, "http://h:1/oauth2/token", p.HPITokenURL("http://h:1"))
	assert.Equal(t, IfMatchVersion, p.HPI.IfMatch, "the documented If-Match form is the default")
	assert.Equal(t, time.Second, p.HPI.Retry.Initial.Std())
	assert.Contains(t, p.HPI.Scopes, "https://api.hip.digital.health.nz/fhir/pracrole:write")
	assert.ElementsMatch(t, []string{"client-secret-value", "api-key-value"}, p.Secrets())
	assert.Equal(t, "http://www.abs.gov.au/ausstats/abs@.nsf/mf/1220.0", p.HPI.TestData.RoleCodes[0].System)
}

func TestHPIMistakesAreNamed(t *testing.T) {
	for change, want := range map[string]string{
		"userid: \"99ZZZS\"":                "hpi.userid",
		"apiKey: api-key-value":             "hpi.apiKey",
		"clientSecret: client-secret-value": "hpi.clientId and hpi.clientSecret",
		"practitioners: [91ZZAA, 91ZZAB]":   "hpi.testData.practitioners",
		"unknownPractitioner: 99ZZZZ":       "hpi.testData.unknownPractitioner",
	} {
		_, err := Parse([]byte(strings.Replace(minimalHPI, change, "", 1)), "test")
		assert.ErrorContains(t, err, want, "without %s", change)
	}
	for extra, want := range map[string]string{
		"  ifMatch: etag\n":                               "hpi.ifMatch",
		"  retry: {max: 99}\n":                            "hpi.retry.max",
		"  pacing: {perSecond: -1}\n":                     "hpi.pacing",
		"  tokenUrl: token\n":                             "hpi.tokenUrl",
		"  pacng: {perSecond: 1}\n":                       "field pacng not found",
		"  pacing: {perSecond: .nan}\n":                   "hpi.pacing.perSecond: NaN is not a number",
		"  pacing: {perSecond: .inf}\n":                   "hpi.pacing.perSecond: +Inf is not a number",
		"  pacing: {perSecond: 0.0001}\n":                 "hpi.pacing.perSecond: 0.0001 is outside",
		"  retry: {max: 3, initial: 1s, maxWait: 100h}\n": "hpi.retry.maxWait: 100h0m0s is more than 5m0s",
	} {
		_, err := Parse([]byte(minimalHPI+extra), "test")
		assert.ErrorContains(t, err, want, "with %q", extra)
	}
	_, err := Parse([]byte("name: nothing\n"), "test")
	assert.ErrorContains(t, err, "neither an ers nor an hpi section")
}

func TestHPIAuth(t *testing.T) {
	p, err := Parse([]byte(minimalHPI), "test")
	require.NoError(t, err)
	assert.Equal(t, AuthOAuth2, p.HPI.Auth, "the gateway's OAuth2 and API key by default")

	noGateway := strings.NewReplacer("  clientId: client\n", "  auth: none\n", "  clientSecret: client-secret-value\n", "", "  apiKey: api-key-value\n", "").Replace(minimalHPI)
	p, err = Parse([]byte(noGateway), "test")
	require.NoError(t, err, "auth: none needs no client credentials and no API key")
	assert.Equal(t, AuthNone, p.HPI.Auth)

	_, err = Parse([]byte(strings.Replace(minimalHPI, "  clientId: client\n", "  auth: basic\n  clientId: client\n", 1)), "test")
	assert.ErrorContains(t, err, `hpi.auth: "basic" is neither "oauth2" nor "none"`)
	_, err = Parse([]byte(strings.Replace(noGateway, `  userid: "99ZZZS"`+"\n", "", 1)), "test")
	assert.ErrorContains(t, err, "hpi.userid", "auth: none still checks the rest")
}

func TestASecretTooShortToMaskIsRefused(t *testing.T) {
	_, err := Parse([]byte(strings.Replace(minimalHPI, "apiKey: api-key-value", "apiKey: abc", 1)), "test")
	assert.ErrorContains(t, err, "hpi.apiKey: a secret of 3 characters is too short to be masked")
}
