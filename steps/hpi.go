package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/healthapi-conformance/conformance/fixtures"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/profile"
)

// resource is a FHIR resource as generic JSON, so that what the target
// returns is sent back as it came, as a real client does.
type resource = map[string]any

// hpiState is what one scenario knows of the HPI.
type hpiState struct {
	id          string   // the role under test
	read        resource // the role as the system last read it
	version     int      // the version the system last read
	latest      resource // the role after another user's update, if any
	sent        resource // the body of the last create or update
	combo       int      // which test practitioner and role code the role uses
	correlation string   // the X-Correlation-Id of the last request
}

// hpiCall is one HPI request and what it leaves out or replaces.
type hpiCall struct {
	method  string
	path    string // below the FHIR base, e.g. /PractitionerRole/R00000012-G
	body    resource
	version string // If-Match value; "" sends none
	omit    string // a header name to leave out
	bearer  string // replaces the access token when set
	scopes  []string
}

func (w *World) hpiSend(ctx context.Context, c hpiCall) error {
	hp := w.env.Profile.HPI
	token := c.bearer
	if token == "" {
		scopes := c.scopes
		if scopes == nil {
			scopes = hp.Scopes
		}
		var err error
		if token, err = w.env.Tokens.Bearer(ctx, scopes); err != nil {
			return err
		}
	}
	w.hpi.correlation = "conformance-" + randomHex(12)
	headers := []exchange.Header{
		{Name: "Authorization", Value: "Bearer " + token},
		{Name: "x-api-key", Value: hp.APIKey.Value()},
		{Name: "userid", Value: hp.UserID},
		{Name: "X-Correlation-Id", Value: w.hpi.correlation},
		{Name: "Accept", Value: "application/json"},
	}
	var body []byte
	if c.body != nil {
		body, _ = json.Marshal(c.body)
		headers = append(headers, exchange.Header{Name: "Content-Type", Value: "application/json"})
	}
	if c.version != "" {
		headers = append(headers, exchange.Header{Name: "If-Match", Value: c.version})
	}
	headers = slices.DeleteFunc(headers, func(h exchange.Header) bool { return strings.EqualFold(h.Name, c.omit) })
	return w.sendVia(ctx, w.env.HPIClient, exchange.Request{Method: c.method, URL: w.env.HPIBase + c.path, Header: headers, Body: body})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func rolePath(id string) string { return "/PractitionerRole/" + url.PathEscape(id) }

// ifMatch writes a version as the profile says the target wants it.
func (w *World) ifMatch(version int) string {
	if w.env.Profile.HPI.IfMatch == profile.IfMatchWeakETag {
		return fmt.Sprintf(`W/"%d"`, version)
	}
	return strconv.Itoa(version)
}

// newRole builds a role from the fixture template for the test practitioner
// and role code numbered combo, leaving out what the profile does not have.
// The last practitioner and code are kept out (see otherPractitioner).
func (w *World) newRole(combo int) (resource, error) {
	td := w.env.Profile.HPI.TestData
	np, nc := len(td.Practitioners)-1, len(td.RoleCodes)-1
	code := td.RoleCodes[(combo/np)%nc]
	role, err := fillTemplate("hpi/requests/new-role.json", map[string]string{
		"practitioner": td.Practitioners[combo%np],
		"organisation": td.Organisation, "facility": td.Facility,
		"codeSystem": code.System, "code": code.Code, "display": code.Display,
	})
	if err != nil {
		return nil, err
	}
	if td.Organisation == "" {
		delete(role, "organization")
	}
	if td.Facility == "" {
		delete(role, "location")
	}
	return role, nil
}

// fillTemplate reads a JSON fixture and replaces each {{name}} with a value.
func fillTemplate(path string, values map[string]string) (resource, error) {
	data, err := fixtures.FS.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := string(data)
	for k, v := range values {
		quoted, _ := json.Marshal(v)
		text = strings.ReplaceAll(text, "{{"+k+"}}", string(quoted[1:len(quoted)-1]))
	}
	var r resource
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		return nil, fmt.Errorf("fixtures/%s: %w", path, err)
	}
	return r, nil
}

// statusReason is the status-reason extension of the published update example.
func statusReason() (resource, error) {
	return fillTemplate("hpi/requests/status-reason.json", nil)
}

// periodOf returns the role's period element, adding an empty one if it has none.
func periodOf(role resource) map[string]any {
	p, _ := role["period"].(map[string]any)
	if p == nil {
		p = map[string]any{}
		role["period"] = p
	}
	return p
}

// createRole adds a role and makes it the scenario's role under test.
func (w *World) createRole(ctx context.Context, role resource) error {
	w.hpi.sent = role
	if err := w.hpiSend(ctx, hpiCall{method: http.MethodPost, path: "/PractitionerRole", body: role}); err != nil {
		return err
	}
	if w.last.Status/100 == 2 { // the status itself is a Then step's to judge
		w.hpi.id = createdID(w.last)
	}
	return nil
}

// createdID reads the new role's id from the body, or else from Location.
func createdID(ex *exchange.Exchange) string {
	var body struct{ ID string }
	if json.Unmarshal(ex.Body, &body) == nil && body.ID != "" {
		return body.ID
	}
	loc := strings.TrimSuffix(ex.Header.Get("Location"), "/")
	if i := strings.Index(loc, "/_history/"); i >= 0 {
		loc = loc[:i]
	}
	return loc[strings.LastIndex(loc, "/")+1:]
}

// readRole reads the role under test and returns its body and version.
func (w *World) readRole(ctx context.Context) (resource, int, error) {
	if w.hpi.id == "" {
		return nil, 0, fmt.Errorf("no role to read: the scenario has not created one")
	}
	if err := w.hpiSend(ctx, hpiCall{method: http.MethodGet, path: rolePath(w.hpi.id)}); err != nil {
		return nil, 0, err
	}
	if w.last.Status != http.StatusOK {
		return nil, 0, fmt.Errorf("reading role %s: expected 200, got %d; body: %s", w.hpi.id, w.last.Status, excerpt(w.last.Body))
	}
	var role resource
	if err := json.Unmarshal(w.last.Body, &role); err != nil {
		return nil, 0, fmt.Errorf("reading role %s: the body is not JSON: %v", w.hpi.id, err)
	}
	v, err := versionOf(w.last, role)
	return role, v, err
}

// versionOf reads the version from the ETag (general page: "The resource
// version number, returned on a Get"), else from meta.versionId.
func versionOf(ex *exchange.Exchange, role resource) (int, error) {
	if tag := ex.Header.Get("ETag"); tag != "" {
		return parseVersion(tag)
	}
	meta, _ := role["meta"].(map[string]any)
	if v, ok := meta["versionId"].(string); ok {
		return parseVersion(v)
	}
	return 0, fmt.Errorf("the role has neither an ETag nor a meta.versionId: no version to update with")
}

// parseVersion accepts 3, "3" and W/"3".
func parseVersion(tag string) (int, error) {
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(strings.TrimSpace(tag), "W/"), `"`))
	if err != nil {
		return 0, fmt.Errorf("version %q is not a version number", tag)
	}
	return v, nil
}

// update sends role as an update of the role under test.
func (w *World) update(ctx context.Context, role resource, c hpiCall) error {
	w.hpi.sent = role
	c.method, c.body = http.MethodPut, role
	if c.path == "" {
		c.path = rolePath(w.hpi.id)
	}
	if c.version == "" && c.omit != "If-Match" {
		c.version = w.ifMatch(w.hpi.version)
	}
	return w.hpiSend(ctx, c)
}

// editable returns a deep copy of the role as last read, for an update to change.
func (w *World) editable() (resource, error) {
	if w.hpi.read == nil {
		return nil, fmt.Errorf("no role has been read: an update starts from the role as read")
	}
	return deepCopy(w.hpi.read), nil
}

func deepCopy(r resource) resource {
	data, _ := json.Marshal(r)
	var out resource
	_ = json.Unmarshal(data, &out)
	return out
}
