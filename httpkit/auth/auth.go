// Package auth gets the HPI's OAuth2 access tokens the way a real client
// does: the client credentials grant (golang.org/x/oauth2/clientcredentials),
// one cached token per set of scopes, each token masked in every output.
package auth

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

// Tokens hands out access tokens for one client. It is safe for concurrent use.
type Tokens struct {
	base     clientcredentials.Config
	http     *http.Client
	redactor *redact.Redactor

	mu      sync.Mutex
	sources map[string]oauth2.TokenSource // by scope set
	sent    *atomic.Int64                 // token requests sent, shared with WithSecret's
}

// counting counts the requests a transport sends.
type counting struct {
	*http.Transport
	n *atomic.Int64
}

func (c counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.Transport.RoundTrip(r)
}

// Sent counts the token requests sent.
func (t *Tokens) Sent() int64 { return t.sent.Load() }

// Option changes how tokens are asked for.
type Option func(*Tokens)

// InBody sends the client credentials in the form body (RFC 6749 2.3.1's
// alternative), not in a Basic Authorization header.
func InBody() Option { return func(t *Tokens) { t.base.AuthStyle = oauth2.AuthStyleInParams } }

// WithTLS connects to the token endpoint with cfg (trusted authorities,
// client certificate); nil keeps the system's roots.
func WithTLS(cfg *tls.Config) Option {
	return func(t *Tokens) { t.http.Transport.(counting).TLSClientConfig = cfg }
}

// New returns a token source for the client; every token request ends within timeout.
func New(tokenURL, clientID, secret string, timeout time.Duration, r *redact.Redactor, opts ...Option) *Tokens {
	// The Basic credentials x/oauth2 writes, in case a target echoes or logs them.
	r.AddNamed("hpi.clientSecret (in Basic credentials)", base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID)+":"+url.QueryEscape(secret))))
	sent := new(atomic.Int64)
	t := &Tokens{
		sent: sent,
		// One auth style, fixed by the profile, never guessed: x/oauth2's
		// autodetection would try again with the secret in the body.
		base: clientcredentials.Config{ClientID: clientID, ClientSecret: secret, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInHeader},
		http: &http.Client{
			Timeout: timeout,
			// The secret goes to the token URL the profile names, never to where a redirect points.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			// No proxy: the secret travels only to the host the profile names.
			Transport: counting{&http.Transport{
				DialContext:           (&net.Dialer{Timeout: timeout}).DialContext,
				TLSHandshakeTimeout:   timeout,
				ResponseHeaderTimeout: timeout,
			}, sent},
		},
		redactor: r,
		sources:  map[string]oauth2.TokenSource{},
	}
	for _, o := range opts {
		o(t)
	}
	return t
}

// WithSecret is a token source for the same client and token endpoint that
// authenticates with another secret: to see the endpoint refuse it.
func (t *Tokens) WithSecret(secret string) *Tokens {
	other := &Tokens{base: t.base, http: t.http, redactor: t.redactor, sources: map[string]oauth2.TokenSource{}, sent: t.sent}
	other.base.ClientSecret = secret
	return other
}

// Bearer returns a valid access token granted the given scopes, fetching
// one only when there is none yet or the last one has expired.
func (t *Tokens) Bearer(ctx context.Context, scopes []string) (string, error) {
	tok, err := t.token(ctx, scopes)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// Granted gets the token Bearer would, and returns the scopes the token
// response says it grants. RFC 6749 (5.1) lets a response leave out its
// scope field when it grants exactly what was asked; reported is then false.
func (t *Tokens) Granted(ctx context.Context, scopes []string) (granted []string, reported bool, err error) {
	tok, err := t.token(ctx, scopes)
	if err != nil {
		return nil, false, err
	}
	field, ok := tok.Extra("scope").(string)
	if !ok {
		return nil, false, nil
	}
	return strings.Fields(field), true, nil
}

// token is the cached token for the scopes, masked from now on. A caller
// whose context is done gets none: after Ctrl-C no token request starts.
func (t *Tokens) token(ctx context.Context, scopes []string) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("no access token: %w", err)
	}
	tok, err := t.source(scopes).Token()
	if err != nil {
		return nil, t.explain(err)
	}
	t.redactor.AddNamed("HPI access tokens the token endpoint issued", tok.AccessToken)
	return tok, nil
}

func (t *Tokens) source(scopes []string) oauth2.TokenSource {
	key := strings.Join(slices.Sorted(slices.Values(scopes)), " ")
	t.mu.Lock()
	defer t.mu.Unlock()
	if src, ok := t.sources[key]; ok {
		return src
	}
	cfg := t.base
	cfg.Scopes = scopes
	// The token source outlives any one scenario, so it gets its own context
	// carrying our bounded HTTP client, not a scenario's.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, t.http)
	src := cfg.TokenSource(ctx)
	t.sources[key] = src
	return src
}

// RefusedError is a token endpoint's refusal (RFC 6749 5.2): its status and
// error code, e.g. 401 invalid_client or 400 invalid_scope, so a caller can
// tell which setting is at fault.
type RefusedError struct {
	TokenURL string
	Status   int
	Code     string
}

func (e *RefusedError) Error() string {
	if e.Status == http.StatusTooManyRequests || e.Status >= 500 {
		return fmt.Sprintf("the token endpoint %s answered %d %s: it is throttling or failing, not refusing the credentials (try later, or lower hpi.pacing)",
			e.TokenURL, e.Status, http.StatusText(e.Status))
	}
	what, check := "the client credentials", "hpi.clientId, hpi.clientSecret and hpi.scopes"
	if e.Code == "invalid_scope" {
		what, check = "the scopes asked for", "hpi.scopes and hpi.readOnlyScopes"
	}
	return fmt.Sprintf("the token endpoint %s refused %s: %d %s (check %s)", e.TokenURL, what, e.Status, e.Code, check)
}

// explain turns a token endpoint failure into what a user needs to read.
func (t *Tokens) explain(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		refused := &RefusedError{TokenURL: t.base.TokenURL, Code: re.ErrorCode}
		if re.Response != nil {
			refused.Status = re.Response.StatusCode
		}
		return t.redactor.Error(refused)
	}
	return t.redactor.Error(fmt.Errorf("no access token from %s: the answer is not an OAuth2 token response, or none came: %w", t.base.TokenURL, err))
}
