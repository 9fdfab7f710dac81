package refserver

// A shape is a mutant that changes an answer, or what the server keeps,
// after the rules have let a request through. Each API lists its shapes
// (ers_shapes.go, hpi_shapes.go); install puts the mutant's hook in place.
type shape[API any] struct {
	mutant  Mutant
	install func(API)
}

// installShapes installs the selected shapes, in the order listed.
func installShapes[API any](api API, shapes []shape[API], selected mutantSet) {
	for _, s := range shapes {
		if selected[s.mutant] {
			s.install(api)
		}
	}
}

// A hook is a point of an operation where shapes act; nil does nothing.
type hook[T any] func(T)

// add makes f run after what the hook already does.
func (h *hook[T]) add(f func(T)) {
	before := *h
	if before == nil {
		*h = f
		return
	}
	*h = func(x T) { before(x); f(x) }
}

func (h hook[T]) run(x T) {
	if h != nil {
		h(x)
	}
}

// changeStatus changes the documented status of an answer, and no other.
func changeStatus(from, to int) func(*answer) {
	return func(an *answer) {
		if an.status == from {
			an.status = to
		}
	}
}

// onProblem changes a refusal; the problem is copied, as refusals may be shared.
func onProblem(f func(*problem)) func(*answer) {
	return func(an *answer) {
		if p, ok := an.body.(*problem); ok {
			copied := *p
			f(&copied)
			an.body = &copied
		}
	}
}
