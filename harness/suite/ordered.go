package suite

import (
	"io"
	"reflect"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/healthapi-conformance/conformance/features"
)

// ordered passes one formatter's calls on in the part's file order while
// godog runs scenarios concurrently. godog replays each scenario's calls
// when the scenario ends, and two replays may interleave (each holds a lock
// of its own): held back and released in file order, every output reads as
// a sequential run in file order would, whatever the concurrency.
type ordered struct {
	*godog.BaseFmt // takes the storage godog hands every formatter, for inner
	inner          formatters.Formatter

	mu    sync.Mutex
	order []string           // the part's items: each file's feature, then its scenarios' keys
	next  int                // the first item of order not yet passed on
	held  map[string][]*held // arrived, by key: identical scenarios share a key
	open  map[string]*held   // the scenarios under way, by pickle ID
}

type held struct {
	calls []func()
	done  bool
}

// partOrder lists a part's items in file order, as ordered releases them.
func partOrder(list []features.Scenario) []string {
	var order []string
	for i, s := range list {
		if i == 0 || s.URI != list[i-1].URI {
			order = append(order, featureKey(s.URI))
		}
		order = append(order, s.Key)
	}
	return order
}

func featureKey(uri string) string { return "feature\x00" + uri }

func newOrdered(inner formatters.Formatter, order []string) *ordered {
	return &ordered{BaseFmt: godog.NewBaseFmt(displayName, io.Discard), inner: inner, order: order,
		held: map[string][]*held{}, open: map[string]*held{}}
}

// TestRunStarted hands inner the storage first: its type is internal to
// godog, so it can only be passed on by reflection.
func (o *ordered) TestRunStarted() {
	if set := reflect.ValueOf(o.inner).MethodByName("SetStorage"); set.IsValid() && o.Storage != nil {
		set.Call([]reflect.Value{reflect.ValueOf(o.Storage)})
	}
	o.inner.TestRunStarted()
}

func (o *ordered) Feature(doc *messages.GherkinDocument, uri string, content []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	k := featureKey(uri)
	o.held[k] = append(o.held[k], &held{calls: []func(){func() { o.inner.Feature(doc, uri, content) }}, done: true})
	o.release()
}

func (o *ordered) Pickle(p *messages.Pickle) {
	o.add(p, nil, func() { o.inner.Pickle(p) })
}

func (o *ordered) Defined(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	o.add(p, nil, func() { o.inner.Defined(p, st, d) })
}

func (o *ordered) Passed(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	o.add(p, st, func() { o.inner.Passed(p, st, d) })
}

func (o *ordered) Skipped(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	o.add(p, st, func() { o.inner.Skipped(p, st, d) })
}

func (o *ordered) Undefined(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	o.add(p, st, func() { o.inner.Undefined(p, st, d) })
}

func (o *ordered) Failed(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition, err error) {
	o.add(p, st, func() { o.inner.Failed(p, st, d, err) })
}

func (o *ordered) Pending(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	o.add(p, st, func() { o.inner.Pending(p, st, d) })
}

func (o *ordered) Ambiguous(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition, err error) {
	o.add(p, st, func() { o.inner.Ambiguous(p, st, d, err) })
}

// Summary passes on whatever is still held (a scenario whose end was never
// seen), in file order, then the summary.
func (o *ordered) Summary() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, k := range o.order {
		o.passOn(k, len(o.held[k]))
	}
	for k := range o.held {
		o.passOn(k, len(o.held[k]))
	}
	o.inner.Summary()
}

// add holds a call of scenario p; a result of its last step (st) ends it.
func (o *ordered) add(p *messages.Pickle, st *messages.PickleStep, call func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	h := o.open[p.Id]
	if h == nil {
		h = &held{}
		o.open[p.Id] = h
		k := features.PickleKey(p)
		o.held[k] = append(o.held[k], h)
	}
	h.calls = append(h.calls, call)
	steps := p.Steps
	if len(steps) == 0 || (st != nil && st.Id == steps[len(steps)-1].Id) {
		h.done = true
		delete(o.open, p.Id)
		o.release()
	}
}

// release passes on the items, in order, that have ended.
func (o *ordered) release() {
	for o.next < len(o.order) {
		list := o.held[o.order[o.next]]
		if len(list) == 0 || !list[0].done {
			return
		}
		o.passOn(o.order[o.next], 1)
		o.next++
	}
}

// passOn makes the first n held calls of key.
func (o *ordered) passOn(key string, n int) {
	for _, h := range o.held[key][:n] {
		for _, call := range h.calls {
			call()
		}
	}
	if o.held[key] = o.held[key][n:]; len(o.held[key]) == 0 {
		delete(o.held, key)
	}
}
