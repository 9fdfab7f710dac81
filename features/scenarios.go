package features

import (
	"fmt"
	"io/fs"
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
	Index int      // its place among its file's scenarios, from 0
}

// Rules lists the rule ids the scenario's @rule: tags name.
func (s Scenario) Rules() []string { return RuleIDs(s.Tags) }

// RuleIDs lists the rule ids that @rule: tags name, e.g. ERS-A003-no-body.
func RuleIDs(tags []string) []string {
	var out []string
	for _, t := range tags {
		if id, ok := strings.CutPrefix(t, "@rule:"); ok {
			out = append(out, id)
		}
	}
	return out
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
	var out []Scenario
	for i, p := range gherkin.Pickles(*doc, path, (&messages.Incrementing{}).NewId) {
		s := Scenario{URI: path, Name: p.Name, Index: i}
		for _, st := range p.Steps {
			s.Steps = append(s.Steps, st.Text)
		}
		for _, t := range p.Tags {
			s.Tags = append(s.Tags, t.Name)
		}
		out = append(out, s)
	}
	return out, nil
}
