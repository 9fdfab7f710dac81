package exchange

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

func TestHeadersAreSentAsSpelt(t *testing.T) {
	var raw []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name := range r.Header {
			raw = append(raw, name)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := NewClient(time.Second, redact.New())
	_, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL, Header: []Header{{"XAPI_ASID", "1"}}})
	require.NoError(t, err)
	// The server canonicalises what it receives; an underscore would be lost to a dash if the client rewrote it.
	assert.Contains(t, raw, "Xapi_asid")
}

func TestAnswerLargerThanTheBoundIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", MaxBody+1)))
	}))
	defer srv.Close()
	_, err := NewClient(time.Second, redact.New()).Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	assert.ErrorContains(t, err, "larger than")
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	ex, err := NewClient(time.Second, redact.New()).Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, ex.Status)
}

func TestAfterAFailedProbeNothingMoreIsSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + ln.Addr().String()
	ln.Close()
	c := NewClient(time.Second, redact.New())
	err = c.Probe(context.Background(), url)
	assert.ErrorContains(t, err, "unreachable")
	_, err = c.Do(context.Background(), Request{Method: http.MethodGet, URL: url})
	assert.ErrorIs(t, err, ErrTargetDown, "the request and the probe after it failed")

	unprobed := NewClient(time.Second, redact.New())
	for range 2 {
		_, err = unprobed.Do(context.Background(), Request{Method: http.MethodGet, URL: url})
		assert.ErrorContains(t, err, "unreachable", "without a probe, no fault declares the target down")
	}
}

func TestTranscriptIsRedacted(t *testing.T) {
	ex := &Exchange{
		Request: Request{Method: http.MethodPost, URL: "http://h/x", Header: []Header{{"XAPI_ASID", "1"}}, Body: []byte(`{"token":"very-secret"}`)},
		Status:  201, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"id":"very-secret"}`),
	}
	text := ex.Transcript(redact.New("very-secret"))
	assert.NotContains(t, text, "very-secret")
	assert.Contains(t, text, "XAPI_ASID: 1")
	assert.Contains(t, text, "--- answer 201 Created")
}

// resetOnce answers every request, but hangs up on the first one to path.
func resetOnce(t *testing.T, path string) string {
	t.Helper()
	var done atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path && done.CompareAndSwap(false, true) {
			conn, _, err := http.NewResponseController(w).Hijack()
			require.NoError(t, err)
			conn.Close()
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestATransientFaultFailsOnlyItsRequest(t *testing.T) {
	url := resetOnce(t, "/x")
	c := NewClient(time.Second, redact.New())
	require.NoError(t, c.Probe(context.Background(), url+"/probe"))
	_, err := c.Do(context.Background(), Request{Method: http.MethodPost, URL: url + "/x"})
	assert.ErrorContains(t, err, "closed the connection")
	assert.NotErrorIs(t, err, ErrTargetDown)
	ex, err := c.Do(context.Background(), Request{Method: http.MethodPost, URL: url + "/x"})
	require.NoError(t, err, "the probe answered, so the target is not down")
	assert.Equal(t, http.StatusNoContent, ex.Status)
}

func TestATargetThatComesBackIsUsedAgain(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	c := NewClient(200*time.Millisecond, redact.New())
	require.Error(t, c.Probe(context.Background(), "http://"+addr+"/probe"))
	_, err = c.Do(context.Background(), Request{Method: http.MethodGet, URL: "http://" + addr + "/x"})
	assert.ErrorIs(t, err, ErrTargetDown, "down: the request and a probe after it failed")

	ln, err = net.Listen("tcp", addr)
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })}
	go srv.Serve(ln)
	defer srv.Close()
	require.Eventually(t, func() bool {
		_, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: "http://" + addr + "/x"})
		return err == nil
	}, 3*time.Second, 50*time.Millisecond, "the client asks the probe again and goes on")
}

// Each transcript says when the request was sent and its answer received,
// on the harness's clock, and the target's Date where it sent one.
func TestTranscriptSaysWhen(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", "Wed, 02 Dec 2026 06:00:00 GMT")
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	before := time.Now()
	ex, err := NewClient(time.Second, redact.New()).Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	require.NoError(t, err)
	assert.False(t, ex.Sent.Before(before.Truncate(time.Millisecond)))
	assert.False(t, ex.Received.Before(ex.Sent))
	text := ex.Transcript(redact.New())
	assert.Contains(t, text, "--- sent "+ex.Sent.UTC().Format(Stamp)+"\n")
	assert.Contains(t, text, "received "+ex.Received.UTC().Format(Stamp)+" (the target's Date: Wed, 02 Dec 2026 06:00:00 GMT)")
	assert.Regexp(t, `--- sent \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`, text)
}
