package steps

import (
	"fmt"
	"slices"

	"github.com/healthapi-conformance/conformance/api/ers"
)

// picker chooses the permission a scenario selects from an opened session.
type picker func(*ers.Session) (ers.Permission, error)

// lastListed is the permission the user picks: the last one listed, so a
// server that simply applies the first cannot pass by accident.
func lastListed(s *ers.Session) (ers.Permission, error) {
	if len(s.User.Permissions) == 0 {
		return ers.Permission{}, fmt.Errorf("the session lists no permissions to select")
	}
	return s.User.Permissions[len(s.User.Permissions)-1], nil
}

// notHeld finds a documented business function the session does not list
// at an organisation it does list.
func notHeld(s *ers.Session) (ers.Permission, error) {
	functions, err := ers.BusinessFunctions()
	if err != nil {
		return ers.Permission{}, err
	}
	if len(s.User.Permissions) == 0 {
		return ers.Permission{}, fmt.Errorf("the session lists no permissions")
	}
	org := s.User.Permissions[0]
	for _, bf := range functions {
		p := ers.Permission{BusinessFunction: bf, OrgIdentifier: org.OrgIdentifier, OrgName: org.OrgName}
		if !slices.ContainsFunc(s.User.Permissions, p.Same) {
			return p, nil
		}
	}
	return ers.Permission{}, fmt.Errorf("the user holds every business function at %s; the profile needs a user who does not", org.OrgIdentifier)
}

// heldElsewhere finds a business function the user holds at one organisation
// but not at another organisation the session lists.
func heldElsewhere(s *ers.Session) (ers.Permission, error) {
	for _, held := range s.User.Permissions {
		for _, other := range s.User.Permissions {
			p := ers.Permission{BusinessFunction: held.BusinessFunction, OrgIdentifier: other.OrgIdentifier, OrgName: other.OrgName}
			if other.OrgIdentifier != held.OrgIdentifier && !slices.ContainsFunc(s.User.Permissions, p.Same) {
				return p, nil
			}
		}
	}
	return ers.Permission{}, fmt.Errorf("the session lists %s: the scenario needs a user with different business functions at two organisations",
		ers.PermissionsText(s.User.Permissions))
}

// listedByBoth finds a permission both sessions list, so that a server
// acting on either session alone would select it.
func listedByBoth(a, b *ers.Session) (ers.Permission, error) {
	for _, p := range a.User.Permissions {
		if slices.ContainsFunc(b.User.Permissions, p.Same) {
			return p, nil
		}
	}
	return ers.Permission{}, fmt.Errorf("the sessions list no permission in common (%s and %s): the scenario needs two users who share one",
		ers.PermissionsText(a.User.Permissions), ers.PermissionsText(b.User.Permissions))
}
