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
func (a *hpiAPI) issueToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	client, known := a.tokens.clients[id]
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
	token := a.tokens.issue(grant{apiKey: client.APIKey, scopes: scopes, expires: time.Now().Add(tokenLifetime)})
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

func apiKeyIssued(c *gatewayCall) *problem {
	if !c.api.tokens.apiKeys[c.apiKey] {
		return &problem{status: http.StatusForbidden, code: "forbidden", diagnostics: "Forbidden"}
	}
	return nil
}

func withinPlan(c *gatewayCall) *problem {
	if wait, ok := c.api.plan.allow(c.apiKey); !ok {
		return tooManyRequests(wait)
	}
	return nil
}

func tokenGiven(c *gatewayCall) *problem {
	if !c.tokenValid {
		return &problem{status: http.StatusUnauthorized, code: "login", diagnostics: "Unauthorized"}
	}
	return nil
}

func useridGiven(c *gatewayCall) *problem {
	if strings.TrimSpace(c.userid) == "" {
		return &problem{status: http.StatusUnauthorized, code: "processing", diagnostics: "Authentication: missing userid header"}
	}
	return nil
}

// scopeGranted: a valid token's scopes open the operation; an invalid token is the token rule's to refuse.
func scopeGranted(c *gatewayCall) *problem {
	if c.tokenValid && !c.grant.allows(c.operation) {
		return &problem{status: http.StatusForbidden, code: "forbidden", diagnostics: "Forbidden"}
	}
	return nil
}
