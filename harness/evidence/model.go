// Package evidence is what a run leaves for an assessor: run.json (the
// run's metadata and every scenario, rule and exchange), the HAR of the
// exchanges, what was masked, and SHA256SUMS over the bundle, which
// Verify checks. Every text in it is already masked.
package evidence

import "time"

// Run is run.json: one run, whole.
type Run struct {
	Tool      Tool       `json:"tool"`
	Suite     Suite      `json:"suite"`
	Selection Selection  `json:"selection"`
	Target    string     `json:"target"`
	Profile   string     `json:"profile"` // the profile's name
	Assurance *Assurance `json:"assurance,omitempty"`
	Seed      int64      `json:"seed"` // 0: file order
	Started   time.Time  `json:"started"`
	Ended     time.Time  `json:"ended"`
	Counts    Counts     `json:"counts"`
	ExitCode  int        `json:"exitCode"`
	// Interrupted says the run was stopped before it finished: no one judged it.
	Interrupted bool       `json:"interrupted,omitempty"`
	Rules       []Rule     `json:"rules"`
	Compliance  []Rule     `json:"compliance"` // per compliance ID, as for rules
	Scenarios   []Scenario `json:"scenarios"`
}

// Tool is the harness that ran.
type Tool struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Revision string `json:"revision"` // the VCS revision, or "revision unknown"
}

// Suite is what was run: the embedded suite, or a copy from --features.
type Suite struct {
	Embedded        bool   `json:"embedded"`
	FeaturesDir     string `json:"featuresDir,omitempty"` // --features, when not embedded
	FeaturesSHA256  string `json:"featuresSha256"`
	CatalogueSHA256 string `json:"catalogueSha256"`
}

// Selection is which scenarios the run selected.
type Selection struct {
	Tags string `json:"tags"` // as given; empty: all
	// Name is --name, the regular expression the titles matched; empty: none.
	Name string `json:"name,omitempty"`
	// RerunFailed is --rerun-failed, the run.json whose failed scenarios were rerun.
	RerunFailed string `json:"rerunFailed,omitempty"`
	Selected    int    `json:"selected"`
	Total       int    `json:"total"` // scenarios in the features run
	// RulesLeftOut are catalogue rules none of whose scenarios was selected.
	RulesLeftOut []string `json:"rulesLeftOut"`
	// Shard is "i/n" when the run was one share of the selection.
	Shard string `json:"shard,omitempty"`
	// IDs are every scenario the selection (tags, name, rerun) holds, every shard's: what a merge
	// of the shards must hold, each once.
	IDs []string `json:"ids"`
}

// Assurance is the profile's assurance section, as the onboarding page
// lists the tester details (hpi/onboarding-and-compliance-testing.md,
// Compliance testing, 1); its test script version is Tool and Suite, its
// start and end the Run's.
type Assurance struct {
	Organisation       string   `json:"organisation"`
	Application        string   `json:"application"`
	ApplicationVersion string   `json:"applicationVersion"`
	IGVersion          string   `json:"igVersion"`
	FHIRVersion        string   `json:"fhirVersion"`
	Tester             string   `json:"tester"`
	Contact            string   `json:"contact"`
	Interactions       []string `json:"interactions,omitempty"`
}

// Counts are the scenarios by outcome.
type Counts struct {
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	NotJudged int `json:"notJudged"`
	NotRun    int `json:"notRun"`
}

// Add counts one scenario of the outcome.
func (c *Counts) Add(outcome string) {
	switch outcome {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case NotJudged:
		c.NotJudged++
	case NotRun:
		c.NotRun++
	}
}

// Outcome values, as the console prints them.
const (
	Passed    = "passed"
	Failed    = "failed"
	NotJudged = "not judged"
	NotRun    = "not run"
)

// Rule is a catalogue rule (or a compliance ID) and its verdict: failed if
// any of its scenarios failed, else not judged if any was not judged or
// not run, else passed; "not selected" when none of its scenarios ran.
type Rule struct {
	ID        string   `json:"id"`
	Says      string   `json:"says,omitempty"`   // the rule's sentence
	Source    string   `json:"source,omitempty"` // its page and section
	Verdict   string   `json:"verdict"`
	Scenarios []string `json:"scenarios"` // Scenario.ID
}

// Scenario is one scenario (one Examples row of an outline) and what it did.
type Scenario struct {
	ID         string     `json:"id"` // uri:line, unique in the run
	Name       string     `json:"name"`
	URI        string     `json:"uri"`
	Line       int        `json:"line"`
	Row        string     `json:"row,omitempty"` // "name: value; name: value"
	API        string     `json:"api"`           // ers or hpi
	Outcome    string     `json:"outcome"`
	Reason     string     `json:"reason,omitempty"`
	Rules      []string   `json:"rules"`
	Compliance []string   `json:"compliance,omitempty"`
	Sources    []string   `json:"sources"` // spec pages, from @source: tags
	DurationMS int64      `json:"durationMs"`
	Steps      []Step     `json:"steps"`
	Exchanges  []Exchange `json:"exchanges"`
}

// Step is one step as it ran.
type Step struct {
	Text   string `json:"text"`
	Status string `json:"status"` // passed, failed, skipped, undefined, pending, ambiguous
}

// Exchange is one HTTP request and its answer, masked.
type Exchange struct {
	Step            int       `json:"step"` // index into Steps
	Sent            time.Time `json:"sent"`
	Received        time.Time `json:"received"` // zero: no answer
	TargetDate      string    `json:"targetDate,omitempty"`
	Method          string    `json:"method"`
	URL             string    `json:"url"`
	RequestHeaders  []Header  `json:"requestHeaders"`
	RequestBody     string    `json:"requestBody,omitempty"`
	Status          int       `json:"status"` // 0: no answer
	ResponseHeaders []Header  `json:"responseHeaders"`
	ResponseBody    string    `json:"responseBody,omitempty"`
	Retries         int       `json:"retries,omitempty"` // earlier attempts answered 429
}

// Header is one header line.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}
