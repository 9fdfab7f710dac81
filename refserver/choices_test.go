package refserver

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each choice is listed once, says what it does with the page line that
// allows it, and is installed by exactly one API.
func TestEveryChoiceIsListedOnceCitedAndInstalled(t *testing.T) {
	installs := map[Choice]int{}
	for _, a := range ersChoices {
		installs[a.name]++
	}
	for _, a := range hpiChoices {
		installs[a.name]++
	}
	for _, a := range hpiPromiseChoices {
		installs[a.name]++
	}
	cited := regexp.MustCompile(`\.(md|fsh|json):\d+`)
	seen := map[Choice]bool{}
	for _, c := range choiceTable {
		assert.False(t, seen[c.name], "%s is listed twice", c.name)
		seen[c.name] = true
		assert.Regexp(t, cited, c.says, "%s cites no page line", c.name)
		assert.Equal(t, 1, installs[c.name], "%s should be installed once", c.name)
		assert.False(t, known(Mutant(c.name)), "%s is a mutant's name too", c.name)
	}
	assert.Len(t, installs, len(choiceTable), "an install names a choice the table does not list")
}

func TestParseChoices(t *testing.T) {
	cs, err := ParseChoices(" hpi-etag-strong, ers-no-typeinfo ,")
	require.NoError(t, err)
	assert.Equal(t, []Choice{hpiETagStrong, ersNoTypeInfo}, cs)
	_, err = ParseChoices("no-such-choice")
	assert.ErrorContains(t, err, `unknown choice "no-such-choice"`)
	_, err = New(Options{Choices: []Choice{"no-such-choice"}})
	assert.Error(t, err)
}

// Each choice changes what the server answers, as it says: a probe sees
// one thing from the default server and another from the chosen one.
func TestEveryChoiceTakesEffect(t *testing.T) {
	cases := []struct {
		choice        Choice
		probe         func(*testing.T, *Server) string
		before, after string
	}{
		{ersMissingHeader400, ersWithoutASID, "403", "400"},
		{ersUnknownToken422, ersStatus(http.MethodPost, map[string]string{"token": "nope"}), "403", "422"},
		{ersBodyRefusals400, ersStatus(http.MethodPost, map[string]string{}), "422", "400"},
		{ersBodyRefusals422, ersStatus(http.MethodPost, "token=x"), "400", "422"},
		{ersRoleNotHeld422, ersStatus(http.MethodPut, map[string]any{"permission": Permission{BusinessFunction: "BOOKING_MANAGER", OrgIdentifier: "R01"}}), "403", "422"},
		{ersUnknownFunction403, ersStatus(http.MethodPut, map[string]any{"permission": Permission{BusinessFunction: "X", OrgIdentifier: "R01"}}), "422", "403"},
		{ersUnknownKey403, ersUnknownKey, "404", "403"},
		{ersClosedSession404, ersClosedTwice(false), "410", "404"},
		{ersClosedSession403, ersClosedTwice(false), "410", "403"},
		{ersSelectNewID, ersSelectKeepsID, "same id", "new id"},
		{ersNoTypeInfo, ersTypeInfo, "typeInfo", "none"},
		{ersBareRefusals, ersClosedTwice(true), "OperationOutcome", ""},
		{ersUnissuedASID422, ersUnissuedASID, "403", "422"},
		{ersKeyMismatch400, ersKeyMismatch, "403", "400"},
		{ersDeleteNeedsRole, ersCloseWithoutRole, "204", "403"},
		{ersGzipAnswers, ersEncoding, "", "gzip"},

		{hpiFHIRJSONAnswers, hpiReadSeed("content type"), "application/json", "application/fhir+json; charset=utf-8"},
		{hpiUnsupportedMedia400, hpiDeclaredXML, "415", "400"},

		{hpiStaleVersion412, hpiStale("status"), "409", "412"},
		{hpiIfMatchMissing400, hpiUpdate("", nil, "status"), "428", "400"},
		{hpiWriteScope401, hpiReadOnlyUpdate, "403", "401"},
		{hpiUnknownID422, hpiUnknownIDUpdate, "404", "422"},
		{hpiIDMismatch422, hpiOtherIDInBody, "400", "422"},
		{hpiOwnedElementsIgnored, hpiUpdate("1", func(r resource) { r["language"] = "mi" }, "status"), "422", "200"},
		{hpiProfileBreachesDropped, hpiCreatedWith(func(r resource) { r["specialty"] = []any{map[string]any{"text": "GP"}} }, "status"), "422", "201"},
		{hpiInvalidIDPublished, hpiReadUnknown("diagnostics"), "Invalid id: R99999999-Z", "Invalid id: "},
		{hpiAddPageErrors400, hpiUpdate("1", func(r resource) { r["telecom"] = []any{map[string]any{"system": "email", "value": "x"}} }, "status code"), "422 processing", "400 invalid"},
		{hpiReasonAddSpelling, hpiUpdate("1", func(r resource) { r["period"] = map[string]any{"start": "2020-01-01", "end": "2030-01-01"} }, "diagnostics"), msgReasonOnUpdate, msgReasonOnAdd},
		{hpiBareAuthRefusals, hpiWithoutToken, "OperationOutcome", ""},
		{hpiCreateLocationOnly, hpiCreated("body location"), "body location", "location"},
		{hpiCreateBodyOnly, hpiCreated("body location"), "body location", "body"},
		{hpiUpdateWithoutBody, hpiUpdate("1", nil, "body location"), "body", ""},
		{hpiETagStrong, hpiReadSeed("etag"), `W/"0"`, `"0"`},
		{hpiReferenceDisplay, hpiReadSeed("practitioner"), `{"reference":"Practitioner/90ZZLP"}`, `{"display":"Practitioner 90ZZLP","reference":"Practitioner/90ZZLP"}`},
		{hpiNarrative, hpiReadSeed("text"), "null", `{"div":"\u003cdiv xmlns=\"http://www.w3.org/1999/xhtml\"\u003ePractitionerRole R00000012-G of 90ZZLP; email info@info.com; phone 1324654769\u003c/div\u003e","status":"generated"}`},
		{hpiCreator, hpiCreated("creator"), "", "creator"},
		{hpiOutcomeUncoded, hpiStale("body"), `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","details":{"coding":[{"system":"` + outcomeCodeSystem + `","code":"EM07106","display":"Record version provided is out of date. The record cannot be updated"}]}}]}`,
			`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"Record version provided is out of date. The record cannot be updated"}]}`},
		{hpiOutcomeCoded, hpiReadUnknown("coding"), "", codeOf("Invalid id: R99999999-Z") + " Invalid id: R99999999-Z"},
	}
	tested := map[Choice]bool{}
	for _, tc := range cases {
		tested[tc.choice] = true
		t.Run(string(tc.choice), func(t *testing.T) {
			assert.Equal(t, tc.before, tc.probe(t, newServer(t)), "without the choice")
			chosen, err := New(Options{Choices: []Choice{tc.choice}})
			require.NoError(t, err)
			assert.Equal(t, tc.after, tc.probe(t, chosen), "with the choice")
		})
	}
	for _, c := range choiceTable {
		assert.True(t, tested[c.name], "%s has no probe", c.name)
	}
}

// The e-RS probes.

func ersWithoutASID(t *testing.T, s *Server) string {
	r := httptest.NewRequest(http.MethodPost, base, strings.NewReader(`{"token":"`+fixtureToken(t)+`"}`))
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return strconv.Itoa(w.Code)
}

// ersStatus sends the body as A001 (POST) or as A002 (PUT) on a new session.
func ersStatus(method string, body any) func(*testing.T, *Server) string {
	return func(t *testing.T, s *Server) string {
		path, key := base, ""
		if method == http.MethodPut {
			key = create(t, s).ID
			path += "/" + key
		}
		return strconv.Itoa(call(s, method, path, key, body).Code)
	}
}

func ersUnknownKey(_ *testing.T, s *Server) string {
	return strconv.Itoa(call(s, http.MethodDelete, base+"/pro-xapi-session_x", "pro-xapi-session_x", nil).Code)
}

// ersClosedTwice closes a session twice and says the second answer's status, or its body.
func ersClosedTwice(body bool) func(*testing.T, *Server) string {
	return func(t *testing.T, s *Server) string {
		key := create(t, s).ID
		require.Equal(t, http.StatusNoContent, call(s, http.MethodDelete, base+"/"+key, key, nil).Code)
		w := call(s, http.MethodDelete, base+"/"+key, key, nil)
		if body {
			return regexp.MustCompile(`OperationOutcome`).FindString(w.Body.String())
		}
		return strconv.Itoa(w.Code)
	}
}

func ersSelectKeepsID(t *testing.T, s *Server) string {
	sess := create(t, s)
	w := call(s, http.MethodPut, base+"/"+sess.ID, sess.ID, map[string]any{"permission": sess.User.Permissions[0]})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var selected Session
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &selected))
	require.Equal(t, http.StatusNoContent, call(s, http.MethodDelete, base+"/"+sess.ID, sess.ID, nil).Code, "the A001 key still names the session")
	if selected.ID == sess.ID {
		return "same id"
	}
	return "new id"
}

func ersTypeInfo(t *testing.T, s *Server) string {
	w := call(s, http.MethodPost, base, "", map[string]string{"token": fixtureToken(t)})
	if strings.Contains(w.Body.String(), `"typeInfo"`) {
		return "typeInfo"
	}
	return "none"
}

func ersUnissuedASID(t *testing.T, s *Server) string {
	r := httptest.NewRequest(http.MethodPost, base, strings.NewReader(`{"token":"`+fixtureToken(t)+`"}`))
	r.Header.Set("XAPI_ASID", "000000000000")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return strconv.Itoa(w.Code)
}

func ersKeyMismatch(t *testing.T, s *Server) string {
	one, other := create(t, s), create(t, s)
	return strconv.Itoa(call(s, http.MethodDelete, base+"/"+one.ID, other.ID, nil).Code)
}

func ersCloseWithoutRole(t *testing.T, s *Server) string {
	key := create(t, s).ID
	return strconv.Itoa(call(s, http.MethodDelete, base+"/"+key, key, nil).Code)
}

func ersEncoding(t *testing.T, s *Server) string {
	r := httptest.NewRequest(http.MethodPost, base, strings.NewReader(`{"token":"`+fixtureToken(t)+`"}`))
	r.Header.Set("XAPI_ASID", "200000000220")
	r.Header.Set("Accept-Encoding", "gzip, deflate")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(w.Body)
		require.NoError(t, err)
		var sess Session
		require.NoError(t, json.NewDecoder(zr).Decode(&sess), "the compressed answer is the session")
		require.Equal(t, http.StatusCreated, w.Code)
	}
	return w.Header().Get("Content-Encoding")
}

// The HPI probes.

// hpiNewRole adds a role and returns it as answered (read back, when the answer has no body).
func hpiNewRole(t *testing.T, c hpiClient) resource {
	w := c.do(http.MethodPost, "/PractitionerRole", "", newRoleBody("91ZZAA"))
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	id := strings.Split(w.Header().Get("Location"), "/")
	var role resource
	if w.Body.Len() == 0 {
		w = c.do(http.MethodGet, "/PractitionerRole/"+id[len(id)-3], "", nil)
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &role))
	return role
}

// hpiUpdate sends a new role back, edited, with If-Match, and says what "what" names of the answer.
func hpiUpdate(ifMatch string, edit func(resource), what string) func(*testing.T, *Server) string {
	return func(t *testing.T, s *Server) string {
		c := signIn(t, s)
		role := hpiNewRole(t, c)
		if edit != nil {
			edit(role)
		}
		return observe(c.do(http.MethodPut, "/PractitionerRole/"+role.id(), ifMatch, role), what)
	}
}

func hpiStale(what string) func(*testing.T, *Server) string {
	return hpiUpdate("0", nil, what)
}

func hpiReadOnlyUpdate(t *testing.T, s *Server) string {
	c := signIn(t, s)
	role := hpiNewRole(t, c)
	c.token = scopedToken(t, s, scopeBase+"pracrole:read")
	return observe(c.do(http.MethodPut, "/PractitionerRole/"+role.id(), "1", role), "status")
}

// hpiDeclaredXML adds a role whose JSON body is declared as FHIR XML.
func hpiDeclaredXML(t *testing.T, s *Server) string {
	c := signIn(t, s)
	data, _ := json.Marshal(newRoleBody("91ZZAA"))
	r := httptest.NewRequest(http.MethodPost, HPIBase+"/PractitionerRole", strings.NewReader(string(data)))
	r.Header.Set("Authorization", "Bearer "+c.token)
	r.Header.Set("x-api-key", c.key)
	r.Header.Set("userid", "99ZZZS")
	r.Header.Set("Content-Type", "application/fhir+xml")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return strconv.Itoa(w.Code)
}

func hpiOtherIDInBody(t *testing.T, s *Server) string {
	c := signIn(t, s)
	role := hpiNewRole(t, c)
	url := "/PractitionerRole/" + role.id()
	role["id"] = "R99999999-Z"
	return observe(c.do(http.MethodPut, url, "1", role), "status")
}

func hpiUnknownIDUpdate(t *testing.T, s *Server) string {
	body := newRoleBody("91ZZAA")
	body["id"] = "R99999999-Z"
	return observe(signIn(t, s).do(http.MethodPut, "/PractitionerRole/R99999999-Z", "1", body), "status")
}

func hpiReadUnknown(what string) func(*testing.T, *Server) string {
	return func(t *testing.T, s *Server) string {
		return observe(signIn(t, s).do(http.MethodGet, "/PractitionerRole/R99999999-Z", "", nil), what)
	}
}

func hpiReadSeed(what string) func(*testing.T, *Server) string {
	return func(t *testing.T, s *Server) string {
		return observe(signIn(t, s).do(http.MethodGet, "/PractitionerRole/R00000012-G", "", nil), what)
	}
}

func hpiWithoutToken(t *testing.T, s *Server) string {
	c := signIn(t, s)
	c.token = ""
	return regexp.MustCompile(`OperationOutcome`).FindString(c.do(http.MethodGet, "/PractitionerRole/R00000012-G", "", nil).Body.String())
}

func hpiCreated(what string) func(*testing.T, *Server) string {
	return func(t *testing.T, s *Server) string {
		return observe(signIn(t, s).do(http.MethodPost, "/PractitionerRole", "", newRoleBody("91ZZAA")), what)
	}
}

// hpiCreatedWith adds a role, edited, and says what "what" names of the answer.
func hpiCreatedWith(edit func(resource), what string) func(*testing.T, *Server) string {
	return func(t *testing.T, s *Server) string {
		body := newRoleBody("91ZZAA")
		edit(body)
		return observe(signIn(t, s).do(http.MethodPost, "/PractitionerRole", "", body), what)
	}
}

// observe says one thing about an HPI answer.
func observe(w *httptest.ResponseRecorder, what string) string {
	var body struct {
		resource
		Issue []struct {
			Code, Diagnostics string
			Details           struct{ Coding []coding }
		}
	}
	_ = json.Unmarshal(w.Body.Bytes(), &body.resource)
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	var first struct {
		code, diagnostics, coding string
	}
	if len(body.Issue) > 0 {
		is := body.Issue[0]
		first.code, first.diagnostics = is.Code, is.Diagnostics
		if len(is.Details.Coding) > 0 {
			first.coding = is.Details.Coding[0].Code + " " + is.Details.Coding[0].Display
		}
	}
	switch what {
	case "status":
		return strconv.Itoa(w.Code)
	case "status code":
		return fmt.Sprintf("%d %s", w.Code, first.code)
	case "diagnostics":
		return first.diagnostics
	case "coding":
		return first.coding
	case "body":
		return strings.TrimSpace(w.Body.String())
	case "etag":
		return w.Header().Get("ETag")
	case "content type":
		return w.Header().Get("Content-Type")
	case "body location":
		var parts []string
		if w.Body.Len() > 0 {
			parts = append(parts, "body")
		}
		if w.Header().Get("Location") != "" {
			parts = append(parts, "location")
		}
		return strings.Join(parts, " ")
	case "creator":
		if _, has := body.resource.extension(extCreator); has {
			return "creator"
		}
		return ""
	}
	data, _ := json.Marshal(body.resource[what])
	return string(data)
}

// scopedToken is an access token for the fixture client granted only scope.
func scopedToken(t *testing.T, s *Server, scope string) string {
	return accessToken(t, requestToken(t, s, url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}))
}
