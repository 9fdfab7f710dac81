package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

func tokenEndpoint(t *testing.T, handler http.HandlerFunc) string {
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestTokensAreFetchedOncePerScopeSetAndMasked(t *testing.T) {
	var calls atomic.Int32
	url := tokenEndpoint(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		id, secret, _ := r.BasicAuth()
		assert.Equal(t, "client", id)
		assert.Equal(t, "client-secret", secret)
		assert.Equal(t, "client_credentials", r.FormValue("grant_type"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"token-for-` + r.FormValue("scope") + `","token_type":"Bearer","expires_in":3600}`))
	})
	red := redact.New()
	tokens := New(url, "client", "client-secret", time.Second, red)
	a, err := tokens.Bearer(context.Background(), []string{"read", "write"})
	require.NoError(t, err)
	b, err := tokens.Bearer(context.Background(), []string{"write", "read"})
	require.NoError(t, err)
	c, err := tokens.Bearer(context.Background(), []string{"read"})
	require.NoError(t, err)
	assert.Equal(t, a, b, "the same scopes reuse the token")
	assert.NotEqual(t, a, c)
	assert.Equal(t, int32(2), calls.Load())
	assert.Equal(t, "Bearer [REDACTED]", red.String("Bearer "+a), "a token is masked once issued")
}

func TestRefusedCredentialsAreExplained(t *testing.T) {
	url := tokenEndpoint(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"bad secret client-secret"}`))
	})
	_, err := New(url, "client", "client-secret", time.Second, redact.New("client-secret")).Bearer(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refused the client credentials: 401 invalid_client")
	assert.NotContains(t, err.Error(), "client-secret")
}

func TestAHangingTokenEndpointTimesOut(t *testing.T) {
	url := tokenEndpoint(t, func(w http.ResponseWriter, r *http.Request) {
		select { // hang, but not past the test: the server's Close waits for handlers
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	start := time.Now()
	_, err := New(url, "client", "secret", 100*time.Millisecond, redact.New()).Bearer(context.Background(), nil)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestGrantedReportsTheScopesOfTheTokenResponse(t *testing.T) {
	url := tokenEndpoint(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		scope := ""
		if r.FormValue("scope") != "silent" { // a response may leave scope out when it grants what was asked
			scope = `,"scope":"read"`
		}
		_, _ = w.Write([]byte(`{"access_token":"tok-` + r.FormValue("scope") + `","token_type":"Bearer","expires_in":3600` + scope + `}`))
	})
	tokens := New(url, "client", "secret", time.Second, redact.New())
	granted, reported, err := tokens.Granted(context.Background(), []string{"read", "write"})
	require.NoError(t, err)
	assert.True(t, reported)
	assert.Equal(t, []string{"read"}, granted, "the endpoint granted less than was asked")
	granted, reported, err = tokens.Granted(context.Background(), []string{"silent"})
	require.NoError(t, err)
	assert.False(t, reported, "no scope field")
	assert.Empty(t, granted)
}

func TestARefusalSaysItsStatusAndCode(t *testing.T) {
	url := tokenEndpoint(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_scope"}`))
	})
	_, _, err := New(url, "client", "secret", time.Second, redact.New()).Granted(context.Background(), []string{"admin"})
	var refused *RefusedError
	require.ErrorAs(t, err, &refused, "the refusal survives redaction")
	assert.Equal(t, http.StatusBadRequest, refused.Status)
	assert.Equal(t, "invalid_scope", refused.Code)
	assert.Contains(t, err.Error(), "refused the scopes asked for: 400 invalid_scope (check hpi.scopes and hpi.readOnlyScopes)")
}

// A token endpoint that redirects gets no second request: the secret never
// travels to where a redirect points, and it is sent once, in the header.
func TestTheSecretDoesNotFollowARedirect(t *testing.T) {
	var elsewhere, asked atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	_, err := New(srv.URL, "client", "S3CRET-client-secret", time.Second, redact.New("S3CRET-client-secret")).Bearer(context.Background(), []string{"s"})
	require.Error(t, err)
	assert.Zero(t, elsewhere.Load(), "the redirect was not followed")
	assert.Equal(t, int64(1), asked.Load(), "one auth style, one request")
	assert.NotContains(t, err.Error(), "S3CRET")
}

func TestNoTokenRequestStartsOnceTheRunIsStopped(t *testing.T) {
	var asked atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { asked.Add(1) }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(srv.URL, "client", "secret-value", time.Second, redact.New()).Bearer(ctx, []string{"s"})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, asked.Load())
}

// The credentials go one way only, the one the profile names: a refusal
// is not retried with the secret in the other place.
func TestTheCredentialsGoOneWayOnly(t *testing.T) {
	for name, c := range map[string]struct {
		opts              []Option
		wantBasic, inBody bool
	}{
		"basic, the default": {nil, true, false},
		"body":               {[]Option{InBody()}, false, true},
	} {
		var calls atomic.Int32
		url := tokenEndpoint(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			_, _, basic := r.BasicAuth()
			assert.Equal(t, c.wantBasic, basic, name)
			assert.Equal(t, c.inBody, r.FormValue("client_secret") == "client-secret", name)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
		})
		_, err := New(url, "client", "client-secret", time.Second, redact.New(), c.opts...).Bearer(context.Background(), []string{"read"})
		require.Error(t, err, name)
		assert.Equal(t, int32(1), calls.Load(), "%s: one request, no second try in the other style", name)
	}
}
