package steps

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
)

// What the add and update pages promise of an answer, and what
// profile-HpiPractitionerRole.fsh and the examples say of the role the HPI
// holds afterwards.
func (w World) hpiRoleThenSteps(r Registrar) {
	r.Step(phrase(`^the answer names the (?:new role's|role's new) version$`), w.answerNamesVersion)
	r.Step(phrase(elementAsItWasStep), w.elementAsItWas)
	r.Step(phrase(`^the role carries its hpi-practitionerrole-id as the profile's one official identifier$`), w.carriesOfficialID)
	r.Step(phrase(`^whatever the answer, the role the HPI holds keeps to the elements of the HPIPractitionerRole profile$`), w.heldKeepsToProfile)
	r.Step(phrase(`^whatever the answer, the HPI holds no role with the role code "([^"]*)"$`), w.holdsNoRoleCode)
	r.Step(phrase(`^whatever the answer, the role the HPI holds has no contact point of use "([^"]*)"$`), w.holdsNoContactUse)
	r.Step(phrase(`^the new role, if it says whether it is active, says it is not$`), w.endedRoleInactive)
}

// answerNamesVersion: the application "retains the version number for
// future requests", so the answer names it (docs/spec-defects.md, D-HPI-49),
// and it is the version the role then reads as.
func (w World) answerNamesVersion(ctx context.Context) error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if w.addNamedNoRole() {
		return violatedNoID()
	}
	v, found, err := namedVersion(ex)
	switch {
	case err != nil:
		return violated("the answer's version: %v", err)
	case !found:
		return violated("the answer (%d) names no version: no ETag, no meta.versionId, no Location with /_history/ (the application retains the version number for future requests); headers: %v",
			ex.Status, ex.Header)
	}
	_, read, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	if read != v {
		return violated("the answer names version %d, and the role then reads as version %d", v, read)
	}
	return nil
}

// namedVersion is the version an answer names: its ETag, else its body's
// meta.versionId, else the _history of its Location.
func namedVersion(ex *exchange.Exchange) (int, bool, error) {
	if tag := ex.Header.Get("ETag"); tag != "" {
		v, err := hpi.ParseVersion(tag)
		return v, err == nil, err
	}
	if role, err := hpi.ParseResource(ex.Body); err == nil {
		if meta, _ := role["meta"].(map[string]any); meta != nil {
			if id, ok := meta["versionId"].(string); ok {
				v, err := hpi.ParseVersion(id)
				return v, err == nil, err
			}
		}
	}
	for _, h := range []string{"Location", "Content-Location"} {
		if _, history, ok := strings.Cut(ex.Header.Get(h), "/_history/"); ok {
			v, err := hpi.ParseVersion(strings.TrimSuffix(history, "/"))
			return v, err == nil, err
		}
	}
	return 0, false, nil
}

// elementAsItWas: what an update may not modify and the server may ignore
// (docs/spec-defects.md, D-HPI-48) is, after the update, as the system read it.
func (w World) elementAsItWas(ctx context.Context, element string) error {
	now, _, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	was, is := elementOf(w.hpi.read, element), elementOf(now, element)
	if !reflect.DeepEqual(was, is) {
		return violated("the update changed the role's %s, which an update can not modify (update-practitionerrole.md, Update PractitionerRole rules) (-before +now):%s",
			element, difference(was, is))
	}
	return nil
}

// elementOf is a top-level element of a role, or "creator", its practitionerRole-creator extension.
func elementOf(r resource, element string) any {
	if element == "creator" {
		e, _ := extensionOf(r, extCreator)
		return e
	}
	return r[element]
}

// riSystem is the system of the profile's official identifier slice (RI).
const riSystem = "https://standards.digital.health.nz/ns/hpi-practitionerrole-id"

// carriesOfficialID reads the role and holds its identifiers to the RI
// slice: one (0..1, MustSupport) of use official and the fixed system,
// valued the role's id, with neither type nor period (0..0).
func (w World) carriesOfficialID(ctx context.Context) error {
	role, _, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	ri, _ := officialIDs(role)
	list := role["identifier"]
	const where = "profile-HpiPractitionerRole.fsh, identifier[RI]"
	switch {
	case len(ri) == 0:
		return violated("the role has no identifier of use official and system %s (%s, MustSupport); its identifiers: %s", riSystem, where, mustJSON(list))
	case len(ri) > 1:
		return violated("the role has %d official %s identifiers (%s, 0..1): %s", len(ri), riSystem, where, mustJSON(list))
	case ri[0]["value"] != w.hpi.id:
		return violated("the official identifier is %v, the role's id %s (%s)", ri[0]["value"], w.hpi.id, where)
	case ri[0]["type"] != nil:
		return violated("the official identifier has a type, which the profile removes (%s.type 0..0): %s", where, mustJSON(ri[0]))
	case ri[0]["period"] != nil:
		return violated("the official identifier has a period, which the profile removes (%s.period 0..0): %s", where, mustJSON(ri[0]))
	}
	return nil
}

// officialIDs splits a role's identifiers into those of the RI slice (use
// official, the fixed system) and the others.
func officialIDs(role resource) (ri []map[string]any, others []any) {
	list, _ := role["identifier"].([]any)
	for _, i := range list {
		if m, ok := i.(map[string]any); ok && m["use"] == "official" && m["system"] == riSystem {
			ri = append(ri, m)
		} else {
			others = append(others, i)
		}
	}
	return ri, others
}

// held reads the role the last request leaves: the role under test. After
// an add the target refused, it holds none, and no role breaks a rule.
func (w World) held(ctx context.Context) (resource, bool, error) {
	if w.hpi.id == "" && !w.addNamedNoRole() {
		_, err := w.answer()
		return nil, false, err
	}
	role, _, err := w.readRole(ctx)
	return role, err == nil, err
}

// heldKeepsToProfile: whether the target refused what the step sent or
// dropped what the profile does not allow, the role it holds keeps to the
// profile's elements.
func (w World) heldKeepsToProfile(ctx context.Context) error {
	role, ok, err := w.held(ctx)
	if !ok {
		return err
	}
	if breaches := profileBreaches(role); len(breaches) > 0 {
		return violated("the role the HPI holds breaks profile-HpiPractitionerRole.fsh: %s; the role: %s", strings.Join(breaches, "; "), mustJSON(role))
	}
	return nil
}

// removedElements are the elements the profile removes (0..0).
var removedElements = []string{"specialty", "healthcareService", "availableTime", "notAvailable", "availabilityExceptions", "endpoint"}

// contactPointUses are FHIR R4's ContactPoint.use codes, the most the HPI's
// value set can hold (docs/spec-defects.md, D-HPI-42).
var contactPointUses = []string{"home", "work", "temp", "old", "mobile"}

// profileBreaches lists what of a role the profile's elements do not allow.
func profileBreaches(role resource) []string {
	var out []string
	for _, el := range removedElements {
		if present(role[el]) {
			out = append(out, el+" is there, which the profile removes (0..0)")
		}
	}
	for _, el := range []string{"location", "code"} {
		if list, _ := role[el].([]any); len(list) > 1 {
			out = append(out, fmt.Sprintf("%s has %d items (0..1)", el, len(list)))
		}
	}
	if n := len(extensionsOf(role, extMessagingAddress)); n > 1 {
		out = append(out, fmt.Sprintf("%d messaging addresses (messaging-address 0..1)", n))
	}
	for _, r := range []struct{ element, kind string }{{"practitioner", "Practitioner"}, {"organization", "Organization"}, {"location", "Location"}} {
		for _, ref := range references(role[r.element]) {
			if referenceType(ref) != r.kind {
				out = append(out, fmt.Sprintf("%s references %q (only Reference(%s))", r.element, ref, r.kind))
			}
		}
	}
	for _, t := range telecom(role) {
		if use, given := t["use"]; given && !slices.Contains(contactPointUses, fmt.Sprint(use)) {
			out = append(out, fmt.Sprintf("a contact point has the use %q (telecom.use from hpi-contact-point-use-code)", use))
		}
	}
	return out
}

func (w World) holdsNoRoleCode(ctx context.Context, code string) error {
	role, ok, err := w.held(ctx)
	if !ok {
		return err
	}
	codes, _ := role["code"].([]any)
	for _, cc := range codes {
		m, _ := cc.(map[string]any)
		codings, _ := m["coding"].([]any)
		for _, c := range codings {
			if cm, _ := c.(map[string]any); cm["code"] == code {
				return violated("the role holds the role code %q, which no practitioner-role-code value set holds (profile-HpiPractitionerRole.fsh: code from it, a required binding): %s", code, mustJSON(codes))
			}
		}
	}
	return nil
}

func (w World) holdsNoContactUse(ctx context.Context, use string) error {
	role, ok, err := w.held(ctx)
	if !ok {
		return err
	}
	for _, t := range telecom(role) {
		if t["use"] == use {
			return violated("the role holds a contact point of use %q, outside hpi-contact-point-use-code (profile-HpiPractitionerRole.fsh: telecom.use from it, a required binding): %s", use, mustJSON(t))
		}
	}
	return nil
}

// endedRoleInactive: the examples, which have ended, say active = false; a
// role that says whether it is active says so (the field is not required).
func (w World) endedRoleInactive(ctx context.Context) error {
	role, _, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	if active, given := role["active"]; given && active != false {
		return violated("the role ended (period %s) and reads active: %v (examples-practitionerRole.fsh: active = false)", mustJSON(role["period"]), active)
	}
	return nil
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
	ref, _, _ = strings.Cut(strings.TrimSuffix(ref, "/"), "/_history/")
	parts := strings.Split(ref, "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
}

func extensionsOf(r resource, url string) []any {
	var out []any
	list, _ := r["extension"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["url"] == url {
			out = append(out, e)
		}
	}
	return out
}
