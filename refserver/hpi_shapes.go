package refserver

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// hpiHooks are the points of the HPI operations where a shape or a choice acts.
type hpiHooks struct {
	headers  hook[http.Header] // the headers every /fhir answer starts with
	gateway  hook[*answer]     // the refusals of the rules every call obeys
	read     hook[*answer]     // the read's answer, refusals included
	created  hook[*answer]     // the add's answer, refusals included
	updated  hook[*answer]     // the update's answer, refusals included
	received hook[resource]    // the role an add or update sends, before the rules see it
	adding   hook[*roleCall]   // an add the rules let through, before it is stored
	stamped  hook[resource]    // a role being stored, just given its version and active flag

	// The update's points: before the replace rules see the role, and once they let it through.
	replacing, replaced hook[*roleCall]
	// Ranks the contact points of an added or updated role being stored (assignRanks).
	addRanks, updateRanks hook[resource]
	// Rules a shape adds, on an add or an update: a server stricter than the docs.
	addStrict, updateStrict []roleRule

	// keepAdd stores an add that passed the rules as its first version, and
	// returns what to answer (hpiAPI.saveNew).
	keepAdd func(tx roleTx, id string, role resource) resource
	// keepUpdate stores an update that passed the rules as version, and
	// returns what to answer (hpiAPI.save).
	keepUpdate func(tx roleTx, id string, role resource, version int) (resource, int)
}

// hpiShapes are the HPI shape mutants (mutants.go says what each does).
var hpiShapes = []shape[*hpiAPI]{
	{HpiCorrelationIDNotEchoed, func(a *hpiAPI) {
		a.hooks.headers.add(func(h http.Header) { h.Del("X-Correlation-Id") })
	}},
	{HpiETagMissing, func(a *hpiAPI) {
		for _, h := range []*hook[*answer]{&a.hooks.read, &a.hooks.created, &a.hooks.updated} {
			h.add(func(an *answer) { an.header.Del("ETag") })
		}
	}},
	{HpiReadWithoutOfficialID, func(a *hpiAPI) {
		a.hooks.read.add(func(an *answer) {
			if role, ok := an.body.(resource); ok {
				delete(role, "identifier")
			}
		})
	}},
	{HpiInvalidIDWithoutMessage, func(a *hpiAPI) {
		a.hooks.read.add(onProblem(func(p *problem) {
			if p.status == http.StatusNotFound {
				p.diagnostics = "not found"
			}
		}))
	}},
	{HpiCreateAnswers200, func(a *hpiAPI) { a.hooks.created.add(changeStatus(http.StatusCreated, http.StatusOK)) }},
	{HpiVersionNotIncremented, func(a *hpiAPI) {
		a.hooks.keepUpdate = func(tx roleTx, id string, role resource, version int) (resource, int) {
			return a.save(tx, id, role, version-1)
		}
	}},
	{HpiBodyVersionKept, func(a *hpiAPI) {
		a.hooks.keepUpdate = func(tx roleTx, id string, role resource, version int) (resource, int) {
			if sent, err := strconv.Atoi(metaOf(role, "versionId")); err == nil && sent > version {
				version = sent
			}
			return a.save(tx, id, role, version)
		}
	}},
	{HpiBodyLastUpdatedKept, func(a *hpiAPI) {
		a.hooks.keepUpdate = func(tx roleTx, id string, role resource, version int) (resource, int) {
			sent := metaOf(role, "lastUpdated")
			kept, v := a.save(tx, id, role, version)
			if sent != "" {
				kept["meta"].(map[string]any)["lastUpdated"] = sent
				tx.put(id, kept.clone(), v)
			}
			return kept, v
		}
	}},
	{HpiUpdateNotSaved, func(a *hpiAPI) {
		a.hooks.keepUpdate = func(_ roleTx, _ string, role resource, version int) (resource, int) {
			return role.clone(), version
		}
	}},
	{HpiRankNotAssigned, func(a *hpiAPI) { a.hooks.updateRanks = nil }},
	{HpiMessagesCorrected, func(a *hpiAPI) {
		a.hooks.updated.add(onProblem(func(p *problem) {
			if p.diagnostics == msgCodeRequired {
				p.diagnostics = "PractitionerRole code required"
			}
		}))
	}},

	// The add and update pages, the profile and the examples (hpi_page_shapes.go has the pieces).
	{HpiAddRankNotAssigned, func(a *hpiAPI) { a.hooks.addRanks = nil }},
	{HpiPeriodEqualRefused, stricter(inBoth, func(c *roleCall) *problem { return refuseIf(oneDay(c.role["period"])) })},
	{HpiContactPeriodEqualRefused, stricter(inBoth, anyContact(func(t map[string]any) bool { return oneDay(t["period"]) }))},
	{HpiMobileLimit14, stricter(inBoth, anyMobile(func(v string) bool { return !e164Length(v + "0") }))},
	{HpiMobileComponentsRefused, stricter(inBoth, anyMobile(func(v string) bool { return strings.Contains(v, " ") }))},
	{HpiEmailLimit255, stricter(inBoth, anyEmail(func(v string) bool { return utf8.RuneCountInString(v) >= 256 }))},
	{HpiEmailLengthInBytes, stricter(inBoth, anyEmail(func(v string) bool { return len(v) > 256 }))},
	{HpiEmailASCIIOnly, stricter(inBoth, anyEmail(func(v string) bool { return strings.ContainsFunc(v, func(r rune) bool { return r > unicode.MaxASCII }) }))},
	{HpiRankGapsRefused, stricter(inBoth, func(c *roleCall) *problem { return refuseIf(rankGap(c.role)) })},
	{HpiSameRoleRefusedWhateverPeriod, stricter(inBoth, func(c *roleCall) *problem {
		return refuseIf(slices.ContainsFunc(c.others, func(o resource) bool { return sameRole(c.role, o) }))
	})},
	{HpiFacilityRequired, stricter(inAdds, func(c *roleCall) *problem { return refuseIf(c.role.ref("location") == "") })},
	{HpiOrganisationRequired, stricter(inAdds, func(c *roleCall) *problem { return refuseIf(c.role.ref("organization") == "") })},
	{HpiPeriodRequired, stricter(inAdds, func(c *roleCall) *problem { return refuseIf(!present(c.role["period"])) })},
	{HpiTelecomRequired, stricter(inAdds, func(c *roleCall) *problem { return refuseIf(!present(c.role["telecom"])) })},
	{HpiEndedRoleAddRefused, stricter(inAdds, func(c *roleCall) *problem {
		_, end := period(c.role["period"])
		return refuseIf(end != "" && end < time.Now().UTC().Format(time.DateOnly))
	})},
	{HpiContactPeriodsBoundByRole, stricter(inBoth, func(c *roleCall) *problem { return refuseIf(contactOutsideRole(c.role)) })},
	{HpiCodeAlwaysRequired, stricter(inUpdates, func(c *roleCall) *problem { return refuseIf(c.role.roleCode() == "") })},
	{HpiOrganisationAlwaysRequired, stricter(inUpdates, func(c *roleCall) *problem { return refuseIf(c.role.ref("organization") == "") })},
	{HpiFacilityAlwaysRequired, stricter(inUpdates, func(c *roleCall) *problem { return refuseIf(c.role.ref("location") == "") })},
	{HpiAddCodeTextDropped, dropOnAdd(func(r resource) {
		codes, _ := r["code"].([]any)
		for _, c := range codes {
			if m, ok := c.(map[string]any); ok {
				delete(m, "text")
			}
		}
	})},
	{HpiAddEndDropped, dropOnAdd(func(r resource) {
		if p, ok := r["period"].(map[string]any); ok {
			delete(p, "end")
		}
	})},
	{HpiAddMessagingAddressDropped, dropOnAdd(func(r resource) { withoutExtension(r, extMessagingAddress) })},
	{HpiAddTelecomDropped, dropOnAdd(func(r resource) { delete(r, "telecom") })},
	{HpiAddStatusReasonDropped, dropOnAdd(func(r resource) { withoutExtension(r, extStatusReason) })},
	{HpiCreateNotSaved, func(a *hpiAPI) {
		a.hooks.keepAdd = func(_ roleTx, _ string, role resource) resource { stamp(role, 1); return role.clone() }
	}},
	{HpiCreateIDNotNamed, func(a *hpiAPI) {
		a.hooks.created.add(onCreated(func(an *answer, r resource) { delete(r, "id"); an.header.Del("Location") }))
	}},
	{HpiCreateVersionNotNamed, func(a *hpiAPI) {
		a.hooks.created.add(onCreated(func(an *answer, r resource) {
			withoutVersion(an, r)
			an.header.Set("Location", strings.Split(an.header.Get("Location"), "/_history/")[0])
		}))
	}},
	{HpiAddRefusalsBare, func(a *hpiAPI) { a.hooks.created.add(bareRefusal) }},
	{HpiAddErrors400, func(a *hpiAPI) { a.hooks.created.add(restatus(http.StatusBadRequest, addErrors...)) }},
	{HpiAddErrorsWarning, func(a *hpiAPI) {
		a.hooks.created.add(refusedBy(addErrors, func(_ *answer, p *problem) { p.severity = "warning" }))
	}},
	{HpiAddErrorsCodeInvalid, func(a *hpiAPI) {
		a.hooks.created.add(refusedBy(addErrors, func(_ *answer, p *problem) { p.code = "invalid" }))
	}},
	{HpiUpdateAnswers201, func(a *hpiAPI) { a.hooks.updated.add(changeStatus(http.StatusOK, http.StatusCreated)) }},
	{HpiUpdateVersionNotNamed, func(a *hpiAPI) {
		a.hooks.updated.add(func(an *answer) {
			if r, ok := an.body.(resource); ok && an.status == http.StatusOK {
				withoutVersion(an, r)
			}
		})
	}},
	{HpiUpdateRefusalsBare, func(a *hpiAPI) { a.hooks.updated.add(bareRefusal) }},
	{HpiUpdateErrors400, func(a *hpiAPI) { a.hooks.updated.add(restatus(http.StatusBadRequest, updateErrors...)) }},
	{HpiUpdateErrorsWarning, func(a *hpiAPI) {
		a.hooks.updated.add(refusedBy(updateErrors, func(_ *answer, p *problem) { p.severity = "warning" }))
	}},
	{HpiUpdateErrorsCodeInvalid, func(a *hpiAPI) {
		a.hooks.updated.add(refusedBy(updateErrors, func(_ *answer, p *problem) { p.code = "invalid" }))
	}},
	{HpiEndDateNotSaved, keepsFromRecord(func(c *roleCall) {
		_, end := period(c.current["period"])
		p, _ := c.role["period"].(map[string]any)
		if p != nil {
			p["end"] = end
			if end == "" {
				delete(p, "end")
			}
		}
	})},
	{HpiContactChangesNotSaved, keepsFromRecord(func(c *roleCall) { restoreElement(c.role, c.current, "telecom") })},
	{HpiMessagingAddressNotSaved, keepsFromRecord(func(c *roleCall) { restoreExtension(c.role, c.current, extMessagingAddress) })},
	{HpiStatusReasonNotSaved, keepsFromRecord(func(c *roleCall) { restoreExtension(c.role, c.current, extStatusReason) })},
	{HpiActiveKeptAsSent, func(a *hpiAPI) {
		a.hooks.keepUpdate = func(tx roleTx, id string, role resource, version int) (resource, int) {
			sent, had := role["active"]
			kept, v := a.save(tx, id, role, version)
			if had {
				kept["active"] = sent
				tx.put(id, kept.clone(), v)
			}
			return kept, v
		}
	}},
	{HpiPersonInvalidReworded, reworded(msgPersonInvalid)},
	{HpiPersonRequiredReworded, reworded(msgPersonRequired)},
	{HpiOrgOrFacilityReworded, reworded(msgOrgOrFacility)},
	{HpiDuplicateReworded, reworded(msgDuplicate)},
	{HpiAddReasonReworded, reworded(msgReasonOnAdd)},
	{HpiUpdateReasonReworded, reworded(msgReasonOnUpdate)},
	{HpiPeriodFormatReworded, reworded(msgPeriodFormat)},
	{HpiPeriodOrderReworded, reworded(msgPeriodOrder)},
	{HpiContactDuplicateReworded, reworded(msgContactDuplicate)},
	{HpiMobileFormatReworded, reworded(msgMobileFormat)},
	{HpiEmailFormatReworded, reworded(msgEmailFormat)},
	{HpiContactPeriodFormatReworded, reworded(msgContactPeriodFormat)},
	{HpiContactPeriodOrderReworded, reworded(msgContactPeriodOrder)},
	{HpiOfficialIdentifierRepeated, func(a *hpiAPI) {
		a.hooks.replaced.add(func(c *roleCall) {
			sent, _ := c.role["identifier"].([]any)
			if had, _ := c.current["identifier"].([]any); len(had) > 0 {
				c.role["identifier"] = append(sent, had[0])
			}
		})
	}},
	{HpiOfficialIdentifierSystemWrong, issuedIdentifier(func(id map[string]any) {
		id["system"] = "https://standards.digital.health.nz/ns/hpi-practitioner-role-id"
	})},
	{HpiOfficialIdentifierUseUsual, issuedIdentifier(func(id map[string]any) { id["use"] = "usual" })},
	{HpiOfficialIdentifierTyped, issuedIdentifier(func(id map[string]any) {
		id["type"] = map[string]any{"coding": []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PRN"}}}
	})},
	{HpiOfficialIdentifierPeriod, issuedIdentifier(func(id map[string]any) {
		id["period"] = map[string]any{"start": time.Now().UTC().Format(time.DateOnly)}
	})},
	{HpiEndedRoleActive, func(a *hpiAPI) { a.hooks.stamped.add(func(r resource) { r["active"] = true }) }},
}

// metaOf is a field of the role's meta, as sent; empty when absent.
func metaOf(role resource, field string) string {
	meta, _ := role["meta"].(map[string]any)
	s, _ := meta[field].(string)
	return s
}
