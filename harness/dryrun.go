package harness

import (
	"context"
	"fmt"
	"io"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/profile"
)

// Plan is what a run would do, as a dry run (Config.DryRun) finds it:
// everything that needs no target is checked, and nothing is sent to it.
type Plan struct {
	ERS, HPI int    // the scenarios the run would run, by API (its shard's share)
	Selected int    // the whole selection, every shard's
	Total    int    // the scenarios of the features
	Shard    Shard  // zero: the whole selection
	Target   string // where the requests would go, as the command line and profile say
	// Requests are what the selection sends to the embedded reference
	// server; a target that answers otherwise, or throttles, may need more.
	Requests Requests
	// Unjudged counts the scenarios that did not pass there, whose requests
	// the count may therefore miss (a custom suite's, say).
	Unjudged int
	Budget   int64 // --budget, 0: none
}

// dryRun checks what the target is not needed for (the endpoints' hosts and
// schemes, when the target's URL is known), counts the selection's requests
// against the embedded reference server, and sends nothing to the target.
func dryRun(ctx context.Context, cfg Config, prof *profile.Profile, tags string, sel selection) (Outcome, error) {
	target, url, err := plannedTarget(cfg, prof)
	if err != nil {
		return Outcome{}, err
	}
	if url != "" {
		if err := checkEndpoints(cfg, prof, url); err != nil {
			return Outcome{}, err
		}
		if err := checkSchemes(cfg, prof, url); err != nil {
			return Outcome{}, err
		}
	}
	counted, err := countRequests(ctx, cfg, tags)
	if err != nil {
		return Outcome{}, fmt.Errorf("--dry-run: counting the requests against the embedded reference server: %w", err)
	}
	p := &Plan{ERS: sel.ers, HPI: sel.hpi, Selected: len(sel.ids), Total: sel.total, Shard: cfg.Shard, Target: profileRedactor(prof).String(target),
		Requests: counted.Requests, Unjudged: len(counted.Scenarios) - len(counted.With(suite.Passed)), Budget: cfg.Budget}
	if err := overBudget(cfg.Budget, sel.ers+sel.hpi, p.Requests); err != nil {
		return Outcome{}, err
	}
	return Outcome{Plan: p}, nil
}

// plannedTarget names the target a run would use, without starting or
// asking it, and its URL when that is known before it starts.
func plannedTarget(cfg Config, prof *profile.Profile) (name, url string, err error) {
	kind, url, err := chooseTarget(cfg, prof)
	switch {
	case err != nil:
		return "", "", err
	case kind == urlTarget:
		return url, url, nil
	case kind == containerKind:
		image := cfg.Image
		if image == "" {
			image = prof.Container.Image
		}
		return fmt.Sprintf("a container of %s (not started)", image), "", nil
	}
	return "the embedded reference server (not started)", "", nil
}

// print says what the run would do, on the command's standard output.
func (p *Plan) print(w io.Writer) {
	share := ""
	if p.Shard.Total > 1 {
		share = fmt.Sprintf(", shard %s of a selection of %d", p.Shard, p.Selected)
	}
	fmt.Fprintf(w, "conformance: dry run: %d scenarios would run (e-RS %d, HPI %d) of the %d in the features%s, against %s\n",
		p.ERS+p.HPI, p.ERS, p.HPI, p.Total, share, p.Target)
	fmt.Fprintf(w, "conformance: dry run: they send %d requests to the embedded reference server (%s); a target that answers otherwise, or throttles, may need a few more\n",
		p.Requests.Total(), p.Requests)
	if p.Unjudged > 0 {
		fmt.Fprintf(w, "conformance: dry run: %d of them did not pass against the reference server, so their requests may be undercounted\n", p.Unjudged)
	}
	if p.Budget > 0 {
		fmt.Fprintf(w, "conformance: dry run: within --budget %d\n", p.Budget)
	}
	fmt.Fprintln(w, "conformance: dry run: the profile, features, selection and test data are usable; nothing was sent to the target")
}
