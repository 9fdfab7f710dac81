package refserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// The e-RS headers, spelt as the A001-A003 pages spell them (underscores).
const (
	headerASID       = "XAPI_ASID"
	headerSessionKey = "HTTP_X_SESSION_KEY"
)

// maxRequestBody bounds what the server reads from a client.
const maxRequestBody = 64 << 10

func (s *Server) routeERS(mux *http.ServeMux) {
	const base = "/ers-api/v1/ProfessionalSession"
	mux.HandleFunc("POST "+base, s.createSession)
	mux.HandleFunc("PUT "+base+"/{sessionKey}", s.selectRole)
	mux.HandleFunc("DELETE "+base+"/{sessionKey}", s.deleteSession)
	if s.mutants[ErsPatchAccepted] {
		mux.HandleFunc("PATCH "+base+"/{sessionKey}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	}
}

// createSession is A001: exchange a smartcard token for a session (201).
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	if !s.hasASID(w, r) {
		return
	}
	token, ok := s.requestedToken(w, r)
	if !ok {
		return
	}
	user, ok := s.users[token]
	if !ok && s.mutants[ErsUnknownTokenAccepted] {
		token, user, ok = s.firstUser()
	}
	if !ok {
		s.ersError(w, http.StatusForbidden, "forbidden", "token is not a valid smartcard token")
		return
	}
	sess := s.sessions.create(token, s.mutateUser(user))
	if s.mutants[ErsCreatePermissionSet] {
		sess.Permission = &sess.User.Permissions[0]
	}
	status := http.StatusCreated
	if s.mutants[ErsCreateAnswers200] {
		status = http.StatusOK
	}
	s.writeSession(w, status, sess)
}

// requestedToken reads the smartcard token from an A001 body.
func (s *Server) requestedToken(w http.ResponseWriter, r *http.Request) (string, bool) {
	if s.mutants[ErsCreateBodyUnchecked] {
		return s.anyToken(r), true
	}
	var body struct {
		Token string `json:"token"`
	}
	if !s.decodeBody(w, r, &body) {
		return "", false
	}
	if strings.TrimSpace(body.Token) == "" {
		s.ersError(w, http.StatusUnprocessableEntity, "required", "token is required")
		return "", false
	}
	return body.Token, true
}

// selectRole is A002: apply one of the user's permissions to the session (200).
func (s *Server) selectRole(w http.ResponseWriter, r *http.Request) {
	key, ok := s.sessionKey(w, r)
	if !ok {
		return
	}
	var body struct {
		Permission *Permission `json:"permission"`
	}
	if !s.decodeBody(w, r, &body) {
		return
	}
	p := body.Permission
	switch {
	case s.mutants[ErsSelectBodyUnchecked]:
	case p == nil:
		s.ersError(w, http.StatusUnprocessableEntity, "required", "permission is required")
		return
	case !slices.Contains(s.functions, p.BusinessFunction) && !s.mutants[ErsUnknownFunctionAccepted]:
		s.ersError(w, http.StatusUnprocessableEntity, "code-invalid",
			fmt.Sprintf("businessFunction %q is not a BusinessFunction value", p.BusinessFunction))
		return
	}
	sess, state, err := s.sessions.update(key, func(sess *Session) error {
		return s.applyPermission(sess, p)
	})
	if state == sessionUnknown && s.mutants[ErsUnknownKeySelectAccepted] {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	if s.answeredLookup(w, state) {
		return
	}
	if err != nil {
		s.ersError(w, http.StatusForbidden, "forbidden", err.Error())
		return
	}
	s.writeSelected(w, sess)
}

var errNotHeld = errors.New("the user does not hold that permission")

// applyPermission selects p if the user holds it (business function at organisation).
func (s *Server) applyPermission(sess *Session, requested *Permission) error {
	p, mutated := s.mutatePermission(sess, requested)
	if mutated {
		return nil
	}
	for _, held := range sess.User.Permissions {
		if held.BusinessFunction == p.BusinessFunction && held.OrgIdentifier == p.OrgIdentifier {
			sess.Permission = &held
			if s.mutants[ErsSelectPermissionIgnored] {
				sess.Permission = nil
			}
			return nil
		}
	}
	if s.mutants[ErsRoleNotHeldAccepted] {
		sess.Permission = &p
		return nil
	}
	return errNotHeld
}

// deleteSession is A003: close the session; its key is invalid afterwards (204).
func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) {
	key, ok := s.sessionKey(w, r)
	if !ok {
		return
	}
	state := s.sessions.close(key)
	if state == sessionUnknown && s.mutants[ErsUnknownKeyDeleteAccepted] {
		state = sessionOpen
	}
	if s.answeredLookup(w, state) {
		return
	}
	if s.mutants[ErsDeletedSessionUsable] {
		s.sessions.reopen(key)
	}
	if s.mutants[ErsBodyOn204] {
		// net/http drops a 204 body, so the mutant hijacks the connection to send one.
		writeRaw204WithBody(w)
		return
	}
	if s.mutants[ErsDeleteAnswers200] {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// hasASID refuses a request without the XAPI_ASID header: the system is not identified.
func (s *Server) hasASID(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get(headerASID) != "" || s.mutants[ErsAsidNotRequired] {
		return true
	}
	s.ersError(w, http.StatusForbidden, "forbidden", headerASID+" header is required")
	return false
}

// sessionKey checks the ASID and session key headers and returns the path key.
func (s *Server) sessionKey(w http.ResponseWriter, r *http.Request) (string, bool) {
	if !s.hasASID(w, r) {
		return "", false
	}
	key := r.PathValue("sessionKey")
	got := r.Header.Get(headerSessionKey)
	if got == "" && s.mutants[ErsSessionKeyHeaderNotRequired] {
		got = key
	}
	switch got {
	case "":
		s.ersError(w, http.StatusForbidden, "forbidden", headerSessionKey+" header is required")
		return "", false
	case key:
		return key, true
	default:
		s.ersError(w, http.StatusForbidden, "forbidden", headerSessionKey+" does not match the session in the path")
		return "", false
	}
}

// answeredLookup answers 404 for a key never issued and 410 for a closed one.
func (s *Server) answeredLookup(w http.ResponseWriter, state lookupState) bool {
	switch state {
	case sessionUnknown:
		s.ersError(w, http.StatusNotFound, "not-found", "no such session")
		return true
	case sessionClosed:
		s.ersError(w, http.StatusGone, "deleted", "the session has been deleted")
		return true
	}
	return false
}

// decodeBody reads a JSON object into v, answering 400 when it is malformed.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		s.ersError(w, http.StatusBadRequest, "structure", "the request body is not a valid JSON object: "+err.Error())
		return false
	}
	return true
}

// writeRaw204WithBody breaks HTTP on purpose, for the ErsBodyOn204 mutant.
func writeRaw204WithBody(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	defer conn.Close()
	body := `{"deleted":true}`
	fmt.Fprintf(buf, "HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	_ = buf.Flush()
}
