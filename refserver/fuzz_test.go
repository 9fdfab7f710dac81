package refserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRoutes sends arbitrary methods, paths, headers and bodies to every
// route, signed in or not: the reference server, an oracle, must answer
// each with a 2xx or 4xx, never a 5xx or a panic.
func FuzzRoutes(f *testing.F) {
	role := `{"resourceType":"PractitionerRole","practitioner":{"reference":"Practitioner/91ZZAA"},"location":[{"reference":"Location/FZZ999-B"}],"period":{"start":"2020-01-01"}}`
	for _, seed := range []struct {
		method, path, ifMatch, body string
		signed                      bool
	}{
		{"POST", HPIBase + "/PractitionerRole", "", role, true},
		{"POST", HPIBase + "/PractitionerRole", "", role + "garbage", true},
		{"PUT", HPIBase + "/PractitionerRole/R00000001-A", `W/"1"`, role, true},
		{"PUT", HPIBase + "/PractitionerRole/R00000001-A", `"""1"""`, `{"period":{"start":[1]}}`, true},
		{"GET", HPIBase + "/PractitionerRole/R00000001-A", "", "", false},
		{"POST", TokenPath, "", "grant_type=client_credentials", false},
		{"POST", "/ers-api/v1/ProfessionalSession", "", `{"typeInfo":"uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession","token":"x"}`, false},
		{"PUT", "/ers-api/v1/ProfessionalSession/abc", "", `{"permission":{}}`, false},
		{"DELETE", "/ers-api/v1/ProfessionalSession/%2F", "", "", false},
	} {
		f.Add(seed.method, seed.path, seed.ifMatch, seed.body, seed.signed)
	}
	s, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	c := signIn(&testing.T{}, s)
	f.Fuzz(func(t *testing.T, method, path, ifMatch, body string, signed bool) {
		r, err := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
		if err != nil || !strings.HasPrefix(r.URL.Path, "/") {
			return // not a request a client could send
		}
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("XAPI_ASID", "200000000115")
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
		}
		if signed {
			r.Header.Set("Authorization", "Bearer "+c.token)
			r.Header.Set("x-api-key", c.key)
			r.Header.Set("userid", "99ZZZS")
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s answered %d: %s", method, path, w.Code, w.Body.String())
		}
	})
}
