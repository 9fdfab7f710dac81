package suite

import (
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/healthapi-conformance/conformance/features"
)

// The junit report, as CI dashboards read it: a failed scenario is a
// <failure>, a scenario not judged an <error>, one never run <skipped>;
// nothing else (godog's own junit makes every skipped step an <error>).
// Each testcase names its file and line, and its rules, source pages and
// compliance IDs as properties, so a dashboard leads from a red test to
// the documented rule.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []*junitSuite `xml:"testsuite"`
}

type junitCounts struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
	seconds  time.Duration
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Properties *junitProperties `xml:"properties,omitempty"` // the run's: which tool, suite, target
	Cases      []junitCase      `xml:"testcase"`
}

type junitCase struct {
	Name       string           `xml:"name,attr"`
	Classname  string           `xml:"classname,attr"`
	File       string           `xml:"file,attr"`
	Line       int              `xml:"line,attr,omitempty"`
	Status     string           `xml:"status,attr"`
	Time       string           `xml:"time,attr"`
	Properties *junitProperties `xml:"properties,omitempty"`
	Failure    *junitMessage    `xml:"failure,omitempty"`
	Error      *junitMessage    `xml:"error,omitempty"`
	Skipped    *junitMessage    `xml:"skipped,omitempty"`
}

type junitProperties struct {
	List []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// Property is a fact of the run every report names: the tool, the suite, the target.
type Property struct{ Name, Value string }

type junitMessage struct {
	Type    string `xml:"type,attr,omitempty"`
	Message string `xml:"message,attr"`
}

func (c *junitCounts) count(s Scenario) {
	c.Tests++
	c.seconds += s.Duration
	c.Time = seconds(c.seconds)
	switch s.Outcome {
	case Failed:
		c.Failures++
	case NotJudged:
		c.Errors++
	case NotRun:
		c.Skipped++
	}
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// writeJUnit writes one testsuite per feature file, in file order; dir is
// the folder the feature files are in.
func writeJUnit(w io.Writer, res []Scenario, dir string, run []Property) error {
	report := junitSuites{Name: displayName}
	var runProps *junitProperties
	if len(run) > 0 {
		runProps = &junitProperties{}
		for _, p := range run {
			runProps.List = append(runProps.List, junitProperty(p))
		}
	}
	byURI := map[string]*junitSuite{}
	for _, s := range res {
		suite := byURI[s.URI]
		if suite == nil {
			suite = &junitSuite{Name: s.URI, Properties: runProps}
			byURI[s.URI] = suite
			report.Suites = append(report.Suites, suite)
		}
		suite.count(s)
		report.count(s)
		suite.Cases = append(suite.Cases, junitCaseOf(s, dir))
	}
	return encodeJUnit(w, report)
}

func encodeJUnit(w io.Writer, report junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(report); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// MergeJUnit writes one junit report from the reports of a run's shards:
// the testcases of each feature together, in file order, counted again.
// The run's properties are the first report's, but its shard.
func MergeJUnit(w io.Writer, reports ...io.Reader) error {
	merged := junitSuites{Name: displayName}
	byName := map[string]*junitSuite{}
	for _, r := range reports {
		var one junitSuites
		if err := xml.NewDecoder(r).Decode(&one); err != nil {
			return fmt.Errorf("a shard's junit report: %w", err)
		}
		for _, s := range one.Suites {
			dst := byName[s.Name]
			if dst == nil {
				dst = &junitSuite{Name: s.Name, Properties: withoutShard(s.Properties)}
				byName[s.Name] = dst
				merged.Suites = append(merged.Suites, dst)
			}
			for _, c := range s.Cases {
				dst.add(c)
				merged.add(c)
				dst.Cases = append(dst.Cases, c)
			}
		}
	}
	slices.SortFunc(merged.Suites, func(a, b *junitSuite) int { return strings.Compare(a.Name, b.Name) })
	for _, s := range merged.Suites {
		slices.SortStableFunc(s.Cases, func(a, b junitCase) int { return a.Line - b.Line })
	}
	return encodeJUnit(w, merged)
}

// add counts a testcase read back from a report.
func (c *junitCounts) add(tc junitCase) {
	c.Tests++
	secs, _ := strconv.ParseFloat(tc.Time, 64)
	c.seconds += time.Duration(secs * float64(time.Second))
	c.Time = seconds(c.seconds)
	switch {
	case tc.Failure != nil:
		c.Failures++
	case tc.Error != nil:
		c.Errors++
	case tc.Skipped != nil:
		c.Skipped++
	}
}

func withoutShard(p *junitProperties) *junitProperties {
	if p == nil {
		return nil
	}
	out := &junitProperties{}
	for _, prop := range p.List {
		if prop.Name != "shard" {
			out.List = append(out.List, prop)
		}
	}
	return out
}

func junitCaseOf(s Scenario, dir string) junitCase {
	c := junitCase{Name: s.Title(), Classname: classname(s.URI), File: path.Join(dir, s.URI), Line: s.Line,
		Status: string(s.Outcome), Time: seconds(s.Duration), Properties: properties(s.Tags)}
	msg := &junitMessage{Type: string(s.Outcome), Message: s.Reason}
	switch s.Outcome {
	case Failed:
		c.Failure = msg
	case NotJudged:
		c.Error = msg
	case NotRun:
		c.Skipped = msg
	}
	return c
}

// classname is the feature as a dotted name: hpi/update-versioning.feature
// is hpi.update-versioning.
func classname(uri string) string {
	return strings.ReplaceAll(strings.TrimSuffix(uri, ".feature"), "/", ".")
}

// traceTags are the tags that trace a scenario to the docs, by the
// property each becomes. A scenario's tags are its pickle's: the feature's,
// the Rule's and the Examples' included.
var traceTags = []struct{ prefix, property string }{
	{"@rule:", "rule"}, {"@source:", "source"}, {"@compliance:", "compliance"},
}

// properties are a scenario's traceTags; nil when it has none.
func properties(tags []string) *junitProperties {
	var list []junitProperty
	for _, t := range traceTags {
		for _, v := range features.TagValues(tags, t.prefix) {
			list = append(list, junitProperty{Name: t.property, Value: v})
		}
	}
	if list == nil {
		return nil
	}
	return &junitProperties{list}
}
