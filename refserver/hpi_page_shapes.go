package refserver

import (
	"net/http"
	"slices"
)

// The pieces the shapes of the add and update pages, the profile and the
// examples are made of (hpi_shapes.go lists the shapes).

// operations are the operations a stricter rule applies to.
type operations int

const (
	inAdds operations = 1 << iota
	inUpdates
	inBoth = inAdds | inUpdates
)

// stricter makes the server refuse, in the operations named, what the docs allow.
func stricter(in operations, check func(*roleCall) *problem) func(*hpiAPI) {
	r := roleRule{id: "stricter-than-the-docs", says: "A shape mutant's own rule, which the docs do not have.", check: check}
	return func(a *hpiAPI) {
		if in&inAdds != 0 {
			a.hooks.addStrict = append(a.hooks.addStrict, r)
		}
		if in&inUpdates != 0 {
			a.hooks.updateStrict = append(a.hooks.updateStrict, r)
		}
	}
}

func refuseIf(refused bool) *problem {
	if refused {
		return unprocessable("Refused by a rule the docs do not have")
	}
	return nil
}

// oneDay says a period starts and ends on the same day.
func oneDay(p any) bool {
	start, end := period(p)
	return start != "" && start == end
}

func anyContact(f func(map[string]any) bool) func(*roleCall) *problem {
	return func(c *roleCall) *problem { return refuseIf(slices.ContainsFunc(c.role.telecom(), f)) }
}

func anyMobile(f func(string) bool) func(*roleCall) *problem {
	return anyContact(func(t map[string]any) bool {
		return t["system"] == "phone" && t["use"] == "mobile" && f(stringOf(t["value"]))
	})
}

func anyEmail(f func(string) bool) func(*roleCall) *problem {
	return anyContact(func(t map[string]any) bool { return t["system"] == "email" && f(stringOf(t["value"])) })
}

// rankGap says the ranks given do not run 1, 2, 3 ...
func rankGap(r resource) bool {
	var ranks []int
	for _, t := range r.telecom() {
		if n, ok := rank(t); ok {
			ranks = append(ranks, n)
		}
	}
	slices.Sort(ranks)
	for i, n := range ranks {
		if n != i+1 {
			return true
		}
	}
	return false
}

// contactOutsideRole says a contact point's period reaches outside the role's.
func contactOutsideRole(r resource) bool {
	start, end := period(r["period"])
	for _, t := range r.telecom() {
		s, e := period(t["period"])
		if start != "" && s != "" && s < start || end != "" && e != "" && e > end {
			return true
		}
	}
	return false
}

// dropOnAdd changes an added role before it is kept.
func dropOnAdd(f func(resource)) func(*hpiAPI) {
	return func(a *hpiAPI) { a.hooks.adding.add(func(c *roleCall) { f(c.role) }) }
}

func withoutExtension(r resource, url string) {
	list, _ := r["extension"].([]any)
	r["extension"] = slices.DeleteFunc(slices.Clone(list), func(e any) bool {
		m, ok := e.(map[string]any)
		return ok && m["url"] == url
	})
}

// onCreated changes the answer to a successful add, and the role it carries.
func onCreated(f func(*answer, resource)) func(*answer) {
	return func(an *answer) {
		if r, ok := an.body.(resource); ok && an.status == http.StatusCreated {
			f(an, r)
		}
	}
}

// withoutVersion takes the version out of an answer: the ETag and meta.versionId.
func withoutVersion(an *answer, r resource) {
	an.header.Del("ETag")
	if meta, ok := r["meta"].(map[string]any); ok {
		delete(meta, "versionId")
	}
}

// bareRefusal sends a refusal without its OperationOutcome.
func bareRefusal(an *answer) {
	if _, ok := an.body.(*problem); ok && an.status >= http.StatusBadRequest {
		an.body = nil
	}
}

// The rules whose errors the add and update pages give "HTTP 422, Unprocessable, Error, Processing".
var (
	addErrors = []string{"HPI-ADD-person-required", "HPI-ADD-person-valid", "HPI-ADD-org-or-facility",
		"HPI-ADD-end-needs-reason", "HPI-ADD-no-duplicate"}
	updateErrors = []string{"HPI-UPD-person-matches", "HPI-UPD-person-required", "HPI-UPD-org-or-facility",
		"HPI-UPD-code-required", "HPI-UPD-end-needs-reason", "HPI-UPD-no-duplicate"}
)

// keepsFromRecord changes an update the rules let through before it is kept.
func keepsFromRecord(f func(*roleCall)) func(*hpiAPI) {
	return func(a *hpiAPI) { a.hooks.replaced.add(f) }
}

// restoreElement gives to the element from has, or none if from has none.
func restoreElement(to, from resource, element string) {
	if v, ok := from[element]; ok {
		to[element] = v
	} else {
		delete(to, element)
	}
}

// restoreExtension gives to the extension of url from has, or none.
func restoreExtension(to, from resource, url string) {
	withoutExtension(to, url)
	if e, ok := from.extension(url); ok {
		to["extension"] = append(to["extension"].([]any), e)
	}
}

// reworded answers a documented message in other words.
func reworded(msg string) func(*hpiAPI) {
	return func(a *hpiAPI) {
		a.onRoleAnswers(onProblem(func(p *problem) {
			if p.diagnostics == msg {
				p.diagnostics = "Validation failed: " + msg
			}
		}))
	}
}

// issuedIdentifier changes the official identifier an added role is issued.
func issuedIdentifier(f func(map[string]any)) func(*hpiAPI) {
	return func(a *hpiAPI) {
		a.hooks.adding.add(func(c *roleCall) {
			if ids, _ := c.role["identifier"].([]any); len(ids) > 0 {
				if id, ok := ids[0].(map[string]any); ok {
					f(id)
				}
			}
		})
	}
}
