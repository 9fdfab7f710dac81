package refserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An ASID is checked on every operation: only one e-RS issued will do.
func TestAnASIDNeverIssuedIsRefusedOnEveryOperation(t *testing.T) {
	s := newServer(t)
	sess := create(t, s)
	path := base + "/" + sess.ID
	for name, r := range map[string]*http.Request{
		"A001": httptest.NewRequest(http.MethodPost, base, strings.NewReader(`{"token":"`+fixtureToken(t)+`"}`)),
		"A002": httptest.NewRequest(http.MethodPut, path, strings.NewReader(`{"permission":{"businessFunction":"SERVICE_DEFINER","orgIdentifier":"R01"}}`)),
		"A003": httptest.NewRequest(http.MethodDelete, path, nil),
	} {
		r.Header.Set("XAPI_ASID", "000000000000")
		r.Header.Set("HTTP_X_SESSION_KEY", sess.ID)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		assert.Equal(t, http.StatusForbidden, w.Code, "%s: %s", name, w.Body)
	}
	assert.Equal(t, http.StatusNoContent, call(s, http.MethodDelete, path, sess.ID, nil).Code, "the refusals closed nothing")
}

// A header naming another open session than the path changes neither.
func TestASessionKeyHeaderOfAnotherSessionChangesNeither(t *testing.T) {
	s := newServer(t)
	one, other := create(t, s), create(t, s)
	p := one.User.Permissions[0]
	assert.Equal(t, http.StatusForbidden, call(s, http.MethodPut, base+"/"+one.ID, other.ID, map[string]any{"permission": p}).Code)
	assert.Equal(t, http.StatusForbidden, call(s, http.MethodDelete, base+"/"+one.ID, other.ID, nil).Code)
	for _, sess := range []Session{one, other} {
		assert.Equal(t, http.StatusOK, call(s, http.MethodPut, base+"/"+sess.ID, sess.ID, map[string]any{"permission": p}).Code, "still open")
	}
}

// A permission named by its business function and organisation alone is selected.
func TestAPermissionWithoutOrgNameIsSelected(t *testing.T) {
	s := newServer(t)
	sess := create(t, s)
	w := call(s, http.MethodPut, base+"/"+sess.ID, sess.ID, `{"permission":{"businessFunction":"SERVICE_DEFINER","orgIdentifier":"R01"}}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"permission":{"businessFunction":"SERVICE_DEFINER","orgIdentifier":"R01","orgName":"NHST_X3"}`)
}

// A function held at one organisation is not held at another.
func TestAFunctionHeldElsewhereIsRefused(t *testing.T) {
	users, err := FixtureUsers()
	require.NoError(t, err)
	multiOrg := users[1].Token // REFERRING_CLINICIAN at R01, SERVICE_PROVIDER_ADMIN at RCD
	elsewhere := map[string]any{"permission": Permission{BusinessFunction: "SERVICE_PROVIDER_ADMIN", OrgIdentifier: "R01"}}
	for s, want := range map[*Server]int{newServer(t): http.StatusForbidden, newServer(t, ErsRoleOrgUnchecked): http.StatusOK} {
		w := call(s, http.MethodPost, base, "", map[string]string{"token": multiOrg})
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
		var sess Session
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &sess))
		assert.Equal(t, want, call(s, http.MethodPut, base+"/"+sess.ID, sess.ID, elsewhere).Code)
	}
}

// The lenient mutants read what the strict server refuses.
func TestTheLenientMutantsReadMalformedBodies(t *testing.T) {
	list := `[{"token":"` + fixtureToken(t) + `"}]`
	assert.Equal(t, http.StatusBadRequest, call(newServer(t), http.MethodPost, base, "", list).Code)
	assert.Equal(t, http.StatusCreated, call(newServer(t, ErsCreateLenientJSON), http.MethodPost, base, "", list).Code)

	published := "{\n  \"token\": \"x\"\n\"permission\":{\"businessFunction\":\"SERVICE_PROVIDER_CLINICIAN\", \"orgIdentifier\":\"R01\"}\n}"
	for mutants, want := range map[string]int{"": http.StatusBadRequest, "lenient": http.StatusOK} {
		var s *Server
		if mutants == "" {
			s = newServer(t)
		} else {
			s = newServer(t, ErsSelectLenientJSON)
		}
		sess := create(t, s)
		assert.Equal(t, want, call(s, http.MethodPut, base+"/"+sess.ID, sess.ID, published).Code, mutants)
	}
}
