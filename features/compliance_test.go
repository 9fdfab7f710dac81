package features

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compliancePage is the page that defines the HPI compliance tests.
const compliancePage = "hpi/onboarding-and-compliance-testing.md"

// complianceIDs are the references of the compliance tests on
// compliancePage, in page order, as a tag writes them (@compliance:<ID>):
// "Security 1" is written Security-1, and the five rows that share the
// reference HPI-PR-Update are HPI-PR-Update.1 to .5 in row order
// (docs/spec-defects.md, D-HPI-60).
var complianceIDs = []string{
	"Security-1", "Security-2", "Security-3", "Security-4",
	"HPI-O-Get-1", "HPI-O-Get-2",
	"HPI-O-Search-1", "HPI-O-Search-2", "HPI-O-Search-3", "HPI-O-Search-4",
	"HPI-L-Get-1", "HPI-L-Get-2", "HPI-L-Get-3", "HPI-L-Get-4", "HPI-L-Get-5",
	"HPI-L-Search-1", "HPI-L-Search-2", "HPI-L-Search-3",
	"HPI-P-Get-1", "HPI-P-Get-2", "HPI-P-Get-3", "HPI-P-Get-4", "HPI-P-Get-5",
	"HPI-P-Get-6", "HPI-P-Get-7", "HPI-P-Get-8", "HPI-P-Get-9", "HPI-P-Get-10",
	"HPI-P-Search-1", "HPI-P-Search-2", "HPI-P-Search-3",
	"HPI-PR-Get-1",
	"HPI-PR-Search-1", "HPI-PR-Search-2", "HPI-PR-Search-3", "HPI-PR-Search-4",
	"HPI-PR-Search-5", "HPI-PR-Search-6", "HPI-PR-Search-7",
	"HPI-PR-Add-1", "HPI-PR-Add-2", "HPI-PR-Add-3",
	"HPI-PR-Update.1", "HPI-PR-Update.2", "HPI-PR-Update.3", "HPI-PR-Update.4", "HPI-PR-Update.5",
}

// TestComplianceTagsNameTestsOfThePage checks that every @compliance: tag
// names a compliance test the page defines, so a mistyped ID fails here
// rather than vanishing from the assessors' view.
func TestComplianceTagsNameTestsOfThePage(t *testing.T) {
	scenarios, err := Scenarios(FS)
	require.NoError(t, err)
	tagged := 0
	for _, s := range scenarios {
		for _, tag := range s.Tags {
			id, ok := strings.CutPrefix(tag, "@compliance:")
			if !ok {
				continue
			}
			tagged++
			assert.Contains(t, complianceIDs, id, "%s: %s names no compliance test of %s", s.URI, s.Name, compliancePage)
			assert.Contains(t, s.Tags, "@hpi", "%s: %s: the compliance tests are the HPI's", s.URI, s.Name)
		}
	}
	assert.Positive(t, tagged, "no scenario carries a @compliance: tag")
}

// TestComplianceIDsAreThePagesReferences holds the list above to the page:
// the first cell of every row of its test tables, in order.
func TestComplianceIDsAreThePagesReferences(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(specDir, compliancePage))
	if os.IsNotExist(err) {
		t.Skipf("%s not found: the compliance IDs are not checked against the page", specDir)
	}
	require.NoError(t, err)
	assert.Equal(t, complianceIDs, pageReferences(string(data)))
}

var firstCell = regexp.MustCompile(`^\s*<td>([^<]*)</td>`)

// pageReferences lists the first cell of each table row of page (header rows
// have none), spaces written as hyphens, and a reference used by several rows
// numbered .1, .2, … in row order.
func pageReferences(page string) []string {
	var refs []string
	for _, row := range strings.Split(page, "<tr>")[1:] {
		if m := firstCell.FindStringSubmatch(row); m != nil {
			refs = append(refs, strings.ReplaceAll(strings.TrimSpace(m[1]), " ", "-"))
		}
	}
	uses := map[string]int{}
	for _, r := range refs {
		uses[r]++
	}
	out := slices.Clone(refs)
	seen := map[string]int{}
	for i, r := range refs {
		if uses[r] > 1 {
			seen[r]++
			out[i] = fmt.Sprintf("%s.%d", r, seen[r])
		}
	}
	return out
}
