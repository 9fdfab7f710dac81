package harness

import (
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/steps"
)

// selection counts the scenarios a run selects, per API, so that the
// pre-flight checks only what the run will use.
type selection struct {
	ers, hpi int
	hpiSteps [][]string // each selected HPI scenario's steps
	all      []features.Scenario
	ids      []string // the IDs of the whole selection, every shard's
	total    int      // the scenarios of the features, selected or not
	pick     picker   // --name and --rerun-failed, beyond the tags
}

// selectScenarios counts the scenarios of fsys that the tag filter and the picker select.
func selectScenarios(fsys fs.FS, tags string, pick picker) (selection, error) {
	all, err := features.Scenarios(fsys)
	if err != nil {
		return selection{}, fmt.Errorf("the features cannot be read: %w", err)
	}
	if err := pick.check(all); err != nil {
		return selection{}, err
	}
	sel := selection{pick: pick}
	for _, s := range all {
		switch {
		case !matchTags(tags, s.Tags) || !pick.keeps(s):
		case len(s.Steps) == 0: // godog runs no hook for it, so it would have no outcome
			return selection{}, fmt.Errorf("%s: the scenario %q has no steps: it checks nothing", s.URI, s.Name)
		case features.APIOf(s.Tags) == "": // the pre-flight and the endpoint checks go by these tags
			return selection{}, fmt.Errorf("%s: the scenario %q is tagged neither @ers nor @hpi: tag its feature with the API it checks", s.URI, s.Name)
		default:
			sel.add(s)
		}
	}
	for _, sc := range sel.all {
		sel.ids = append(sel.ids, sc.ID())
	}
	sel.total = len(all)
	return sel, nil
}

// add counts a selected scenario under its API.
func (s *selection) add(sc features.Scenario) {
	s.all = append(s.all, sc)
	if features.APIOf(sc.Tags) == "ers" {
		s.ers++
		return
	}
	s.hpi++
	s.hpiSteps = append(s.hpiSteps, sc.Steps)
}

// matchTags applies a tag filter as godog v0.15 does (internal/tags): every
// group joined by && must match, a group matches when one of its tags joined
// by , does, and ~tag matches a scenario without the tag. The pre-flight must
// count what godog will run, so this follows godog, not a grammar of its own.
func matchTags(filter string, tags []string) bool {
	if filter == "" {
		return true
	}
	for _, group := range strings.Split(filter, "&&") {
		if !slices.ContainsFunc(strings.Split(group, ","), func(t string) bool { return tagMatches(t, tags) }) {
			return false
		}
	}
	return true
}

func tagMatches(tag string, tags []string) bool {
	tag = strings.ReplaceAll(strings.TrimSpace(tag), "@", "")
	has := func(name string) bool {
		return slices.ContainsFunc(tags, func(t string) bool { return strings.ReplaceAll(t, "@", "") == name })
	}
	if negated, ok := strings.CutPrefix(tag, "~"); ok {
		return !has(negated)
	}
	return has(tag)
}

// checkTestData says whether the HPI test data can give every role the run
// creates a (practitioner, role code) pair of its own. Each HPI scenario
// creates at most one role with a new pair (steps/hpi_data.go, nextRole; "the
// same role again" reuses its scenario's pair), so the selected HPI scenarios
// bound the count from above. The pairs cycle over (practitioners-1) x
// (codes-1), the last of each being kept for the scenarios that change them;
// with fewer pairs than roles the run itself creates duplicates, which a
// target rightly refuses, and the scenarios would fail blamed on their rules.
func checkTestData(h *profile.HPI, sel selection) error {
	td := h.TestData
	np, nc := len(td.Practitioners)-1, len(td.RoleCodes)-1
	if np*nc < sel.hpi {
		morePractitioners := ceilDiv(sel.hpi, nc) - np
		moreCodes := ceilDiv(sel.hpi, np) - nc
		return fmt.Errorf("hpi.testData.practitioners and hpi.testData.roleCodes: %d practitioners and %d role codes give "+
			"(%d-1) x (%d-1) = %s for new roles (the last of each is kept out), "+
			"but the %d HPI scenarios selected create up to %d roles, each needing a pair of its own: "+
			"%s short; add %s, or %s",
			np+1, nc+1, np+1, nc+1, count(np*nc, "(practitioner, role code) pair"), sel.hpi, sel.hpi,
			count(sel.hpi-np*nc, "pair"), count(morePractitioners, "practitioner"), count(moreCodes, "role code"))
	}
	for shape, n := range codelessRoles(td, sel.hpiSteps) {
		if n > np {
			return fmt.Errorf("hpi.testData.practitioners: %d practitioners give %s for roles without a role code "+
				"(the last is kept out), but %d of the HPI scenarios selected may create one referring to %s; such roles "+
				"differ only by practitioner, so each needs one of its own: add %s",
				np+1, count(np, "practitioner"), n, shape, count(n-np, "practitioner"))
		}
	}
	return nil
}

// codelessRoles counts, by shape, the scenarios that may create a role
// without a role code (steps.CodelessShape), each counted once per shape.
func codelessRoles(td profile.HPITestData, scenarios [][]string) map[string]int {
	out := map[string]int{}
	for _, list := range scenarios {
		seen := map[string]bool{}
		for _, st := range list {
			if shape, ok := steps.CodelessShape(st, td); ok && !seen[shape] {
				seen[shape] = true
				out[shape]++
			}
		}
	}
	return out
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// endpoint is a profile key holding a URL.
type endpoint struct{ key, value string }

// endpoints lists the URL keys of every API the profile describes: a
// client is built for each, whatever the run selects.
func endpoints(prof *profile.Profile) []endpoint {
	var out []endpoint
	if prof.ERS != nil {
		out = append(out, endpoint{"ers.url", prof.ERS.URL})
	}
	if prof.HPI != nil {
		out = append(out, endpoint{"hpi.url", prof.HPI.URL}, endpoint{"hpi.tokenUrl", prof.HPI.TokenURL})
	}
	return out
}

// checkEndpoints holds the endpoints to the target the command line names.
// --target and --image replace the profile's target, and an endpoint written
// as a path follows; an absolute one does not. On the target's host it is
// used as written, with a warning. On another host it would take the run's
// secrets (smartcard tokens, client secret, API key, bearer tokens) to a host
// the command line did not name, so the run ends before any request.
func checkEndpoints(cfg Config, prof *profile.Profile, target string) error {
	flag := "--target"
	switch {
	case cfg.Image != "" && cfg.Target == "":
		flag = "--image"
	case cfg.Target == "":
		return nil
	}
	for _, e := range endpoints(prof) {
		if !strings.Contains(e.value, "://") {
			continue
		}
		if !sameHost(e.value, target) {
			return fmt.Errorf("%s: %s is an absolute URL, which %s does not override, and it is not on the target %s: "+
				"the run would send the profile's secrets to a host the command line did not name; "+
				"write the endpoint as a path (%s), joined to the target, or run without %s",
				e.key, e.value, flag, target, pathOf(e.value), flag)
		}
		if cfg.Stderr != nil {
			fmt.Fprintf(cfg.Stderr, "conformance: warning: %s is an absolute URL (%s), which %s does not override: it is used as written\n",
				e.key, e.value, flag)
		}
	}
	return nil
}

// sameHost compares the host and port of two URLs, a missing port being the scheme's.
func sameHost(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil &&
		strings.EqualFold(ua.Hostname(), ub.Hostname()) && portOf(ua) == portOf(ub)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		return u.Path
	}
	return "/..."
}

// resolved lists the URLs every API of the profile sends credentials to.
func resolved(prof *profile.Profile, target string) []endpoint {
	out := endpoints(prof)
	for i := range out {
		out[i].value = profile.Resolve(out[i].value, target)
	}
	return out
}

// checkSchemes keeps credentials off plain http, but to this machine,
// unless the profile says allowInsecure; then the run says that it did.
func checkSchemes(cfg Config, prof *profile.Profile, target string) error {
	for _, e := range resolved(prof, target) {
		u, err := url.Parse(e.value)
		if err != nil || u.Scheme != "http" || loopback(u.Hostname()) {
			continue
		}
		if !prof.AllowInsecure {
			return fmt.Errorf("%s: %s is plain http to another machine: the run's credentials would cross the network in clear. Use https, or set allowInsecure: true in the profile", e.key, e.value)
		}
		fmt.Fprintf(cfg.Stderr, "conformance: warning: %s is plain http (%s); credentials are sent in clear, as allowInsecure says\n", e.key, e.value)
	}
	return nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
