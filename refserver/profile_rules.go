package refserver

import (
	"regexp"
	"slices"
	"strings"
)

// The constraints of profile-HpiPractitionerRole.fsh on a role sent: the
// profile describes "the PractitionerRole that will be returned by the
// HPI", so a role it does not allow is not kept.

// absent refuses a role that has an element the profile removes (0..0).
func absent(element string) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		if present(c.role[element]) {
			return unprocessable(msgProfile + element + " 0..0")
		}
		return nil
	}
}

// present says whether a JSON value holds anything.
func present(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case string:
		return x != ""
	}
	return true
}

// atMostOne refuses a list element with more than one item (0..1).
func atMostOne(element string) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		if list, _ := c.role[element].([]any); len(list) > 1 {
			return unprocessable(msgProfile + element + " 0..1")
		}
		return nil
	}
}

func atMostOneMessagingAddress(c *roleCall) *problem {
	list, _ := c.role["extension"].([]any)
	n := 0
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["url"] == extMessagingAddress {
			n++
		}
	}
	if n > 1 {
		return unprocessable(msgProfile + "messaging-address 0..1")
	}
	return nil
}

// referenceTo refuses a reference (or a list's) that names another type of resource.
func referenceTo(element, kind string) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		for _, ref := range references(c.role[element]) {
			if referenceType(ref) != kind {
				return unprocessable(msgProfile + element + " only Reference(" + kind + ")")
			}
		}
		return nil
	}
}

// references lists the reference strings of an element: one, or a list's.
func references(v any) []string {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	var out []string
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if s, ok := m["reference"].(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// referenceType is the resource type a relative or absolute reference names.
func referenceType(ref string) string {
	parts := strings.Split(strings.TrimSuffix(ref, "/"), "/")
	if i := slices.Index(parts, "_history"); i >= 0 {
		parts = parts[:i]
	}
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
}

// contactPointUses are FHIR R4's ContactPoint.use codes: the HPI's value set
// is not published (docs/spec-defects.md, D-HPI-42), and can hold no other.
var contactPointUses = []string{"home", "work", "temp", "old", "mobile"}

func contactUsesBound(c *roleCall) *problem {
	for _, t := range c.role.telecom() {
		if use, given := t["use"]; given && !slices.Contains(contactPointUses, stringOf(use)) {
			return unprocessable(msgProfile + "telecom.use from hpi-contact-point-use-code")
		}
	}
	return nil
}

// anzsco is the code system of every role code the pages publish; the
// practitioner-role-code value set is not published (D-HPI-42).
const anzsco = "http://www.abs.gov.au/ausstats/abs@.nsf/mf/1220.0"

var occupationCode = regexp.MustCompile(`^[0-9]{6}$`)

// roleCodeBound refuses a role code that is not an ANZSCO occupation.
func roleCodeBound(c *roleCall) *problem {
	codes, _ := c.role["code"].([]any)
	for _, cc := range codes {
		m, _ := cc.(map[string]any)
		codings, _ := m["coding"].([]any)
		for _, cd := range codings {
			coding, _ := cd.(map[string]any)
			if coding["system"] != anzsco || !occupationCode.MatchString(strings.TrimSpace(stringOf(coding["code"]))) {
				return unprocessable(msgProfile + "code from practitioner-role-code")
			}
		}
	}
	return nil
}

func stringOf(v any) string { s, _ := v.(string); return s }
