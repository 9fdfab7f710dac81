package exchange

import (
	"context"
	"crypto/tls"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy paces requests and retries answers of 429 Too Many Requests, as
// the HPI asks of clients that exceed their usage plan
// (hpi/general-request-rules.md, API Keys and Usage Plans).
type Policy struct {
	Rate       float64       // requests per second; 0 sends unpaced
	Burst      int           // requests sent at once before pacing starts
	MaxRetries int           // retries of one request; 0 returns the 429
	Initial    time.Duration // first wait when the answer has no Retry-After
	MaxWait    time.Duration // cap on every wait, Retry-After included
	TLS        *tls.Config   // trusted authorities and client certificate; nil: the system's roots
	// OnWait, if set, hears of each wait before it starts: why is
	// "usage plan" (pacing) or "429 Too Many Requests" (a retry).
	OnWait func(wait time.Duration, why string)
}

// Why a client waits, as OnWait hears it.
const (
	WaitPacing = "usage plan"
	WaitRetry  = "429 Too Many Requests"
)

func (p Policy) waiting(d time.Duration, why string) {
	if p.OnWait != nil && d > 0 {
		p.OnWait(d, why)
	}
}

// Retry is one attempt that was answered 429 and retried.
type Retry struct {
	RetryAfter string        // the header as the target sent it ("" if absent)
	Wait       time.Duration // how long the client waited before the next attempt
}

// retry says how long to wait after the attempt-th answer of 429: the
// exponential backoff, or the target's Retry-After if that is longer, and
// never more than MaxWait.
func (p Policy) retry(attempt int, ex *Exchange) Retry {
	header := ex.Header.Get("Retry-After")
	wait := p.Initial << attempt
	if after, ok := retryAfter(header, time.Now()); ok && after > wait {
		wait = after
	}
	if wait > p.MaxWait || wait < 0 {
		wait = p.MaxWait
	}
	return Retry{RetryAfter: header, Wait: wait}
}

// retryAfter reads Retry-After as seconds or an HTTP date (RFC 9110 10.2.3).
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" { // delay-seconds: digits, however many
		const year = 365 * 24 * 3600 // far past any MaxWait, and no overflow
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > year {
			secs = year
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
