package harness

import "github.com/healthapi-conformance/conformance/features"

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
	if err := checkTags(cfg.Tags); err != nil {
		return nil, err
	}
	pick, err := newPicker(cfg)
	if err != nil {
		return nil, err
	}
	prof, err := loadProfile(cfg.ProfilePath)
	if err != nil {
		return nil, err
	}
	fsys, err := featureFS(cfg.FeaturesDir)
	if err != nil {
		return nil, err
	}
	tags, err := selectAPIs(cfg.Tags, prof)
	if err != nil {
		return nil, err
	}
	sel, err := selectScenarios(fsys, tags, pick)
	if err != nil {
		return nil, err
	}
	if cfg.Shard.Total > 1 {
		sel = sel.only(cfg.Shard)
	}
	out := make([]Listed, 0, len(sel.all))
	for _, s := range sel.all {
		out = append(out, listing(s))
	}
	return out, nil
}

func listing(s features.Scenario) Listed {
	return Listed{
		ID: s.ID(), URI: s.URI, Line: s.Line, Name: s.Name, Row: s.RowText(), API: features.APIOf(s.Tags),
		Rules: orEmpty(tagged(s.Tags, "@rule:")), Compliance: orEmpty(tagged(s.Tags, "@compliance:")), Sources: orEmpty(tagged(s.Tags, "@source:")),
	}
}
