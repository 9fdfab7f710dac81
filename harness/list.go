package harness

import (
	"fmt"
	"io/fs"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
)

// Title is the scenario's name with its Examples row, as run names it.
func (l Listed) Title() string {
	if l.Row == "" {
		return l.Name
	}
	return l.Name + " [" + l.Row + "]"
}

// Listed is one scenario a run would select (an outline gives one per
// Examples row), with what it checks and where that is documented.
type Listed struct {
	ID         string   `json:"id"` // uri:line, as run.json and --rerun-failed name it
	URI        string   `json:"uri"`
	Line       int      `json:"line"`
	Name       string   `json:"name"`
	Row        string   `json:"row,omitempty"` // the Examples row, "name: value; name: value"
	API        string   `json:"api"`           // ers or hpi
	Rules      []string `json:"rules"`
	Compliance []string `json:"compliance"`
	Sources    []string `json:"sources"` // spec pages, from @source: tags
}

// List is the scenarios a run of cfg would select, in file order, under
// the same selection as Run: the tags, --name, --rerun-failed, the APIs
// the profile describes, and the shard. Nothing is started or sent.
func List(cfg Config) ([]Listed, error) {
	c, err := choose(cfg)
	if err != nil {
		return nil, err
	}
	sel := c.sel
	if cfg.Shard.Total > 1 {
		if sel, err = shareOf(cfg.Shard, sel); err != nil {
			return nil, err
		}
	}
	red := profileRedactor(c.prof) // a feature may quote a secret's value, as run masks it
	out := make([]Listed, 0, len(sel.all))
	for _, s := range sel.all {
		out = append(out, listing(s, red))
	}
	return out, nil
}

// chosen is what a run selects before its shard: the profile, the
// features, the tag filter with the profile's APIs, and the scenarios.
type chosen struct {
	prof *profile.Profile
	fsys fs.FS
	tags string
	sel  selection
}

// choose reads the profile and the features and selects the scenarios cfg
// names, as Execute and List both do; a selection of none is refused.
func choose(cfg Config) (chosen, error) {
	if err := checkTags(cfg.Tags); err != nil {
		return chosen{}, err
	}
	pick, err := newPicker(cfg)
	if err != nil {
		return chosen{}, err
	}
	prof, err := loadProfile(cfg.ProfilePath)
	if err != nil {
		return chosen{}, err
	}
	fsys, err := featureFS(cfg.FeaturesDir)
	if err != nil {
		return chosen{}, err
	}
	tags, err := selectAPIs(cfg.Tags, prof)
	if err != nil {
		return chosen{}, err
	}
	sel, err := selectScenarios(fsys, tags, pick)
	if err != nil {
		return chosen{}, err
	}
	if sel.ers+sel.hpi == 0 {
		return chosen{}, fmt.Errorf("no scenario matches %s", pick.describe(cfg.Tags))
	}
	return chosen{prof: prof, fsys: fsys, tags: tags, sel: sel}, nil
}

// profileRedactor masks the secrets the profile names.
func profileRedactor(prof *profile.Profile) *redact.Redactor {
	red := redact.New()
	for _, s := range prof.NamedSecrets() {
		red.AddNamed(s.Key, s.Value)
	}
	return red
}

func listing(s features.Scenario, red *redact.Redactor) Listed {
	return Listed{
		ID: s.ID(), URI: s.URI, Line: s.Line, Name: red.String(s.Name), Row: red.String(s.RowText()), API: features.APIOf(s.Tags),
		Rules: orEmpty(tagged(s.Tags, "@rule:")), Compliance: orEmpty(tagged(s.Tags, "@compliance:")), Sources: orEmpty(tagged(s.Tags, "@source:")),
	}
}
