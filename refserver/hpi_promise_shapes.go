package refserver

import (
	"fmt"
	"hash/crc32"
	"net/http"
	"slices"
	"strings"
)

// hpiPromiseShapes are the shape mutants of the general page's request
// rules and of what every HPI answer promises (mutants.go says what each
// does). A shape that changes a read also undoes its change when the role
// comes back in an update, so that it breaks the read's promise alone.
var hpiPromiseShapes = []shape[*hpiAPI]{
	{HpiUseridRefused403, func(a *hpiAPI) {
		a.hooks.gateway.add(restatus(http.StatusForbidden, "HPI-REQ-userid-required"))
	}},
	{HpiUseridRefusalCodeLogin, func(a *hpiAPI) {
		a.hooks.gateway.add(refusedBy([]string{"HPI-REQ-userid-required"}, func(_ *answer, p *problem) { p.code = "login" }))
	}},
	{HpiUseridMessageChanged, func(a *hpiAPI) {
		a.hooks.gateway.add(refusedBy([]string{"HPI-REQ-userid-required"}, func(_ *answer, p *problem) { p.diagnostics = "userid header required" }))
	}},
	{HpiTokenRefused403, func(a *hpiAPI) { a.hooks.gateway.add(restatus(http.StatusForbidden, "HPI-REQ-access-token")) }},
	{HpiAPIKeyRefused401, func(a *hpiAPI) { a.hooks.gateway.add(restatus(http.StatusUnauthorized, "HPI-REQ-api-key")) }},
	{HpiReadScopeRefused, func(a *hpiAPI) { a.alsoNeeds["read"] = scopeBase + "pracrole:write" }},
	{HpiSmartReadScopeRefused, withoutScope("read", "system/PractitionerRole.r")},
	{HpiWriteScopeRefusedOnCreate, func(a *hpiAPI) { a.alsoNeeds["create"] = scopeBase + "pracrole:read" }},
	{HpiSmartCreateScopeRefused, withoutScope("create", "system/PractitionerRole.c")},
	{HpiWriteScopeRefusedOnUpdate, func(a *hpiAPI) { a.alsoNeeds["update"] = scopeBase + "pracrole:read" }},
	{HpiSmartUpdateScopeRefused, withoutScope("update", "system/PractitionerRole.u")},
	{HpiUseridRefusalBare, func(a *hpiAPI) {
		a.hooks.gateway.add(refusedBy([]string{"HPI-REQ-userid-required"}, func(an *answer, _ *problem) { an.body = nil }))
	}},
	{HpiReadRouteMissing, func(a *hpiAPI) {
		a.hooks.read.add(func(an *answer) {
			*an = (&problem{status: http.StatusMethodNotAllowed, code: "not-supported", diagnostics: "read is not supported"}).answer()
		})
	}},

	{HpiCorrelationIDReplacedOnRead, func(a *hpiAPI) { a.hooks.read.add(serverCorrelationID) }},
	{HpiCorrelationIDReplacedOnAdd, func(a *hpiAPI) { a.hooks.created.add(serverCorrelationID) }},
	{HpiCorrelationIDReplacedOnUpd, func(a *hpiAPI) { a.hooks.updated.add(serverCorrelationID) }},
	{HpiCorrelationIDDroppedOnRefuse, func(a *hpiAPI) { a.hooks.gateway.add(withoutHeader("X-Correlation-Id")) }},
	{HpiRequestIDMissingOnRead, func(a *hpiAPI) { a.hooks.read.add(withoutHeader("X-Request-Id")) }},
	{HpiRequestIDMissingOnCreate, func(a *hpiAPI) { a.hooks.created.add(withoutHeader("X-Request-Id")) }},
	{HpiRequestIDMissingOnUpdate, func(a *hpiAPI) { a.hooks.updated.add(withoutHeader("X-Request-Id")) }},
	{HpiRequestIDMissingOnRefusal, func(a *hpiAPI) { a.hooks.gateway.add(withoutHeader("X-Request-Id")) }},
	{HpiRequestIDRepeated, func(a *hpiAPI) {
		a.hooks.headers.add(func(h http.Header) { h.Set("X-Request-Id", "0f1e2d3c4b5a69788796a5b4c3d2e1f0") })
	}},

	{HpiReadAnswerNotJSON, func(a *hpiAPI) { a.hooks.read.add(declaredAs("text/plain; charset=utf-8")) }},
	{HpiCreateAnswerNotJSON, func(a *hpiAPI) { a.hooks.created.add(declaredAs("text/plain; charset=utf-8")) }},
	{HpiUpdateAnswerNotJSON, func(a *hpiAPI) { a.hooks.updated.add(declaredAs("text/plain; charset=utf-8")) }},
	{HpiRefusalNotJSON, func(a *hpiAPI) { a.hooks.gateway.add(declaredAs("text/plain; charset=utf-8")) }},

	{HpiOfficialIDDiffers, func(a *hpiAPI) {
		a.hooks.read.add(onRole(otherOfficialValue))
		a.hooks.received.add(func(r resource) {
			eachOfficial(r, func(id map[string]any) {
				if v := fmt.Sprint(id["value"]); v == r.id()+"X" {
					id["value"] = r.id()
				}
			})
		})
	}},
	{HpiCreatedOfficialIDDiffers, func(a *hpiAPI) { a.hooks.created.add(onRole(otherOfficialValue)) }},
	{HpiUpdatedOfficialIDDiffers, func(a *hpiAPI) { a.hooks.updated.add(onRole(otherOfficialValue)) }},
	{HpiOfficialIDTwice, func(a *hpiAPI) {
		a.hooks.read.add(onRole(func(r resource) {
			list, _ := r["identifier"].([]any)
			r["identifier"] = append(list, map[string]any{"use": "official", "system": hpiRoleIDSystem, "value": r.id() + "-2"})
		}))
		a.hooks.received.add(func(r resource) {
			list, _ := r["identifier"].([]any)
			kept := list[:0:0]
			for _, i := range list {
				if m, ok := i.(map[string]any); !ok || m["value"] != r.id()+"-2" {
					kept = append(kept, i)
				}
			}
			if list != nil {
				r["identifier"] = kept
			}
		})
	}},
	{HpiReadContained, func(a *hpiAPI) {
		a.hooks.read.add(onRole(containPractitioner))
		a.hooks.received.add(func(r resource) { delete(r, "contained") })
	}},
	{HpiCreatedContained, func(a *hpiAPI) { a.hooks.created.add(onRole(containPractitioner)) }},
	{HpiUpdatedContained, func(a *hpiAPI) { a.hooks.updated.add(onRole(containPractitioner)) }},
	{HpiReadAnswersEmpty, func(a *hpiAPI) {
		a.hooks.read.add(func(an *answer) {
			if an.status == http.StatusOK {
				an.body = nil
			}
		})
	}},
	{HpiInvalidIDAnswers400, func(a *hpiAPI) { a.hooks.read.add(restatus(http.StatusBadRequest, "HPI-GET-invalid-id")) }},
	{HpiInvalidIDCodeNotFound, func(a *hpiAPI) {
		a.hooks.read.add(refusedBy([]string{"HPI-GET-invalid-id"}, func(_ *answer, p *problem) { p.code = "not-found" }))
	}},
	{HpiInvalidIDWithoutOutcome, func(a *hpiAPI) {
		a.hooks.read.add(refusedBy([]string{"HPI-GET-invalid-id"}, func(an *answer, _ *problem) { an.body = nil }))
	}},
	{HpiETagNotVersion, func(a *hpiAPI) {
		a.hooks.read.add(func(an *answer) {
			if r, ok := an.body.(resource); ok && an.header.Get("ETag") != "" {
				an.header.Set("ETag", fmt.Sprintf(`"h%08x"`, crc32.ChecksumIEEE([]byte(r.id()+an.header.Get("ETag")))))
			}
		})
	}},

	{HpiStaleVersionWithoutCode, func(a *hpiAPI) {
		a.hooks.updated.add(refusedBy([]string{"HPI-UPD-stale-version"}, func(_ *answer, p *problem) {
			p.detail, p.diagnostics = nil, "Version conflict"
		}))
	}},
	{HpiStaleVersionCodeConflict, func(a *hpiAPI) {
		a.hooks.updated.add(refusedBy([]string{"HPI-UPD-stale-version"}, func(_ *answer, p *problem) { p.code = "conflict" }))
	}},
	{HpiOutcomeForeignSystem, func(a *hpiAPI) {
		a.onAllAnswers(onProblem(func(p *problem) {
			if p.detail != nil {
				d := *p.detail
				d.System = "https://example.org/error-codes"
				p.detail = &d
			}
		}))
	}},
}

// The system of the official identifier the HPI issues a role (roles.go, issueID).
const hpiRoleIDSystem = "https://standards.digital.health.nz/ns/hpi-practitionerrole-id"

// withoutScope stops a scope (named below the scope base) opening the operation.
func withoutScope(operation, scope string) func(*hpiAPI) {
	return func(a *hpiAPI) {
		a.scopes[operation] = slices.DeleteFunc(slices.Clone(a.scopes[operation]), func(s string) bool { return s == scopeBase+scope })
	}
}

// ownHeaders gives an answer headers of its own to change: a refusal's
// may be shared.
func ownHeaders(an *answer) http.Header {
	an.header = an.header.Clone()
	if an.header == nil {
		an.header = http.Header{}
	}
	return an.header
}

// withoutHeader leaves a header every /fhir answer starts with out of the answer.
func withoutHeader(name string) func(*answer) {
	return func(an *answer) { ownHeaders(an)[http.CanonicalHeaderKey(name)] = nil }
}

// serverCorrelationID answers with an X-Correlation-Id of the server's own.
func serverCorrelationID(an *answer) {
	ownHeaders(an).Set("X-Correlation-Id", "hpi-"+strings.Repeat("7", 12))
}

// declaredAs declares an answer's body as another media type.
func declaredAs(mediaType string) func(*answer) {
	return func(an *answer) {
		if an.body != nil {
			ownHeaders(an).Set("Content-Type", mediaType)
		}
	}
}

// containPractitioner puts the role's practitioner in it, as a contained resource.
func containPractitioner(r resource) {
	r["contained"] = []any{map[string]any{"resourceType": "Practitioner", "id": r.ref("practitioner")}}
}

// otherOfficialValue gives the role's official identifier a value that is not its id.
func otherOfficialValue(r resource) {
	eachOfficial(r, func(id map[string]any) { id["value"] = fmt.Sprint(id["value"]) + "X" })
}

// eachOfficial calls f with each identifier of the role whose use is official.
func eachOfficial(r resource, f func(map[string]any)) {
	list, _ := r["identifier"].([]any)
	for _, i := range list {
		if m, ok := i.(map[string]any); ok && m["use"] == "official" {
			f(m)
		}
	}
}

// hpiPromiseChoices install the choices of the general page's request
// rules and answer promises (choices.go says what each does).
var hpiPromiseChoices = []adoption[*hpiAPI]{
	{hpiFHIRJSONAnswers, func(a *hpiAPI) { a.onAllAnswers(declaredAs("application/fhir+json; charset=utf-8")) }},
	{hpiUnsupportedMedia400, func(a *hpiAPI) {
		a.onRoleAnswers(restatus(http.StatusBadRequest, "HPI-REP-json-requests"))
	}},
}
