package refserver

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
)

// The e-RS mutants' behaviour, kept apart so that ers.go reads as the docs.

// firstUser is the fixture user with the lowest token, for mutants that
// open a session where the docs say none may be opened.
func (s *Server) firstUser() (string, SessionUser, bool) {
	tokens := make([]string, 0, len(s.users))
	for t := range s.users {
		tokens = append(tokens, t)
	}
	sort.Strings(tokens)
	return tokens[0], s.users[tokens[0]], true
}

// anyToken reads a token from whatever body came, falling back to the first
// user's when there is none (ErsCreateBodyUnchecked).
func (s *Server) anyToken(r *http.Request) string {
	var body struct {
		Token string `json:"token"`
	}
	_ = json.NewDecoder(io.LimitReader(r.Body, maxRequestBody)).Decode(&body)
	if body.Token == "" {
		body.Token, _, _ = s.firstUser()
	}
	return body.Token
}

// mutateUser changes the user a new session is opened for.
func (s *Server) mutateUser(u SessionUser) SessionUser {
	if s.mutants[ErsUserIdentifierWrong] {
		u.Identifier += "9"
	}
	if s.mutants[ErsCreateExtraPermission] {
		first := u.Permissions[0]
		for _, f := range s.functions {
			extra := Permission{BusinessFunction: f, OrgIdentifier: first.OrgIdentifier, OrgName: first.OrgName}
			if !slices.Contains(u.Permissions, extra) {
				u.Permissions = append(slices.Clone(u.Permissions), extra)
				break
			}
		}
	}
	return u
}

// mutatePermission applies a permission the docs say must be refused, and
// reports whether it did.
func (s *Server) mutatePermission(sess *Session, p *Permission) (Permission, bool) {
	switch {
	case p == nil && s.mutants[ErsSelectBodyUnchecked]:
		sess.Permission = &sess.User.Permissions[0]
		return *sess.Permission, true
	case p == nil:
		return Permission{}, false
	case !slices.Contains(s.functions, p.BusinessFunction) && s.mutants[ErsUnknownFunctionAccepted]:
		sess.Permission = p
		return *p, true
	}
	return *p, false
}

// writeSession answers with a session, less what a mutant drops from it.
func (s *Server) writeSession(w http.ResponseWriter, status int, sess Session) {
	if !s.mutants[ErsSessionModelIncomplete] {
		writeJSON(w, status, sess)
		return
	}
	data, _ := json.Marshal(sess)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	delete(m["user"].(map[string]any), "lastName")
	writeJSON(w, status, m)
}

// writeSelected answers A002.
func (s *Server) writeSelected(w http.ResponseWriter, sess Session) {
	status := http.StatusOK
	if s.mutants[ErsSelectAnswers201] {
		status = http.StatusCreated
	}
	if s.mutants[ErsSelectDropsPermissions] && sess.Permission != nil {
		sess.User.Permissions = []Permission{*sess.Permission}
	}
	s.writeSession(w, status, sess)
}
