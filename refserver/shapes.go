package refserver

// An installer puts a mutant's or a choice's hooks in place in one API.
type installer[Name ~string, API any] struct {
	name    Name
	install func(API)
}

// installSelected installs those selected, in the order listed.
func installSelected[Name ~string, API any](api API, list []installer[Name, API], selected map[Name]bool) {
	for _, in := range list {
		if selected[in.name] {
			in.install(api)
		}
	}
}

// A shape is a mutant that changes an answer, or what the server keeps,
// after the rules have let a request through. Each API lists its shapes
// (ers_shapes.go, hpi_shapes.go).
type shape[API any] = installer[Mutant, API]

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
