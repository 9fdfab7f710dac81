package refserver

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// HPIClient is an OAuth2 client of the HPI: credentials, API key and the
// scopes it may be granted (hpi/general-request-rules.md, Security).
type HPIClient struct {
	ClientID     string   `json:"clientId"`
	ClientSecret string   `json:"clientSecret"`
	APIKey       string   `json:"apiKey"`
	Scopes       []string `json:"scopes"`
}

// The scopes of the general page's table that open PractitionerRole
// operations, in their version 1 and SMART on FHIR spellings.
const scopeBase = "https://api.hip.digital.health.nz/fhir/"

var roleScopes = map[string][]string{
	"read":   {scopeBase + "pracrole:read", scopeBase + "system/PractitionerRole.r", scopeBase + "pracrole:admin", scopeBase + "system/PractitionerRole.a"},
	"create": {scopeBase + "pracrole:write", scopeBase + "system/PractitionerRole.c", scopeBase + "pracrole:admin", scopeBase + "system/PractitionerRole.a"},
	"update": {scopeBase + "pracrole:write", scopeBase + "system/PractitionerRole.u", scopeBase + "pracrole:admin", scopeBase + "system/PractitionerRole.a"},
}

const tokenLifetime = time.Hour

// grant is what an access token stands for.
type grant struct {
	apiKey  string
	scopes  []string
	expires time.Time
}

func (g grant) allows(operation string) bool {
	return slices.ContainsFunc(g.scopes, func(s string) bool { return slices.Contains(roleScopes[operation], s) })
}

// tokenStore issues and checks access tokens. It is safe for concurrent use.
type tokenStore struct {
	clients map[string]HPIClient // by client id
	apiKeys map[string]bool

	mu     sync.Mutex
	grants map[string]grant
}

func newTokenStore(clients []HPIClient) *tokenStore {
	t := &tokenStore{clients: map[string]HPIClient{}, apiKeys: map[string]bool{}, grants: map[string]grant{}}
	for _, c := range clients {
		t.clients[c.ClientID] = c
		t.apiKeys[c.APIKey] = true
	}
	return t
}

// issueToken is the OAuth2 client credentials token endpoint (RFC 6749 4.4):
// the client authenticates with HTTP Basic or form fields, and may ask for
// a subset of its scopes.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	client, known := s.tokens.clients[id]
	if !known || secret == "" || client.ClientSecret != secret {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	scopes := client.Scopes
	if asked := strings.Fields(r.PostForm.Get("scope")); len(asked) > 0 {
		for _, sc := range asked {
			if !slices.Contains(client.Scopes, sc) {
				oauthError(w, http.StatusBadRequest, "invalid_scope")
				return
			}
		}
		scopes = asked
	}
	token := s.tokens.issue(grant{apiKey: client.APIKey, scopes: scopes, expires: time.Now().Add(tokenLifetime)})
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token, "token_type": "Bearer",
		"expires_in": int(tokenLifetime.Seconds()), "scope": strings.Join(scopes, " "),
	})
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code})
}

func (t *tokenStore) issue(g grant) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, old := range t.grants { // forget expired tokens so the map stays small
		if time.Now().After(old.expires) {
			delete(t.grants, k)
		}
	}
	t.grants[token] = g
	return token
}

func (t *tokenStore) lookup(authorization string) (grant, bool) {
	token, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok || token == "" {
		return grant{}, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	g, ok := t.grants[token]
	return g, ok && time.Now().Before(g.expires)
}

// hpiGuard applies the request rules every HPI call obeys, in the order a
// gateway meets them: API key (403), usage plan (429), access token (401),
// userid header (401 with its documented diagnostics), then the scope the
// operation needs (403).
func (s *Server) hpiGuard(operation string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("x-api-key")
		if !s.tokens.apiKeys[key] && !s.mutants[HpiAPIKeyNotRequired] {
			hpiDiagnostics(w, http.StatusForbidden, "forbidden", "Forbidden")
			return
		}
		if wait, ok := s.plan.allow(key); !ok {
			tooManyRequests(w, wait)
			return
		}
		g, ok := s.tokens.lookup(r.Header.Get("Authorization"))
		if !ok && s.mutants[HpiTokenNotChecked] {
			g, ok = grant{scopes: roleScopes[operation]}, true
		}
		if !ok {
			hpiDiagnostics(w, http.StatusUnauthorized, "login", "Unauthorized")
			return
		}
		if strings.TrimSpace(r.Header.Get("userid")) == "" && !s.mutants[HpiUseridNotRequired] {
			hpiDiagnostics(w, http.StatusUnauthorized, "processing", "Authentication: missing userid header")
			return
		}
		if !g.allows(operation) && !s.mutants[HpiScopeNotChecked] {
			hpiDiagnostics(w, http.StatusForbidden, "forbidden", "Forbidden")
			return
		}
		h(w, r)
	})
}

// correlate returns X-Correlation-Id when the client sent one, and an
// X-Request-Id on every answer (general-request-rules.md, Response Headers).
func (s *Server) correlate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := r.Header.Get("X-Correlation-Id"); id != "" && !s.mutants[HpiCorrelationIDNotEchoed] {
			w.Header().Set("X-Correlation-Id", id)
		}
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		w.Header().Set("X-Request-Id", hex.EncodeToString(b))
		h.ServeHTTP(w, r)
	})
}
