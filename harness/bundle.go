package harness

import (
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/evidence"
	"github.com/healthapi-conformance/conformance/harness/report"
	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
)

// runFacts are what a run knows of itself beyond its outcomes.
type runFacts struct {
	cfg         Config
	prof        *profile.Profile
	sel         selection // the run's share: its ids and total are the whole selection's
	featuresSum string    // the SHA-256 of the features, whole even when sharded
	started     time.Time
}

func newRunFacts(cfg Config, prof *profile.Profile, fsys fs.FS, sel selection, started time.Time) (runFacts, error) {
	sum, err := evidence.FeaturesSHA256(fsys)
	return runFacts{cfg: cfg, prof: prof, sel: sel, featuresSum: sum, started: started}, err
}

// evidenceFormats adds the bundle's cucumber and junit reports to a format list.
func evidenceFormats(format, dir string) string {
	if format == "" {
		format = "pretty"
	}
	return format + ",cucumber:" + filepath.Join(dir, evidence.CucumberFile) + ",junit:" + filepath.Join(dir, evidence.JUnitFile)
}

// writeBundle writes the rest of the bundle once the run's reports are
// closed, and seals it.
func writeBundle(dir string, run *evidence.Run, masked map[string]int64) error {
	writes := []error{
		evidence.WriteJSON(dir, evidence.RunFile, run),
		evidence.WriteJSON(dir, evidence.RedactionsFile, evidence.Redactions{Mask: redact.Mask, Masked: masked}),
		evidence.WriteFile(dir, evidence.HARFile, func(w io.Writer) error { return evidence.WriteHAR(w, run) }),
		evidence.WriteFile(dir, evidence.ReportFile, func(w io.Writer) error { return report.WriteHTML(w, run) }),
	}
	for _, err := range writes {
		if err != nil {
			return err
		}
	}
	return evidence.Seal(dir)
}

// runProperties are the run's facts every report names.
func runProperties(f runFacts, target string) []suite.Property {
	tool, cfg := evidence.ThisTool(), f.cfg
	suiteName := "embedded"
	if cfg.FeaturesDir != "" {
		suiteName = "custom: the features of " + cfg.FeaturesDir
	}
	props := []suite.Property{
		{Name: "tool", Value: tool.Name + " " + tool.Version}, {Name: "revision", Value: tool.Revision},
		{Name: "suite", Value: suiteName}, {Name: "features-sha256", Value: f.featuresSum}, {Name: "catalogue-sha256", Value: catalogue.SHA256()},
		{Name: "tags", Value: cfg.Tags}, {Name: "target", Value: target}, {Name: "profile", Value: f.prof.Name},
		{Name: "seed", Value: strconv.FormatInt(cfg.Seed, 10)}, {Name: "started", Value: f.started.UTC().Format(time.RFC3339)},
	}
	if cfg.Shard.Total > 1 {
		props = append(props, suite.Property{Name: "shard", Value: cfg.Shard.String()})
	}
	if cfg.Name != nil {
		props = append(props, suite.Property{Name: "name", Value: cfg.Name.String()})
	}
	if cfg.RerunFailed != "" {
		props = append(props, suite.Property{Name: "rerun-failed", Value: cfg.RerunFailed})
	}
	return props
}

// runRecord is run.json's content: the run's facts and every outcome.
func runRecord(f runFacts, out Outcome) (*evidence.Run, error) {
	cat, err := catalogue.Load()
	if err != nil {
		return nil, err
	}
	run := &evidence.Run{
		Tool:  evidence.ThisTool(),
		Suite: evidence.Suite{Embedded: f.cfg.FeaturesDir == "", FeaturesDir: f.cfg.FeaturesDir, FeaturesSHA256: f.featuresSum, CatalogueSHA256: catalogue.SHA256()},
		Selection: evidence.Selection{Tags: f.cfg.Tags, Selected: len(out.Scenarios), Total: f.sel.total, RulesLeftOut: []string{},
			IDs: orEmpty(f.sel.ids)},
		Target: out.Target, Profile: f.prof.Name, Assurance: assurance(f.prof.Assurance), Seed: out.Seed,
		Started: f.started.UTC().Truncate(time.Millisecond), Ended: time.Now().UTC().Truncate(time.Millisecond), ExitCode: out.Code, Interrupted: out.Interrupted,
	}
	for _, s := range out.Scenarios {
		run.Scenarios = append(run.Scenarios, scenarioRecord(s))
	}
	if f.cfg.Shard.Total > 1 {
		run.Selection.Shard = f.cfg.Shard.String()
	}
	if f.cfg.Name != nil {
		run.Selection.Name = f.cfg.Name.String()
	}
	run.Selection.RerunFailed = f.cfg.RerunFailed
	run.Counts = counts(run.Scenarios)
	run.Rules, run.Selection.RulesLeftOut = ruleVerdicts(cat, run.Scenarios)
	run.Compliance = complianceVerdicts(run.Scenarios)
	return run, nil
}

func assurance(a *profile.Assurance) *evidence.Assurance {
	if a == nil {
		return nil
	}
	return &evidence.Assurance{Organisation: a.Organisation, Application: a.Application, ApplicationVersion: a.ApplicationVersion,
		IGVersion: a.IGVersion, FHIRVersion: a.FHIRVersion, Tester: a.Tester, Contact: a.Contact, Interactions: a.Interactions}
}

func scenarioRecord(s suite.Scenario) evidence.Scenario {
	return evidence.Scenario{
		ID: s.ID(), Name: s.Name, URI: s.URI, Line: s.Line, Row: s.RowText(), API: features.APIOf(s.Tags),
		Outcome: string(s.Outcome), Reason: s.Reason, Rules: orEmpty(features.RuleIDs(s.Tags)),
		Compliance: tagged(s.Tags, "@compliance:"), Sources: orEmpty(tagged(s.Tags, "@source:")),
		DurationMS: s.Duration.Milliseconds(), Steps: orEmpty(s.Steps), Exchanges: orEmpty(s.Exchanges),
	}
}

// tagged are the values of a scenario's tags of prefix, each once: a
// scenario may repeat its feature's tag.
func tagged(tags []string, prefix string) []string {
	var out []string
	for _, v := range features.TagValues(tags, prefix) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func counts(list []evidence.Scenario) evidence.Counts {
	var c evidence.Counts
	for _, s := range list {
		c.Add(s.Outcome)
	}
	return c
}

// ruleVerdicts gives each catalogue rule its verdict over its scenarios,
// and lists the rules none of whose scenarios was selected.
func ruleVerdicts(cat *catalogue.Catalogue, list []evidence.Scenario) (rules []evidence.Rule, leftOut []string) {
	leftOut = []string{}
	for _, r := range cat.Rules {
		rule := verdictOf(evidence.Rule{ID: r.ID, Says: r.Text, Source: r.Source + ", " + r.Section}, list,
			func(s evidence.Scenario) bool { return slices.Contains(s.Rules, r.ID) })
		if len(rule.Scenarios) == 0 {
			leftOut = append(leftOut, r.ID)
		}
		rules = append(rules, rule)
	}
	return rules, leftOut
}

// complianceVerdicts gives each compliance ID the scenarios run carry its verdict.
func complianceVerdicts(list []evidence.Scenario) []evidence.Rule {
	var ids []string
	for _, s := range list {
		ids = append(ids, s.Compliance...)
	}
	slices.Sort(ids)
	out := []evidence.Rule{}
	for _, id := range slices.Compact(ids) {
		out = append(out, verdictOf(evidence.Rule{ID: id, Source: "hpi/onboarding-and-compliance-testing.md"}, list,
			func(s evidence.Scenario) bool { return slices.Contains(s.Compliance, id) }))
	}
	return out
}

// verdictOf gives rule the scenarios of list it has, and their verdict.
func verdictOf(rule evidence.Rule, list []evidence.Scenario, has func(evidence.Scenario) bool) evidence.Rule {
	rule.Scenarios = []string{}
	var outcomes []string
	for _, s := range list {
		if has(s) {
			rule.Scenarios = append(rule.Scenarios, s.ID)
			outcomes = append(outcomes, s.Outcome)
		}
	}
	rule.Verdict = verdict(outcomes)
	return rule
}

// verdict: failed if any failed, else not judged if any was not passed,
// else passed; "not selected" with none.
func verdict(outcomes []string) string {
	switch {
	case len(outcomes) == 0:
		return "not selected"
	case slices.Contains(outcomes, evidence.Failed):
		return evidence.Failed
	case slices.ContainsFunc(outcomes, func(o string) bool { return o != evidence.Passed }):
		return evidence.NotJudged
	}
	return evidence.Passed
}
