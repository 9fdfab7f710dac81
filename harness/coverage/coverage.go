// Package coverage accounts for every documented statement: tested (by
// rules whose scenarios exist, proven by a mutant the reference server
// has), not tested with a reason, or unaccounted. It prints the summary
// and writes docs/coverage.md from the same accounting.
package coverage

import (
	"fmt"
	"slices"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/refserver"
)

// Entry is one statement with its accounting.
type Entry struct {
	catalogue.Statement
	Unaccounted string // why the verdict does not hold; empty when it does
}

// Page is one spec page's entries.
type Page struct {
	Page    string
	Entries []Entry
	Missing bool // the page has no inventory file: it counts as one unaccounted statement
}

// Counts tallies a set of entries.
type Counts struct {
	Statements, Tested, NotTested, Unaccounted int
	ByKind                                     map[string]int // not tested, by reason kind
}

// Report is the accounting of the whole inventory, in page order.
type Report struct{ Pages []Page }

// Sources are what a verdict is held to.
type Sources struct {
	Catalogue *catalogue.Catalogue
	Scenarios []features.Scenario
	Mutants   []refserver.Mutant
	Choices   []refserver.Choice
}

// Embedded holds verdicts to the catalogue, features and reference server
// built into this binary.
func Embedded() (Sources, error) {
	cat, err := catalogue.Load()
	if err != nil {
		return Sources{}, err
	}
	scenarios, err := features.Scenarios(features.FS)
	if err != nil {
		return Sources{}, err
	}
	return Sources{cat, scenarios, refserver.Mutants(), refserver.Choices()}, nil
}

// Account holds each statement's verdict to the sources.
func Account(pages []catalogue.Page, src Sources) Report {
	checked := map[string]bool{}
	for _, s := range src.Scenarios {
		for _, id := range s.Rules() {
			checked[id] = true
		}
	}
	byPage := map[string]catalogue.Page{}
	for _, p := range pages {
		byPage[p.Page] = p
	}
	var r Report
	for _, name := range catalogue.SpecPages {
		p, ok := byPage[name]
		out := Page{Page: name, Missing: !ok}
		for _, s := range p.Statements {
			out.Entries = append(out.Entries, Entry{s, src.unaccounted(s, checked)})
		}
		r.Pages = append(r.Pages, out)
	}
	return r
}

func (src Sources) unaccounted(s catalogue.Statement, checked map[string]bool) string {
	switch {
	case s.Tested != nil:
		return src.untrue(s.Tested, checked)
	case s.Untested != nil:
		if s.Untested.Kind == catalogue.Freedom && !slices.Contains(src.Choices, refserver.Choice(s.Untested.Choice)) {
			return fmt.Sprintf("the reference server has no choice %s", s.Untested.Choice)
		}
		return ""
	}
	return "gap: " + s.Gap
}

// untrue says why a "tested" verdict does not hold.
func (src Sources) untrue(t *catalogue.Tested, checked map[string]bool) string {
	proven := false
	for _, id := range t.Rules {
		rule, ok := src.Catalogue.Rule(id)
		switch {
		case !ok:
			return fmt.Sprintf("rule %s is not in catalogue/rules.yaml", id)
		case !checked[id]:
			return fmt.Sprintf("rule %s has no scenario", id)
		}
		proven = proven || slices.Contains(rule.Mutants, t.Mutant)
	}
	switch {
	case !slices.Contains(src.Mutants, refserver.Mutant(t.Mutant)):
		return fmt.Sprintf("the reference server has no mutant %s", t.Mutant)
	case !proven:
		return fmt.Sprintf("mutant %s breaks none of its rules in catalogue/rules.yaml", t.Mutant)
	}
	return ""
}

// Count tallies the entries.
func Count(entries []Entry) Counts {
	c := Counts{ByKind: map[string]int{}}
	for _, e := range entries {
		c.Statements++
		switch {
		case e.Unaccounted != "":
			c.Unaccounted++
		case e.Tested != nil:
			c.Tested++
		default:
			c.NotTested++
			c.ByKind[e.Untested.Kind]++
		}
	}
	return c
}

// Counts tallies the page; a page with no inventory is one unaccounted statement.
func (p Page) Counts() Counts {
	c := Count(p.Entries)
	if p.Missing {
		c.Statements++
		c.Unaccounted++
	}
	return c
}

// Total tallies every page.
func (r Report) Total() Counts {
	t := Counts{ByKind: map[string]int{}}
	for _, p := range r.Pages {
		c := p.Counts()
		t.Statements += c.Statements
		t.Tested += c.Tested
		t.NotTested += c.NotTested
		t.Unaccounted += c.Unaccounted
		for k, n := range c.ByKind {
			t.ByKind[k] += n
		}
	}
	return t
}
