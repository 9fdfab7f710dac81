package refserver

import (
	"encoding/json"
	"net/http"
)

// ersOutcomeProfile is the profile the e-RS later revisions name for 422 bodies.
const ersOutcomeProfile = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1"

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

// writeJSON answers with status and v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ersError answers an e-RS error. The docs promise an OperationOutcome only
// with 422; the other statuses carry one too, which the docs do not forbid.
func (s *Server) ersError(w http.ResponseWriter, status int, code, diagnostics string) {
	if status == http.StatusUnprocessableEntity && s.mutants[Ers422WithoutOutcome] {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, outcome{
		ResourceType: "OperationOutcome",
		Meta:         &outcomeMeta{Profile: []string{ersOutcomeProfile}},
		Issue:        []outcomeIssue{{Severity: "error", Code: code, Diagnostics: diagnostics}},
	})
}
