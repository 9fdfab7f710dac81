package suite

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// The junit report, as CI dashboards read it: a failed scenario is a
// <failure>, a scenario not judged an <error>, one never run <skipped>.
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
	Cases []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Status    string        `xml:"status,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

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

// writeJUnit writes one testsuite per feature file, in file order.
func writeJUnit(w io.Writer, res []Scenario) error {
	report := junitSuites{Name: displayName}
	byURI := map[string]*junitSuite{}
	for _, s := range res {
		suite := byURI[s.URI]
		if suite == nil {
			suite = &junitSuite{Name: s.URI}
			byURI[s.URI] = suite
			report.Suites = append(report.Suites, suite)
		}
		suite.count(s)
		report.count(s)
		suite.Cases = append(suite.Cases, junitCaseOf(s))
	}
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

func junitCaseOf(s Scenario) junitCase {
	c := junitCase{Name: s.Name, Classname: s.URI, Status: string(s.Outcome), Time: seconds(s.Duration)}
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
