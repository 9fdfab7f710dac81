package steps

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/fixtures"
	"github.com/healthapi-conformance/conformance/profile"
)

// Extension URLs of the HPIPractitionerRole profile.
const (
	extStatusReason     = "http://hl7.org.nz/fhir/StructureDefinition/practitionerRole-status-reason"
	extMessagingAddress = "http://hl7.org.nz/fhir/StructureDefinition/messaging-address"
	extCreator          = "http://hl7.org.nz/fhir/StructureDefinition/practitionerRole-creator"
)

type resource = hpi.Resource

// newRole builds a role from the fixture template for the test practitioner
// and role code numbered combo, leaving out what the profile does not have.
// The last practitioner and code are kept out (see namedValue).
func (w World) newRole(combo int) (resource, error) {
	td := w.env.Profile.HPI.TestData
	code := comboCode(td, combo)
	role, err := fillTemplate("hpi/requests/new-role.json", map[string]string{
		"practitioner": comboPractitioner(td, combo),
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

// comboPractitioner is the practitioner of the test pair numbered combo.
func comboPractitioner(td profile.HPITestData, combo int) string {
	return td.Practitioners[combo%(len(td.Practitioners)-1)]
}

// comboCode is the role code of the test pair numbered combo.
func comboCode(td profile.HPITestData, combo int) profile.RoleCode {
	np, nc := len(td.Practitioners)-1, len(td.RoleCodes)-1
	return td.RoleCodes[(combo/np)%nc]
}

// comboCode is the role code of the scenario's role.
func (w World) comboCode() profile.RoleCode {
	return comboCode(w.env.Profile.HPI.TestData, w.hpi.combo)
}

// nextRole builds a role with the run's next test practitioner and code.
func (w World) nextRole() (resource, error) {
	return w.editedRole(func(resource) error { return nil })
}

// editedRole builds the run's next role changed by edit. A role the edit
// leaves without a role code differs from another code-less role of the
// same references only by practitioner, so it takes a practitioner no other
// such role of the run has (see CodelessShape).
func (w World) editedRole(edit func(resource) error) (resource, error) {
	trial, err := w.newRole(0)
	if err == nil {
		err = edit(trial)
	}
	if err != nil {
		return nil, err
	}
	if hasRoleCode(trial) {
		w.hpi.combo = int(w.env.roles.Add(1))
	} else {
		w.hpi.combo = w.env.codelessCombo(roleShape(trial))
	}
	role, err := w.newRole(w.hpi.combo)
	if err != nil {
		return nil, err
	}
	return role, edit(role)
}

// hasRoleCode says whether the role has a code with a coding.
func hasRoleCode(role resource) bool {
	codes, _ := role["code"].([]any)
	for _, c := range codes {
		if m, ok := c.(map[string]any); ok {
			if list, _ := m["coding"].([]any); len(list) > 0 {
				return true
			}
		}
	}
	return false
}

// roleShape names which of an organisation and a facility a role refers to.
func roleShape(role resource) string {
	var has []string
	for _, el := range []string{"organization", "location"} {
		if role[el] != nil {
			has = append(has, el)
		}
	}
	if len(has) == 0 {
		return "neither organization nor location"
	}
	return strings.Join(has, "+")
}

// The steps that may create a role without a role code.
var (
	addsOnlyFacility     = regexp.MustCompile(`adds a PractitionerRole with only a practitioner and a facility$`)
	addsOnlyOrganisation = regexp.MustCompile(`adds a PractitionerRole with only a practitioner and an organisation$`)
	createsRemoving      = regexp.MustCompile(`(?:adds|has created) a PractitionerRole, with (.+) removed$`)
	createsSettingCode   = regexp.MustCompile(`(?:adds|has created) a PractitionerRole, with code(\.\S+)? set to (.+)$`)
)

// CodelessShape says whether a step may create a role without a role code,
// and the shape (roleShape) such a role has with the profile's test data, so
// that the pre-flight can check each shape has a practitioner for each role.
// It errs towards yes.
func CodelessShape(step string, td profile.HPITestData) (string, bool) {
	base := resource{}
	if td.Organisation != "" {
		base["organization"] = true
	}
	if td.Facility != "" {
		base["location"] = true
	}
	switch {
	case addsOnlyFacility.MatchString(step):
		delete(base, "organization")
	case addsOnlyOrganisation.MatchString(step):
		delete(base, "location")
	case createsSettingCode.MatchString(step):
		m := createsSettingCode.FindStringSubmatch(step)
		var v any
		if m[1] == "" && (slices.Contains(namedValues, m[2]) || json.Unmarshal([]byte(m[2]), &v) == nil && hasRoleCode(resource{"code": v})) {
			return "", false // a code of the profile's, or JSON with a coding
		}
	case createsRemoving.MatchString(step):
		paths := splitPaths(createsRemoving.FindStringSubmatch(step)[1])
		if !slices.ContainsFunc(paths, func(p string) bool { return p == "code" || strings.HasPrefix(p, "code.") }) {
			return "", false
		}
		for _, p := range paths {
			delete(base, p)
		}
	default:
		return "", false
	}
	return roleShape(base), true
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

// withEnd gives a role a closed period and the status reason it then needs.
func withEnd(role resource, start, end string) error {
	p := periodOf(role)
	if start != "" {
		p["start"] = start
	}
	p["end"] = end
	exts, _ := role["extension"].([]any)
	for _, e := range exts {
		if m, ok := e.(map[string]any); ok && m["url"] == extStatusReason {
			return nil
		}
	}
	reason, err := fillTemplate("hpi/requests/status-reason.json", nil)
	if err != nil {
		return err
	}
	role["extension"] = append(exts, reason)
	return nil
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

// noRank sends a contact point without a rank (0 and -1 are ranks, and invalid).
const noRank = math.MinInt

func contact(system, value, use string, rank int) map[string]any {
	c := map[string]any{"system": system, "value": value, "use": use}
	if rank != noRank {
		c["rank"] = rank
	}
	return c
}

func telecom(role resource) []map[string]any {
	list, _ := role["telecom"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, t := range list {
		if m, ok := t.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// setEmail replaces the value of the first email contact point, or adds one.
func setEmail(role resource, address string) {
	for _, t := range telecom(role) {
		if t["system"] == "email" {
			t["value"] = address
			return
		}
	}
	list, _ := role["telecom"].([]any)
	role["telecom"] = append(list, contact("email", address, "work", noRank))
}

func deepCopy(r resource) resource {
	data, _ := json.Marshal(r)
	var out resource
	_ = json.Unmarshal(data, &out)
	return out
}

// change is applyChange as an edit.
func (w World) change(change string) func(resource) error {
	return func(role resource) error { return w.applyChange(role, change) }
}

// applyChange edits a role as a feature's words say: "<elements> removed",
// or "<element> set to <value>". Elements are dotted paths (period.end,
// telecom.0.rank), several joined by "and" or commas; a value is JSON
// ("2030-06-30" with its quotes, 3, {...}) or one of the profile's named
// values (see namedValue). The words are the analyst's: a new Examples row
// needs no code.
func (w World) applyChange(role resource, change string) error {
	if list, ok := strings.CutSuffix(change, " removed"); ok {
		for _, path := range splitPaths(list) {
			if err := knownElement(path); err != nil {
				return err
			}
			if err := removePath(role, path); err != nil {
				return err
			}
		}
		return nil
	}
	path, text, ok := strings.Cut(change, " set to ")
	if !ok {
		return fmt.Errorf(`the change %q is neither "<element> removed" nor "<element> set to <value>"`, change)
	}
	path = strings.TrimSpace(path)
	if err := knownElement(path); err != nil {
		return err
	}
	value, err := w.value(strings.TrimSpace(text))
	if err != nil {
		return err
	}
	return setPath(role, path, value)
}

// roleElements are the elements of a FHIR R4 PractitionerRole.
var roleElements = []string{"id", "meta", "implicitRules", "language", "text", "contained", "extension", "modifierExtension",
	"identifier", "active", "period", "practitioner", "organization", "code", "specialty", "location",
	"healthcareService", "telecom", "availableTime", "notAvailable", "availabilityExceptions", "endpoint"}

// knownElement refuses a path whose first element a PractitionerRole does
// not have: a misspelt element would change nothing, and the target would be
// blamed for accepting the unchanged role.
func knownElement(path string) error {
	first, _, _ := strings.Cut(path, ".")
	if !slices.Contains(roleElements, first) {
		return fmt.Errorf("%q is not an element of a PractitionerRole (FHIR R4: %s)", first, strings.Join(roleElements, ", "))
	}
	return nil
}

func splitPaths(list string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(strings.ReplaceAll(list, " and ", ","), func(r rune) bool { return r == ',' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// value reads a change's value: a named value, else JSON.
func (w World) value(text string) (any, error) {
	if v, ok := w.namedValue(text); ok {
		return v, nil
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("the value %s is neither JSON (write a date as \"2030-06-30\", with quotes) nor a named value (%s)", text, strings.Join(namedValues, ", "))
	}
	return v, nil
}

// namedValues are the words a change may use for the profile's test data.
var namedValues = []string{"another practitioner", "an unknown practitioner", "a different role code",
	"the practitioner's id as a Person", "a reference to the organisation", "a reference to the facility", "two references to the facility",
	"two role codes", "two messaging addresses", "a creator extension naming another person"}

// namedValue resolves a named value. The "other" practitioner and code are
// the profile's last ones, which no created role uses: even a target that
// wrongly accepts the change does not make the moved role collide with
// another scenario's.
func (w World) namedValue(text string) (any, bool) {
	td := w.env.Profile.HPI.TestData
	switch text {
	case "another practitioner":
		return map[string]any{"reference": "Practitioner/" + td.Practitioners[len(td.Practitioners)-1]}, true
	case "an unknown practitioner":
		return map[string]any{"reference": "Practitioner/" + td.UnknownPractitioner}, true
	case "a different role code":
		return []any{roleCode(td.RoleCodes[len(td.RoleCodes)-1])}, true
	case "the practitioner's id as a Person": // the id of the role's practitioner (newRole), as the creator extension names persons
		return map[string]any{"reference": "Person/" + comboPractitioner(td, w.hpi.combo)}, true
	case "a reference to the organisation":
		return map[string]any{"reference": "Organization/" + td.Organisation}, true
	case "a reference to the facility":
		return map[string]any{"reference": "Location/" + td.Facility}, true
	case "two references to the facility":
		return []any{map[string]any{"reference": "Location/" + td.Facility}, map[string]any{"reference": "Location/" + td.Facility}}, true
	case "two role codes": // the role's own, first, and the one no created role uses
		return []any{roleCode(w.comboCode()), roleCode(td.RoleCodes[len(td.RoleCodes)-1])}, true
	case "two messaging addresses":
		return []any{messagingAddress("healthlink", "first-edi-address"), messagingAddress("healthlink", "second-edi-address")}, true
	case "a creator extension naming another person":
		return []any{map[string]any{"url": extCreator, "extension": []any{
			map[string]any{"url": "person", "valueReference": map[string]any{"reference": "Person/another-person"}},
		}}}, true
	}
	return nil, false
}

func roleCode(c profile.RoleCode) map[string]any {
	return map[string]any{
		"coding": []any{map[string]any{"system": c.System, "code": c.Code, "display": c.Display}},
		"text":   c.Display,
	}
}

func messagingAddress(provider, value string) map[string]any {
	return map[string]any{"url": extMessagingAddress, "extension": []any{
		map[string]any{"url": "provider", "valueString": provider},
		map[string]any{"url": "value", "valueString": value},
	}}
}

// setPath sets the element at a dotted path, creating objects on the way.
func setPath(role resource, path string, value any) error {
	parent, last, err := walk(role, path, true)
	if err != nil {
		return err
	}
	return assign(parent, last, value, path)
}

// removePath deletes the element at a dotted path; a missing one is no error.
func removePath(role resource, path string) error {
	parent, last, err := walk(role, path, false)
	if err != nil || parent == nil {
		return err
	}
	switch p := parent.(type) {
	case map[string]any:
		delete(p, last)
	case []any:
		return fmt.Errorf("%s: remove a list item by setting the list", path)
	}
	return nil
}

// walk finds the container of the last element of path.
func walk(role resource, path string, create bool) (any, string, error) {
	keys := strings.Split(path, ".")
	var node any = role
	for _, k := range keys[:len(keys)-1] {
		next, err := child(node, k, path)
		if err != nil {
			return nil, "", err
		}
		if next == nil {
			if !create {
				return nil, "", nil
			}
			next = map[string]any{}
			if err := assign(node, k, next, path); err != nil {
				return nil, "", err
			}
		}
		node = next
	}
	return node, keys[len(keys)-1], nil
}

func child(node any, key, path string) (any, error) {
	switch n := node.(type) {
	case map[string]any:
		return n[key], nil
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n) {
			return nil, fmt.Errorf("%s: %q is not an index of a list of %d", path, key, len(n))
		}
		return n[i], nil
	}
	return nil, fmt.Errorf("%s: %q is inside a value that is neither an object nor a list", path, key)
}

func assign(node any, key string, value any, path string) error {
	switch n := node.(type) {
	case map[string]any:
		n[key] = value
		return nil
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n) {
			return fmt.Errorf("%s: %q is not an index of a list of %d", path, key, len(n))
		}
		n[i] = value
		return nil
	}
	return fmt.Errorf("%s: cannot set %q inside a value that is neither an object nor a list", path, key)
}
