package harness

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/httpkit/auth"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/refserver"
)

// An HPI server without its gateway, tested with hpi.auth: none: the
// harness sends no token and no API key; the authentication scenarios are
// not judged, saying why, and every other scenario runs and passes.
func TestAProfileWithoutTheGatewayJudgesAllButAuthentication(t *testing.T) {
	clients, err := refserver.FixtureClients()
	require.NoError(t, err)
	ref, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	inner := httptest.NewServer(ref)
	defer inner.Close()
	token, err := auth.New(inner.URL+"/oauth2/token", clients[0].ClientID, clients[0].ClientSecret, 5*time.Second, redact.New()).
		Bearer(context.Background(), []string{"https://api.hip.digital.health.nz/fhir/pracrole:read", "https://api.hip.digital.health.nz/fhir/pracrole:write"})
	require.NoError(t, err)

	var credentialsSent atomic.Int64
	gatewayless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.Header.Get("x-api-key") != "" {
			credentialsSent.Add(1)
		}
		// The reference server wants its gateway's credentials: add them, as
		// a server without a gateway needs none.
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("x-api-key", clients[0].APIKey)
		ref.ServeHTTP(w, r)
	}))
	defer gatewayless.Close()

	prof := referenceProfileWith(t, "  url: /fhir\n", "  url: /fhir\n  auth: none\n")
	res, err := Execute(context.Background(), Config{ProfilePath: prof, Target: gatewayless.URL, Tags: "@hpi", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	assert.Zero(t, credentialsSent.Load(), "no token and no API key are sent")
	assert.Equal(t, ExitNotJudged, res.Code)
	assert.Empty(t, res.Failed())
	// The scenarios of the token, the API key and the scopes need credentials.
	needCredentials := func(s suite.Scenario) bool {
		return slices.ContainsFunc(features.RuleIDs(s.Tags), func(id string) bool {
			return strings.HasPrefix(id, "HPI-SEC-") || id == "HPI-REQ-access-token" || strings.HasPrefix(id, "HPI-REQ-api-key")
		})
	}
	unjudged := res.With(suite.NotJudged)
	require.NotEmpty(t, unjudged)
	for _, s := range unjudged {
		assert.Contains(t, s.Reason, "hpi.auth is none", s.Name)
		assert.True(t, needCredentials(s), "%s is not judged, but needs no credentials", s.Name)
	}
	for _, s := range res.Scenarios {
		if needCredentials(s) {
			assert.Contains(t, unjudged, s, "%s needs credentials, yet was judged", s.Name)
		}
	}
	assert.Len(t, res.With(suite.Passed), len(res.Scenarios)-len(unjudged))
}
