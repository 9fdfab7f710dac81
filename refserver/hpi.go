package refserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Where the HPI endpoints live on the reference server.
const (
	HPIBase   = "/fhir"
	TokenPath = "/oauth2/token"
)

func (s *Server) routeHPI(mux *http.ServeMux) {
	mux.HandleFunc("POST "+TokenPath, s.issueToken)
	fhir := http.NewServeMux()
	fhir.Handle("GET "+HPIBase+"/PractitionerRole/{id}", s.hpiGuard("read", s.readRole))
	fhir.Handle("POST "+HPIBase+"/PractitionerRole", s.hpiGuard("create", s.createRole))
	fhir.Handle("PUT "+HPIBase+"/PractitionerRole/{id}", s.hpiGuard("update", s.updateRole))
	mux.Handle(HPIBase+"/", s.correlate(fhir))
}

// unprocessable is the documented shape of every rule failure:
// "HTTP 422, Unprocessable, Error, Processing".
func unprocessable(msg string) *problem {
	return &problem{status: http.StatusUnprocessableEntity, diagnostics: msg}
}

// The newer, coded error format of the general page names this outcome.
var staleVersion = &problem{
	status: http.StatusConflict,
	detail: &coding{
		System:  "https://standards.digital.health.nz/ns/hip-operation-outcome-details-code",
		Code:    "EM07106",
		Display: "Record version provided is out of date. The record cannot be updated",
	},
}

func (s *Server) refuse(w http.ResponseWriter, p *problem) {
	issue := outcomeIssue{Severity: "error", Code: "processing", Diagnostics: p.diagnostics}
	if p.detail != nil {
		issue.Details = &outcomeDetails{Coding: []coding{*p.detail}}
	}
	writeJSON(w, p.status, outcome{ResourceType: "OperationOutcome", Issue: []outcomeIssue{issue}})
}

// hpiDiagnostics answers with the older, uncoded error format.
func hpiDiagnostics(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, outcome{
		ResourceType: "OperationOutcome",
		Issue:        []outcomeIssue{{Severity: "error", Code: code, Diagnostics: msg}},
	})
}

func (s *Server) readRole(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	role, version, ok := s.roles.get(id)
	if !ok {
		msg := "Invalid id: " + id
		if s.mutants[HpiInvalidIDWithoutMessage] {
			msg = "not found"
		}
		s.refuse(w, &problem{status: http.StatusNotFound, diagnostics: msg})
		return
	}
	if s.mutants[HpiReadWithoutOfficialID] {
		delete(role, "identifier")
	}
	s.writeRole(w, http.StatusOK, role, version)
}

func (s *Server) createRole(w http.ResponseWriter, r *http.Request) {
	role, p := decodeRole(w, r)
	if p == nil {
		role, p = s.roles.create(role, s.checkCreate)
	}
	if p != nil {
		s.refuse(w, p)
		return
	}
	id := role.id()
	w.Header().Set("Location", fmt.Sprintf("%s/PractitionerRole/%s/_history/1", HPIBase, id))
	status := http.StatusCreated
	if s.mutants[HpiCreateAnswers200] {
		status = http.StatusOK
	}
	s.writeRole(w, status, role, 1)
}

func (s *Server) updateRole(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	version, p := s.ifMatch(r)
	var role resource
	if p == nil {
		role, p = decodeRole(w, r)
	}
	if p == nil {
		role, version, p = s.roles.update(id, version, role, s.checkUpdate)
	}
	if p != nil {
		s.refuse(w, p)
		return
	}
	s.writeRole(w, http.StatusOK, role, version)
}

// ifMatch reads the version the client updates. The general page documents
// "if-Match: {integer}"; the FHIR form W/"n" is accepted too (docs/spec-defects.md).
// The result is -1 when the header is absent.
func (s *Server) ifMatch(r *http.Request) (int, *problem) {
	raw := strings.TrimSpace(r.Header.Get("If-Match"))
	if raw == "" {
		if s.mutants[HpiIfMatchNotRequired] {
			return -1, nil
		}
		return 0, &problem{status: http.StatusPreconditionRequired, diagnostics: "If-Match header with the current version-id is required"}
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(raw, "W/"), `"`))
	if err != nil || v < 0 {
		return 0, &problem{status: http.StatusBadRequest, diagnostics: "If-Match must carry the version-id, an integer"}
	}
	return v, nil
}

// decodeRole decodes a PractitionerRole request body.
func decodeRole(w http.ResponseWriter, r *http.Request) (resource, *problem) {
	var role resource
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10)).Decode(&role)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, &problem{status: http.StatusRequestEntityTooLarge, diagnostics: "request body too large"}
	case err != nil && !errors.Is(err, io.EOF), role == nil:
		return nil, &problem{status: http.StatusBadRequest, diagnostics: "the body is not a JSON resource"}
	case role["resourceType"] != "PractitionerRole":
		return nil, unprocessable("resourceType must be PractitionerRole")
	}
	return role, nil
}

func (s *Server) writeRole(w http.ResponseWriter, status int, role resource, version int) {
	if !s.mutants[HpiETagMissing] {
		w.Header().Set("ETag", fmt.Sprintf(`W/"%d"`, version))
	}
	writeJSON(w, status, role)
}
