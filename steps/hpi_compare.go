package steps

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	messages "github.com/cucumber/messages/go/v21"

	"github.com/healthapi-conformance/conformance/api/hpi"
)

// issue is the OperationOutcome issue a feature expects: its message, and
// its severity and code where the page states them ("" where it does not).
type issue struct {
	severity, code, message string
	prefix                  bool // the message is the start of the text
}

func (i issue) String() string {
	how := "saying"
	if i.prefix {
		how = "beginning"
	}
	s := fmt.Sprintf("%s %q", how, i.message)
	var stated []string
	for _, v := range []string{i.severity, i.code} {
		if v != "" {
			stated = append(stated, v)
		}
	}
	if len(stated) > 0 {
		s += " (" + strings.Join(stated, ", ") + ")"
	}
	return s
}

// expectedIssues reads a table of a header and one or more rows. The
// columns are message (or "message begins with"), and severity and code
// where the page states them.
func expectedIssues(t *messages.PickleTable) ([]issue, error) {
	const form = "| severity | code | message |, severity and code where the page states them"
	if t == nil || len(t.Rows) < 2 {
		return nil, fmt.Errorf("the expected issue is a table of a header and a row: %s", form)
	}
	var out []issue
	for _, row := range t.Rows[1:] {
		var i issue
		for c, cell := range t.Rows[0].Cells {
			value := row.Cells[c].Value
			switch cell.Value {
			case "severity":
				i.severity = value
			case "code":
				i.code = value
			case "message":
				i.message = value
			case "message begins with":
				i.message, i.prefix = value, true
			default:
				return nil, fmt.Errorf("the expected issue has an unknown column %q (severity, code, message, message begins with)", cell.Value)
			}
		}
		if i.message == "" {
			return nil, fmt.Errorf("the expected issue has no message: %s", form)
		}
		out = append(out, i)
	}
	return out, nil
}

// found says whether an issue of o has the message expected, and the
// severity and code where they are expected. A message is compared as the
// page spells it, case included (docs/spec-defects.md, D-HPI-21).
func (i issue) found(o hpi.Outcome) bool {
	for _, is := range o.Issue {
		if i.severity != "" && is.Severity != i.severity || i.code != "" && is.Code != i.code {
			continue
		}
		for _, t := range is.Texts() {
			if t == i.message || i.prefix && strings.HasPrefix(t, i.message) {
				return true
			}
		}
	}
	return false
}

// said lists what an OperationOutcome's issues say, for a failure message.
func said(o hpi.Outcome) string {
	var out []string
	for _, is := range o.Issue {
		for _, t := range is.Texts() {
			out = append(out, fmt.Sprintf("%q (%s, %s)", t, is.Severity, is.Code))
		}
	}
	return strings.Join(out, "; ")
}

// codedIn says whether o carries the code, coded or as the older diagnostics text.
func codedIn(o hpi.Outcome, code, display string) bool {
	for _, is := range o.Issue {
		for _, c := range is.Details.Coding {
			if c.Code == code {
				return true
			}
		}
		if display != "" && strings.Contains(is.Diagnostics, display) {
			return true
		}
	}
	return false
}

func officialID(role resource) string {
	list, _ := role["identifier"].([]any)
	for _, i := range list {
		if m, ok := i.(map[string]any); ok && m["use"] == "official" {
			v, _ := m["value"].(string)
			return v
		}
	}
	return ""
}

// content is a role without what the server owns (meta, text, active) or
// may add to a reference (its display): what a refused request must leave
// as it was (docs/spec-defects.md, D-HPI-22).
func content(r resource) resource {
	out := deepCopy(r)
	for _, k := range []string{"meta", "text", "active"} {
		delete(out, k)
	}
	dropDisplays(out)
	return out
}

// dropDisplays removes the display of every reference inside v.
func dropDisplays(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["reference"]; ok {
			delete(x, "display")
		}
		for _, c := range x {
			dropDisplays(c)
		}
	case []any:
		for _, c := range x {
			dropDisplays(c)
		}
	}
}

// holds compares one element of what was sent with what was read: the
// role must hold what was sent, and may hold more (D-HPI-22). The server
// owns meta, text, id, identifier and active; contact points are compared
// as a set; extensions as a subset.
func holds(element string, sent, got any) error {
	switch element {
	case "meta", "text", "id", "identifier", "active":
		return nil
	case "telecom":
		return sameContacts(sent, got)
	case "extension":
		list, ok := sent.([]any)
		if !ok {
			return fmt.Errorf("extension: the update sent %s, which is not a list: the feature's change is at fault", mustJSON(sent))
		}
		for _, e := range list {
			if !extensionHeld(e, got) {
				return violated("the role lacks the extension that was sent: %s", mustJSON(e))
			}
		}
		return nil
	}
	if !held(sent, got) {
		return violated("%s: the role does not hold what was sent (-sent +held):%s", element, difference(sent, got))
	}
	return nil
}

// held says whether got holds sent: an object has every field sent, each
// holding its value, and may have more (a display on a reference); a list
// has as many items, each holding the one sent in its place; extensions
// are held wherever they are, beside the server's own; other values are equal.
func held(sent, got any) bool {
	switch s := sent.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range s {
			if k == "extension" {
				list, ok := v.([]any)
				if !ok || slices.ContainsFunc(list, func(e any) bool { return !extensionHeld(e, g[k]) }) {
					return false
				}
			} else if !held(v, g[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(s) {
			return false
		}
		for i := range s {
			if !held(s[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(sent, got)
}

// extensionHeld says whether one of the extensions got holds e.
func extensionHeld(e, got any) bool {
	list, _ := got.([]any)
	return slices.ContainsFunc(list, func(h any) bool { return held(e, h) })
}

// sameContacts checks that every contact point sent is held, with its rank if one was sent.
func sameContacts(sent, got any) error {
	s, g := telecom(resource{"telecom": sent}), telecom(resource{"telecom": got})
	if len(s) != len(g) {
		return violated("sent %d contact points, the role has %d (-sent +held):%s", len(s), len(g), contactsDiff(s, g))
	}
	for _, c := range s { // each contact point held answers one sent
		i := slices.IndexFunc(g, func(h map[string]any) bool {
			return h["system"] == c["system"] && h["value"] == c["value"] && (c["rank"] == nil || fmt.Sprint(h["rank"]) == fmt.Sprint(c["rank"]))
		})
		if i < 0 {
			return violated("the role lacks the contact point that was sent: %s (-sent +held):%s", mustJSON(c), contactsDiff(s, telecom(resource{"telecom": got})))
		}
		g = slices.Delete(g, i, i+1)
	}
	return nil
}

// contactsDiff is the difference of two lists of contact points, each in
// the order of system, value and rank: they are compared as sets.
func contactsDiff(sent, kept []map[string]any) string {
	key := func(c map[string]any) string { return fmt.Sprint(c["system"], "\x00", c["value"], "\x00", c["rank"]) }
	byKey := func(a, b map[string]any) int { return strings.Compare(key(a), key(b)) }
	return difference(slices.SortedFunc(slices.Values(sent), byKey), slices.SortedFunc(slices.Values(kept), byKey))
}

// assignedRank finds the contact point sent without a rank in what was
// read, and returns the rank it should have (one past the highest of the
// others) and the rank it has (-1 when it has none).
func assignedRank(sent, read []map[string]any) (want, has float64) {
	var added map[string]any
	for _, c := range sent {
		if c["rank"] == nil {
			added = c
		}
	}
	lowest, has := 0.0, -1.0
	for _, c := range read {
		r, _ := c["rank"].(float64)
		if c["system"] == added["system"] && c["value"] == added["value"] {
			has = r
		} else if r > lowest {
			lowest = r
		}
	}
	return lowest + 1, has
}
