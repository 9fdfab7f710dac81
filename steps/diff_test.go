package steps

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/refserver"
)

// changed splits a failure message's difference into what it marks
// removed (-) and added (+), each line trimmed.
func changed(msg string) (removed, added []string) {
	for _, line := range strings.Split(msg, "\n")[1:] {
		switch {
		case strings.HasPrefix(line, "-"):
			removed = append(removed, strings.TrimSpace(line[1:]))
		case strings.HasPrefix(line, "+"):
			added = append(added, strings.TrimSpace(line[1:]))
		}
	}
	return removed, added
}

// The Thens that compare lists and JSON bodies say how the two differ,
// line by line, rather than printing both whole.
func TestListAndBodyFailuresShowTheDifference(t *testing.T) {
	cases := []struct {
		name     string
		mutants  []refserver.Mutant
		steps    string
		headline string
		removed  []string // a line marked - holds each
		added    []string // a line marked + holds each
		same     string   // no line marked - or + holds it
	}{
		{"the permissions listed", []refserver.Mutant{refserver.ErsCreateExtraPermission}, `
			When the smartcard user "clinician" creates a professional session
			Then the session lists exactly the permissions the profile gives for "clinician"`,
			`user.permissions are not those the profile gives for "clinician" (-expected +got):`,
			nil, []string{"at "}, `"REFERRING_CLINICIAN at R01"`},
		{"the permissions kept", []refserver.Mutant{refserver.ErsSelectDropsPermissions}, `
			Given the smartcard user "multi-org" has opened a professional session
			When the user selects a permission their session lists
			Then the session lists the same permissions as when it was opened`,
			"user.permissions are not those listed when the session was opened (-opened +now):",
			[]string{" at "}, nil, ""},
		{"a role changed by a stale update", []refserver.Mutant{refserver.HpiStaleVersionAccepted}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			And another user has since updated the role
			When the system updates the role's contact points with the version it read
			Then the role is unchanged since the other user's update`,
			"the role changed (-before +now):", []string{`"value":`}, []string{`"value":`}, `"practitioner"`},
		{"what an update may not modify", []refserver.Mutant{refserver.HpiActiveKeptAsSent}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role, with active set to false
			Then the role's active is as it was`,
			"the update changed the role's active, which an update can not modify", []string{"true"}, []string{"false"}, ""},
		{"contact points not saved", []refserver.Mutant{refserver.HpiUpdateNotSaved}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role's contact points
			Then reading the role shows what the update sent`,
			"the role lacks the contact point that was sent:", []string{`"value":`}, []string{`"value":`}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			steps := parseSteps(tc.steps)
			failed, err := play(t, NewWorld(referenceEnv(t, tc.mutants...)), steps)
			require.Error(t, err)
			require.Equal(t, len(steps)-1, failed, "the last step fails: %v", err)
			require.True(t, IsViolation(err), "%v", err)
			msg := err.Error()
			t.Log(msg)
			assert.Contains(t, strings.Split(msg, "\n")[0], tc.headline)
			removed, added := changed(msg)
			assert.NotEmpty(t, append(removed, added...), "a difference below the headline")
			for _, want := range tc.removed {
				assert.True(t, containsPart(removed, want), "a - line holds %q", want)
			}
			for _, want := range tc.added {
				assert.True(t, containsPart(added, want), "a + line holds %q", want)
			}
			if tc.same != "" {
				assert.False(t, containsPart(append(removed, added...), tc.same), "what is the same, %s, is not marked", tc.same)
			}
		})
	}
}

func containsPart(lines []string, part string) bool {
	for _, l := range lines {
		if strings.Contains(l, part) {
			return true
		}
	}
	return false
}

// The difference of two JSON values marks what differs, and only that.
func TestHoldsShowsTheDifference(t *testing.T) {
	err := holds("period", map[string]any{"start": "2020-01-01", "end": "2030-01-01"}, map[string]any{"start": "2020-01-02", "end": "2030-01-01"})
	require.Error(t, err)
	removed, added := changed(err.Error())
	assert.Equal(t, []string{`"start": string("2020-01-01"),`}, removed)
	assert.Equal(t, []string{`"start": string("2020-01-02"),`}, added)
	assert.NotContains(t, err.Error(), "\u00a0", "spaces a reader can copy")
}

// Contact points are compared as a set: their difference is too.
func TestSameContactsShowsTheDifferenceAsASet(t *testing.T) {
	phone := map[string]any{"system": "phone", "value": "6449999999", "rank": 1.0}
	email := map[string]any{"system": "email", "value": "practice@example.org", "rank": 2.0}
	other := map[string]any{"system": "email", "value": "other@example.org", "rank": 2.0}
	err := sameContacts([]any{phone, email}, []any{other, phone})
	require.Error(t, err)
	removed, added := changed(err.Error())
	assert.True(t, containsPart(removed, "practice@example.org"), err.Error())
	assert.True(t, containsPart(added, "other@example.org"), err.Error())
	assert.False(t, containsPart(append(removed, added...), "6449999999"), "the phone, held in another place, is the same: %s", err)
}
