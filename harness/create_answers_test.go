package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// through serves a reference server taking the choices given, each
// answer passed through rewrite (which may change it, or give another),
// and records every request's method and path.
func through(t *testing.T, choices string, rewrite func(*http.Request, *httptest.ResponseRecorder) *httptest.ResponseRecorder) (string, func() []string) {
	t.Helper()
	chosen, err := refserver.ParseChoices(choices)
	require.NoError(t, err)
	ref, err := refserver.New(refserver.Options{Choices: chosen})
	require.NoError(t, err)
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		rec := httptest.NewRecorder()
		ref.ServeHTTP(rec, r)
		rec = rewrite(r, rec)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length") // the body may have changed
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// created says whether the answer is a successful create of a role.
func created(r *http.Request, rec *httptest.ResponseRecorder) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/PractitionerRole") && rec.Code == http.StatusCreated
}

// createAnswered serves the reference server, with each successful create
// answered as reshape says, and records every request path.
func createAnswered(t *testing.T, reshape func(w http.ResponseWriter, id string)) (string, func() []string) {
	return through(t, "", func(r *http.Request, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
		var body struct{ ID string }
		if !created(r, rec) || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
			return rec
		}
		// What every answer carries (general-request-rules.md, Response
		// Headers) stays: only the create's own answer is reshaped.
		out := httptest.NewRecorder()
		for _, h := range []string{"X-Correlation-Id", "X-Request-Id"} {
			out.Header().Set(h, rec.Header().Get(h))
		}
		reshape(out, body.ID)
		return out
	})
}

// A create answered 204 with Content-Location (as the HPI gateway's OpenAPI
// declares): the create scenarios fail on their status; every other
// scenario runs on the id it names.
func TestACreateAnswered204WithContentLocation(t *testing.T) {
	url, _ := createAnswered(t, func(w http.ResponseWriter, id string) {
		w.Header().Set("Content-Location", "/fhir/PractitionerRole/"+id+"/_history/1")
		w.WriteHeader(http.StatusNoContent)
	})
	res, err := Execute(context.Background(), Config{Target: url, Tags: "@hpi", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	var failed []string
	for _, s := range res.Failed() {
		failed = append(failed, s.Name)
		assert.Contains(t, s.Reason, "expected status 201 Created, got 204 No Content", s.Name)
	}
	assert.Subset(t, failed, []string{"A role with a practitioner and a facility is added", "A role with every attribute is added"})
	assert.Empty(t, res.With(suite.NotJudged))
}

// A create that names no id: the scenarios that need the role are not
// judged, saying so at the create step, and no request goes to an empty id.
func TestACreateNamingNoIDIsNotJudged(t *testing.T) {
	url, paths := createAnswered(t, func(w http.ResponseWriter, _ string) {
		w.WriteHeader(http.StatusCreated)
	})
	res, err := Execute(context.Background(), Config{Target: url, Tags: "@hpi", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	assert.Equal(t, ExitFailed, res.Code)
	for _, s := range res.Failed() {
		assert.Contains(t, s.Reason, "names no hpi-practitionerrole-id", s.Name)
	}
	unjudged := res.With(suite.NotJudged)
	require.NotEmpty(t, unjudged)
	for _, s := range unjudged {
		assert.Contains(t, s.Reason, `Given step "the system has created`, s.Name)
		assert.Contains(t, s.Reason, "answered 201 Created but named no id", s.Name)
	}
	for _, p := range paths() {
		assert.False(t, strings.HasSuffix(p, "/PractitionerRole/"), "a request went to an empty id: %s", p)
	}
}

// recorded serves a reference server taking the choices given, answering
// each successful create through reshape (its headers and body), and counts
// the reads (GET of one role).
func recorded(t *testing.T, choices string, reshape func(http.Header, []byte) []byte) (string, func() int) {
	url, seen := through(t, choices, func(r *http.Request, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
		if created(r, rec) {
			rec.Body = bytes.NewBuffer(reshape(rec.Header(), rec.Body.Bytes()))
		}
		return rec
	})
	return url, func() int {
		reads := 0
		for _, s := range seen() {
			if strings.HasPrefix(s, "GET ") && strings.Contains(s, "/PractitionerRole/") {
				reads++
			}
		}
		return reads
	}
}

func asIs(_ http.Header, body []byte) []byte { return body }

func withoutETag(h http.Header, body []byte) []byte {
	h.Del("ETag")
	return body
}

// A create answer that names the version in an ETag spares the read that
// "the system has read the role's current version" would send; without
// the ETag, the role is read. Both runs pass.
func TestTheCreateAnswersETagSparesARead(t *testing.T) {
	run := func(reshape func(http.Header, []byte) []byte) int {
		url, reads := recorded(t, "", reshape)
		res, err := Execute(context.Background(), Config{Target: url, Tags: "@rule:HPI-UPD-current-version", Format: "progress", Stdout: &strings.Builder{}})
		require.NoError(t, err)
		require.Equal(t, ExitPassed, res.Code, "%v", res.Failed())
		return reads()
	}
	withETag, without := run(asIs), run(withoutETag)
	assert.Less(t, withETag, without, "the ETag spares a read")
	t.Logf("reads: %d with the create answer's ETag, %d without", withETag, without)
}

// A create answer may leave out what the server keeps: here the creator
// extension a conforming server adds (the hpi-adds-creator choice), which
// its reads show and its updates may not drop. An update built from that
// answer is refused; the harness then reads the role and updates from the
// read, so the conforming server passes, as it does when its create answers
// give no ETag and the role is read first.
func TestACreateAnswerLeavingOutWhatAReadShowsMovesNoVerdict(t *testing.T) {
	withoutCreator := func(h http.Header, body []byte) []byte {
		var role map[string]any
		require.NoError(t, json.Unmarshal(body, &role))
		require.Contains(t, role, "extension", "the choice adds the creator")
		delete(role, "extension")
		out, err := json.Marshal(role)
		require.NoError(t, err)
		return out
	}
	for name, reshape := range map[string]func(http.Header, []byte) []byte{
		"with an ETag":    withoutCreator,
		"without an ETag": func(h http.Header, b []byte) []byte { return withoutETag(h, withoutCreator(h, b)) },
	} {
		url, _ := recorded(t, "hpi-adds-creator", reshape)
		res, err := Execute(context.Background(), Config{Target: url, Tags: "@rule:HPI-UPD-end-date,@rule:HPI-UPD-contact-points",
			Format: "progress", Stdout: &strings.Builder{}})
		require.NoError(t, err)
		assert.Equal(t, ExitPassed, res.Code, "%s: %v", name, res.Failed())
	}
}

// A create answer whose ETag names a version the role does not read as
// breaks one rule (HPI-ADD-version-named); every other scenario is judged
// as before: reads and updates refused on purpose are neither failed nor
// left unjudged for it.
func TestACreateAnswerNamingAnotherVersionBreaksOneRule(t *testing.T) {
	url, _ := recorded(t, "", func(h http.Header, body []byte) []byte {
		h.Set("ETag", `W/"7"`)
		return body
	})
	res, err := Execute(context.Background(), Config{Target: url, Tags: "@hpi", Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	require.NotEmpty(t, res.Failed())
	for _, s := range res.Failed() {
		assert.Contains(t, s.Tags, "@rule:HPI-ADD-version-named", "%s: %s", s.Title(), s.Reason)
	}
	assert.Empty(t, res.With(suite.NotJudged))
}

// A target that applies an update and answers it 500 breaks the update
// rules whether or not the harness took the role from the create answer:
// the shortcut never sends the update again to give the target a second try.
func TestAnUpdateAppliedAndRefusedIsJudgedAsItCame(t *testing.T) {
	outcomes := func(withETag bool) map[string]suite.Outcome {
		url, _ := through(t, "", func(r *http.Request, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
			if r.Method == http.MethodPost && !withETag {
				rec.Header().Del("ETag")
			}
			if r.Method == http.MethodPut && rec.Code == http.StatusOK { // applied, and answered as if it failed
				rec.Code, rec.Body = http.StatusInternalServerError, new(bytes.Buffer)
			}
			return rec
		})
		res, err := Execute(context.Background(), Config{Target: url, Tags: "@rule:HPI-UPD-contact-points", Format: "progress", Stdout: &strings.Builder{}})
		require.NoError(t, err)
		out := map[string]suite.Outcome{}
		for _, s := range res.Scenarios {
			out[s.ID()] = s.Outcome
			if withETag {
				assert.Equal(t, suite.Failed, s.Outcome, "%s: %s", s.Title(), s.Reason)
				assert.Contains(t, s.Reason, "500", s.Title())
			}
		}
		return out
	}
	assert.Equal(t, outcomes(false), outcomes(true))
}
