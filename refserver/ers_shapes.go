package refserver

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
)

// ersHooks are the points of the e-RS operations where a shape acts.
type ersHooks struct {
	mounting      hook[*ersRoute]      // each operation, just before it is mounted
	createBody    hook[*received]      // A001: the body, before it is parsed
	signIn        hook[*SessionUser]   // A001: the user a new session is opened for
	created       hook[*answer]        // A001's answer, refusals included
	selectBody    hook[*received]      // A002: the body, before it is parsed
	selected      hook[*answer]        // A002's answer, refusals included
	closing       hook[*closing]       // A003: a close the rules allow, before it is made
	closed        hook[string]         // A003: just after the session of this key is closed
	deleteRefused hook[refusal]        // A003: a close the rules refused, before it is answered
	deleted       hook[*answer]        // A003's answer, refusals included
	routes        hook[*http.ServeMux] // routes beside the documented ones
}

// received is a request body as it came; a hook may change it, or refuse it.
type received struct {
	body    []byte
	refusal *problem
}

// closing is a close the rules allow; a hook may still refuse it.
type closing struct {
	session *storedSession // nil when the key was never issued (a rule switched off)
	refusal *problem
}

// refusal is a request a rule refused.
type refusal struct {
	call    *ersCall
	problem *problem
}

// ersShapes are the e-RS shape mutants (mutants.go says what each does).
// Order matters only when several are selected.
var ersShapes = []shape[*ersAPI]{
	// A001.
	{ErsCreateMoved, func(a *ersAPI) { a.hooks.mounting.add(moveRoute("create", "PUT "+ersBase)) }},
	{ErsCreateTypeInfoRequired, func(a *ersAPI) {
		a.hooks.createBody.add(func(r *received) {
			var body map[string]any
			if json.Unmarshal(r.body, &body) == nil && body["typeInfo"] == nil {
				r.refusal = ersProblem(422, "required", "typeInfo is required")
			}
		})
	}},
	{ErsCreateLenientJSON, func(a *ersAPI) {
		a.hooks.createBody.add(func(r *received) {
			var list []json.RawMessage
			if json.Unmarshal(r.body, &list) == nil && len(list) > 0 {
				r.body = list[0]
			}
		})
	}},
	{ErsCreateValidation500, func(a *ersAPI) {
		a.hooks.created.add(restatusFrom(http.StatusUnprocessableEntity, http.StatusInternalServerError, "ERS-A001-body-valid"))
	}},
	{ErsCreate422WithoutOutcome, func(a *ersAPI) { a.hooks.created.add(without422Outcome) }},
	{ErsCreateRefusals200, func(a *ersAPI) { a.hooks.created.add(refusalsAnswered200) }},
	{ErsUnknownToken401, func(a *ersAPI) {
		a.hooks.created.add(restatus(http.StatusUnauthorized, "ERS-A001-token-recognised"))
	}},
	{ErsCreateAnswers200, func(a *ersAPI) { a.hooks.created.add(changeStatus(http.StatusCreated, http.StatusOK)) }},
	{ErsCreateAnswerNotJSON, func(a *ersAPI) {
		a.hooks.mounting.add(func(rt *ersRoute) {
			if rt.op == "create" {
				rt.handler = relabelled(rt.handler, "text/plain; charset=utf-8")
			}
		})
	}},
	{ErsCreatePermissionSet, func(a *ersAPI) {
		a.hooks.created.add(onSession(func(s *Session) { s.Permission = &s.User.Permissions[0] }))
	}},
	{ErsCreateExtraPermission, func(a *ersAPI) {
		a.hooks.signIn.add(func(u *SessionUser) { addUnheldPermission(u, a.functions) })
	}},
	{ErsCreateUndocumentedFunction, func(a *ersAPI) {
		a.hooks.signIn.add(func(u *SessionUser) {
			first := u.Permissions[0] // listed first: the scenarios that select pick the last
			u.Permissions = append([]Permission{{BusinessFunction: "CHIEF_SURGEON", OrgIdentifier: first.OrgIdentifier, OrgName: first.OrgName}}, u.Permissions...)
		})
	}},
	{ErsCreatePermissionOrgWrong, func(a *ersAPI) {
		a.hooks.signIn.add(func(u *SessionUser) {
			u.Permissions = slices.Clone(u.Permissions)
			u.Permissions[len(u.Permissions)-1].OrgIdentifier += "9"
		})
	}},
	{ErsUserIdentifierWrong, func(a *ersAPI) {
		a.hooks.signIn.add(func(u *SessionUser) { u.Identifier += "9" })
	}},
	{ErsUserIdentifierShared, func(a *ersAPI) {
		_, first := a.firstUser()
		a.hooks.signIn.add(func(u *SessionUser) { u.Identifier = first.Identifier })
	}},

	// The ProfessionalSession model, in A001 and A002 answers.
	{ErsSessionTypeInfoWrong, func(a *ersAPI) {
		a.onSessions(func(m map[string]any) { m["typeInfo"] = "uk.nhs.ers.xapi.dto.v1.session.Session" })
	}},
	{ErsSessionWithoutID, func(a *ersAPI) { a.onSessions(func(m map[string]any) { delete(m, "id") }) }},
	{ErsSessionWithoutToken, func(a *ersAPI) { a.onSessions(func(m map[string]any) { delete(m, "token") }) }},
	{ErsSessionWithoutUser, func(a *ersAPI) { a.onSessions(func(m map[string]any) { delete(m, "user") }) }},
	{ErsSessionPermissionOmittedWhenNull, func(a *ersAPI) {
		a.onSessions(func(m map[string]any) {
			if m["permission"] == nil {
				delete(m, "permission")
			}
		})
	}},
	{ErsUserWithoutIdentifier, func(a *ersAPI) { a.onSessions(withoutUserField("identifier")) }},
	{ErsUserWithoutFirstName, func(a *ersAPI) { a.onSessions(withoutUserField("firstName")) }},
	{ErsUserWithoutLastName, func(a *ersAPI) { a.onSessions(withoutUserField("lastName")) }},
	{ErsUserMiddleNameOmittedWhenNull, func(a *ersAPI) {
		a.onSessions(func(m map[string]any) {
			if user, ok := m["user"].(map[string]any); ok && user["middleName"] == nil {
				delete(user, "middleName")
			}
		})
	}},
	{ErsUserWithoutPermissions, func(a *ersAPI) { a.onSessions(withoutUserField("permissions")) }},
	{ErsSelectedPermissionWithoutBusinessFunction, func(a *ersAPI) {
		a.hooks.selected.add(onSessionMap(withoutSelectedField("businessFunction")))
	}},
	{ErsSelectedPermissionWithoutOrgIdentifier, func(a *ersAPI) {
		a.hooks.selected.add(onSessionMap(withoutSelectedField("orgIdentifier")))
	}},
	{ErsPermissionsWithoutOrgName, func(a *ersAPI) {
		a.onSessions(func(m map[string]any) {
			withoutSelectedField("orgName")(m)
			if user, ok := m["user"].(map[string]any); ok {
				listed, _ := user["permissions"].([]any)
				for _, p := range listed {
					if p, ok := p.(map[string]any); ok {
						delete(p, "orgName")
					}
				}
			}
		})
	}},

	// A002.
	{ErsSelectMoved, func(a *ersAPI) { a.hooks.mounting.add(moveRoute("select", "POST "+ersBase+"/{sessionKey}")) }},
	{ErsSelectLenientJSON, func(a *ersAPI) {
		a.hooks.selectBody.add(func(r *received) {
			if !json.Valid(r.body) {
				r.body = missingComma.ReplaceAll(r.body, []byte(`",$1"`))
			}
		})
	}},
	{ErsSelectValidation500, func(a *ersAPI) {
		a.hooks.selected.add(restatusFrom(http.StatusUnprocessableEntity, http.StatusInternalServerError,
			"ERS-A002-body-valid", "ERS-MODEL-business-function"))
	}},
	{ErsSelect422WithoutOutcome, func(a *ersAPI) { a.hooks.selected.add(without422Outcome) }},
	{ErsSelectRefusals200, func(a *ersAPI) { a.hooks.selected.add(refusalsAnswered200) }},
	{ErsSelectOrgNameRequired, func(a *ersAPI) {
		a.hooks.selectBody.add(func(r *received) {
			var body struct {
				Permission map[string]any `json:"permission"`
			}
			if json.Unmarshal(r.body, &body) == nil && body.Permission != nil && body.Permission["orgName"] == nil {
				r.refusal = ersProblem(422, "required", "permission.orgName is required")
			}
		})
	}},
	{ErsRoleNotHeld401, func(a *ersAPI) {
		a.hooks.selected.add(restatus(http.StatusUnauthorized, "ERS-A002-permission-held"))
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
	{ErsSelectRekeys, func(a *ersAPI) {
		a.hooks.selected.add(onSession(func(s *Session) {
			key := newSessionKey()
			a.sessions.rekey(s.ID, key)
			s.ID = key
		}))
	}},

	// A003, and what A002 and A003 share.
	{ErsDeleteMoved, func(a *ersAPI) { a.hooks.mounting.add(moveRoute("delete", "POST "+ersBase+"/{sessionKey}")) }},
	{ErsDeleteMismatchClosesHeaderKey, func(a *ersAPI) {
		a.hooks.deleteRefused.add(func(r refusal) {
			if r.problem.rule == "ERS-A003-session-key-matches-path" {
				a.sessions.close(r.call.keyHeader)
			}
		})
	}},
	{ErsUnknownKey400, func(a *ersAPI) {
		f := restatus(http.StatusBadRequest, "ERS-A002-session-key-known", "ERS-A003-valid-session-required")
		a.hooks.selected.add(f)
		a.hooks.deleted.add(f)
	}},
	{ErsUnknownKey410, func(a *ersAPI) {
		f := restatus(http.StatusGone, "ERS-A002-session-key-known", "ERS-A003-valid-session-required")
		a.hooks.selected.add(f)
		a.hooks.deleted.add(f)
	}},
	{ErsDeleteAnswers200, func(a *ersAPI) { a.hooks.deleted.add(changeStatus(http.StatusNoContent, http.StatusOK)) }},
	{ErsBodyOn204, func(a *ersAPI) {
		a.hooks.deleted.add(func(an *answer) {
			if _, refused := an.body.(*problem); !refused {
				an.status, an.body = http.StatusNoContent, map[string]bool{"deleted": true}
			}
		})
	}},
	{ErsDeletedSessionUsable, func(a *ersAPI) { a.hooks.closed.add(a.sessions.reopen) }},
	{ErsPatchAccepted, func(a *ersAPI) {
		a.hooks.routes.add(func(mux *http.ServeMux) {
			mux.HandleFunc("PATCH "+ersBase+"/{sessionKey}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
		})
	}},
}

// missingComma finds two members of an object with no comma between them:
// a value's closing quote, a line break, and the next member's opening quote.
var missingComma = regexp.MustCompile(`"(\s*\n\s*)"`)

// moveRoute mounts the operation op at another pattern than the documented one.
func moveRoute(op, pattern string) func(*ersRoute) {
	return func(rt *ersRoute) {
		if rt.op == op {
			rt.pattern = pattern
		}
	}
}

// relabelled answers with another Content-Type than the handler sets.
func relabelled(h http.HandlerFunc, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h(labelWriter{w, contentType}, r)
	}
}

type labelWriter struct {
	http.ResponseWriter
	contentType string
}

func (l labelWriter) WriteHeader(status int) {
	if l.Header().Get("Content-Type") != "" {
		l.Header().Set("Content-Type", l.contentType)
	}
	l.ResponseWriter.WriteHeader(status)
}

// without422Outcome takes the OperationOutcome off a 422.
func without422Outcome(an *answer) {
	if an.status == http.StatusUnprocessableEntity {
		an.body = nil
	}
}

// refusalsAnswered200 answers a refusal 200, its OperationOutcome in the body.
func refusalsAnswered200(an *answer) {
	if _, refused := an.body.(*problem); refused {
		an.status = http.StatusOK
	}
}

// restatusFrom answers the refusals of the rules named that have status from with status to.
func restatusFrom(from, to int, rules ...string) func(*answer) {
	return refusedBy(rules, func(an *answer, _ *problem) {
		if an.status == from {
			an.status = to
		}
	})
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

// onSessionMap changes the session an answer carries as its JSON fields,
// for the shapes that answer a session models.md would not recognise.
func onSessionMap(f func(map[string]any)) func(*answer) {
	return func(an *answer) {
		var data []byte
		switch body := an.body.(type) {
		case Session:
			data, _ = json.Marshal(body)
		case map[string]any: // a session another shape has already changed
			data, _ = json.Marshal(body)
		default:
			return
		}
		var m map[string]any
		if json.Unmarshal(data, &m) != nil {
			return
		}
		f(m)
		an.body = m
	}
}

// onSessions changes the sessions of A001's and A002's answers.
func (a *ersAPI) onSessions(f func(map[string]any)) {
	a.hooks.created.add(onSessionMap(f))
	a.hooks.selected.add(onSessionMap(f))
}

func withoutUserField(name string) func(map[string]any) {
	return func(m map[string]any) {
		if user, ok := m["user"].(map[string]any); ok {
			delete(user, name)
		}
	}
}

func withoutSelectedField(name string) func(map[string]any) {
	return func(m map[string]any) {
		if p, ok := m["permission"].(map[string]any); ok {
			delete(p, name)
		}
	}
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
