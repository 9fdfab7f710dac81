package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRoleFillsTheTemplate(t *testing.T) {
	w := referenceWorld(t)
	role, err := w.newRole(0)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"reference": "Practitioner/91ZZAA"}, role["practitioner"])
	assert.Equal(t, map[string]any{"reference": "Organization/GZZ998-G"}, role["organization"])
	assert.Equal(t, []any{map[string]any{"reference": "Location/FZZ999-B"}}, role["location"])
	assert.Equal(t, "542114", role["code"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"])

	next, err := w.newRole(1)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"reference": "Practitioner/91ZZAB"}, next["practitioner"], "each combination has its own practitioner")
	last, err := w.newRole(39)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"reference": "Practitioner/91ZZAA"}, last["practitioner"], "the last practitioner is never used")
	assert.Equal(t, "253311", last["code"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"], "and the next role code is")
}

func TestApplyChange(t *testing.T) {
	w := referenceWorld(t)
	cases := []struct {
		name    string
		changes []string
		edit    func(role resource) // what the changes do to the template role
	}{
		{"an element removed", []string{"practitioner removed"}, func(r resource) {
			delete(r, "practitioner")
		}},
		{"two elements removed", []string{"organization and location removed"}, func(r resource) {
			delete(r, "organization")
			delete(r, "location")
		}},
		{"a list of elements removed", []string{"organization, location and code removed"}, func(r resource) {
			delete(r, "organization")
			delete(r, "location")
			delete(r, "code")
		}},
		{"a missing element removed", []string{"period.end removed", "availableTime.0.allDay removed"}, func(resource) {}},
		{"a date set", []string{`period.end set to "2030-06-30"`}, func(r resource) {
			r["period"].(map[string]any)["end"] = "2030-06-30"
		}},
		{"a list item's element set", []string{"telecom.0.rank set to 5"}, func(r resource) {
			r["telecom"].([]any)[0].(map[string]any)["rank"] = 5.0
		}},
		{"a list item set", []string{`telecom.1 set to {"system": "url", "value": "https://example.org"}`}, func(r resource) {
			r["telecom"].([]any)[1] = map[string]any{"system": "url", "value": "https://example.org"}
		}},
		{"nested objects created", []string{"organization removed", `organization.reference set to "Organization/X"`}, func(r resource) {
			r["organization"] = map[string]any{"reference": "Organization/X"}
		}},
		{"objects created at depth", []string{`specialty.b.c set to null`}, func(r resource) {
			r["specialty"] = map[string]any{"b": map[string]any{"c": nil}}
		}},
		{"another practitioner", []string{"practitioner set to another practitioner"}, func(r resource) {
			r["practitioner"] = map[string]any{"reference": "Practitioner/91ZZEH"}
		}},
		{"an unknown practitioner", []string{"practitioner set to an unknown practitioner"}, func(r resource) {
			r["practitioner"] = map[string]any{"reference": "Practitioner/99ZZZZ"}
		}},
		{"a different role code", []string{"code set to a different role code"}, func(r resource) {
			r["code"] = []any{map[string]any{
				"coding": []any{map[string]any{"system": "http://www.abs.gov.au/ausstats/abs@.nsf/mf/1220.0", "code": "254411", "display": "Nurse Practitioner"}},
				"text":   "Nurse Practitioner",
			}}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			role, want := templateRole(t, w), templateRole(t, w)
			for _, change := range tc.changes {
				require.NoError(t, w.applyChange(role, change), change)
			}
			tc.edit(want)
			assert.Equal(t, want, role)
		})
	}
}

func TestApplyChangeRefuses(t *testing.T) {
	w := referenceWorld(t)
	cases := []struct {
		change, err string
	}{
		{"practitioner changed", `is neither "<element> removed" nor "<element> set to <value>"`},
		{"practitioner set", "is neither"},
		{"period.end set to 2030-06-30", "is neither JSON"},
		{"practitoner removed", `"practitoner" is not an element of a PractitionerRole`},
		{`organisation.reference set to "Organization/X"`, `"organisation" is not an element`},
		{"practitioner set to a practitioner nobody named", "nor a named value (another practitioner, an unknown practitioner, a different role code, the practitioner"},
		{"telecom.9.rank set to 1", `telecom.9.rank: "9" is not an index of a list of 2`},
		{"telecom.2.rank set to 1", `telecom.2.rank: "2" is not an index of a list of 2`},
		{"telecom.2 set to {}", `telecom.2: "2" is not an index of a list of 2`},
		{"telecom.-1.rank set to 1", "is not an index"},
		{"telecom.first.rank set to 1", `"first" is not an index`},
		{"telecom.9.rank removed", "is not an index"},
		{"telecom.0 removed", "remove a list item by setting the list"},
		{"period.start.year set to 2020", "neither an object nor a list"},
		{"period.start.year.day set to 1", "neither an object nor a list"},
	}
	for _, tc := range cases {
		t.Run(tc.change, func(t *testing.T) {
			assert.ErrorContains(t, w.applyChange(templateRole(t, w), tc.change), tc.err)
		})
	}
}

func TestWithEndAddsTheStatusReasonOnce(t *testing.T) {
	w := referenceWorld(t)
	role := templateRole(t, w)
	require.NoError(t, withEnd(role, "", "2030-06-30"))
	require.NoError(t, withEnd(role, "2021-01-01", "2031-06-30"))
	assert.Equal(t, map[string]any{"start": "2021-01-01", "end": "2031-06-30"}, role["period"])
	exts := role["extension"].([]any)
	require.Len(t, exts, 1)
	assert.Equal(t, extStatusReason, exts[0].(map[string]any)["url"])
}

func TestSetEmail(t *testing.T) {
	w := referenceWorld(t)
	role := templateRole(t, w)
	setEmail(role, "new@example.org")
	assert.Equal(t, "new@example.org", telecom(role)[1]["value"], "the email contact point is changed")
	assert.Len(t, telecom(role), 2)

	delete(role, "telecom")
	setEmail(role, "added@example.org")
	assert.Equal(t, []map[string]any{{"system": "email", "value": "added@example.org", "use": "work"}}, telecom(role), "added without a rank")
}

// templateRole is the role the steps create first.
func templateRole(t *testing.T, w World) resource {
	t.Helper()
	role, err := w.newRole(0)
	require.NoError(t, err)
	return role
}
