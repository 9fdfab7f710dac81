package refserver

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// UsagePlan limits the requests one API key may make
// (hpi/general-request-rules.md, API Keys and Usage Plans).
type UsagePlan struct {
	Rate  float64 // requests per second; 0 means no plan
	Burst int     // requests allowed at once
}

// usagePlans keeps one token bucket per API key. It is safe for concurrent use.
type usagePlans struct {
	plan UsagePlan

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newUsagePlans(p UsagePlan) *usagePlans {
	if p.Burst < 1 {
		p.Burst = 1
	}
	return &usagePlans{plan: p, buckets: map[string]*rate.Limiter{}}
}

// allow spends one request of key's plan, or says how long to wait.
func (u *usagePlans) allow(key string) (time.Duration, bool) {
	if u.plan.Rate <= 0 {
		return 0, true
	}
	u.mu.Lock()
	b, ok := u.buckets[key]
	if !ok {
		b = rate.NewLimiter(rate.Limit(u.plan.Rate), u.plan.Burst)
		u.buckets[key] = b
	}
	u.mu.Unlock()
	r := b.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel() // a refused request does not use up the plan
		return d, false
	}
	return 0, true
}

// tooManyRequests is the error the docs promise when a plan is exceeded;
// Retry-After says, in whole seconds, when to try again.
func tooManyRequests(wait time.Duration) *problem {
	return &problem{
		status: http.StatusTooManyRequests, code: "throttled", diagnostics: "Too Many Requests: the usage plan allows fewer requests",
		header: http.Header{"Retry-After": {strconv.Itoa(int(math.Ceil(wait.Seconds())))}},
	}
}
