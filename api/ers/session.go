package ers

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/healthapi-conformance/conformance/fixtures"
)

// Permission is a business function at an organisation (models.md).
type Permission struct {
	BusinessFunction string `json:"businessFunction"`
	OrgIdentifier    string `json:"orgIdentifier"`
	OrgName          string `json:"orgName,omitempty"`
}

func (p Permission) String() string { return p.BusinessFunction + " at " + p.OrgIdentifier }

// Same says whether two permissions name the same function at the same organisation.
func (p Permission) Same(q Permission) bool {
	return p.BusinessFunction == q.BusinessFunction && p.OrgIdentifier == q.OrgIdentifier
}

// Session is a ProfessionalSession as models.md describes it. Raw keeps
// every field as it came, so that A002 sends back what A001 returned.
type Session struct {
	ID    string `json:"id"`
	Token string `json:"token"`
	User  struct {
		Identifier  string       `json:"identifier"`
		Permissions []Permission `json:"permissions"`
	} `json:"user"`
	Permission *Permission                `json:"permission"`
	Raw        map[string]json.RawMessage `json:"-"`
}

// ParseSession reads a ProfessionalSession from an answer body.
func ParseSession(body []byte) (*Session, error) {
	var s Session
	if err := json.Unmarshal(body, &s); err != nil {
		return nil, fmt.Errorf("expected a ProfessionalSession as JSON: %v", err)
	}
	if err := json.Unmarshal(body, &s.Raw); err != nil || s.Raw == nil {
		return nil, fmt.Errorf("expected a ProfessionalSession object, got %.40s", body)
	}
	return &s, nil
}

// CreateBody is the A001 request body: only a token (A001 Input).
func CreateBody(token string) []byte {
	body, _ := json.Marshal(map[string]string{
		"typeInfo": "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession",
		"token":    token,
	})
	return body
}

// TokenOnlyBody is an A001 body that provides only a token, as A001's Body
// section asks ("Provide only a token"), without the example's typeInfo.
func TokenOnlyBody(token string) []byte {
	body, _ := json.Marshal(map[string]string{"token": token})
	return body
}

// SelectBody is the A002 body: the session as A001 returned it, with the
// permission filled in (A002 Input); a nil permission leaves it out.
func (s *Session) SelectBody(p *Permission) []byte {
	body := map[string]any{}
	for k, v := range maps.All(s.Raw) {
		body[k] = v
	}
	delete(body, "permission")
	if p != nil {
		body["permission"] = p
	}
	data, _ := json.Marshal(body)
	return data
}

// PermissionsText lists permissions for messages, sorted.
func PermissionsText(ps []Permission) string {
	return "[" + strings.Join(PermissionNames(ps), "; ") + "]"
}

// PermissionNames names each permission (function at organisation), sorted.
func PermissionNames(ps []Permission) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	slices.Sort(names)
	return names
}

// SamePermissions compares two permission lists as sets of function-at-organisation.
func SamePermissions(a, b []Permission) bool {
	return PermissionsText(a) == PermissionsText(b)
}

var businessFunctions = sync.OnceValues(func() ([]string, error) {
	var out []string
	data, err := fixtures.FS.ReadFile("ers/BusinessFunction.json")
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	return out, err
})

// BusinessFunctions is the BusinessFunction value set of models.md.
func BusinessFunctions() ([]string, error) { return businessFunctions() }

// UnissuedASID is an Accredited System ID in the published twelve-digit
// form that is issued to no system.
const UnissuedASID = "000000000000"

// UnissuedKey makes a session key in the published form that no server issued.
func UnissuedKey() string {
	return "pro-xapi-session_" + strings.ToLower(rand.Text()[:26])
}
