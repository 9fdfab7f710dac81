package refserver

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stores are bounded, and a request beyond a bound gets a clear answer.
func TestTheStoresAreBoundedWithAClearAnswer(t *testing.T) {
	defer func(r, k, n int) { maxRoles, maxTokens, maxSessions = r, k, n }(maxRoles, maxTokens, maxSessions)
	s, err := New(Options{})
	require.NoError(t, err)
	c := signIn(t, s)

	seed, err := FixtureHPISeed()
	require.NoError(t, err)
	maxRoles = len(seed.Roles) + 1
	w := c.do(http.MethodPost, "/PractitionerRole", "", newRoleBody("91ZZAA"))
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	w = c.do(http.MethodPost, "/PractitionerRole", "", newRoleBody("91ZZAB"))
	assert.Equal(t, http.StatusInsufficientStorage, w.Code)
	assert.Contains(t, w.Body.String(), "maximum of")

	maxTokens = 1
	w = requestToken(t, s, url.Values{"grant_type": {"client_credentials"}})
	assert.Equal(t, http.StatusServiceUnavailable, w.Code, "a second token is refused")
	assert.Contains(t, w.Body.String(), "temporarily_unavailable")
	w = c.do(http.MethodGet, "/PractitionerRole/R99999999-Z", "", nil)
	assert.Equal(t, http.StatusNotFound, w.Code, "the token issued still works")

	maxSessions = 2
	one, other := create(t, s), create(t, s)
	w = call(s, http.MethodPost, base, "", map[string]string{"token": fixtureToken(t)})
	assert.Equal(t, http.StatusServiceUnavailable, w.Code, "a third open session is refused")
	assert.Contains(t, w.Body.String(), "maximum of 2 open sessions")
	require.Equal(t, http.StatusNoContent, call(s, http.MethodDelete, base+"/"+one.ID, one.ID, nil).Code)
	create(t, s) // the closed session is forgotten to make room
	assert.Equal(t, http.StatusNoContent, call(s, http.MethodDelete, base+"/"+other.ID, other.ID, nil).Code, "the open one is kept")
}
