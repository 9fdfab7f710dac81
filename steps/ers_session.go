package steps

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/healthapi-conformance/conformance/fixtures"
)

// ersPermission and ersSession mirror models.md; the steps keep their own
// copy so they never depend on the reference server's code.
type ersPermission struct {
	BusinessFunction string `json:"businessFunction"`
	OrgIdentifier    string `json:"orgIdentifier"`
	OrgName          string `json:"orgName,omitempty"`
}

func (p ersPermission) String() string { return p.BusinessFunction + " at " + p.OrgIdentifier }

func (p ersPermission) same(q ersPermission) bool {
	return p.BusinessFunction == q.BusinessFunction && p.OrgIdentifier == q.OrgIdentifier
}

type ersSession struct {
	ID    string `json:"id"`
	Token string `json:"token"`
	User  struct {
		Identifier  string          `json:"identifier"`
		Permissions []ersPermission `json:"permissions"`
	} `json:"user"`
	Permission *ersPermission `json:"permission"`
	raw        map[string]json.RawMessage
}

// ersState is what an e-RS scenario remembers between steps.
type ersState struct {
	user   string         // profile name of the smartcard user
	opened *ersSession    // the session as A001 returned it
	chosen *ersPermission // the permission the user last asked to select
}

// parseSession reads a ProfessionalSession from an answer body.
func parseSession(body []byte) (*ersSession, error) {
	var s ersSession
	if err := decodeJSON(body, "a ProfessionalSession", &s); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &s.raw); err != nil {
		return nil, fmt.Errorf("expected a ProfessionalSession object: %w", err)
	}
	return &s, nil
}

// permissionsText lists permissions for messages, sorted.
func permissionsText(ps []ersPermission) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	slices.Sort(names)
	return "[" + strings.Join(names, "; ") + "]"
}

// samePermissions compares two permission lists as sets of function-at-organisation.
func samePermissions(a, b []ersPermission) bool {
	return permissionsText(a) == permissionsText(b)
}

// lastListed is the permission the user picks: the last one listed, so a
// server that simply applies the first cannot pass by accident.
func (s *ersSession) lastListed() (ersPermission, error) {
	if len(s.User.Permissions) == 0 {
		return ersPermission{}, fmt.Errorf("the session lists no permissions to select")
	}
	return s.User.Permissions[len(s.User.Permissions)-1], nil
}

// notHeld finds a documented business function the session does not list
// at an organisation it does list.
func (s *ersSession) notHeld() (ersPermission, error) {
	functions, err := businessFunctions()
	if err != nil {
		return ersPermission{}, err
	}
	if len(s.User.Permissions) == 0 {
		return ersPermission{}, fmt.Errorf("the session lists no permissions")
	}
	org := s.User.Permissions[0]
	for _, bf := range functions {
		p := ersPermission{BusinessFunction: bf, OrgIdentifier: org.OrgIdentifier, OrgName: org.OrgName}
		if !slices.ContainsFunc(s.User.Permissions, p.same) {
			return p, nil
		}
	}
	return ersPermission{}, fmt.Errorf("the user holds every business function at %s; the profile needs a user who does not", org.OrgIdentifier)
}

// heldElsewhere finds a business function the user holds at one organisation
// but not at another organisation the session lists.
func (s *ersSession) heldElsewhere() (ersPermission, error) {
	for _, held := range s.User.Permissions {
		for _, other := range s.User.Permissions {
			p := ersPermission{BusinessFunction: held.BusinessFunction, OrgIdentifier: other.OrgIdentifier, OrgName: other.OrgName}
			if other.OrgIdentifier != held.OrgIdentifier && !slices.ContainsFunc(s.User.Permissions, p.same) {
				return p, nil
			}
		}
	}
	return ersPermission{}, fmt.Errorf("the session lists %s: the scenario needs a user with different business functions at two organisations",
		permissionsText(s.User.Permissions))
}

var (
	functionsOnce sync.Once
	functions     []string
	functionsErr  error
)

// businessFunctions is the BusinessFunction value set of models.md.
func businessFunctions() ([]string, error) {
	functionsOnce.Do(func() {
		data, err := fixtures.FS.ReadFile("ers/BusinessFunction.json")
		if err == nil {
			err = json.Unmarshal(data, &functions)
		}
		functionsErr = err
	})
	return functions, functionsErr
}

// unissuedKey makes a session key in the published form that no server issued.
func unissuedKey() string {
	return "pro-xapi-session_" + strings.ToLower(rand.Text()[:26])
}
