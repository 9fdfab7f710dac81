package features

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
)

// Scenario is one scenario as the runner sees it: an outline gives one per
// Examples row.
type Scenario struct {
	URI   string // e.g. hpi/update-versioning.feature
	Name  string
	Tags  []string
	Steps []string // the steps' texts, Background steps included
	// Key tells the scenario from every other of its file: its name and
	// steps, their doc strings and tables included (an outline's rows may
	// differ there alone).
	Key   string
	Index int    // its place among its file's scenarios, from 0
	Line  int    // the line of the scenario, or of its Examples row
	Row   []Cell // an outline's Examples row: each column's heading and value
}

// Cell is one column of an Examples row.
type Cell struct{ Name, Value string }

// RowText is the Examples row as "name: value; name: value"; empty for a plain scenario.
func (s Scenario) RowText() string {
	parts := make([]string, len(s.Row))
	for i, c := range s.Row {
		parts[i] = c.Name + ": " + c.Value
	}
	return strings.Join(parts, "; ")
}

// Title is the scenario's name with its Examples row, "name [col: value]":
// the rows of an outline share its name.
func (s Scenario) Title() string {
	if row := s.RowText(); row != "" {
		return s.Name + " [" + row + "]"
	}
	return s.Name
}

// Rules lists the rule ids the scenario's @rule: tags name.
func (s Scenario) Rules() []string { return RuleIDs(s.Tags) }

// RuleIDs lists the rule ids that @rule: tags name, e.g. ERS-A003-no-body.
func RuleIDs(tags []string) []string { return TagValues(tags, "@rule:") }

// TagValues lists what the tags beginning with prefix name, e.g. the pages
// of "@source:" tags.
func TagValues(tags []string, prefix string) []string {
	var out []string
	for _, t := range tags {
		if v, ok := strings.CutPrefix(t, prefix); ok {
			out = append(out, v)
		}
	}
	return out
}

// APIOf is the API a scenario checks, by its tags: "ers", "hpi", or ""
// when it is tagged with neither.
func APIOf(tags []string) string {
	switch {
	case slices.Contains(tags, "@ers"):
		return "ers"
	case slices.Contains(tags, "@hpi"):
		return "hpi"
	}
	return ""
}

// Scenarios parses every feature file in fsys, in path order.
func Scenarios(fsys fs.FS) ([]Scenario, error) {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".feature") {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Scenario
	for _, path := range paths {
		list, err := parse(fsys, path)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

func parse(fsys fs.FS, path string) ([]Scenario, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := gherkin.ParseGherkinDocument(f, (&messages.Incrementing{}).NewId)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	doc.Uri = path
	places := placesOf(doc)
	var out []Scenario
	for i, p := range gherkin.Pickles(*doc, path, (&messages.Incrementing{}).NewId) {
		s := Scenario{URI: path, Name: p.Name, Index: i}
		for _, id := range p.AstNodeIds { // the scenario's, then its row's
			if pl, ok := places[id]; ok {
				s.Line, s.Row = pl.line, pl.row
			}
		}
		for _, st := range p.Steps {
			s.Steps = append(s.Steps, st.Text)
		}
		s.Key = PickleKey(p)
		for _, t := range p.Tags {
			s.Tags = append(s.Tags, t.Name)
		}
		out = append(out, s)
	}
	return out, nil
}

// place is where a scenario or an Examples row is, and the row's cells.
type place struct {
	line int
	row  []Cell
}

// placesOf indexes the document's scenarios and Examples rows by node id.
func placesOf(doc *messages.GherkinDocument) map[string]place {
	out := map[string]place{}
	for _, sc := range scenariosOf(doc) {
		out[sc.Id] = place{line: int(sc.Location.Line)}
		for _, ex := range sc.Examples {
			if ex.TableHeader == nil {
				continue
			}
			for _, row := range ex.TableBody {
				var cells []Cell
				for k, c := range row.Cells {
					if k < len(ex.TableHeader.Cells) {
						cells = append(cells, Cell{ex.TableHeader.Cells[k].Value, c.Value})
					}
				}
				out[row.Id] = place{line: int(row.Location.Line), row: cells}
			}
		}
	}
	return out
}

// PickleKey names a pickle by file, name, and steps with their arguments:
// the rows of an outline differ there, whatever order they run in.
func PickleKey(p *messages.Pickle) string {
	var b strings.Builder
	b.WriteString(p.Uri + "\x00" + p.Name)
	for _, st := range p.Steps {
		b.WriteString("\x00" + st.Text)
		if a := st.Argument; a != nil && a.DocString != nil {
			b.WriteString("\x01" + a.DocString.Content)
		}
		if a := st.Argument; a != nil && a.DataTable != nil {
			for _, row := range a.DataTable.Rows {
				for _, c := range row.Cells {
					b.WriteString("\x02" + c.Value)
				}
			}
		}
	}
	return b.String()
}
