package catalogue

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The statement inventory, one YAML file per spec page (statements/*.yaml).
//
//go:embed statements
var statementFiles embed.FS

// SpecPages are the pages of ../shared/spec, each with an inventory file.
var SpecPages = []string{
	"README.md",
	"ers/A001-create-professional-session.md", "ers/A001-later-revision.md",
	"ers/A001_Request.json", "ers/A001_Response.json",
	"ers/A002-professional-session-select-role.md", "ers/A002-later-revision.md",
	"ers/A002_Request.json", "ers/A002_Response.json",
	"ers/A003-delete-professional-session.md", "ers/A003-later-revision.md",
	"ers/error-messages.md", "ers/models.md",
	"hpi/general-request-rules.md", "hpi/get-practitionerrole.md",
	"hpi/add-practitionerrole.md", "hpi/update-practitionerrole.md",
	"hpi/onboarding-and-compliance-testing.md",
	"hpi/profile-HpiPractitionerRole.fsh", "hpi/examples-practitionerRole.fsh",
}

// Kinds of reason a statement is not tested.
const (
	ClientObligation = "client-obligation" // the client must do it; a server cannot break it
	Freedom          = "freedom"           // a choice the docs leave a server; names the refserver choice
	NeedsData        = "needs-data"        // needs data or access a profile cannot give
	Contradicted     = "contradicted"      // another page says otherwise; names the D- entry
	Informational    = "informational"     // no server could break it
)

// Kinds lists the reasons a statement may be left untested, in report order.
var Kinds = []string{ClientObligation, Freedom, NeedsData, Contradicted, Informational}

// Page is the inventory of one spec page.
type Page struct {
	Page       string      `yaml:"page"` // below ../shared/spec, e.g. ers/models.md
	Statements []Statement `yaml:"statements"`
	File       string      `yaml:"-"` // the inventory file, e.g. statements/ERS-MODEL.yaml
}

// Statement is one thing a page says, with its verdict: exactly one of
// Tested, Untested or Gap (a gap is work still to do, and unaccounted).
type Statement struct {
	ID       string    `yaml:"id"`    // <page key>.<nn>, e.g. ERS-A001.03
	Lines    string    `yaml:"lines"` // "12" or "12-14"
	Words    string    `yaml:"words"` // quoted from those lines; fragments joined by " ... "
	Tested   *Tested   `yaml:"tested"`
	Untested *Untested `yaml:"untested"`
	Gap      string    `yaml:"gap"`
}

// Tested names what checks a statement and what proves it.
type Tested struct {
	Rules  []string `yaml:"rules"`  // catalogue rules whose scenarios check it
	Mutant string   `yaml:"mutant"` // a mutant that breaks the statement, listed under one of the rules
}

// Untested says why a statement has no scenario.
type Untested struct {
	Kind   string `yaml:"kind"`
	Why    string `yaml:"why"`
	Choice string `yaml:"choice"` // for a freedom: the reference-server choice that takes it
	Defect string `yaml:"defect"` // for a contradiction: the docs/spec-defects.md entry
}

var (
	statementID = regexp.MustCompile(`^[A-Z][A-Z0-9-]*\.[0-9]{2,3}$`)
	lineRange   = regexp.MustCompile(`^([0-9]+)(?:-([0-9]+))?$`)
	defectID    = regexp.MustCompile(`^D-[A-Z]+-[0-9]+$`)
)

// LoadStatements reads and checks the embedded inventory, in file order.
func LoadStatements() ([]Page, error) {
	return readStatements(statementFiles, "statements")
}

func readStatements(fsys fs.FS, dir string) ([]Page, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var pages []Page
	seenPage, seenID := map[string]string{}, map[string]bool{}
	for _, name := range names {
		p, err := readPage(fsys, name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(SpecPages, p.Page) {
			return nil, fmt.Errorf("catalogue/%s: page %s is not a page of the spec (catalogue.SpecPages)", name, p.Page)
		}
		if other, ok := seenPage[p.Page]; ok {
			return nil, fmt.Errorf("catalogue/%s: page %s already has %s", name, p.Page, other)
		}
		seenPage[p.Page] = name
		for _, s := range p.Statements {
			if seenID[s.ID] {
				return nil, fmt.Errorf("catalogue/%s: statement %s is listed twice", name, s.ID)
			}
			seenID[s.ID] = true
		}
		pages = append(pages, p)
	}
	return pages, nil
}

func readPage(fsys fs.FS, name string) (Page, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Page{}, err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	p := Page{File: name}
	if err := dec.Decode(&p); err != nil {
		return Page{}, fmt.Errorf("catalogue/%s: %w", name, err)
	}
	if p.Page == "" {
		return Page{}, fmt.Errorf("catalogue/%s: page is required", name)
	}
	for i, s := range p.Statements {
		if err := s.check(); err != nil {
			return Page{}, fmt.Errorf("catalogue/%s statement %d (%s): %w", name, i+1, s.ID, err)
		}
	}
	return p, nil
}

func (s Statement) check() error {
	if !statementID.MatchString(s.ID) {
		return fmt.Errorf("id %q is not <PAGE-KEY>.<nn>", s.ID)
	}
	if _, _, ok := s.LineRange(); !ok {
		return fmt.Errorf("lines %q is not N or N-M", s.Lines)
	}
	if strings.TrimSpace(s.Words) == "" {
		return fmt.Errorf("words are required")
	}
	verdicts := 0
	for _, given := range []bool{s.Tested != nil, s.Untested != nil, s.Gap != ""} {
		if given {
			verdicts++
		}
	}
	if verdicts != 1 {
		return fmt.Errorf("needs exactly one of tested, untested or gap")
	}
	switch {
	case s.Tested != nil:
		return s.Tested.check()
	case s.Untested != nil:
		return s.Untested.check()
	}
	return nil
}

func (t *Tested) check() error {
	if len(t.Rules) == 0 || t.Mutant == "" {
		return fmt.Errorf("tested needs its rules and the mutant that proves them")
	}
	return nil
}

func (u *Untested) check() error {
	switch {
	case !slices.Contains(Kinds, u.Kind):
		return fmt.Errorf("untested kind %q is not one of %s", u.Kind, strings.Join(Kinds, ", "))
	case strings.TrimSpace(u.Why) == "":
		return fmt.Errorf("untested needs a why")
	case u.Kind == Freedom && u.Choice == "":
		return fmt.Errorf("a freedom names the reference-server choice that takes it")
	case u.Kind == Contradicted && !defectID.MatchString(u.Defect):
		return fmt.Errorf("a contradiction names its docs/spec-defects.md entry (D-...)")
	}
	return nil
}

// LineRange returns the first and last line the statement cites.
func (s Statement) LineRange() (first, last int, ok bool) {
	m := lineRange.FindStringSubmatch(s.Lines)
	if m == nil {
		return 0, 0, false
	}
	first, _ = strconv.Atoi(m[1])
	last = first
	if m[2] != "" {
		last, _ = strconv.Atoi(m[2])
	}
	return first, last, first >= 1 && last >= first
}

// Verdict is the statement's verdict in a word: tested, a reason kind, or gap.
func (s Statement) Verdict() string {
	switch {
	case s.Tested != nil:
		return "tested"
	case s.Untested != nil:
		return s.Untested.Kind
	}
	return "gap"
}

// QuotedIn reports whether the statement's words are on the page's cited
// lines: whitespace runs are one space, and Markdown's * ` | > # are dropped.
func (s Statement) QuotedIn(page []byte) bool {
	first, last, ok := s.LineRange()
	lines := strings.Split(string(page), "\n")
	if !ok || last > len(lines) {
		return false
	}
	text := normalise(strings.Join(lines[first-1:last], " "))
	for _, fragment := range strings.Split(s.Words, " ... ") {
		i := strings.Index(text, normalise(fragment))
		if i < 0 {
			return false
		}
		text = text[i+len(normalise(fragment)):]
	}
	return true
}

var markup = strings.NewReplacer("*", "", "`", "", "|", "", ">", "", "#", "")

func normalise(s string) string {
	return strings.Join(strings.Fields(markup.Replace(s)), " ")
}
