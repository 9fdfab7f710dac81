package steps

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/healthapi-conformance/conformance/httpkit/exchange"
)

// verdict says what a Then step made of an answer: passed, violated, or not judged.
func verdict(err error) string {
	switch {
	case err == nil:
		return "passed"
	case IsViolation(err):
		return "violated"
	}
	return "not judged"
}

// answered is a World whose last answer is this status, these headers and this body.
func answered(t *testing.T, status int, header http.Header, body string) World {
	w := referenceWorld(t)
	ex := &exchange.Exchange{Status: status, Header: header, Body: []byte(body)}
	w.last, w.answered = ex, []*exchange.Exchange{ex}
	return w
}

func TestAnswerDeclaredJSON(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, want string
	}{
		{"application/json", "application/json", `{}`, "passed"},
		{"FHIR's JSON type, with a charset", "application/fhir+json; charset=utf-8", `{}`, "passed"},
		{"upper case, as the page writes it", "Application/JSON", `{}`, "passed"},
		{"no body, no type", "", "", "passed"},
		{"text", "text/plain; charset=utf-8", `{}`, "violated"},
		{"FHIR XML", "application/fhir+xml", `<x/>`, "violated"},
		{"a body with no type", "", `{}`, "violated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.contentType != "" {
				h.Set("Content-Type", tc.contentType)
			}
			assert.Equal(t, tc.want, verdict(answered(t, 200, h, tc.body).answerDeclaredJSON()))
		})
	}
}

func TestRequestIDOwn(t *testing.T) {
	with := func(id string) *exchange.Exchange {
		h := http.Header{}
		if id != "" {
			h.Set("X-Request-Id", id)
		}
		return &exchange.Exchange{Status: 200, Header: h}
	}
	for _, tc := range []struct {
		name    string
		earlier []string
		last    string
		want    string
	}{
		{"a fresh id", []string{"a", "b"}, "c", "passed"},
		{"the only answer", nil, "a", "passed"},
		{"none", []string{"a"}, "", "violated"},
		{"an earlier answer's", []string{"a", "b"}, "a", "violated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := referenceWorld(t)
			for _, id := range tc.earlier {
				w.answered = append(w.answered, with(id))
			}
			w.last = with(tc.last)
			w.answered = append(w.answered, w.last)
			assert.Equal(t, tc.want, verdict(w.requestIDOwn()))
		})
	}
}

func TestOneOfficialIdentifier(t *testing.T) {
	const sys = `"system":"https://standards.digital.health.nz/ns/hpi-practitionerrole-id"`
	for _, tc := range []struct {
		name, body, want string
	}{
		{"one, the id", `{"resourceType":"PractitionerRole","id":"R1","identifier":[{"use":"official",` + sys + `,"value":"R1"}]}`, "passed"},
		{"one, and an old one", `{"resourceType":"PractitionerRole","id":"R1","identifier":[{"use":"official",` + sys + `,"value":"R1"},{"use":"old",` + sys + `,"value":"R0"}]}`, "passed"},
		{"one, not the id", `{"resourceType":"PractitionerRole","id":"R1","identifier":[{"use":"official",` + sys + `,"value":"R2"}]}`, "violated"},
		{"two of one system", `{"resourceType":"PractitionerRole","id":"R1","identifier":[{"use":"official",` + sys + `,"value":"R1"},{"use":"official",` + sys + `,"value":"R1-2"}]}`, "violated"},
		{"none", `{"resourceType":"PractitionerRole","id":"R1"}`, "violated"},
		{"no role in the answer", ``, "passed"},
		{"an OperationOutcome", `{"resourceType":"OperationOutcome","issue":[]}`, "passed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, verdict(answered(t, 200, http.Header{}, tc.body).oneOfficialIdentifier()))
		})
	}
}

func TestNoContained(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"references only", `{"resourceType":"PractitionerRole","practitioner":{"reference":"Practitioner/P1"}}`, "passed"},
		{"an empty list", `{"resourceType":"PractitionerRole","contained":[]}`, "passed"},
		{"a contained practitioner", `{"resourceType":"PractitionerRole","contained":[{"resourceType":"Practitioner","id":"P1"}]}`, "violated"},
		{"no role in the answer", ``, "passed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, verdict(answered(t, 200, http.Header{}, tc.body).noContained()))
		})
	}
}

func TestOutcomeInDocumentedFormat(t *testing.T) {
	const coded = `{"severity":"error","code":"processing","details":{"coding":[{"system":"https://standards.digital.health.nz/ns/hip-operation-outcome-details-code","code":"EM07106","display":"x"}]}}`
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"coded", 409, `{"resourceType":"OperationOutcome","issue":[` + coded + `]}`, "passed"},
		{"uncoded", 401, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"x"}]}`, "passed"},
		{"another code system", 409, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","details":{"coding":[{"system":"https://example.org","code":"E1"}]}}]}`, "violated"},
		{"no severity", 401, `{"resourceType":"OperationOutcome","issue":[{"code":"processing","diagnostics":"x"}]}`, "violated"},
		{"no message at all", 401, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing"}]}`, "violated"},
		{"not an OperationOutcome", 401, `{"error":"x"}`, "violated"},
		{"not refused", 200, `{"resourceType":"PractitionerRole"}`, "not judged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, verdict(answered(t, tc.status, http.Header{}, tc.body).outcomeInDocumentedFormat()))
		})
	}
}

func TestIssuesAre(t *testing.T) {
	w := answered(t, 409, http.Header{}, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"x"}]}`)
	assert.Equal(t, "passed", verdict(w.issuesAre("error", "processing")))
	assert.Equal(t, "violated", verdict(w.issuesAre("error", "conflict")))
	assert.Equal(t, "not judged", verdict(answered(t, 200, http.Header{}, `{}`).issuesAre("error", "processing")))
}

func TestServed(t *testing.T) {
	assert.Equal(t, "passed", verdict(answered(t, 201, http.Header{}, "").served()))
	assert.Equal(t, "violated", verdict(answered(t, 403, http.Header{}, "").served()))
	assert.Equal(t, "not judged", verdict(referenceWorld(t).served()))
}

func TestNoTokenGranted(t *testing.T) {
	w := referenceWorld(t)
	assert.Equal(t, "not judged", verdict(w.noTokenGranted()), "no token request was made")
	w.hpi.token = tokenAnswer{asked: true, granted: true}
	assert.Equal(t, "violated", verdict(w.noTokenGranted()))
	w.hpi.token = tokenAnswer{asked: true}
	assert.Equal(t, "passed", verdict(w.noTokenGranted()))
}
