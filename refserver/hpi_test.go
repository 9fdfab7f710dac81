package refserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hpiClient signs in to a server as its fixture client.
type hpiClient struct {
	s     *Server
	token string
	key   string
}

func signIn(t *testing.T, s *Server) hpiClient {
	t.Helper()
	c := fixtureClient(t)
	return hpiClient{s: s, token: accessToken(t, requestToken(t, s, url.Values{"grant_type": {"client_credentials"}})), key: c.APIKey}
}

func fixtureClient(t *testing.T) HPIClient {
	t.Helper()
	clients, err := FixtureClients()
	require.NoError(t, err)
	return clients[0]
}

// requestToken asks the token endpoint for a token as the fixture client.
func requestToken(t *testing.T, s *Server, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	c := fixtureClient(t)
	r := httptest.NewRequest(http.MethodPost, TokenPath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth(c.ClientID, c.ClientSecret)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// accessToken is the token a successful token answer carries.
func accessToken(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &tok))
	return tok.AccessToken
}

func (c hpiClient) do(method, path, ifMatch string, body any) *httptest.ResponseRecorder {
	data, _ := json.Marshal(body)
	r := httptest.NewRequest(method, HPIBase+path, strings.NewReader(string(data)))
	r.Header.Set("Authorization", "Bearer "+c.token)
	r.Header.Set("x-api-key", c.key)
	r.Header.Set("userid", "99ZZZS")
	if ifMatch != "" {
		r.Header.Set("If-Match", ifMatch)
	}
	w := httptest.NewRecorder()
	c.s.ServeHTTP(w, r)
	return w
}

func newRoleBody(practitioner string) map[string]any {
	return map[string]any{
		"resourceType": "PractitionerRole",
		"practitioner": map[string]any{"reference": "Practitioner/" + practitioner},
		"location":     []any{map[string]any{"reference": "Location/FZZ999-B"}},
		"period":       map[string]any{"start": "2020-01-01"},
	}
}

// Many clients update one role with the same version at once: exactly one
// wins, the others are told their version is out of date.
func TestConcurrentUpdatesOfOneVersionLetOneWin(t *testing.T) {
	s := newServer(t)
	c := signIn(t, s)
	created := c.do(http.MethodPost, "/PractitionerRole", "", newRoleBody("91ZZAA"))
	require.Equal(t, http.StatusCreated, created.Code, created.Body.String())
	var role map[string]any
	require.NoError(t, json.Unmarshal(created.Body.Bytes(), &role))
	id := role["id"].(string)

	var won, stale atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			body := newRoleBody("91ZZAA")
			body["id"] = id
			body["identifier"] = role["identifier"]
			body["telecom"] = []any{map[string]any{"system": "email", "value": "u" + string(rune('a'+i%26)) + "@example.org", "rank": 1}}
			switch w := c.do(http.MethodPut, "/PractitionerRole/"+id, "1", body); w.Code {
			case http.StatusOK:
				won.Add(1)
			case http.StatusConflict:
				stale.Add(1)
			default:
				t.Errorf("unexpected %d: %s", w.Code, w.Body.String())
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), won.Load())
	assert.Equal(t, int32(39), stale.Load())
	read := c.do(http.MethodGet, "/PractitionerRole/"+id, "", nil)
	assert.Equal(t, `W/"2"`, read.Header().Get("ETag"))
}

func TestTokenEndpointRefusals(t *testing.T) {
	s := newServer(t)
	for name, tc := range map[string]struct {
		form   url.Values
		status int
		error  string
	}{
		"wrong secret":      {url.Values{"grant_type": {"client_credentials"}, "client_id": {"conformance-reference-client"}, "client_secret": {"wrong"}}, 401, "invalid_client"},
		"unknown client":    {url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {"x"}}, 401, "invalid_client"},
		"other grant":       {url.Values{"grant_type": {"password"}, "client_id": {"conformance-reference-client"}, "client_secret": {"refserver-client-secret-7c1f0e"}}, 400, "unsupported_grant_type"},
		"scope not granted": {url.Values{"grant_type": {"client_credentials"}, "client_id": {"conformance-reference-client"}, "client_secret": {"refserver-client-secret-7c1f0e"}, "scope": {"https://api.hip.digital.health.nz/fhir/practitioner:admin"}}, 400, "invalid_scope"},
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, TokenPath, strings.NewReader(tc.form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			assert.Equal(t, tc.status, w.Code)
			assert.Contains(t, w.Body.String(), tc.error)
		})
	}
}

func TestUsagePlanThrottlesPerAPIKey(t *testing.T) {
	s, err := New(Options{UsagePlan: UsagePlan{Rate: 1, Burst: 2}})
	require.NoError(t, err)
	c := signIn(t, s)
	codes := []int{}
	for range 3 {
		codes = append(codes, c.do(http.MethodGet, "/PractitionerRole/R00000012-G", "", nil).Code)
	}
	assert.Equal(t, []int{200, 200, 429}, codes)
	w := c.do(http.MethodGet, "/PractitionerRole/R00000012-G", "", nil)
	assert.Equal(t, "1", w.Header().Get("Retry-After"))
}

func TestRankIsAssignedAfterTheLowest(t *testing.T) {
	s := newServer(t)
	c := signIn(t, s)
	body := newRoleBody("91ZZAB")
	body["telecom"] = []any{
		map[string]any{"system": "phone", "value": "6449999999", "rank": 4},
		map[string]any{"system": "email", "value": "a@example.org"},
	}
	w := c.do(http.MethodPost, "/PractitionerRole", "", body)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"rank":5,"system":"email"`)
}
