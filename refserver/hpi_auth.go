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

// opens says whether the grant's scopes open the operation on this server.
func (a *hpiAPI) opens(g grant, operation string) bool {
	also, needed := a.alsoNeeds[operation]
	return slices.ContainsFunc(g.scopes, func(s string) bool { return slices.Contains(a.scopes[operation], s) }) &&
		(!needed || slices.Contains(g.scopes, also))
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
	if p := firstBroken(a.selected, tokenRules, &tokenCall{client: client, known: known, secret: secret}); p != nil {
		oauthError(w, p.status, p.code)
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
	if token == "" {
		oauthError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token, "token_type": "Bearer",
		"expires_in": int(tokenLifetime.Seconds()), "scope": strings.Join(scopes, " "),
	})
}

// tokenCall is a token request as the token endpoint's rules see it.
type tokenCall struct {
	client HPIClient // the client its id names
	known  bool      // the id names a client
	secret string    // the secret it authenticated with
}

// tokenRules are the client credentials flow's (general-request-rules.md,
// Security, OAUTH2; RFC 6749 4.4 and 5.2: invalid_client).
var tokenRules = []rule[*tokenCall]{
	{id: "client-known", says: "OAUTH2: the client id is one the HPI issued (401 invalid_client).",
		check: clientKnown},
	{id: "HPI-SEC-client-credentials", says: "OAUTH2 Client Credentials flow: the client authenticates with its own secret (401 invalid_client).",
		check: clientSecretMatches, off: []Mutant{HpiClientSecretNotChecked}},
}

func clientKnown(c *tokenCall) *problem {
	if !c.known {
		return &problem{status: http.StatusUnauthorized, code: "invalid_client"}
	}
	return nil
}

func clientSecretMatches(c *tokenCall) *problem {
	if c.secret == "" || c.client.ClientSecret != c.secret {
		return &problem{status: http.StatusUnauthorized, code: "invalid_client"}
	}
	return nil
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code})
}

// maxTokens (a variable for the tests) bounds the live access tokens: a token request beyond it is
// answered 503, saying so. Expired tokens are forgotten when the store
// fills, so issuing does not scan the store each time.
var maxTokens = 10_000

// issue returns a new token for g; "" when maxTokens live tokens are out.
func (t *tokenStore) issue(g grant) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.grants) >= maxTokens {
		now := time.Now()
		for k, old := range t.grants {
			if now.After(old.expires) {
				delete(t.grants, k)
			}
		}
		if len(t.grants) >= maxTokens {
			return ""
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

func apiKeyGiven(c *gatewayCall) *problem {
	if c.apiKey == "" {
		return &problem{status: http.StatusForbidden, code: "forbidden", diagnostics: "Forbidden"}
	}
	return nil
}

// apiKeyIssued: a key given is one issued; no key at all is apiKeyGiven's to refuse.
func apiKeyIssued(c *gatewayCall) *problem {
	if c.apiKey != "" && !c.api.tokens.apiKeys[c.apiKey] {
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

// scopeGranted: a valid token's scopes open the operation; an invalid token
// is the token rule's to refuse, and another operation another entry's.
func scopeGranted(operation string) func(c *gatewayCall) *problem {
	return func(c *gatewayCall) *problem {
		if c.operation == operation && c.tokenValid && !c.api.opens(c.grant, operation) {
			return &problem{status: http.StatusForbidden, code: "forbidden", diagnostics: "Forbidden"}
		}
		return nil
	}
}
