package refserver

import (
	"crypto/rand"
	"net/http"
)

// ersChoices install the e-RS choices (choices.go says what each does).
// Order matters when several are chosen: the statuses change first, then
// ers-bare-refusals takes the bodies off what is not 422.
var ersChoices = []adoption[*ersAPI]{
	{ersMissingHeader400, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusBadRequest, "ERS-A001-asid-required", "ERS-A002-asid-required", "ERS-A003-asid-required",
			"ERS-A002-session-key-required", "ERS-A003-session-key-required"))
	}},
	{ersUnknownToken422, func(a *ersAPI) { a.onAnswers(restatus(http.StatusUnprocessableEntity, "ERS-A001-token-recognised")) }},
	{ersBodyRefusals400, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusBadRequest, "ERS-A001-body-valid", "ERS-A002-body-valid"))
	}},
	{ersBodyRefusals422, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusUnprocessableEntity, "ERS-A001-body-valid", "ERS-A002-body-valid"))
	}},
	{ersRoleNotHeld422, func(a *ersAPI) { a.onAnswers(restatus(http.StatusUnprocessableEntity, "ERS-A002-permission-held")) }},
	{ersUnknownFunction403, func(a *ersAPI) { a.onAnswers(restatus(http.StatusForbidden, "ERS-MODEL-business-function")) }},
	{ersUnknownKey403, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusForbidden, "ERS-A002-session-key-known", "ERS-A003-valid-session-required"))
	}},
	{ersClosedSession404, func(a *ersAPI) { a.onAnswers(restatus(http.StatusNotFound, "ERS-A003-key-invalid-after-delete")) }},
	{ersClosedSession403, func(a *ersAPI) { a.onAnswers(restatus(http.StatusForbidden, "ERS-A003-key-invalid-after-delete")) }},
	{ersSelectNewID, func(a *ersAPI) {
		a.hooks.selected.add(onSession(func(s *Session) { s.ID, s.Token = newSessionKey(), rand.Text() }))
	}},
	{ersNoTypeInfo, func(a *ersAPI) { a.onAnswers(onSession(func(s *Session) { s.TypeInfo = "" })) }},
	{ersBareRefusals, func(a *ersAPI) {
		a.onAnswers(func(an *answer) {
			if _, refused := an.body.(*problem); refused && an.status != http.StatusUnprocessableEntity {
				an.body = nil
			}
		})
	}},
}

// onAnswers adds f to the answers of A001, A002 and A003.
func (a *ersAPI) onAnswers(f func(*answer)) {
	for _, h := range []*hook[*answer]{&a.hooks.created, &a.hooks.selected, &a.hooks.deleted} {
		h.add(f)
	}
}
