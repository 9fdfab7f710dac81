package steps

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/api/ers"
)

func TestPickers(t *testing.T) {
	functions, err := ers.BusinessFunctions()
	require.NoError(t, err)
	everyFunction := make([]ers.Permission, len(functions))
	for i, f := range functions {
		everyFunction[i] = perm(f, "R01")
	}
	clinician := sessionWith(perm("REFERRING_CLINICIAN", "R01"), perm("REFERRING_CLINICIAN_ADMIN", "R01"), perm("SERVICE_DEFINER", "R01"))
	multiOrg := sessionWith(perm("REFERRING_CLINICIAN", "R01"), perm("SERVICE_PROVIDER_ADMIN", "RCD"))
	sameAtBoth := sessionWith(perm("REFERRING_CLINICIAN", "R01"), perm("REFERRING_CLINICIAN", "RCD"))
	empty := sessionWith()

	cases := []struct {
		name    string
		pick    picker
		session *ers.Session
		want    ers.Permission
		err     string
	}{
		{"lastListed: the last one", lastListed, clinician, perm("SERVICE_DEFINER", "R01"), ""},
		{"lastListed: the only one", lastListed, sessionWith(perm("BOOKING_MANAGER", "X1")), perm("BOOKING_MANAGER", "X1"), ""},
		{"lastListed: none listed", lastListed, empty, ers.Permission{}, "lists no permissions to select"},

		{"notHeld: the first documented function not held", notHeld, clinician, perm("REFERRING_ADMIN", "R01"), ""},
		{"notHeld: at the first organisation listed", notHeld, multiOrg, perm("REFERRING_CLINICIAN_ADMIN", "R01"), ""},
		{"notHeld: every function held", notHeld, sessionWith(everyFunction...), ers.Permission{}, "holds every business function at R01"},
		{"notHeld: none listed", notHeld, empty, ers.Permission{}, "lists no permissions"},

		{"heldElsewhere: held at one organisation only", heldElsewhere, multiOrg, perm("REFERRING_CLINICIAN", "RCD"), ""},
		{"heldElsewhere: the same functions at both", heldElsewhere, sameAtBoth, ers.Permission{}, "different business functions at two organisations"},
		{"heldElsewhere: one organisation", heldElsewhere, clinician, ers.Permission{}, "different business functions at two organisations"},
		{"heldElsewhere: none listed", heldElsewhere, empty, ers.Permission{}, "the session lists []"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.pick(tc.session)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "orgName included")
		})
	}
}

func TestNotHeldAndHeldElsewherePickWhatIsNotListed(t *testing.T) {
	functions, err := ers.BusinessFunctions()
	require.NoError(t, err)
	for _, s := range []*ers.Session{
		sessionWith(perm("REFERRING_CLINICIAN", "R01"), perm("SERVICE_PROVIDER_ADMIN", "RCD")),
		sessionWith(perm("SERVICE_PROVIDER_ADMIN", "RCD"), perm("REFERRING_CLINICIAN", "R01"), perm("REFERRING_CLINICIAN", "RCD")),
	} {
		t.Run(ers.PermissionsText(s.User.Permissions), func(t *testing.T) {
			for name, pick := range map[string]picker{"notHeld": notHeld, "heldElsewhere": heldElsewhere} {
				p, err := pick(s)
				require.NoError(t, err, name)
				assert.False(t, slices.ContainsFunc(s.User.Permissions, p.Same), "%s picked %s, which is listed", name, p)
				assert.Contains(t, functions, p.BusinessFunction, name)
				assert.True(t, slices.ContainsFunc(s.User.Permissions, func(q ers.Permission) bool { return q.OrgIdentifier == p.OrgIdentifier }),
					"%s picked %s, at an organisation not listed", name, p)
			}
		})
	}
}
