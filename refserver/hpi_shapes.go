package refserver

import (
	"net/http"
	"strconv"
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
	ranks    hook[resource]    // ranks the contact points of a role being stored (assignRanks)

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
	{HpiRankNotAssigned, func(a *hpiAPI) { a.hooks.ranks = nil }},
	{HpiMessagesCorrected, func(a *hpiAPI) {
		a.hooks.updated.add(onProblem(func(p *problem) {
			if p.diagnostics == msgCodeRequired {
				p.diagnostics = "PractitionerRole code required"
			}
		}))
	}},
}

// metaOf is a field of the role's meta, as sent; empty when absent.
func metaOf(role resource, field string) string {
	meta, _ := role["meta"].(map[string]any)
	s, _ := meta[field].(string)
	return s
}
