package profiles

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/refserver"
)

// The reference profile documents the format, and must sign in as the
// reference server's fixture users with the permissions they really hold.
func TestReferenceProfileMatchesFixtures(t *testing.T) {
	p, err := profile.Parse(Reference, "reference.yaml")
	require.NoError(t, err)
	fixtures, err := refserver.FixtureUsers()
	require.NoError(t, err)
	byToken := map[string]refserver.SmartcardUser{}
	for _, f := range fixtures {
		byToken[f.Token] = f
	}
	for name, u := range p.ERS.Users {
		f, ok := byToken[u.Token.Value()]
		require.True(t, ok, "user %s: token is not a fixture token", name)
		assert.Equal(t, f.User.Identifier, u.Identifier, name)
		var held []profile.Permission
		for _, perm := range f.User.Permissions {
			held = append(held, profile.Permission{BusinessFunction: perm.BusinessFunction, OrgIdentifier: perm.OrgIdentifier})
		}
		assert.ElementsMatch(t, held, u.Permissions, name)
	}
}

func TestVendorExampleParsesWithItsVariablesSet(t *testing.T) {
	t.Setenv("ERS_CLINICIAN_TOKEN", "clinician-token")
	t.Setenv("ERS_MULTI_ORG_TOKEN", "multi-org-token")
	t.Setenv("HPI_CLIENT_SECRET", "client-secret")
	t.Setenv("HPI_API_KEY", "api-key-value")
	data, err := os.ReadFile("vendor-example.yaml")
	require.NoError(t, err)
	_, err = profile.Parse(data, "vendor-example.yaml")
	assert.NoError(t, err)
}

// The reference profile's HPI client and test IDs must be the reference server's.
func TestReferenceProfileMatchesHPIFixtures(t *testing.T) {
	p, err := profile.Parse(Reference, "reference.yaml")
	require.NoError(t, err)
	clients, err := refserver.FixtureClients()
	require.NoError(t, err)
	require.NotEmpty(t, clients)
	c := clients[0]
	assert.Equal(t, c.ClientID, p.HPI.ClientID)
	assert.Equal(t, c.ClientSecret, p.HPI.ClientSecret.Value())
	assert.Equal(t, c.APIKey, p.HPI.APIKey.Value())
	seed, err := refserver.FixtureHPISeed()
	require.NoError(t, err)
	assert.Subset(t, seed.Practitioners, p.HPI.TestData.Practitioners)
	assert.NotContains(t, seed.Practitioners, p.HPI.TestData.UnknownPractitioner)
	assert.Contains(t, seed.Organisations, p.HPI.TestData.Organisation)
	assert.Contains(t, seed.Facilities, p.HPI.TestData.Facility)
}
