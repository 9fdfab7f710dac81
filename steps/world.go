// Package steps holds the godog step definitions. Each step parses its words,
// calls a small domain helper and asserts; every HTTP request goes through
// harness/exchange, so timeouts, bounds and redaction live in one place.
package steps

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/healthapi-conformance/conformance/httpkit/auth"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
)

// Env is what every scenario of a run shares: the target and its test data.
type Env struct {
	Profile  *profile.Profile
	ERSBase  string           // e-RS API base URL, e.g. http://127.0.0.1:8080/ers-api
	Client   *exchange.Client // for e-RS
	Redactor *redact.Redactor

	HPIBase   string           // HPI FHIR API base URL, e.g. http://127.0.0.1:8080/fhir
	HPIClient *exchange.Client // for the HPI: paced, retrying 429
	Tokens    *auth.Tokens

	// roles numbers the roles a run creates, so that each gets its own test
	// practitioner and role code and none duplicates another.
	roles atomic.Int64
}

// StartRoleNumbers sets where a run's role numbering starts: a random
// offset keeps repeated runs against one long-lived target apart.
func (e *Env) StartRoleNumbers(n int64) { e.roles.Store(n) }

// World is one scenario's state; scenarios share nothing else.
type World struct {
	env      *Env
	last     *exchange.Exchange
	evidence []*exchange.Exchange
	ers      ersState
	hpi      hpiState
}

type worldKey struct{}

// NewWorld starts a scenario's state in ctx.
func NewWorld(ctx context.Context, env *Env) context.Context {
	return context.WithValue(ctx, worldKey{}, &World{env: env})
}

func world(ctx context.Context) *World {
	w, _ := ctx.Value(worldKey{}).(*World)
	if w == nil {
		panic("steps: scenario started without NewWorld") // a wiring bug, not a target failure
	}
	return w
}

// TakeEvidence returns the exchanges made since the last call, as redacted transcripts.
func TakeEvidence(ctx context.Context) []string {
	w := world(ctx)
	out := make([]string, 0, len(w.evidence))
	for _, e := range w.evidence {
		out = append(out, e.Transcript(w.env.Redactor))
	}
	w.evidence = nil
	return out
}

// send makes an e-RS request and keeps the exchange as the scenario's last answer.
func (w *World) send(ctx context.Context, req exchange.Request) error {
	return w.sendVia(ctx, w.env.Client, req)
}

func (w *World) sendVia(ctx context.Context, c *exchange.Client, req exchange.Request) error {
	w.last = nil
	ex, err := c.Do(ctx, req)
	if err != nil {
		return err
	}
	w.last = ex
	w.evidence = append(w.evidence, ex)
	return nil
}

// succeeded checks a Given request: it must have been sent and answered 2xx,
// or the scenario cannot set up what it describes.
func (w *World) succeeded(err error, what string) error {
	if err != nil {
		return err
	}
	if w.last.Status/100 != 2 {
		return fmt.Errorf("could not %s: answered %d; body: %s", what, w.last.Status, excerpt(w.last.Body))
	}
	return nil
}

var errNoAnswer = errors.New("no answer to check: the request in the When step was not answered")

// answer returns the last exchange, or why there is none.
func (w *World) answer() (*exchange.Exchange, error) {
	if w.last == nil {
		return nil, errNoAnswer
	}
	return w.last, nil
}

// excerpt shortens a body for an error message.
func excerpt(body []byte) string {
	const max = 400
	switch {
	case len(body) == 0:
		return "(no body)"
	case len(body) > max:
		return fmt.Sprintf("%s… (%d bytes)", body[:max], len(body))
	}
	return string(body)
}
