package harness

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// rowsTheSuiteDoesNotShip are Examples rows an analyst might add: another
// invalid date, email and mobile number, and other field changes. They
// need no Go code.
const rowsTheSuiteDoesNotShip = `@hpi @source:hpi/add-practitionerrole.md
Feature: Rows an analyst added

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  @rule:HPI-PERIOD-date-format
  Scenario Outline: Another period end date not written YYYY-MM-DD
    When the system ends the role on "<date>" with a status reason
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | severity | code       | message                                         |
      | error    | processing | Period is not valid; format must be yyyy-mm-dd |

    Examples:
      | date       |
      | 2030-13-01 |

  @rule:HPI-CONTACT-email-format
  Scenario Outline: Another email address with no domain part
    When the system adds the contact point "email" "<address>" with rank 3
    Then the request is refused with a 4xx status

    Examples:
      | address                |
      | reception@example.org@ |

  @rule:HPI-CONTACT-mobile-format
  Scenario Outline: Another mobile number with punctuation
    When the system adds the mobile number "<number>"
    Then the request is refused with a 4xx status

    Examples:
      | number        |
      | (021)5550101 |

  @rule:HPI-UPD-person-matches
  Scenario Outline: Another field change
    When the system updates the role, with <change>
    Then the response status is 422 Unprocessable Entity
    And the role is unchanged

    Examples:
      | change                                                   |
      | practitioner.reference set to "Practitioner/91ZZZZ"     |
      | location set to [{"reference": "Location/F99999-Z"}]     |
`

// TestNewExamplesRowsNeedNoCode runs rows the suite does not ship: they
// pass against the reference server, and each fails against the mutant
// that switches its rule off, so they are judged, not merely parsed.
func TestNewExamplesRowsNeedNoCode(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "hpi"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hpi", "extra.feature"), []byte(rowsTheSuiteDoesNotShip), 0o644))

	res, err := Execute(context.Background(), Config{FeaturesDir: dir, Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	assert.Len(t, res.Scenarios, 5)
	assert.Empty(t, res.Failed(), "the new rows pass against the reference server")

	for mutant, failing := range map[refserver.Mutant]string{
		refserver.HpiPeriodFormatUnchecked: "Another period end date not written YYYY-MM-DD",
		refserver.HpiEmailFormatUnchecked:  "Another email address with no domain part",
		refserver.HpiMobileFormatUnchecked: "Another mobile number with punctuation",
		refserver.HpiPersonChangeAccepted:  "Another field change",
	} {
		res, err := Execute(context.Background(), Config{FeaturesDir: dir, Format: "progress", Stdout: &strings.Builder{}, Mutants: []refserver.Mutant{mutant}})
		require.NoError(t, err)
		var names []string
		for _, s := range res.Failed() {
			names = append(names, s.Name)
		}
		assert.Contains(t, names, failing, "mutant %s", mutant)
	}
}

// TestAChangeInWordsTheStepsDoNotKnowSaysSo: a row whose change is not in
// the vocabulary is not judged, with a message naming the words; nothing is
// blamed on the target.
func TestAChangeInWordsTheStepsDoNotKnowSaysSo(t *testing.T) {
	dir := t.TempDir()
	feature := strings.Replace(rowsTheSuiteDoesNotShip, `| location set to [{"reference": "Location/F99999-Z"}]     |`, `| location moved elsewhere set to nowhere |`, 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "extra.feature"), []byte(feature), 0o644))
	res, err := Execute(context.Background(), Config{FeaturesDir: dir, Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	assert.Empty(t, res.Failed())
	unjudged := res.With(suite.NotJudged)
	require.Len(t, unjudged, 1)
	assert.Contains(t, unjudged[0].Reason, `"location moved elsewhere" is not an element of a PractitionerRole`)
	assert.Equal(t, ExitNotJudged, res.Code)
}

// TestPrettyOutputNamesTheStepFunctions: each step line points at the table
// line of its phrase and names the method behind it.
func TestPrettyOutputNamesTheStepFunctions(t *testing.T) {
	var out strings.Builder
	res, err := Execute(context.Background(), Config{Tags: "@ers", Format: "pretty", Stdout: &out})
	require.NoError(t, err)
	require.Empty(t, res.Failed())
	text := out.String()
	assert.Contains(t, text, "# ers_when.go:")
	assert.Contains(t, text, "steps.World.createSession-fm")
	assert.Contains(t, text, "# response_then.go:")
	assert.NotContains(t, text, "makeFuncStub")
	assert.NotContains(t, text, "suite.go")
}
