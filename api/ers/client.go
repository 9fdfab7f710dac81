// Package ers is a typed client for the e-RS professional session
// endpoints: one method per documented operation (A001 create, A002 select
// a role, A003 close), with the headers, the session key and the secrets the
// answers carry handled here, so the steps only say what to send.
package ers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
)

// The header names the A001-A003 pages document.
const (
	HeaderASID       = "XAPI_ASID"
	HeaderSessionKey = "HTTP_X_SESSION_KEY"
)

// Config says where the e-RS API is and how the target spells its headers.
type Config struct {
	Base    string // e.g. http://127.0.0.1:8080/ers-api
	ASID    string // the Accredited System ID, sent in the ASID header
	Headers map[string]string
}

// ProfileConfig is the Config a profile gives for a target.
func ProfileConfig(p *profile.Profile, target string) Config {
	return Config{Base: p.ERSBaseURL(target), ASID: p.ERS.ASID, Headers: map[string]string{
		HeaderASID: p.ERS.Headers.ASID, HeaderSessionKey: p.ERS.Headers.SessionKey,
	}}
}

// Client sends e-RS requests. It is safe for concurrent use.
type Client struct {
	http     *exchange.Client
	cfg      Config
	redactor *redact.Redactor
}

// Sent counts the requests sent to the API.
func (c *Client) Sent() int64 { return c.http.Sent() }

// New returns a client; cfg.Headers maps each documented header name to the
// target's spelling, and a missing entry keeps the documented one.
func New(c *exchange.Client, cfg Config, r *redact.Redactor) *Client {
	return &Client{http: c, cfg: cfg, redactor: r}
}

// Option is a deliberate fault a scenario sends.
type Option func(*call) error

type call struct {
	omit       []string
	asid       string // "": the profile's
	sessionKey string // "": the key of the path
}

// WithoutHeader leaves out a documented header (HeaderASID or HeaderSessionKey).
func WithoutHeader(documented string) Option {
	return func(c *call) error {
		if documented != HeaderASID && documented != HeaderSessionKey {
			return fmt.Errorf("%q is not a documented e-RS header (%s, %s)", documented, HeaderASID, HeaderSessionKey)
		}
		c.omit = append(c.omit, documented)
		return nil
	}
}

// WithASID sends asid as the Accredited System ID instead of the profile's.
func WithASID(asid string) Option {
	return func(c *call) error {
		c.asid = asid
		return nil
	}
}

// WithSessionKeyHeader names key in the session-key header, whatever the path names.
func WithSessionKeyHeader(key string) Option {
	return func(c *call) error {
		c.sessionKey = key
		return nil
	}
}

// Create is A001: POST /v1/ProfessionalSession with the body as given.
func (c *Client) Create(ctx context.Context, body []byte, opts ...Option) (*exchange.Exchange, error) {
	return c.Send(ctx, http.MethodPost, "", body, opts...)
}

// SelectRole is A002: PUT /v1/ProfessionalSession/{key}.
func (c *Client) SelectRole(ctx context.Context, key string, body []byte, opts ...Option) (*exchange.Exchange, error) {
	return c.Send(ctx, http.MethodPut, key, body, opts...)
}

// Close is A003: DELETE /v1/ProfessionalSession/{key}.
func (c *Client) Close(ctx context.Context, key string, opts ...Option) (*exchange.Exchange, error) {
	return c.Send(ctx, http.MethodDelete, key, nil, opts...)
}

// Send makes any request of the session endpoint: key names the session in
// the path and the session-key header ("" for the collection), and every
// session key and token the answer carries becomes a secret.
func (c *Client) Send(ctx context.Context, method, key string, body []byte, opts ...Option) (*exchange.Exchange, error) {
	var o call
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	target := c.cfg.Base + "/v1/ProfessionalSession"
	asid := c.cfg.ASID
	if o.asid != "" {
		asid = o.asid
	}
	headers := []exchange.Header{{Name: HeaderASID, Value: asid}, {Name: "Accept", Value: "application/json"}}
	if key != "" {
		target += "/" + url.PathEscape(key)
		named := key
		if o.sessionKey != "" {
			named = o.sessionKey
		}
		headers = append(headers, exchange.Header{Name: HeaderSessionKey, Value: named})
	}
	if body != nil {
		headers = append(headers, exchange.Header{Name: "Content-Type", Value: "application/json"})
	}
	headers = slices.DeleteFunc(headers, func(h exchange.Header) bool { return slices.Contains(o.omit, h.Name) })
	for i, h := range headers {
		headers[i].Name = c.spelling(h.Name)
	}
	ex, err := c.http.Do(ctx, exchange.Request{Method: method, URL: target, Header: headers, Body: body})
	if err == nil {
		c.learnSecrets(ex.Body)
	}
	return ex, err
}

// spelling is the target's name for a documented header.
func (c *Client) spelling(documented string) string {
	if name := c.cfg.Headers[documented]; name != "" {
		return name
	}
	return documented
}

// learnSecrets registers the session key and token of any session in an
// answer, whatever its status, so that no report shows them.
func (c *Client) learnSecrets(body []byte) {
	var s struct{ ID, Token any }
	if json.Unmarshal(body, &s) != nil {
		return
	}
	for _, v := range []any{s.ID, s.Token} {
		if text, ok := v.(string); ok {
			c.redactor.AddNamed("e-RS session keys and tokens the target issued", text) // with its escaped forms: a key also goes in the path
		}
	}
}
