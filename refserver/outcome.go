package refserver

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// problem is a refusal: its status, the OperationOutcome issue to send, and
// any header the refusal needs.
type problem struct {
	rule        string // the id of the rule refused (firstBroken sets it)
	status      int
	code        string // the issue code
	severity    string // the issue severity; "" is error
	diagnostics string
	detail      *coding // the HPI's newer coded form, where the docs give a code
	header      http.Header
}

// answer is what an operation sends back; a shape mutant may change it first.
type answer struct {
	status int
	header http.Header
	body   any // encoded as JSON; a *problem as the API's OperationOutcome; nil: no body
}

func (p *problem) answer() answer {
	return answer{status: p.status, header: p.header, body: p}
}

// send writes the answer, rendering a problem body as the API does.
func (an answer) send(w http.ResponseWriter, render func(*problem) outcome) {
	for k, v := range an.header {
		w.Header()[k] = v
	}
	body := an.body
	if p, ok := body.(*problem); ok {
		body = render(p)
	}
	switch {
	case body == nil:
		w.WriteHeader(an.status)
	case an.status == http.StatusNoContent:
		writeRaw204WithBody(w, body) // net/http drops a 204 body; only a shape mutant sends one
	default:
		writeJSON(w, an.status, body)
	}
}

// outcome is a FHIR OperationOutcome with one issue.
type outcome struct {
	ResourceType string         `json:"resourceType"`
	Meta         *outcomeMeta   `json:"meta,omitempty"`
	Issue        []outcomeIssue `json:"issue"`
}

type outcomeMeta struct {
	Profile []string `json:"profile"`
}

// outcomeIssue carries its message as diagnostics text, or (the HPI's newer
// format) as a coded detail.
type outcomeIssue struct {
	Severity    string          `json:"severity"`
	Code        string          `json:"code"`
	Diagnostics string          `json:"diagnostics,omitempty"`
	Details     *outcomeDetails `json:"details,omitempty"`
}

type outcomeDetails struct {
	Coding []coding `json:"coding"`
}

type coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

// writeJSON answers with status and v encoded as JSON, declared
// application/json unless the answer already declares its type.
func writeJSON(w http.ResponseWriter, status int, v any) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeRaw204WithBody breaks HTTP on purpose: it hijacks the connection to
// send what net/http refuses to, a 204 with a body.
func writeRaw204WithBody(w http.ResponseWriter, v any) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	defer conn.Close()
	body, _ := json.Marshal(v)
	fmt.Fprintf(buf, "HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	_ = buf.Flush()
}
