// Package hpi is a typed client for the HPI FHIR API's PractitionerRole
// operations (read, create, update), with the headers every HPI request
// carries (general-request-rules.md): the OAuth2 bearer token, x-api-key,
// userid, X-Correlation-Id and, on an update, If-Match.
package hpi

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/healthapi-conformance/conformance/httpkit/auth"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
)

// Config is what every HPI request needs.
type Config struct {
	Base   string // the FHIR base, e.g. http://127.0.0.1:8080/fhir
	APIKey string
	UserID string
	Scopes []string // asked for with every token, unless a call says otherwise
	// WeakETag writes If-Match as FHIR does (W/"3"), not as the general
	// page documents it ("3").
	WeakETag bool
	// NoAuth sends no bearer token and no API key: a server without its gateway.
	NoAuth bool
}

// ProfileConfig is the Config a profile gives for a target.
func ProfileConfig(p *profile.Profile, target string) Config {
	h := p.HPI
	return Config{
		Base: p.HPIBaseURL(target), APIKey: h.APIKey.Value(), UserID: h.UserID, Scopes: h.Scopes,
		WeakETag: h.IfMatch == profile.IfMatchWeakETag, NoAuth: h.Auth == profile.AuthNone,
	}
}

// ProfileTokens gets tokens with the profile's client credentials from the target's token endpoint.
func ProfileTokens(p *profile.Profile, target string, r *redact.Redactor) *auth.Tokens {
	opts := []auth.Option{auth.WithTLS(p.TLSConfig())}
	if p.HPI.TokenAuth == profile.TokenAuthBody {
		opts = append(opts, auth.InBody())
	}
	return auth.New(p.HPITokenURL(target), p.HPI.ClientID, p.HPI.ClientSecret.Value(), p.Timeout.Std(), r, opts...)
}

// Client sends HPI requests. It is safe for concurrent use.
type Client struct {
	http   *exchange.Client
	tokens *auth.Tokens
	cfg    Config
}

// New returns a client that gets its access tokens from tokens.
func New(c *exchange.Client, tokens *auth.Tokens, cfg Config) *Client {
	return &Client{http: c, tokens: tokens, cfg: cfg}
}

// Option is a deliberate fault or a choice a scenario makes for one request.
type Option func(*call) error

type call struct {
	omit        []string
	contentType string // the body's declared media type, when not application/json
	apiKey      string // sent instead of the profile's API key
	bearer      string
	scopes      []string
	version     *int
	auth        bool // the option is about the gateway's credentials
}

// ErrNoAuth refuses a credential fault on a client that sends no credentials.
var ErrNoAuth = errors.New("the profile's hpi.auth is none: no access token or API key is sent, so a request about them cannot be made")

// credentials are the headers the gateway checks.
var credentials = []string{"Authorization", "x-api-key"}

// Headers are the headers the client sends, as general-request-rules.md names them.
var Headers = []string{"Authorization", "x-api-key", "userid", "X-Correlation-Id", "Accept", "Content-Type", "If-Match"}

// WithoutHeader leaves out one of Headers, e.g. "userid" or "Authorization".
func WithoutHeader(name string) Option {
	return func(c *call) error {
		if !slices.ContainsFunc(Headers, func(h string) bool { return strings.EqualFold(h, name) }) {
			return fmt.Errorf("%q is not a header the HPI client sends (%s)", name, strings.Join(Headers, ", "))
		}
		c.omit = append(c.omit, name)
		c.auth = c.auth || slices.ContainsFunc(credentials, func(h string) bool { return strings.EqualFold(h, name) })
		return nil
	}
}

// WithBearer sends this access token instead of one from the token endpoint.
func WithBearer(token string) Option {
	return func(c *call) error { c.bearer, c.auth = token, true; return nil }
}

// WithScopes asks the token endpoint for a token granted these scopes.
func WithScopes(scopes []string) Option {
	return func(c *call) error { c.scopes, c.auth = scopes, true; return nil }
}

// WithAPIKey sends this x-api-key instead of the profile's.
func WithAPIKey(key string) Option {
	return func(c *call) error { c.apiKey, c.auth = key, true; return nil }
}

// DeclaredAs declares the body as another media type than application/json.
func DeclaredAs(mediaType string) Option {
	return func(c *call) error { c.contentType = mediaType; return nil }
}

// IfMatch names the version the update is based on.
func IfMatch(version int) Option { return func(c *call) error { c.version = &version; return nil } }

// ErrNoID refuses a read or update of no role: it would send GET /PractitionerRole/.
var ErrNoID = errors.New("no hpi-practitionerrole-id to send: the role was never named")

// Read is GET /PractitionerRole/{id} (get-practitionerrole.md).
func (c *Client) Read(ctx context.Context, id string, opts ...Option) (*exchange.Exchange, error) {
	if id == "" {
		return nil, ErrNoID
	}
	return c.send(ctx, http.MethodGet, RolePath(id), nil, opts)
}

// Create is POST /PractitionerRole (add-practitionerrole.md).
func (c *Client) Create(ctx context.Context, role Resource, opts ...Option) (*exchange.Exchange, error) {
	return c.send(ctx, http.MethodPost, "/PractitionerRole", role, opts)
}

// Update is PUT /PractitionerRole/{id} (update-practitionerrole.md).
func (c *Client) Update(ctx context.Context, id string, role Resource, opts ...Option) (*exchange.Exchange, error) {
	if id == "" {
		return nil, ErrNoID
	}
	return c.send(ctx, http.MethodPut, RolePath(id), role, opts)
}

// Tokens is where the client gets its access tokens, for checks of what
// the token endpoint grants.
func (c *Client) Tokens() *auth.Tokens { return c.tokens }

// Retried counts the requests answered 429 Too Many Requests and retried.
func (c *Client) Retried() int64 { return c.http.Retried() }

// Sent counts the requests sent to the API, and those to its token endpoint.
func (c *Client) Sent() (api, token int64) { return c.http.Sent(), c.tokens.Sent() }

// RolePath is the path of a role below the FHIR base.
func RolePath(id string) string { return "/PractitionerRole/" + url.PathEscape(id) }

func (c *Client) send(ctx context.Context, method, path string, body Resource, opts []Option) (*exchange.Exchange, error) {
	var o call
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.auth && c.cfg.NoAuth {
		return nil, ErrNoAuth
	}
	headers, err := c.credentialHeaders(ctx, o)
	if err != nil {
		return nil, err
	}
	headers = append(headers, []exchange.Header{
		{Name: "userid", Value: c.cfg.UserID},
		{Name: "X-Correlation-Id", Value: "conformance-" + RandomHex(12)},
		{Name: "Accept", Value: "application/json"},
	}...)
	// The general page makes Content-Type mandatory on every request, reads
	// included, though a read has no body (docs/spec-defects.md, D-HPI-24).
	headers = append(headers, exchange.Header{Name: "Content-Type", Value: cmp.Or(o.contentType, "application/json")})
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	if o.version != nil {
		headers = append(headers, exchange.Header{Name: "If-Match", Value: c.ifMatch(*o.version)})
	}
	headers = slices.DeleteFunc(headers, func(h exchange.Header) bool {
		return slices.ContainsFunc(o.omit, func(name string) bool { return strings.EqualFold(h.Name, name) })
	})
	return c.http.Do(ctx, exchange.Request{Method: method, URL: c.cfg.Base + path, Header: headers, Body: data})
}

// credentialHeaders are the bearer token and the API key, unless the client sends none.
func (c *Client) credentialHeaders(ctx context.Context, o call) ([]exchange.Header, error) {
	if c.cfg.NoAuth {
		return nil, nil
	}
	token, err := c.bearer(ctx, o)
	if err != nil {
		return nil, err
	}
	return []exchange.Header{{Name: "Authorization", Value: "Bearer " + token}, {Name: "x-api-key", Value: cmp.Or(o.apiKey, c.cfg.APIKey)}}, nil
}

func (c *Client) bearer(ctx context.Context, o call) (string, error) {
	if o.bearer != "" {
		return o.bearer, nil
	}
	scopes := o.scopes
	if scopes == nil {
		scopes = c.cfg.Scopes
	}
	return c.tokens.Bearer(ctx, scopes)
}

// ifMatch writes a version as the profile says the target wants it.
func (c *Client) ifMatch(version int) string {
	if c.cfg.WeakETag {
		return fmt.Sprintf(`W/"%d"`, version)
	}
	return strconv.Itoa(version)
}

// RandomHex is n random bytes in hex, for ids no server has seen.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
