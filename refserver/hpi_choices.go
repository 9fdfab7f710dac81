package refserver

import (
	"fmt"
	"hash/crc32"
	"html"
	"net/http"
	"slices"
	"strings"
)

const extCreator = "http://hl7.org.nz/fhir/StructureDefinition/practitionerRole-creator"

// The add page's period and contact rules, whose errors are a message alone.
var addPageRules = []string{"HPI-PERIOD-date-format", "HPI-PERIOD-start-not-after-end", "HPI-CONTACT-no-duplicate",
	"HPI-CONTACT-mobile-format", "HPI-CONTACT-email-format", "HPI-CONTACT-period-format", "HPI-CONTACT-period-order", "HPI-CONTACT-rank"}

// hpiChoices install the HPI choices (choices.go says what each does).
// Order matters when several are chosen: statuses and messages change
// first, then bodies go, then what is left is rendered in another format.
var hpiChoices = []adoption[*hpiAPI]{
	{hpiStaleVersion412, func(a *hpiAPI) { a.hooks.updated.add(restatus(http.StatusPreconditionFailed, "HPI-UPD-stale-version")) }},
	{hpiIfMatchMissing400, func(a *hpiAPI) { a.hooks.updated.add(restatus(http.StatusBadRequest, "HPI-UPD-version-required")) }},
	{hpiWriteScope401, func(a *hpiAPI) { a.hooks.gateway.add(restatus(http.StatusUnauthorized, "HPI-SEC-write-scope")) }},
	{hpiIDMismatch422, func(a *hpiAPI) {
		a.hooks.updated.add(restatus(http.StatusUnprocessableEntity, "HPI-UPD-id-matches-url"))
	}},
	{hpiUnknownID422, func(a *hpiAPI) { a.hooks.updated.add(restatus(http.StatusUnprocessableEntity, "HPI-UPD-valid-id")) }},
	{hpiInvalidIDPublished, func(a *hpiAPI) {
		a.hooks.read.add(refusedBy([]string{"HPI-GET-invalid-id"}, func(_ *answer, p *problem) { p.diagnostics = "Invalid id: " }))
	}},
	{hpiAddPageErrors400, func(a *hpiAPI) {
		a.onRoleAnswers(refusedBy(addPageRules, func(an *answer, p *problem) { an.status, p.code = http.StatusBadRequest, "invalid" }))
	}},
	{hpiReasonAddSpelling, func(a *hpiAPI) {
		a.hooks.updated.add(refusedBy([]string{"HPI-UPD-end-needs-reason"}, func(_ *answer, p *problem) { p.diagnostics = msgReasonOnAdd }))
	}},
	{hpiBareAuthRefusals, func(a *hpiAPI) {
		a.hooks.gateway.add(refusedBy([]string{"HPI-REQ-access-token", "HPI-REQ-api-key", "HPI-SEC-write-scope"},
			func(an *answer, _ *problem) { an.body = nil }))
	}},
	{hpiCreateLocationOnly, func(a *hpiAPI) {
		a.hooks.created.add(func(an *answer) {
			if an.status == http.StatusCreated {
				an.body = nil
			}
		})
	}},
	{hpiCreateBodyOnly, func(a *hpiAPI) {
		a.hooks.created.add(func(an *answer) {
			if _, named := an.body.(resource); named { // the body names the new id
				an.header.Del("Location")
			}
		})
	}},
	{hpiUpdateWithoutBody, func(a *hpiAPI) {
		a.hooks.updated.add(func(an *answer) {
			if an.status == http.StatusOK {
				an.body = nil
			}
		})
	}},
	{hpiETagStrong, func(a *hpiAPI) {
		a.onRoleAnswers(func(an *answer) {
			if tag := an.header.Get("ETag"); tag != "" {
				an.header.Set("ETag", strings.TrimPrefix(tag, "W/"))
			}
		})
	}},
	{hpiReferenceDisplay, func(a *hpiAPI) {
		a.hooks.received.add(func(r resource) { eachReference(r, func(ref map[string]any) { delete(ref, "display") }) })
		a.onRoleAnswers(onRole(func(r resource) {
			eachReference(r, func(ref map[string]any) {
				kind, id, _ := strings.Cut(fmt.Sprint(ref["reference"]), "/")
				ref["display"] = kind + " " + id
			})
		}))
	}},
	{hpiNarrative, func(a *hpiAPI) {
		a.hooks.received.add(func(r resource) { delete(r, "text") })
		a.onRoleAnswers(onRole(narrate))
	}},
	{hpiCreator, func(a *hpiAPI) {
		a.hooks.adding.add(func(c *roleCall) {
			exts, _ := c.role["extension"].([]any)
			c.role["extension"] = append(exts, map[string]any{"url": extCreator, "extension": []any{
				map[string]any{"url": "person", "valueReference": map[string]any{"reference": "Practitioner/" + c.userid}},
			}})
		})
	}},
	{hpiOutcomeUncoded, func(a *hpiAPI) {
		a.onAllAnswers(onProblem(func(p *problem) {
			if p.detail != nil {
				p.diagnostics, p.detail = p.detail.Display, nil
			}
		}))
	}},
	{hpiOutcomeCoded, func(a *hpiAPI) {
		a.onAllAnswers(onProblem(func(p *problem) {
			if p.detail == nil && p.diagnostics != "" {
				p.detail = &coding{System: outcomeCodeSystem, Code: codeOf(p.diagnostics), Display: p.diagnostics}
				p.diagnostics = ""
			}
		}))
	}},

	{hpiOwnedElementsIgnored, func(a *hpiAPI) {
		a.hooks.replacing.add(func(c *roleCall) {
			for _, el := range []string{"identifier", "implicitRules", "language", "contained", "modifierExtension"} {
				restoreElement(c.role, c.current, el)
			}
			kept := fixedExtensions(c.current)
			for _, url := range []string{extStatusReason, extMessagingAddress} {
				if e, ok := c.role.extension(url); ok {
					kept = append(kept, e)
				}
			}
			c.role["extension"] = kept
		})
	}},
	{hpiProfileBreachesDropped, func(a *hpiAPI) { a.hooks.received.add(dropProfileBreaches) }},
}

// dropProfileBreaches takes out of a role what the profile does not allow.
func dropProfileBreaches(r resource) {
	for _, el := range []string{"specialty", "healthcareService", "availableTime", "notAvailable", "availabilityExceptions", "endpoint"} {
		delete(r, el)
	}
	for _, el := range []string{"location", "code"} {
		if list, _ := r[el].([]any); len(list) > 1 {
			r[el] = list[:1]
		}
	}
	if addresses := extensionsOf(r, extMessagingAddress); len(addresses) > 1 {
		withoutExtension(r, extMessagingAddress)
		r["extension"] = append(r["extension"].([]any), addresses[0])
	}
	for _, t := range r.telecom() {
		if use, given := t["use"]; given && !slices.Contains(contactPointUses, stringOf(use)) {
			delete(t, "use")
		}
	}
	if roleCodeBound(&roleCall{role: r}) != nil {
		delete(r, "code")
	}
}

// extensionsOf lists a role's extensions of url.
func extensionsOf(r resource, url string) []any {
	var out []any
	list, _ := r["extension"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["url"] == url {
			out = append(out, e)
		}
	}
	return out
}

// onRoleAnswers adds f to the answers of the read, the add and the update.
func (a *hpiAPI) onRoleAnswers(f func(*answer)) {
	for _, h := range []*hook[*answer]{&a.hooks.read, &a.hooks.created, &a.hooks.updated} {
		h.add(f)
	}
}

// onAllAnswers adds f to every /fhir answer, the gateway's refusals included.
func (a *hpiAPI) onAllAnswers(f func(*answer)) {
	a.onRoleAnswers(f)
	a.hooks.gateway.add(f)
}

// onRole changes the role an answer carries, if it carries one.
func onRole(f func(resource)) func(*answer) {
	return func(an *answer) {
		if r, ok := an.body.(resource); ok {
			f(r)
		}
	}
}

// eachReference calls f with every reference inside v.
func eachReference(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case resource:
		eachReference(map[string]any(x), f)
	case map[string]any:
		if _, ok := x["reference"].(string); ok {
			f(x)
		}
		for _, c := range x {
			eachReference(c, f)
		}
	case []any:
		for _, c := range x {
			eachReference(c, f)
		}
	}
}

// narrate gives a role the narrative a server generates from it.
func narrate(r resource) {
	var b strings.Builder
	fmt.Fprintf(&b, "PractitionerRole %s of %s", r.id(), r.ref("practitioner"))
	for _, t := range r.telecom() {
		fmt.Fprintf(&b, "; %v %v", t["system"], t["value"])
	}
	r["text"] = map[string]any{"status": "generated", "div": `<div xmlns="http://www.w3.org/1999/xhtml">` + html.EscapeString(b.String()) + `</div>`}
}

// codeOf is the code of a message in the coded format: EM07106 for its
// message, the only one the pages publish; the server's own for the others.
func codeOf(msg string) string {
	if msg == staleVersion.detail.Display {
		return staleVersion.detail.Code
	}
	return fmt.Sprintf("RS%05d", crc32.ChecksumIEEE([]byte(msg))%100000)
}
