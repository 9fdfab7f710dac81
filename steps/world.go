// Package steps holds the step definitions: the words of the features,
// bound to methods of a per-scenario World. Each step parses its words,
// calls a typed API client (api/ers, api/hpi) and asserts. It does not know
// godog: the suite registers the tables through the Registrar interface.
package steps

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/healthapi-conformance/conformance/api/ers"
	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
)

// Env is what every scenario of a run shares: the target's clients and test data.
type Env struct {
	Profile  *profile.Profile
	ERS      *ers.Client // nil when the profile has no e-RS section
	HPI      *hpi.Client // nil when the profile has no HPI section
	Redactor *redact.Redactor
	// FreshTarget says the target was started for this run (the embedded
	// reference server): it holds no role of an earlier run.
	FreshTarget bool

	// roles numbers the roles a run creates, so that each gets its own test
	// practitioner and role code and none duplicates another.
	roles atomic.Int64
	// codeless numbers the roles created without a role code, by shape
	// (steps/hpi_data.go, editedRole).
	codeless struct {
		sync.Mutex
		start int
		next  map[string]int
	}
}

// StartRoleNumbers sets where a run's role numbering starts: a random
// offset keeps repeated runs against one long-lived target apart.
func (e *Env) StartRoleNumbers(n int64) {
	e.roles.Store(n)
	e.codeless.Lock()
	defer e.codeless.Unlock()
	e.codeless.start = int(n)
}

// codelessCombo is the pair of the next code-less role of a shape: the
// practitioners of consecutive pairs differ.
func (e *Env) codelessCombo(shape string) int {
	e.codeless.Lock()
	defer e.codeless.Unlock()
	if e.codeless.next == nil {
		e.codeless.next = map[string]int{}
	}
	k := e.codeless.next[shape]
	e.codeless.next[shape] = k + 1
	return e.codeless.start + k
}

// World is one scenario's state; scenarios share nothing else. Its methods
// are the steps. It is a value holding a pointer, so that godog's output
// names each step's method (it prints a pointer receiver as "*World").
type World struct{ *scenario }

type scenario struct {
	env      *Env
	last     *exchange.Exchange   // the answer the Then steps judge
	evidence []*exchange.Exchange // every exchange since the last TakeEvidence
	answered []*exchange.Exchange // every exchange of the scenario, in order
	ers      ersState
	hpi      hpiState
}

// NewWorld starts a scenario's state.
func NewWorld(env *Env) World { return World{&scenario{env: env}} }

// TakeEvidence returns the exchanges made since the last call. They are
// not masked: whoever writes them out masks them with the Env's Redactor.
func (w World) TakeEvidence() []*exchange.Exchange {
	out := w.evidence
	w.evidence = nil
	return out
}

// keep records an exchange as evidence and as the answer to judge. An
// answer of 429 that outlasted the retries judges nothing: the usage plan
// throttled the run, the API broke no rule.
func (w World) keep(ex *exchange.Exchange, err error) error {
	w.last = ex
	if ex != nil {
		w.evidence = append(w.evidence, ex)
		w.answered = append(w.answered, ex)
	}
	if err == nil && ex.Status == http.StatusTooManyRequests {
		w.last = nil
		return fmt.Errorf("throttled: %s %s was answered 429 Too Many Requests after %d retries (the usage plan; see hpi.pacing and hpi.retry)",
			ex.Request.Method, ex.Request.URL, len(ex.Retries))
	}
	return err
}

// succeeded checks a Given request: it must have been sent and answered 2xx,
// or the scenario cannot set up what it describes.
func (w World) succeeded(err error, what string) error {
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
func (w World) answer() (*exchange.Exchange, error) {
	if w.last == nil {
		return nil, errNoAnswer
	}
	return w.last, nil
}

// Registrar takes a step: a phrase and the method that implements it.
// godog's ScenarioContext is one, so each table line is the step's location.
type Registrar interface {
	Step(expr, stepFunc any)
}

// Register adds every step of a scenario, table by table.
func (w World) Register(r Registrar) {
	w.responseSteps(r)
	w.ersGivenSteps(r)
	w.ersWhenSteps(r)
	w.ersThenSteps(r)
	w.hpiGivenSteps(r)
	w.hpiWhenSteps(r)
	w.hpiAddWhenSteps(r)
	w.hpiThenSteps(r)
	w.hpiRoleThenSteps(r)
	w.hpiRequestWhenSteps(r)
	w.hpiAnswerThenSteps(r)
}

// excerpt shortens a body for an error message, never cutting a value in
// two: masking comes later (redact.Cut).
func excerpt(body []byte) string {
	const max = 400
	switch {
	case len(body) == 0:
		return "(no body)"
	}
	if cut, short := redact.Cut(string(body), max); short {
		return fmt.Sprintf("%s… (%d bytes)", cut, len(body))
	}
	return string(body)
}
