// Package catalogue holds the documented rules the suite checks
// (rules.yaml): where each comes from, what it says, and which
// reference-server mutants break it.
package catalogue

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed rules.yaml
var data []byte

// Rule is one documented rule.
type Rule struct {
	ID      string   `yaml:"id"`      // the @rule: tag, e.g. HPI-UPD-stale-version
	API     string   `yaml:"api"`     // ers or hpi: the features folder
	Source  string   `yaml:"source"`  // the spec page, below ../shared/spec
	Section string   `yaml:"section"` // where on the page
	Text    string   `yaml:"rule"`    // the rule in one sentence
	Basis   string   `yaml:"basis"`   // stated, or reading (of docs that are silent or unclear)
	Defects []string `yaml:"defects"` // docs/spec-defects.md entries that bear on it
	Mutants []string `yaml:"mutants"` // reference-server mutants that break it
}

// Catalogue is the list of rules, in the file's order.
type Catalogue struct {
	Rules []Rule
}

// Load reads and checks the embedded catalogue.
func Load() (*Catalogue, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Catalogue
	if err := dec.Decode(&c.Rules); err != nil {
		return nil, fmt.Errorf("catalogue/rules.yaml: %w", err)
	}
	return &c, c.check()
}

func (c *Catalogue) check() error {
	seen := map[string]bool{}
	for i, r := range c.Rules {
		switch {
		case r.ID == "" || r.Source == "" || r.Section == "" || r.Text == "":
			return fmt.Errorf("catalogue/rules.yaml rule %d (%s): id, source, section and rule are required", i+1, r.ID)
		case seen[r.ID]:
			return fmt.Errorf("catalogue/rules.yaml: %s is listed twice", r.ID)
		case r.Basis != "stated" && r.Basis != "reading":
			return fmt.Errorf("catalogue/rules.yaml %s: basis %q is neither stated nor reading", r.ID, r.Basis)
		case !strings.HasPrefix(r.Source, r.API+"/"):
			return fmt.Errorf("catalogue/rules.yaml %s: source %s is not an %s page", r.ID, r.Source, r.API)
		case len(r.Mutants) == 0:
			return fmt.Errorf("catalogue/rules.yaml %s: no mutant breaks it, so nothing proves a scenario checks it", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}

// Rule returns the rule with the id.
func (c *Catalogue) Rule(id string) (Rule, bool) {
	i := slices.IndexFunc(c.Rules, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Rule{}, false
	}
	return c.Rules[i], true
}

// BrokenBy maps each mutant to the rules it breaks.
func (c *Catalogue) BrokenBy() map[string][]string {
	out := map[string][]string{}
	for _, r := range c.Rules {
		for _, m := range r.Mutants {
			out[m] = append(out[m], r.ID)
		}
	}
	return out
}

// SHA256 is the hex SHA-256 of the embedded catalogue: the rules, then each
// statement inventory in path order, each preceded by its name.
func SHA256() string {
	h := sha256.New()
	fmt.Fprintf(h, "rules.yaml\x00%d\x00", len(data))
	h.Write(data)
	_ = fs.WalkDir(statementFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := statementFiles.ReadFile(path)
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))
}
