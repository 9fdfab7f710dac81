package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	messages "github.com/cucumber/messages/go/v21"

	"github.com/healthapi-conformance/conformance/api/hpi"
)

func (w World) hpiThenSteps(r Registrar) {
	r.Step(phrase(`^the response body is the PractitionerRole that was asked for$`), w.bodyIsRole)
	r.Step(phrase(`^the response carries an ETag with the role's version$`), w.etagIsVersion)
	r.Step(phrase(`^the response carries the X-Correlation-Id the system sent$`), w.correlationEchoed)
	r.Step(phrase(`^the OperationOutcome has the issue:$`), w.outcomeHasIssue)
	r.Step(phrase(`^the OperationOutcome has one of the issues:$`), w.outcomeHasOneOf)
	r.Step(phrase(`^the update is refused as out of date, with (?:status|one of the statuses) ([\d, or]+) and the code "([^"]*)" "([^"]*)"$`), w.refusedOutOfDate)
	r.Step(phrase(`^the answer is an OperationOutcome with an error$`), w.isErrorOutcome)
	r.Step(phrase(roleUnchangedStep), w.roleUnchanged)
	r.Step(phrase(`^the role is unchanged since the other user's update$`), w.roleUnchangedSinceOther)
	r.Step(phrase(`^reading the (?:new )?role shows what the (?:update|system) sent$`), w.readShowsSent)
	r.Step(phrase(`^reading the role shows a newer version than the one updated$`), w.readShowsNewerVersion)
	r.Step(phrase(`^reading the role shows a version the server made, not "([^"]*)"$`), w.readShowsServerVersion)
	r.Step(phrase(`^reading the role shows a last update the server made, not "([^"]*)"$`), w.readShowsServerLastUpdated)
	r.Step(phrase(`^reading the role shows the new contact point with the next lowest rank$`), w.readShowsRankAssigned)
	r.Step(phrase(`^the answer names the new role's hpi-practitionerrole-id$`), w.namesNewRole)
}

func (w World) lastOutcome() (hpi.Outcome, error) {
	ex, err := w.answer()
	if err != nil {
		return hpi.Outcome{}, err
	}
	o, err := hpi.ParseOutcome(ex.Body)
	if err != nil {
		return o, violated("%v, got %d with body: %s", err, ex.Status, excerpt(ex.Body))
	}
	return o, nil
}

// outcomeHasIssue checks for the issue of a one-row table.
func (w World) outcomeHasIssue(table *messages.PickleTable) error {
	want, err := expectedIssues(table)
	if err == nil && len(want) != 1 {
		err = fmt.Errorf("the expected issue is a table of a header and one row (for several, write \"has one of the issues:\")")
	}
	if err != nil {
		return err
	}
	return w.outcomeHasAny(want)
}

// outcomeHasOneOf checks for an issue of any row: where pages spell one
// message in two ways (D-HPI-07).
func (w World) outcomeHasOneOf(table *messages.PickleTable) error {
	want, err := expectedIssues(table)
	if err != nil {
		return err
	}
	return w.outcomeHasAny(want)
}

func (w World) outcomeHasAny(want []issue) error {
	o, err := w.lastOutcome()
	if err != nil {
		return err
	}
	if slices.ContainsFunc(want, func(i issue) bool { return i.found(o) }) {
		return nil
	}
	names := make([]string, len(want))
	for k, i := range want {
		names[k] = i.String()
	}
	return violated("expected an issue %s, the OperationOutcome says %s", strings.Join(names, " or "), said(o))
}

// refusedOutOfDate judges both halves of the out-of-date refusal in one
// step, so that a deviation shows whole: a version-conflict status (FHIR R4
// lists 409 and 412; no HPI page gives one, D-HPI-03) and the code of the
// general page's Error Format, in either of its formats.
func (w World) refusedOutOfDate(list, code, display string) error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	allowed, err := statuses(list)
	if err != nil {
		return err
	}
	var wrong []string
	if !slices.Contains(allowed, ex.Status) {
		wrong = append(wrong, fmt.Sprintf("the status is %d %s", ex.Status, http.StatusText(ex.Status)))
	}
	if o, err := hpi.ParseOutcome(ex.Body); err != nil || !codedIn(o, code, display) {
		wrong = append(wrong, "the body carries no "+code)
	}
	if len(wrong) == 0 {
		return nil
	}
	return violated("expected the update refused as out of date, with status %s and %s %q (general-request-rules.md, Error Format), but %s; body: %s",
		strings.TrimSpace(list), code, display, strings.Join(wrong, " and "), excerpt(ex.Body))
}

func (w World) isErrorOutcome() error {
	o, err := w.lastOutcome()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(o.Issue, func(is hpi.Issue) bool {
		return is.Severity == "error" || is.Severity == "fatal"
	}) {
		return violated("expected an issue of severity error, got %+v", o.Issue)
	}
	return nil
}

func (w World) bodyIsRole() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	role, err := hpi.ParseResource(ex.Body)
	if err != nil || role["resourceType"] != "PractitionerRole" {
		return violated("expected a PractitionerRole, got: %s", excerpt(ex.Body))
	}
	if role["id"] != w.hpi.id {
		return violated("asked for %s, got the role with id %v", w.hpi.id, role["id"])
	}
	if official := officialID(role); official != w.hpi.id {
		return violated("the id must equal the official identifier (general-request-rules.md, Id and Identifiers): id %s, official identifier %q", w.hpi.id, official)
	}
	return nil
}

func (w World) etagIsVersion() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	tag := ex.Header.Get("ETag")
	if tag == "" {
		return violated("expected an ETag header with the version (general-request-rules.md, Response Headers); there is none")
	}
	v, err := hpi.ParseVersion(tag)
	if err != nil {
		return violated("the ETag must carry the role's version number (general-request-rules.md, Response Headers): %v", err)
	}
	role, _ := hpi.ParseResource(ex.Body)
	meta, _ := role["meta"].(map[string]any)
	if id, ok := meta["versionId"].(string); ok && id != fmt.Sprint(v) {
		return violated("the ETag %s names version %d but the role's meta.versionId is %s", tag, v, id)
	}
	return nil
}

// correlationEchoed compares the answer's X-Correlation-Id with the one the request carried.
func (w World) correlationEchoed() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	sent := ex.Request.HeaderValue("X-Correlation-Id")
	if got := ex.Header.Get("X-Correlation-Id"); got != sent {
		return violated("sent X-Correlation-Id %q, the answer (%d) returned %q", sent, ex.Status, got)
	}
	return nil
}

func (w World) namesNewRole() error {
	if w.hpi.id == "" {
		return violatedNoID()
	}
	return nil
}

func violatedNoID() error {
	return violated("the answer names no hpi-practitionerrole-id: no id in the body, no Location or Content-Location header (add-practitionerrole.md: an hpi-practitionerrole-id is issued)")
}

// addNamedNoRole says whether the last request was an add the target
// accepted without naming the new role: a Then that needs the role then
// finds the target breaking the rule that an id is issued.
func (w World) addNamedNoRole() bool {
	return w.hpi.id == "" && w.last != nil && w.last.Request.Method == http.MethodPost && w.last.Status/100 == 2
}

// roleUnchanged reads the role and compares it with what it was before the refused request.
func (w World) roleUnchanged(ctx context.Context) error {
	return w.unchangedSince(ctx, w.hpi.read, w.hpi.version)
}

// roleUnchangedSinceOther compares it with what it was after the other user's update.
func (w World) roleUnchangedSinceOther(ctx context.Context) error {
	return w.unchangedSince(ctx, w.hpi.latest, -1)
}

func (w World) unchangedSince(ctx context.Context, want resource, version int) error {
	got, v, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	if version >= 0 && v != version {
		return violated("the role was at version %d and is now at %d: the refused request changed it", version, v)
	}
	if !reflect.DeepEqual(content(want), content(got)) {
		return violated("the role changed (-before +now):%s", difference(content(want), content(got)))
	}
	return nil
}

// readShowsSent reads the role and checks that it holds what was sent. A
// role the target said it kept and cannot find is a violation, not a set-up
// that failed.
func (w World) readShowsSent(ctx context.Context) error {
	got, _, err := w.readRole(ctx)
	if err != nil && w.hpi.id != "" && w.last != nil && w.last.Status == http.StatusNotFound {
		return violated("the role %s the target answered for cannot be read: %d Not Found", w.hpi.id, w.last.Status)
	}
	if err != nil {
		return err
	}
	for k, sent := range deepCopy(w.hpi.sent) { // as JSON, so numbers compare as read
		if err := holds(k, sent, got[k]); err != nil {
			return err
		}
	}
	return nil
}

func (w World) readShowsNewerVersion(ctx context.Context) error {
	_, v, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	if v <= w.hpi.version {
		return violated("the update was made at version %d, and the role now reads as version %d: no new version", w.hpi.version, v)
	}
	return nil
}

// readShowsServerVersion: FHIR R4 ignores a meta.versionId sent in an update.
func (w World) readShowsServerVersion(ctx context.Context, sent string) error {
	_, v, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	if fmt.Sprint(v) == sent {
		return violated("the update sent meta.versionId %q and the role now reads as that version: FHIR R4 (3.1.0.4) says the server ignores it", sent)
	}
	return nil
}

// readShowsServerLastUpdated: FHIR R4 ignores a meta.lastUpdated sent in an
// update; a server that shows no lastUpdated keeps none it was sent.
func (w World) readShowsServerLastUpdated(ctx context.Context, sent string) error {
	role, _, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	meta, _ := role["meta"].(map[string]any)
	if got, _ := meta["lastUpdated"].(string); got == sent {
		return violated("the update sent meta.lastUpdated %q and the role now shows it: FHIR R4 (3.1.0.4) says the server ignores it", sent)
	}
	return nil
}

// readShowsRankAssigned checks the rank given to the contact point sent
// without one: the next after the lowest-ranked (highest number) of the others.
func (w World) readShowsRankAssigned(ctx context.Context) error {
	got, _, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	want, assigned := assignedRank(telecom(w.hpi.sent), telecom(got))
	if assigned != want {
		return violated("the contact point sent without a rank should have rank %v (the next lowest), it has %v: %s", want, assigned, mustJSON(got["telecom"]))
	}
	return nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return excerpt(b)
}
