package refserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const base = "/ers-api/v1/ProfessionalSession"

func newServer(t *testing.T, mutants ...Mutant) *Server {
	t.Helper()
	s, err := New(Options{Mutants: mutants})
	require.NoError(t, err)
	return s
}

// call sends one request straight to the handler, with the e-RS headers.
func call(s *Server, method, path, key string, body any) *httptest.ResponseRecorder {
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	default:
		data, _ = json.Marshal(b)
	}
	r := httptest.NewRequest(method, path, bytes.NewReader(data))
	r.Header.Set("XAPI_ASID", "200000000220")
	if key != "" {
		r.Header.Set("HTTP_X_SESSION_KEY", key)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func fixtureToken(t *testing.T) string {
	users, err := FixtureUsers()
	require.NoError(t, err)
	return users[0].Token
}

func create(t *testing.T, s *Server) Session {
	t.Helper()
	w := call(s, http.MethodPost, base, "", map[string]string{"token": fixtureToken(t)})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	var sess Session
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &sess))
	return sess
}

func TestSessionLifecycle(t *testing.T) {
	s := newServer(t)
	sess := create(t, s)
	assert.Nil(t, sess.Permission)
	assert.Len(t, sess.User.Permissions, 5)

	p := sess.User.Permissions[3]
	w := call(s, http.MethodPut, base+"/"+sess.ID, sess.ID, map[string]any{"permission": p})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var selected Session
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &selected))
	assert.Equal(t, &p, selected.Permission)

	w = call(s, http.MethodDelete, base+"/"+sess.ID, sess.ID, nil)
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Empty(t, w.Body.String())
	assert.Equal(t, http.StatusGone, call(s, http.MethodDelete, base+"/"+sess.ID, sess.ID, nil).Code)
}

func TestRefusals(t *testing.T) {
	s := newServer(t)
	sess := create(t, s)
	path := base + "/" + sess.ID
	notHeld := Permission{BusinessFunction: "BOOKING_MANAGER", OrgIdentifier: "R01"}
	for name, tc := range map[string]struct {
		method, path, key string
		body              any
		want              int
	}{
		"unknown token":             {http.MethodPost, base, "", map[string]string{"token": "nope"}, 403},
		"no token":                  {http.MethodPost, base, "", map[string]string{}, 422},
		"not JSON":                  {http.MethodPost, base, "", "token=x", 400},
		"role not held":             {http.MethodPut, path, sess.ID, map[string]any{"permission": notHeld}, 403},
		"no permission":             {http.MethodPut, path, sess.ID, map[string]any{}, 422},
		"function not in value set": {http.MethodPut, path, sess.ID, map[string]any{"permission": Permission{BusinessFunction: "X", OrgIdentifier: "R01"}}, 422},
		"no session key header":     {http.MethodDelete, path, "", nil, 403},
		"key differs from path":     {http.MethodDelete, path, "pro-xapi-session_other", nil, 403},
		"unknown key":               {http.MethodDelete, base + "/pro-xapi-session_x", "pro-xapi-session_x", nil, 404},
		"unsupported method":        {http.MethodPatch, path, sess.ID, nil, 405},
	} {
		t.Run(name, func(t *testing.T) {
			w := call(s, tc.method, tc.path, tc.key, tc.body)
			assert.Equal(t, tc.want, w.Code, w.Body.String())
			if tc.want == http.StatusUnprocessableEntity {
				assert.Contains(t, w.Body.String(), `"resourceType":"OperationOutcome"`)
			}
		})
	}
}

func TestMissingASIDIsRefused(t *testing.T) {
	s := newServer(t)
	r := httptest.NewRequest(http.MethodPost, base, bytes.NewReader([]byte(`{"token":"`+fixtureToken(t)+`"}`)))
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	assert.Equal(t, http.StatusForbidden, w.Code)
}

// TestConcurrentSessions exercises the store from many goroutines; run with -race.
func TestConcurrentSessions(t *testing.T) {
	s := newServer(t)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sess := create(t, s)
			p := sess.User.Permissions[i%len(sess.User.Permissions)]
			path := base + "/" + sess.ID
			assert.Equal(t, http.StatusOK, call(s, http.MethodPut, path, sess.ID, map[string]any{"permission": p}).Code)
			assert.Equal(t, http.StatusNoContent, call(s, http.MethodDelete, path, sess.ID, nil).Code)
		}()
	}
	wg.Wait()
}

func TestParseMutants(t *testing.T) {
	ms, err := ParseMutants(" ers-body-on-204, ers-create-answers-200 ,")
	require.NoError(t, err)
	assert.Equal(t, []Mutant{ErsBodyOn204, ErsCreateAnswers200}, ms)
	_, err = ParseMutants("no-such-mutant")
	assert.ErrorContains(t, err, `unknown mutant "no-such-mutant"`)
}

func TestSessionKeysAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		k := newSessionKey()
		require.False(t, seen[k], fmt.Sprint("duplicate ", k))
		seen[k] = true
	}
}

// A closed server is not held by the context it was started with: the
// mutation check starts 300 of them under the command line's context.
func TestAClosedServerIsNotHeldByItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := Start(ctx, "127.0.0.1:0", Options{})
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.NoError(t, r.Wait())
	held := weak.Make(r)
	r = nil
	for range 5 {
		runtime.GC()
	}
	assert.Nil(t, held.Value(), "the context no longer holds the closed server")
}
