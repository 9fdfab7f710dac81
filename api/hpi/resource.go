package hpi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/healthapi-conformance/conformance/httpkit/exchange"
)

// Resource is a FHIR resource as generic JSON, so that what the target
// returns is sent back as it came, as a real client does.
type Resource = map[string]any

// ParseResource reads a resource from an answer body.
func ParseResource(body []byte) (Resource, error) {
	var r Resource
	if err := json.Unmarshal(body, &r); err != nil || r == nil {
		return nil, fmt.Errorf("the body is not a JSON resource: %.40s", body)
	}
	return r, nil
}

// VersionOf reads the version from the ETag (general page: "The resource
// version number, returned on a Get"), else from meta.versionId.
func VersionOf(ex *exchange.Exchange, role Resource) (int, error) {
	if tag := ex.Header.Get("ETag"); tag != "" {
		return ParseVersion(tag)
	}
	meta, _ := role["meta"].(map[string]any)
	if v, ok := meta["versionId"].(string); ok {
		return ParseVersion(v)
	}
	return 0, fmt.Errorf("the role has neither an ETag nor a meta.versionId: no version to update with")
}

// ParseVersion accepts 3, "3" and W/"3".
func ParseVersion(tag string) (int, error) {
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(strings.TrimSpace(tag), "W/"), `"`))
	if err != nil {
		return 0, fmt.Errorf("version %q is not a version number", tag)
	}
	return v, nil
}

// CreatedID reads a new role's id from the body, else from Location, else
// from Content-Location (FHIR R4 §3.1.0.7: a create names the new
// resource's location); "" when the answer names none.
func CreatedID(ex *exchange.Exchange) string {
	var body struct{ ResourceType, ID string }
	if json.Unmarshal(ex.Body, &body) == nil && body.ID != "" && body.ResourceType == "PractitionerRole" {
		return body.ID
	}
	for _, h := range []string{"Location", "Content-Location"} {
		if id := idInLocation(ex.Header.Get(h)); id != "" {
			return id
		}
	}
	return ""
}

// idInLocation is the id in .../PractitionerRole/{id}[/_history/{v}].
func idInLocation(loc string) string {
	loc = strings.TrimSuffix(loc, "/")
	if i := strings.Index(loc, "/_history/"); i >= 0 {
		loc = loc[:i]
	}
	if i := strings.LastIndex(loc, "/"); i >= 0 && strings.HasSuffix(loc[:i], "PractitionerRole") {
		return loc[i+1:]
	}
	return ""
}

// Outcome is an OperationOutcome in either error format of the general
// page: the coded form (details.coding) or the older diagnostics text.
type Outcome struct {
	ResourceType string  `json:"resourceType"`
	Issue        []Issue `json:"issue"`
}

// Issue is one issue of an OperationOutcome.
type Issue struct {
	Severity    string `json:"severity"`
	Code        string `json:"code"`
	Diagnostics string `json:"diagnostics"`
	Details     struct {
		Text   string `json:"text"`
		Coding []struct{ System, Code, Display string }
	} `json:"details"`
}

// Texts are the issue's human-readable messages, wherever the format puts them.
func (is Issue) Texts() []string {
	var out []string
	for _, t := range append([]string{is.Diagnostics, is.Details.Text}, is.displays()...) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (is Issue) displays() []string {
	var out []string
	for _, c := range is.Details.Coding {
		out = append(out, c.Display)
	}
	return out
}

// ParseOutcome reads an OperationOutcome with at least one issue.
func ParseOutcome(body []byte) (Outcome, error) {
	var o Outcome
	if json.Unmarshal(body, &o) != nil || o.ResourceType != "OperationOutcome" || len(o.Issue) == 0 {
		return o, fmt.Errorf("expected an OperationOutcome with an issue (general-request-rules.md, Error Format)")
	}
	return o, nil
}
