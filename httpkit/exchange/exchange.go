// Package exchange makes every HTTP request the harness sends to a target:
// one place for the timeout, the bound on what is read, the fail-fast rule
// for a dead target, pacing and 429 retries, and the redacted transcript
// kept as evidence.
package exchange

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

// MaxBody bounds how much of a response body is read.
const MaxBody = 1 << 20

// Request is one request, with headers kept exactly as spelt (the e-RS
// headers contain underscores and must not be canonicalised).
type Request struct {
	Method string
	URL    string
	Header []Header
	Body   []byte
}

// Header is one request header.
type Header struct{ Name, Value string }

// HeaderValue is the value of the first header of that name, in any case.
func (r Request) HeaderValue(name string) string {
	for _, h := range r.Header {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Exchange is a request and the answer the target gave.
type Exchange struct {
	Request  Request
	Status   int
	Header   http.Header
	Body     []byte
	Duration time.Duration
	Retries  []Retry // earlier attempts answered 429, oldest first
	// Sent and Received are when the request went and its answer was read
	// in full, on the harness's clock (of the last attempt, after retries).
	Sent, Received time.Time
}

// Stamp is how the evidence writes a time: RFC 3339, UTC, milliseconds.
const Stamp = "2006-01-02T15:04:05.000Z07:00"

// Client sends requests to one target. It is safe for concurrent use.
type Client struct {
	http    *http.Client
	timeout time.Duration
	redact  *redact.Redactor

	policy  Policy
	pacer   *rate.Limiter // nil: unpaced
	retried atomic.Int64
	sent    atomic.Int64 // requests sent, every attempt counted
	// throttledOut counts requests in a row whose 429s outlasted the retries.
	throttledOut atomic.Int64

	mu        sync.Mutex
	probeURL  string    // what Probe asked: asked again after a transport failure
	down      error     // set when a transport failure and a re-probe both failed
	nextProbe time.Time // while down, when to ask the probe URL again
}

// NewClient returns a client whose every request ends within timeout.
func NewClient(timeout time.Duration, r *redact.Redactor) *Client {
	return NewPacedClient(timeout, r, Policy{})
}

// NewPacedClient returns a client that also paces and retries as p says.
func NewPacedClient(timeout time.Duration, r *redact.Redactor, p Policy) *Client {
	var pacer *rate.Limiter
	if p.Rate > 0 {
		pacer = rate.NewLimiter(rate.Limit(p.Rate), max(p.Burst, 1))
	}
	return &Client{
		timeout: timeout,
		redact:  r,
		policy:  p,
		pacer:   pacer,
		http: &http.Client{
			Timeout: timeout,
			// A conformance check judges the answer it was given, not where it points.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{
				DialContext:            (&net.Dialer{Timeout: timeout}).DialContext,
				TLSHandshakeTimeout:    timeout,
				TLSClientConfig:        p.TLS,
				ResponseHeaderTimeout:  timeout,
				MaxResponseHeaderBytes: 64 << 10,
			},
		},
	}
}

// ErrTargetDown marks requests not sent because the target is down: a
// transport failure, and a re-probe after it, both failed.
var ErrTargetDown = errors.New("target is down")

// Do sends req and reads the whole answer (up to MaxBody), pacing the
// request and retrying answers of 429 as the client's policy says.
func (c *Client) Do(ctx context.Context, req Request) (*Exchange, error) {
	if c.policy.MaxRetries > 0 && c.throttledOut.Load() >= throttleBreaker {
		return nil, fmt.Errorf("%w: %s %s not sent: %d requests in a row were still answered 429 after %d retries each",
			ErrThrottledOut, req.Method, req.URL, throttleBreaker, c.policy.MaxRetries)
	}
	var retries []Retry
	for attempt := 0; ; attempt++ {
		if err := c.pace(ctx); err != nil {
			return nil, fmt.Errorf("%s %s: not sent: %w", req.Method, req.URL, err)
		}
		ex, err := c.once(ctx, req)
		if err != nil || ex.Status != http.StatusTooManyRequests || attempt >= c.policy.MaxRetries {
			if ex != nil {
				ex.Retries = retries
				c.countThrottled(ex.Status == http.StatusTooManyRequests)
			}
			return ex, err
		}
		r := c.policy.retry(attempt, ex)
		retries = append(retries, r)
		c.retried.Add(1)
		c.policy.waiting(r.Wait, WaitRetry)
		if err := sleep(ctx, r.Wait); err != nil {
			return nil, fmt.Errorf("%s %s: gave up waiting to retry a 429: %w", req.Method, req.URL, err)
		}
	}
}

// pace waits for the request's turn under the usage plan, if any.
func (c *Client) pace(ctx context.Context) error {
	if c.pacer == nil {
		return nil
	}
	r := c.pacer.Reserve()
	d := r.Delay()
	if d <= 0 {
		return ctx.Err()
	}
	c.policy.waiting(d, WaitPacing)
	if err := sleep(ctx, d); err != nil {
		r.Cancel() // the turn goes back to the others
		return err
	}
	return nil
}

// ErrThrottledOut marks requests not sent because the API kept answering 429.
var ErrThrottledOut = errors.New("throttled out")

// throttleBreaker is how many requests in a row may outlast their retries
// before the API counts as throttled out: each waits up to MaxRetries x
// MaxWait, and a plan that never lets a request through would hold the run
// for hours.
const throttleBreaker = 3

func (c *Client) countThrottled(throttled bool) {
	if throttled {
		c.throttledOut.Add(1)
	} else {
		c.throttledOut.Store(0)
	}
}

// Sent counts the requests this client has sent, retries and probes included.
func (c *Client) Sent() int64 { return c.sent.Load() }

// Retried counts the retries this client has made.
func (c *Client) Retried() int64 { return c.retried.Load() }

func (c *Client) once(ctx context.Context, req Request) (*Exchange, error) {
	if err := c.stillDown(ctx); err != nil {
		return nil, fmt.Errorf("%w: not sent, an earlier request and a probe after it failed: %v", ErrTargetDown, err)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", req.Method, req.URL, err)
	}
	for _, h := range req.Header {
		hreq.Header[h.Name] = append(hreq.Header[h.Name], h.Value) // as spelt, not canonicalised
	}
	start := time.Now()
	c.sent.Add(1)
	resp, err := c.http.Do(hreq)
	if err != nil {
		return nil, c.failed(ctx, req, describe(err, c.timeout))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, c.failed(ctx, req, fmt.Errorf("reading the answer: %w", describe(err, c.timeout)))
	}
	if len(body) > MaxBody {
		return nil, fmt.Errorf("%s %s: the answer is larger than %d bytes", req.Method, req.URL, MaxBody)
	}
	end := time.Now()
	return &Exchange{Request: req, Status: resp.StatusCode, Header: resp.Header, Body: body, Duration: end.Sub(start),
		Sent: start, Received: end}, nil
}

// Probe checks that the target answers HTTP at all; any status will do.
// After a transport failure, the client asks url again to tell a
// transient fault from a target that is down.
func (c *Client) Probe(ctx context.Context, url string) error {
	c.mu.Lock()
	c.probeURL = url
	c.mu.Unlock()
	_, err := c.Do(ctx, Request{Method: http.MethodGet, URL: url})
	return err
}

// answers says whether the probe URL gets an HTTP answer now.
func (c *Client) answers(ctx context.Context) bool {
	c.mu.Lock()
	url := c.probeURL
	c.mu.Unlock()
	if url == "" {
		return true // no probe to tell a dead target by: the fault counts as transient
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	c.sent.Add(1)
	resp, err := c.http.Do(hreq)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return true
}

// failed reports a transport failure. The request is not retried (it may
// not be idempotent); the target counts as down only if a probe fails too.
func (c *Client) failed(ctx context.Context, req Request, err error) error {
	err = fmt.Errorf("%s %s: %w", req.Method, req.URL, err)
	if ctx.Err() == nil && !c.answers(ctx) {
		c.mu.Lock()
		if c.down == nil {
			c.down, c.nextProbe = err, time.Now().Add(c.timeout)
		}
		c.mu.Unlock()
	}
	return err
}

// stillDown is nil unless the target is down: then it asks the probe URL
// again, at most once a request timeout, and the run goes on once it answers.
func (c *Client) stillDown(ctx context.Context) error {
	c.mu.Lock()
	down, due := c.down, !time.Now().Before(c.nextProbe)
	c.mu.Unlock()
	if down == nil || !due {
		return down
	}
	up := c.answers(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if up {
		c.down = nil
	} else {
		c.nextProbe = time.Now().Add(c.timeout)
	}
	return c.down
}

// describe turns transport errors into what a user needs to read.
func describe(err error, timeout time.Duration) error {
	var netErr net.Error
	msg := err.Error()
	switch {
	case errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("timeout: no complete answer within %s (the profile's request timeout)", timeout)
	case strings.Contains(msg, "connection refused"):
		return errors.New("unreachable: connection refused (is the target running, and is the URL right?)")
	case errors.Is(err, io.EOF) || strings.HasSuffix(msg, "EOF"):
		return errors.New("the target closed the connection without answering")
	}
	if tlsErr := describeTLS(err); tlsErr != nil { // before the next: a TLS alert can come unasked
		return tlsErr
	}
	if strings.Contains(msg, "readLoopPeekFailLocked") || strings.Contains(msg, "unsolicited response") {
		return errors.New("the target answered before it was asked (bytes on the connection before the request was sent)")
	}
	return fmt.Errorf("the target did not answer with HTTP: %v", err)
}

// describeTLS names a TLS failure and what in the profile mends it; nil
// when err is not one.
func describeTLS(err error) error {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		record   tls.RecordHeaderError
		alert    tls.AlertError
		verify   *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("TLS: the target's certificate is signed by an authority this run does not trust (%v); name its CA in the profile's tls.caFile", err)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fmt.Errorf("TLS: the target's certificate has expired or is not yet valid (%v)", invalid)
	case errors.As(err, &invalid):
		return fmt.Errorf("TLS: the target's certificate is not valid (%v)", invalid)
	case errors.As(err, &hostname):
		return fmt.Errorf("TLS: the target's certificate does not name the host of the URL (%v)", hostname)
	case errors.As(err, &verify):
		return fmt.Errorf("TLS: the target's certificate could not be verified (%v)", verify.Err)
	case errors.As(err, &record) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return errors.New("TLS: the target did not answer the TLS handshake with TLS (is it plain http? then write the URL with http://)")
	case errors.As(err, &alert) || strings.Contains(err.Error(), "remote error: tls:"):
		return fmt.Errorf("TLS: the target refused the handshake (%v); if it wants a client certificate, name it in the profile's tls.certFile and tls.keyFile", err)
	}
	return nil
}

// Transcript renders the exchange as HTTP text with secrets masked.
func (e *Exchange) Transcript(r *redact.Redactor) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", e.Request.Method, e.Request.URL)
	if !e.Sent.IsZero() {
		fmt.Fprintf(&b, "--- sent %s\n", e.Sent.UTC().Format(Stamp))
	}
	for _, h := range e.Request.Header {
		fmt.Fprintf(&b, "%s: %s\n", h.Name, h.Value)
	}
	if len(e.Request.Body) > 0 {
		fmt.Fprintf(&b, "\n%s\n", e.Request.Body)
	}
	for i, rt := range e.Retries {
		fmt.Fprintf(&b, "\n--- retry %d: attempt answered 429 Too Many Requests (Retry-After: %q); waited %s",
			i+1, rt.RetryAfter, rt.Wait)
	}
	fmt.Fprintf(&b, "\n--- answer %d %s in %s", e.Status, http.StatusText(e.Status), e.Duration.Round(time.Millisecond))
	if !e.Received.IsZero() {
		fmt.Fprintf(&b, ", received %s", e.Received.UTC().Format(Stamp))
	}
	if date := e.Header.Get("Date"); date != "" {
		fmt.Fprintf(&b, " (the target's Date: %s)", date)
	}
	b.WriteString("\n")
	for _, name := range slices.Sorted(maps.Keys(e.Header)) {
		fmt.Fprintf(&b, "%s: %s\n", name, strings.Join(e.Header[name], ", "))
	}
	if len(e.Body) > 0 {
		fmt.Fprintf(&b, "\n%s\n", e.Body)
	}
	return r.String(b.String())
}
