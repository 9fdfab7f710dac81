package refserver

import (
	"encoding/json"
	"net/http"
	"slices"
)

// ersHooks are the points of the e-RS operations where a shape acts.
type ersHooks struct {
	signIn   hook[*SessionUser]   // A001: the user a new session is opened for
	created  hook[*answer]        // A001's answer, refusals included
	selected hook[*answer]        // A002's answer, refusals included
	closed   hook[string]         // A003: just after the session of this key is closed
	deleted  hook[*answer]        // A003's answer, refusals included
	routes   hook[*http.ServeMux] // routes beside the documented ones
}

// ersShapes are the e-RS shape mutants (mutants.go says what each does).
// Order matters only when several are selected: withoutLastName goes last.
var ersShapes = []shape[*ersAPI]{
	{ErsUserIdentifierWrong, func(a *ersAPI) {
		a.hooks.signIn.add(func(u *SessionUser) { u.Identifier += "9" })
	}},
	{ErsCreateExtraPermission, func(a *ersAPI) {
		a.hooks.signIn.add(func(u *SessionUser) { addUnheldPermission(u, a.functions) })
	}},
	{ErsCreateAnswers200, func(a *ersAPI) { a.hooks.created.add(changeStatus(http.StatusCreated, http.StatusOK)) }},
	{ErsCreatePermissionSet, func(a *ersAPI) {
		a.hooks.created.add(onSession(func(s *Session) { s.Permission = &s.User.Permissions[0] }))
	}},
	{ErsSelectAnswers201, func(a *ersAPI) { a.hooks.selected.add(changeStatus(http.StatusOK, http.StatusCreated)) }},
	{ErsSelectPermissionIgnored, func(a *ersAPI) {
		a.hooks.selected.add(onSession(func(s *Session) { s.Permission = nil }))
	}},
	{ErsSelectDropsPermissions, func(a *ersAPI) {
		a.hooks.selected.add(onSession(func(s *Session) {
			if s.Permission != nil {
				s.User.Permissions = []Permission{*s.Permission}
			}
		}))
	}},
	{ErsSessionModelIncomplete, func(a *ersAPI) {
		a.hooks.created.add(withoutLastName)
		a.hooks.selected.add(withoutLastName)
	}},
	{ErsDeletedSessionUsable, func(a *ersAPI) { a.hooks.closed.add(a.sessions.reopen) }},
	{ErsDeleteAnswers200, func(a *ersAPI) { a.hooks.deleted.add(changeStatus(http.StatusNoContent, http.StatusOK)) }},
	{ErsBodyOn204, func(a *ersAPI) {
		a.hooks.deleted.add(func(an *answer) {
			if _, refused := an.body.(*problem); !refused {
				an.status, an.body = http.StatusNoContent, map[string]bool{"deleted": true}
			}
		})
	}},
	{Ers422WithoutOutcome, func(a *ersAPI) {
		for _, h := range []*hook[*answer]{&a.hooks.created, &a.hooks.selected, &a.hooks.deleted} {
			h.add(func(an *answer) {
				if an.status == http.StatusUnprocessableEntity {
					an.body = nil
				}
			})
		}
	}},
	{ErsPatchAccepted, func(a *ersAPI) {
		a.hooks.routes.add(func(mux *http.ServeMux) {
			mux.HandleFunc("PATCH "+ersBase+"/{sessionKey}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
		})
	}},
}

// onSession changes the session an answer carries, if it carries one.
func onSession(f func(*Session)) func(*answer) {
	return func(an *answer) {
		if s, ok := an.body.(Session); ok {
			f(&s)
			an.body = s
		}
	}
}

// withoutLastName drops user.lastName from a session answer.
func withoutLastName(an *answer) {
	s, ok := an.body.(Session)
	if !ok {
		return
	}
	data, _ := json.Marshal(s)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	delete(m["user"].(map[string]any), "lastName")
	an.body = m
}

// addUnheldPermission lists a business function the user does not hold, at
// the organisation of their first permission.
func addUnheldPermission(u *SessionUser, functions []string) {
	first := u.Permissions[0]
	for _, f := range functions {
		extra := Permission{BusinessFunction: f, OrgIdentifier: first.OrgIdentifier, OrgName: first.OrgName}
		if !slices.Contains(u.Permissions, extra) {
			u.Permissions = append(slices.Clone(u.Permissions), extra)
			return
		}
	}
}
