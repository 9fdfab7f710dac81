package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// hpiOutcome is an OperationOutcome in either error format of the general
// page: the coded form (details.coding) or the older diagnostics text.
type hpiOutcome struct {
	ResourceType string     `json:"resourceType"`
	Issue        []hpiIssue `json:"issue"`
}

type hpiIssue struct {
	Severity    string `json:"severity"`
	Code        string `json:"code"`
	Diagnostics string `json:"diagnostics"`
	Details     struct {
		Text   string `json:"text"`
		Coding []struct{ System, Code, Display string }
	} `json:"details"`
}

func lastOutcome(ctx context.Context) (hpiOutcome, error) {
	var o hpiOutcome
	ex, err := world(ctx).answer()
	if err != nil {
		return o, err
	}
	if json.Unmarshal(ex.Body, &o) != nil || o.ResourceType != "OperationOutcome" || len(o.Issue) == 0 {
		return o, fmt.Errorf("expected an OperationOutcome with an issue (general-request-rules.md, Error Format), got %d with body: %s",
			ex.Status, excerpt(ex.Body))
	}
	return o, nil
}

// outcomeSays finds the documented message in an issue's diagnostics or
// details, compared without regard to case (D-HPI-07), and checks the issue
// is the documented "Error, Processing".
func outcomeSays(ctx context.Context, msg string, prefix bool) error {
	o, err := lastOutcome(ctx)
	if err != nil {
		return err
	}
	var said []string
	for _, is := range o.Issue {
		texts := []string{is.Diagnostics, is.Details.Text}
		for _, c := range is.Details.Coding {
			texts = append(texts, c.Display)
		}
		for _, t := range texts {
			t = strings.TrimSpace(t)
			match := strings.EqualFold(t, msg)
			if prefix {
				match = len(t) >= len(msg) && strings.EqualFold(t[:len(msg)], msg)
			}
			if match && is.Severity == "error" && is.Code == "processing" {
				return nil
			}
			if t != "" {
				said = append(said, fmt.Sprintf("%q (%s, %s)", t, is.Severity, is.Code))
			}
		}
	}
	return fmt.Errorf("expected an issue saying %q (error, processing), the OperationOutcome says %s", msg, strings.Join(said, "; "))
}

func outcomeCoded(ctx context.Context, code, display string) error {
	o, err := lastOutcome(ctx)
	if err != nil {
		return err
	}
	for _, is := range o.Issue {
		for _, c := range is.Details.Coding {
			if c.Code == code {
				return nil
			}
		}
		if strings.Contains(is.Diagnostics, display) {
			return nil // the older, uncoded format with the same text
		}
	}
	return fmt.Errorf("expected the OperationOutcome to carry %s %q (general-request-rules.md, Error Format); got %+v", code, display, o.Issue)
}

func isErrorOutcome(ctx context.Context) error {
	o, err := lastOutcome(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(o.Issue, func(is hpiIssue) bool {
		return is.Severity == "error" || is.Severity == "fatal"
	}) {
		return fmt.Errorf("expected an issue of severity error, got %+v", o.Issue)
	}
	return nil
}

func refused4xx(ctx context.Context) error {
	ex, err := world(ctx).answer()
	if err != nil {
		return err
	}
	if ex.Status < 400 || ex.Status > 499 {
		return fmt.Errorf("expected the request to be refused with a 4xx status, but the target answered %d; body: %s", ex.Status, excerpt(ex.Body))
	}
	return nil
}

func bodyIsRole(ctx context.Context) error {
	w := world(ctx)
	ex, err := w.answer()
	if err != nil {
		return err
	}
	var role resource
	if err := json.Unmarshal(ex.Body, &role); err != nil || role["resourceType"] != "PractitionerRole" {
		return fmt.Errorf("expected a PractitionerRole, got: %s", excerpt(ex.Body))
	}
	if role["id"] != w.hpi.id {
		return fmt.Errorf("asked for %s, got the role with id %v", w.hpi.id, role["id"])
	}
	if official := officialID(role); official != w.hpi.id {
		return fmt.Errorf("the id must equal the official identifier (general-request-rules.md, Id and Identifiers): id %s, official identifier %q", w.hpi.id, official)
	}
	return nil
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

func etagIsVersion(ctx context.Context) error {
	ex, err := world(ctx).answer()
	if err != nil {
		return err
	}
	tag := ex.Header.Get("ETag")
	if tag == "" {
		return fmt.Errorf("expected an ETag header with the version (general-request-rules.md, Response Headers); there is none")
	}
	v, err := parseVersion(tag)
	if err != nil {
		return err
	}
	var role resource
	_ = json.Unmarshal(ex.Body, &role)
	meta, _ := role["meta"].(map[string]any)
	if id, ok := meta["versionId"].(string); ok && id != fmt.Sprint(v) {
		return fmt.Errorf("the ETag %s names version %d but the role's meta.versionId is %s", tag, v, id)
	}
	return nil
}

func correlationEchoed(ctx context.Context) error {
	w := world(ctx)
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if got := ex.Header.Get("X-Correlation-Id"); got != w.hpi.correlation {
		return fmt.Errorf("sent X-Correlation-Id %q, the answer (%d) returned %q", w.hpi.correlation, ex.Status, got)
	}
	return nil
}

func namesNewRole(ctx context.Context) error {
	w := world(ctx)
	if w.hpi.id == "" {
		return fmt.Errorf("the answer names no hpi-practitionerrole-id: no id in the body and no Location header")
	}
	return nil
}

// roleUnchanged reads the role and compares it with what it was before the
// refused request (or after the other user's update).
func roleUnchanged(ctx context.Context, sinceOther bool) error {
	w := world(ctx)
	want, version := w.hpi.read, w.hpi.version
	if sinceOther {
		want, version = w.hpi.latest, -1
	}
	got, v, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	if version >= 0 && v != version {
		return fmt.Errorf("the role was at version %d and is now at %d: the refused request changed it", version, v)
	}
	if !reflect.DeepEqual(content(want), content(got)) {
		return fmt.Errorf("the role changed: it was %s and is now %s", mustJSON(content(want)), mustJSON(content(got)))
	}
	return nil
}

// content is a role without what the server owns (meta, active).
func content(r resource) resource {
	out := deepCopy(r)
	delete(out, "meta")
	delete(out, "active")
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return excerpt(b)
}

// readShowsSent reads the role and checks that it holds what was sent.
func readShowsSent(ctx context.Context) error {
	w := world(ctx)
	got, _, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	for k, sent := range w.hpi.sent {
		if err := holds(k, sent, got[k]); err != nil {
			return err
		}
	}
	return nil
}

// holds compares one element of what was sent with what was read. The
// server owns meta, id and identifier; it may add extensions and ranks.
func holds(element string, sent, got any) error {
	switch element {
	case "meta", "id", "identifier", "active":
		return nil
	case "extension":
		have, _ := got.([]any)
		for _, e := range sent.([]any) {
			if !slices.ContainsFunc(have, func(h any) bool { return reflect.DeepEqual(h, e) }) {
				return fmt.Errorf("the role lacks the extension that was sent: %s", mustJSON(e))
			}
		}
		return nil
	case "telecom":
		return sameContacts(sent, got)
	}
	if !reflect.DeepEqual(sent, got) {
		return fmt.Errorf("%s: sent %s, the role has %s", element, mustJSON(sent), mustJSON(got))
	}
	return nil
}

func sameContacts(sent, got any) error {
	s, g := telecom(resource{"telecom": sent}), telecom(resource{"telecom": got})
	if len(s) != len(g) {
		return fmt.Errorf("sent %d contact points, the role has %d: %s", len(s), len(g), mustJSON(got))
	}
	for _, c := range s {
		if !slices.ContainsFunc(g, func(h map[string]any) bool {
			return h["system"] == c["system"] && h["value"] == c["value"] && (c["rank"] == nil || fmt.Sprint(h["rank"]) == fmt.Sprint(c["rank"]))
		}) {
			return fmt.Errorf("the role lacks the contact point that was sent: %s; it has %s", mustJSON(c), mustJSON(got))
		}
	}
	return nil
}

func readShowsNewerVersion(ctx context.Context) error {
	w := world(ctx)
	_, v, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	if v <= w.hpi.version {
		return fmt.Errorf("the update was made at version %d, and the role now reads as version %d: no new version", w.hpi.version, v)
	}
	return nil
}

// readShowsRankAssigned checks the rank given to the contact point sent
// without one: the next after the lowest-ranked (highest number) of the others.
func readShowsRankAssigned(ctx context.Context) error {
	w := world(ctx)
	got, _, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	var added map[string]any
	for _, c := range telecom(w.hpi.sent) {
		if c["rank"] == nil {
			added = c
		}
	}
	lowest, assigned := 0.0, -1.0
	for _, c := range telecom(got) {
		r, _ := c["rank"].(float64)
		if c["system"] == added["system"] && c["value"] == added["value"] {
			assigned = r
		} else if r > lowest {
			lowest = r
		}
	}
	if assigned != lowest+1 {
		return fmt.Errorf("the contact point sent without a rank should have rank %v (the next lowest), it has %v: %s", lowest+1, assigned, mustJSON(got["telecom"]))
	}
	return nil
}
