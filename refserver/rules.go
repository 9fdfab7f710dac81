package refserver

// A rule is one documented check, as a page states it. Each operation has a
// table of rules in the order the server applies them; the first rule a
// request breaks gives the refusal. A rule's check never knows about
// mutants: the runner skips the rules that a selected mutant switches off.
type rule[T any] struct {
	id    string           // the rule's id in catalogue/rules.yaml; lower case where the catalogue has none
	says  string           // the rule in one sentence, and the page it comes from
	check func(T) *problem // nil when the request keeps the rule
	off   []Mutant         // the mutants that switch the rule off

	// each, with sub, applies the sub-rules to every part of a request in turn.
	each func(T) []T
	sub  []rule[T]
}

// firstBroken applies the rules in order and returns the first refusal,
// a copy that names the rule it comes from.
func firstBroken[T any](selected mutantSet, rules []rule[T], in T) *problem {
	for _, r := range rules {
		if selected.anyOf(r.off) {
			continue
		}
		if r.each != nil {
			for _, part := range r.each(in) {
				if p := firstBroken(selected, r.sub, part); p != nil {
					return p
				}
			}
			continue
		}
		if p := r.check(in); p != nil {
			copied := *p
			copied.rule = r.id
			return &copied
		}
	}
	return nil
}
