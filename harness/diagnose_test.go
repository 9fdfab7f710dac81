package harness

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/refserver"
)

// With one mutant on, the failing testcase of the junit report carries its
// rule and its feature's page as properties, names its file and line, and
// is a <failure> alone: the step skipped after it makes no <error>.
func TestJUnitTracesAFailureToItsRule(t *testing.T) {
	r := reports(t, context.Background(), Config{
		Tags: "@rule:HPI-ADD-no-duplicate", Mutants: []refserver.Mutant{refserver.HpiDuplicateAccepted},
	})
	require.Equal(t, ExitFailed, r.Code, r.printed)
	require.NotEmpty(t, r.Failed())
	assert.Positive(t, statuses(r.cucumber)["skipped"], "a step after the failing one is skipped")
	assert.Equal(t, len(r.Failed()), r.junit.Failures)
	assert.Zero(t, r.junit.Errors, "only a scenario not judged is an <error>")

	found := false
	for _, s := range r.junit.Suites {
		for _, c := range s.Cases {
			if c.Name != "A role that duplicates an existing role is refused" {
				continue
			}
			found = true
			assert.NotNil(t, c.Failure)
			assert.Nil(t, c.Error)
			assert.Equal(t, "hpi.create-practitionerrole", c.Classname)
			assert.Equal(t, "features/hpi/create-practitionerrole.feature", c.File)
			assert.Positive(t, c.Line)
			props := map[string][]string{}
			for _, p := range c.Properties {
				props[p.Name] = append(props[p.Name], p.Value)
			}
			assert.Equal(t, []string{"HPI-ADD-no-duplicate"}, props["rule"])
			assert.Equal(t, []string{"hpi/add-practitionerrole.md"}, props["source"], "the feature's @source: tag")
		}
	}
	assert.True(t, found, "the duplicate scenario is in the junit report")
}

// hpiCodeRow is the failure the mutant hpi-code-always-required makes: one
// row of an outline whose other rows check another rule.
const hpiCodeRow = "FAILED An update need not contain what the record never had [element: code] (hpi/update-conditions.feature:18) @rule:HPI-UPD-code-required"

// Under each failure the summary names the Examples row, and quotes the
// rule's sentence with its page and section from the catalogue.
func TestTheSummaryNamesTheRowAndTheRule(t *testing.T) {
	code, out := run(t, Config{Tags: "@rule:HPI-UPD-code-required", Mutants: []refserver.Mutant{refserver.HpiCodeAlwaysRequired}})
	require.Equal(t, ExitFailed, code, out)
	assert.Contains(t, out, hpiCodeRow+"\n      expected status 200 OK, got 422 Unprocessable Entity")
	assert.Contains(t, out, "\n      HPI-UPD-code-required: An update that drops the role code the record has is refused")
	assert.Contains(t, out, "\n        (hpi/update-practitionerrole.md, Update PractitionerRole rules and errors)\n")
	assert.NotContains(t, out, "the exchange the failing step judged", "the exchanges only with --verbose")
}

// With --verbose, the summary shows under each failure the exchange its
// failing step judged: a Then that sends nothing judges the When's answer.
func TestVerboseShowsTheExchangeTheFailingStepJudged(t *testing.T) {
	code, out := run(t, Config{Tags: "@rule:HPI-UPD-code-required", Mutants: []refserver.Mutant{refserver.HpiCodeAlwaysRequired}, Verbose: true})
	require.Equal(t, ExitFailed, code, out)
	assert.Regexp(t, regexp.QuoteMeta(hpiCodeRow)+`(?s:.*)`+
		`\n      the exchange the failing step judged:\n        PUT http://127\.0\.0\.1:\d+/fhir/PractitionerRole/\S+\n`+
		`(?:        .*\n)*?        --- answer 422 Unprocessable Entity in `, out)
	assert.Contains(t, out, "        x-api-key: [REDACTED]\n", "the transcript is masked")
}

// A Then comparing lists shows, in the summary, the difference, line by line.
func TestTheSummaryShowsAListDifference(t *testing.T) {
	res, err := Execute(context.Background(), Config{Tags: "@rule:ERS-A001-permissions-listed",
		Mutants: []refserver.Mutant{refserver.ErsCreateExtraPermission}, Format: "progress", Stdout: &strings.Builder{}})
	require.NoError(t, err)
	require.NotEmpty(t, res.Failed())
	var out strings.Builder
	summarise(&out, res, false)
	assert.Regexp(t, `\(-expected \+got\):\n      \s*\[\]string\{\n(?:      .*\n)*?      \+ \s*"REFERRING_ADMIN at R01",\n`, out.String())
	for _, s := range res.With(suite.Failed) {
		assert.Contains(t, s.Reason, "\n", "the reports keep the difference too")
	}
}
