package refserver

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"net/http"
	"strings"
)

// ersChoices install the e-RS choices (choices.go says what each does).
// Order matters when several are chosen: the statuses change first, then
// ers-bare-refusals takes the bodies off what is not 422.
var ersChoices = []adoption[*ersAPI]{
	{ersMissingHeader400, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusBadRequest, "ERS-A001-asid-required", "ERS-A002-asid-required", "ERS-A003-asid-required",
			"ERS-A002-session-key-required", "ERS-A003-session-key-required"))
	}},
	{ersUnknownToken422, func(a *ersAPI) { a.onAnswers(restatus(http.StatusUnprocessableEntity, "ERS-A001-token-recognised")) }},
	{ersBodyRefusals400, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusBadRequest, "ERS-A001-body-valid", "ERS-A002-body-valid"))
	}},
	{ersBodyRefusals422, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusUnprocessableEntity, "ERS-A001-body-valid", "ERS-A002-body-valid"))
	}},
	{ersRoleNotHeld422, func(a *ersAPI) { a.onAnswers(restatus(http.StatusUnprocessableEntity, "ERS-A002-permission-held")) }},
	{ersUnknownFunction403, func(a *ersAPI) { a.onAnswers(restatus(http.StatusForbidden, "ERS-MODEL-business-function")) }},
	{ersUnknownKey403, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusForbidden, "ERS-A002-session-key-known", "ERS-A003-valid-session-required"))
	}},
	{ersClosedSession404, func(a *ersAPI) { a.onAnswers(restatus(http.StatusNotFound, "ERS-A003-key-invalid-after-delete")) }},
	{ersClosedSession403, func(a *ersAPI) { a.onAnswers(restatus(http.StatusForbidden, "ERS-A003-key-invalid-after-delete")) }},
	{ersSelectNewID, func(a *ersAPI) {
		a.hooks.selected.add(onSession(func(s *Session) { s.ID, s.Token = newSessionKey(), rand.Text() }))
	}},
	{ersNoTypeInfo, func(a *ersAPI) { a.onAnswers(onSession(func(s *Session) { s.TypeInfo = "" })) }},
	{ersUnissuedASID422, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusUnprocessableEntity, "ERS-A001-asid-issued", "ERS-A002-asid-issued", "ERS-A003-asid-issued"))
	}},
	{ersKeyMismatch400, func(a *ersAPI) {
		a.onAnswers(restatus(http.StatusBadRequest, "ERS-A002-session-key-matches-path", "ERS-A003-session-key-matches-path"))
	}},
	{ersDeleteNeedsRole, func(a *ersAPI) {
		a.hooks.closing.add(func(cl *closing) {
			if cl.session != nil && cl.session.session.Permission == nil {
				cl.refusal = ersProblem(http.StatusForbidden, "forbidden", "no role has been selected for this session")
			}
		})
	}},
	{ersGzipAnswers, func(a *ersAPI) {
		a.hooks.mounting.add(func(rt *ersRoute) { rt.handler = gzipped(rt.handler) })
	}},
	{ersBareRefusals, func(a *ersAPI) {
		a.onAnswers(func(an *answer) {
			if _, refused := an.body.(*problem); refused && an.status != http.StatusUnprocessableEntity {
				an.body = nil
			}
		})
	}},
}

// gzipped compresses an answer with a body when the request accepts gzip.
func gzipped(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h(w, r)
			return
		}
		rec := &recorded{header: http.Header{}, status: http.StatusOK}
		h(rec, r)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		if rec.body.Len() == 0 {
			w.WriteHeader(rec.status)
			return
		}
		w.Header().Del("Content-Length")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		w.WriteHeader(rec.status)
		zw := gzip.NewWriter(w)
		_, _ = zw.Write(rec.body.Bytes())
		_ = zw.Close()
	}
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// recorded keeps an answer so that it can be sent compressed.
type recorded struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorded) Header() http.Header         { return r.header }
func (r *recorded) WriteHeader(status int)      { r.status = status }
func (r *recorded) Write(p []byte) (int, error) { return r.body.Write(p) }

// onAnswers adds f to the answers of A001, A002 and A003.
func (a *ersAPI) onAnswers(f func(*answer)) {
	for _, h := range []*hook[*answer]{&a.hooks.created, &a.hooks.selected, &a.hooks.deleted} {
		h.add(f)
	}
}
