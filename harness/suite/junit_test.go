package suite

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/features"
)

// junitCaseRead is a testcase as a CI dashboard reads it.
type junitCaseRead struct {
	Name       string `xml:"name,attr"`
	Classname  string `xml:"classname,attr"`
	File       string `xml:"file,attr"`
	Line       int    `xml:"line,attr"`
	Properties []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
	Failure []struct {
		Message string `xml:"message,attr"`
	} `xml:"failure"`
	Error   []struct{} `xml:"error"`
	Skipped []struct{} `xml:"skipped"`
}

func (c junitCaseRead) property(name string) []string {
	var out []string
	for _, p := range c.Properties {
		if p.Name == name {
			out = append(out, p.Value)
		}
	}
	return out
}

// Each testcase names its feature as a class, its Examples row, its file
// and line, and its rules, pages and compliance IDs; each outcome has its
// one element, and only a scenario not judged is an <error>.
func TestJUnitTracesEachTestcaseToItsRule(t *testing.T) {
	feature := []string{"@hpi", "@source:hpi/update-practitionerrole.md"}
	res := []Scenario{
		{Name: "An update need not contain what the record never had", URI: "hpi/update-conditions.feature", Line: 18,
			Row: []features.Cell{{Name: "element", Value: "code"}}, Outcome: Failed, Reason: "expected status 200 OK, got 422",
			Tags: append(feature, "@rule:HPI-UPD-code-required"), Duration: time.Second},
		{Name: "An update need not contain what the record never had", URI: "hpi/update-conditions.feature", Line: 23,
			Row: []features.Cell{{Name: "element", Value: "organization"}}, Outcome: Passed, Tags: append(feature, "@rule:HPI-UPD-org-or-facility")},
		{Name: "A role with a practitioner and an organisation is added", URI: "hpi/create-practitionerrole.feature", Line: 61, Outcome: NotJudged,
			Reason: "Given step: could not create", Tags: []string{"@hpi", "@source:hpi/add-practitionerrole.md", "@rule:HPI-ADD-minimum",
				"@source:hpi/onboarding-and-compliance-testing.md", "@compliance:HPI-PR-Add-1"}},
		{Name: "Closing a session answers 204 No Content", URI: "ers/delete-session.feature", Line: 9, Outcome: NotRun, Reason: notRunReason,
			Tags: []string{"@ers", "@source:ers/A003-delete-professional-session.md", "@rule:ERS-A003-204-no-content"}},
	}
	var out strings.Builder
	require.NoError(t, writeJUnit(&out, res, "features", nil))
	var report struct {
		Suites []struct {
			Cases []junitCaseRead `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal([]byte(out.String()), &report), out.String())
	var cases []junitCaseRead
	for _, s := range report.Suites {
		cases = append(cases, s.Cases...)
	}
	require.Len(t, cases, 4)
	failed, passed, unjudged, notRun := cases[0], cases[1], cases[2], cases[3]

	assert.Equal(t, "An update need not contain what the record never had [element: code]", failed.Name)
	assert.Equal(t, "An update need not contain what the record never had [element: organization]", passed.Name)
	assert.Equal(t, "hpi.update-conditions", failed.Classname)
	assert.Equal(t, "features/hpi/update-conditions.feature", failed.File)
	assert.Equal(t, 18, failed.Line)
	assert.Equal(t, []string{"HPI-UPD-code-required"}, failed.property("rule"))
	assert.Equal(t, []string{"hpi/update-practitionerrole.md"}, failed.property("source"))
	assert.Equal(t, []string{"HPI-UPD-org-or-facility"}, passed.property("rule"), "each row its own rules")
	assert.Equal(t, []string{"hpi/add-practitionerrole.md", "hpi/onboarding-and-compliance-testing.md"}, unjudged.property("source"))
	assert.Equal(t, []string{"HPI-PR-Add-1"}, unjudged.property("compliance"))
	assert.Equal(t, "ers.delete-session", notRun.Classname)

	counts := func(c junitCaseRead) []int { return []int{len(c.Failure), len(c.Error), len(c.Skipped)} }
	assert.Equal(t, []int{1, 0, 0}, counts(failed))
	assert.Equal(t, "expected status 200 OK, got 422", failed.Failure[0].Message)
	assert.Equal(t, []int{0, 0, 0}, counts(passed))
	assert.Equal(t, []int{0, 1, 0}, counts(unjudged))
	assert.Equal(t, []int{0, 0, 1}, counts(notRun))
}

// A custom features folder is the file the testcases name.
func TestJUnitNamesTheFeaturesFolder(t *testing.T) {
	var out strings.Builder
	require.NoError(t, writeJUnit(&out, []Scenario{{Name: "x", URI: "ers/a.feature", Line: 3, Outcome: Passed}}, "/tmp/my-features", nil))
	assert.Contains(t, out.String(), `file="/tmp/my-features/ers/a.feature" line="3"`)
	assert.NotContains(t, out.String(), "<properties", "no empty properties")
}
