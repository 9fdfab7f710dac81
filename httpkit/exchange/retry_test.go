package exchange

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

// throttled answers 429 to the first n requests, then 200.
func throttled(t *testing.T, n int32, retryAfter string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestA429IsRetriedWithGrowingWaitsAndReported(t *testing.T) {
	srv, calls := throttled(t, 2, "")
	c := NewPacedClient(time.Second, redact.New(), Policy{MaxRetries: 3, Initial: 10 * time.Millisecond, MaxWait: time.Second})
	ex, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, ex.Status)
	assert.Equal(t, int32(3), calls.Load())
	require.Len(t, ex.Retries, 2)
	assert.Equal(t, 10*time.Millisecond, ex.Retries[0].Wait)
	assert.Equal(t, 20*time.Millisecond, ex.Retries[1].Wait, "the wait doubles")
	assert.Equal(t, int64(2), c.Retried())
	assert.Contains(t, ex.Transcript(redact.New()), "retry 2: attempt answered 429 Too Many Requests")
}

func TestRetriesAreBounded(t *testing.T) {
	srv, calls := throttled(t, 100, "0")
	c := NewPacedClient(time.Second, redact.New(), Policy{MaxRetries: 2, Initial: time.Millisecond, MaxWait: 5 * time.Millisecond})
	ex, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, ex.Status, "after the last retry the 429 is the answer")
	assert.Equal(t, int32(3), calls.Load())
}

func TestRetryAfterIsHonouredButCapped(t *testing.T) {
	p := Policy{Initial: 10 * time.Millisecond, MaxWait: 2 * time.Second}
	for header, want := range map[string]time.Duration{
		"1":        time.Second,           // longer than the backoff: honoured
		"3600":     2 * time.Second,       // capped
		"":         10 * time.Millisecond, // none: the backoff
		"nonsense": 10 * time.Millisecond,
	} {
		ex := &Exchange{Header: http.Header{"Retry-After": {header}}}
		assert.Equal(t, want, p.retry(0, ex).Wait, "Retry-After %q", header)
	}
	date := time.Now().Add(time.Second).UTC().Format(http.TimeFormat)
	got, ok := retryAfter(date, time.Now())
	assert.True(t, ok)
	assert.LessOrEqual(t, got, time.Second)
}

func TestPacingSpacesRequests(t *testing.T) {
	srv, _ := throttled(t, 0, "")
	c := NewPacedClient(time.Second, redact.New(), Policy{Rate: 20, Burst: 1})
	start := time.Now()
	for range 4 {
		_, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(start), 140*time.Millisecond, "4 requests at 20/s take at least 3 intervals of 50ms")
}

func TestWaitingToRetryEndsWithTheContext(t *testing.T) {
	srv, _ := throttled(t, 100, "60")
	c := NewPacedClient(time.Second, redact.New(), Policy{MaxRetries: 3, Initial: time.Second, MaxWait: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, Request{Method: http.MethodGet, URL: srv.URL})
	assert.ErrorContains(t, err, "gave up waiting to retry a 429")
}

func TestAHugeRetryAfterDoesNotOverflow(t *testing.T) {
	p := Policy{MaxRetries: 1, Initial: time.Second, MaxWait: 30 * time.Second}
	for _, v := range []string{"9223372037", "99999999999999999", "18446744073709551616"} {
		ex := &Exchange{Header: http.Header{"Retry-After": {v}}}
		assert.Equal(t, 30*time.Second, p.retry(0, ex).Wait, "Retry-After: %s waits at most MaxWait", v)
	}
}

// A plan that never lets a request through: after three requests whose
// 429s outlast their retries, nothing more is sent.
func TestAnAPIThatAnswers429ForeverIsThrottledOut(t *testing.T) {
	var asked atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		asked.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := NewPacedClient(time.Second, redact.New(), Policy{MaxRetries: 1, Initial: time.Millisecond, MaxWait: time.Millisecond})
	for range 3 {
		ex, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
		require.NoError(t, err)
		assert.Equal(t, http.StatusTooManyRequests, ex.Status)
	}
	_, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	assert.ErrorIs(t, err, ErrThrottledOut)
	assert.Equal(t, int64(6), asked.Load(), "3 requests, each retried once; the fourth not sent")
}
