package features

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing/fstest"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
)

// ID names a scenario in a run: its file and the line of the scenario, or
// of its Examples row. It is stable while the file is not edited.
func (s Scenario) ID() string { return s.URI + ":" + strconv.Itoa(s.Line) }

// Subset is fsys holding only the scenarios keep says, as godog will run
// them: every other scenario, and every other Examples row, is commented
// out line by line, so each line keeps its number and each kept scenario
// its ID. godog cannot select an Examples row by line, nor a scenario
// without changing its file's name in the reports.
func Subset(fsys fs.FS, keep func(Scenario) bool) (fs.FS, error) {
	all, err := Scenarios(fsys)
	if err != nil {
		return nil, err
	}
	kept := map[string]map[int]bool{} // by file, the lines of the scenarios and rows kept
	for _, s := range all {
		if kept[s.URI] == nil {
			kept[s.URI] = map[int]bool{}
		}
		if keep(s) {
			kept[s.URI][s.Line] = true
		}
	}
	out := fstest.MapFS{}
	for uri, lines := range kept {
		data, err := fs.ReadFile(fsys, uri)
		if err != nil {
			return nil, err
		}
		if data, err = commentOut(data, uri, lines); err != nil {
			return nil, err
		}
		out[uri] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return out, nil
}

// commentOut comments out the scenarios and rows of a feature file whose
// lines are not kept.
func commentOut(data []byte, uri string, kept map[int]bool) ([]byte, error) {
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), (&messages.Incrementing{}).NewId)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uri, err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	starts := blockStarts(doc)
	comment := func(from, to int) { // 1-based, inclusive
		for i := from; i <= to && i <= len(lines); i++ {
			lines[i-1] = "#" + lines[i-1]
		}
	}
	for _, sc := range scenariosOf(doc) {
		rows, keptRows := 0, 0
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				rows++
				if line := int(row.Location.Line); kept[line] {
					keptRows++
				} else {
					comment(line, line)
				}
			}
		}
		if rows == 0 && !kept[int(sc.Location.Line)] || rows > 0 && keptRows == 0 {
			start := startOf(sc.Location, sc.Tags)
			comment(start, nextStart(starts, start, len(lines))-1)
		}
	}
	return []byte(strings.Join(lines, "")), nil
}

// scenariosOf lists a document's scenarios, those of its Rules included.
func scenariosOf(doc *messages.GherkinDocument) []*messages.Scenario {
	var out []*messages.Scenario
	if doc.Feature == nil {
		return out
	}
	for _, c := range doc.Feature.Children {
		if c.Scenario != nil {
			out = append(out, c.Scenario)
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Scenario != nil {
					out = append(out, rc.Scenario)
				}
			}
		}
	}
	return out
}

// blockStarts are the first lines of the document's scenarios, rules and
// backgrounds, sorted: a scenario's block runs to the line before the next.
func blockStarts(doc *messages.GherkinDocument) []int {
	var out []int
	if doc.Feature == nil {
		return out
	}
	add := func(c *messages.FeatureChild) {
		switch {
		case c.Scenario != nil:
			out = append(out, startOf(c.Scenario.Location, c.Scenario.Tags))
		case c.Background != nil:
			out = append(out, int(c.Background.Location.Line))
		case c.Rule != nil:
			out = append(out, startOf(c.Rule.Location, c.Rule.Tags))
		}
	}
	for _, c := range doc.Feature.Children {
		add(c)
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				add(&messages.FeatureChild{Scenario: rc.Scenario, Background: rc.Background})
			}
		}
	}
	slices.Sort(out)
	return out
}

// startOf is the first line of an element: its first tag's, or its keyword's.
func startOf(loc *messages.Location, tags []*messages.Tag) int {
	start := int(loc.Line)
	for _, t := range tags {
		start = min(start, int(t.Location.Line))
	}
	return start
}

// nextStart is the first block start after start, or the line after the last.
func nextStart(starts []int, start, lines int) int {
	for _, s := range starts {
		if s > start {
			return s
		}
	}
	return lines + 1
}
