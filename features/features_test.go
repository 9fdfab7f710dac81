package features

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specDir is the specification beside the repository, as CI lays it out.
const specDir = "../../shared/spec"

// TestEveryScenarioIsTraceable checks what analysts rely on: every scenario
// names its API, the rule it checks, and a spec page that exists.
func TestEveryScenarioIsTraceable(t *testing.T) {
	_, err := os.Stat(specDir)
	haveSpec := err == nil
	scenarios, err := Scenarios(FS)
	require.NoError(t, err)
	assert.Greater(t, len(scenarios), 90)
	for _, s := range scenarios {
		api := strings.Split(s.URI, "/")[0]
		where := s.URI + ": " + s.Name
		assert.Contains(t, s.Tags, "@"+api, where)
		assert.NotEmpty(t, s.Rules(), "%s has no @rule: tag", where)
		assert.True(t, slices.ContainsFunc(s.Tags, func(tag string) bool { return strings.HasPrefix(tag, "@source:") }), "%s has no @source: tag", where)
		for _, tag := range s.Tags {
			// FHIR R4's RESTful API page is not copied; the spec's README states what of it applies.
			if src, ok := strings.CutPrefix(tag, "@source:"); ok && haveSpec && !strings.HasPrefix(src, "fhir-r4/http.html") {
				_, err := os.Stat(filepath.Join(specDir, src))
				assert.NoError(t, err, "%s cites a page that is not in the spec", where)
			}
		}
	}
	if !haveSpec {
		t.Logf("%s not found: @source pages not checked", specDir)
	}
}
