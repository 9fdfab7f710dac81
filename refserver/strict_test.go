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

// The reference server is an oracle: strict where the docs are.
func TestTheReferenceServerIsStrictWhereTheDocsAre(t *testing.T) {
	s, err := New(Options{})
	require.NoError(t, err)
	c := signIn(t, s)
	send := func(method, path, ifMatch, body string) int {
		r := httptest.NewRequest(method, HPIBase+path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+c.token)
		r.Header.Set("x-api-key", c.key)
		r.Header.Set("userid", "99ZZZS")
		r.Header.Set("Content-Type", "application/json")
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code
	}
	role := `{"resourceType":"PractitionerRole","practitioner":{"reference":"Practitioner/91ZZAA"},"location":[{"reference":"Location/FZZ999-B"}],"period":{"start":"2020-01-01"}}`
	assert.Equal(t, http.StatusBadRequest, send("POST", "/PractitionerRole", "", role+` {"and":"more"}`), "one JSON value per body")
	assert.Equal(t, http.StatusBadRequest, send("POST", "/PractitionerRole", "", role+"garbage"), "no trailing garbage")
	for _, period := range []string{`{"start":20200101}`, `{"start":["2020-01-01"]}`, `"2020-01-01"`, `{"end":true}`} {
		body := strings.Replace(role, `{"start":"2020-01-01"}`, period, 1)
		assert.Equal(t, http.StatusUnprocessableEntity, send("POST", "/PractitionerRole", "", body), "period %s", period)
	}

	existing := hpiNewRole(t, c)
	data, err := json.Marshal(existing)
	require.NoError(t, err)
	id, update := existing.id(), string(data)
	for _, form := range []string{"+1", "W/1", `"""1"""`, `W/"1`, "1.0", "-1", "0x1"} {
		assert.Equal(t, http.StatusBadRequest, send("PUT", "/PractitionerRole/"+id, form, update), "If-Match %s", form)
	}
	for _, form := range []string{"1", `"2"`, `W/"3"`} { // each a version in a documented form
		assert.Equal(t, http.StatusOK, send("PUT", "/PractitionerRole/"+id, form, update), "If-Match %s", form)
	}
}
