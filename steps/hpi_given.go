package steps

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
)

func (w World) hpiGivenSteps(r Registrar) {
	r.Step(phrase(`^the system has created a PractitionerRole$`), w.givenRole)
	r.Step(phrase(`^the system has created a PractitionerRole that ended on "([^"]*)"$`), w.givenEndedRole)
	r.Step(phrase(`^the system has created the same role again, starting on "([^"]*)"$`), w.givenSameRoleFrom)
	r.Step(phrase(`^the system has read the (?:first )?role's current version$`), w.givenRead)
	r.Step(phrase(`^another user has since updated the role$`), w.givenOtherUpdate)
	r.Step(phrase(`^the system has created a PractitionerRole, with (.+ removed|.+ set to .+)$`), w.givenRoleWith)
	r.Step(phrase(`^the system has created a PractitionerRole that started on "([^"]*)"$`), w.givenRoleFrom)
}

// hpiState is what one scenario knows of the HPI.
type hpiState struct {
	id      string      // the role under test
	read    resource    // the role as the system last read it
	version int         // the version the system last read
	latest  resource    // the role after another user's update, if any
	sent    resource    // the body of the last create or update
	combo   int         // which test practitioner and role code the role uses
	created bool        // the scenario has created a role (with its pair)
	token   tokenAnswer // what the token endpoint answered a step's own token request
	// createAnswer is the answer that created the role under test;
	// readBaseline says a later step compares the role with it as read
	// (Plan), so the role must be read, not taken from createAnswer.
	createAnswer *exchange.Exchange
	readBaseline bool
	// versionUnread says the version and role came from createAnswer: no
	// read, and no accepted update, has yet shown that the role was kept.
	versionUnread bool
}

// The steps that compare the role now with the role as the system read it
// before (registered in hpi_then.go and hpi_role_then.go): their baseline
// must be a read, since a read and a create answer may differ for reasons
// of their own.
const (
	roleUnchangedStep  = `^the role is unchanged$`
	elementAsItWasStep = `^the role's (\S+) is as it was$`
)

var baselineSteps = []string{roleUnchangedStep, elementAsItWasStep}

// Plan tells the World the steps of its scenario, before the first runs.
func (w World) Plan(texts []string) {
	for _, t := range texts {
		for _, expr := range baselineSteps {
			w.hpi.readBaseline = w.hpi.readBaseline || phrase(expr).MatchString(t)
		}
	}
}

func (w World) givenRole(ctx context.Context) error {
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	return w.created(w.createRole(ctx, role), "create a PractitionerRole")
}

// givenRoleWith creates a role changed as the words say (hpi_data.go, applyChange).
func (w World) givenRoleWith(ctx context.Context, change string) error {
	role, err := w.editedRole(w.change(change))
	if err != nil {
		return err
	}
	return w.created(w.createRole(ctx, role), "create a PractitionerRole, with "+change)
}

// givenRoleFrom creates a role open from start.
func (w World) givenRoleFrom(ctx context.Context, start string) error {
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	role["period"] = map[string]any{"start": start}
	return w.created(w.createRole(ctx, role), "create a PractitionerRole from "+start)
}

// created checks a Given create: answered 2xx, and naming the new role.
func (w World) created(err error, what string) error {
	if err := w.succeeded(err, what); err != nil {
		return err
	}
	if w.hpi.id == "" {
		ex := w.last
		return fmt.Errorf("could not %s: answered %d %s but named no id (no id in the body, no Location or Content-Location); headers: %v; body: %s",
			what, ex.Status, http.StatusText(ex.Status), ex.Header, excerpt(ex.Body))
	}
	return nil
}

// givenEndedRole creates a role that ran from the first of its end's year to end.
func (w World) givenEndedRole(ctx context.Context, end string) error {
	d, err := time.Parse(time.DateOnly, end)
	if err != nil {
		return fmt.Errorf("the end date %q is not YYYY-MM-DD", end)
	}
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	if err := withEnd(role, fmt.Sprintf("%d-01-01", d.Year()), end); err != nil {
		return err
	}
	return w.created(w.createRole(ctx, role), "create a PractitionerRole")
}

// givenSameRoleFrom creates a second role for the same practitioner, place
// and code, open from start; the first stays the role under test.
func (w World) givenSameRoleFrom(ctx context.Context, start string) error {
	first := w.hpi.id
	role, err := w.newRole(w.hpi.combo)
	if err != nil {
		return err
	}
	role["period"] = map[string]any{"start": start}
	err = w.created(w.createRole(ctx, role), "create the second role")
	w.hpi.id = first
	return err
}

// givenRead knows the role's current version: from the answer that just
// created it, where that answer names the version in an ETag and carries
// the role (a read would say the same, and HPI test accounts have a monthly
// quota), or else by reading it.
func (w World) givenRead(ctx context.Context) error {
	if role, v, ok := w.createdVersion(); ok {
		w.hpi.read, w.hpi.version, w.hpi.versionUnread = role, v, true
		return nil
	}
	role, v, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	w.hpi.read, w.hpi.version = role, v
	return nil
}

// givenOtherUpdate changes the role with the current version, as another
// user would, leaving the system holding the version it read before.
func (w World) givenOtherUpdate(ctx context.Context) error {
	err := w.editAndUpdate(ctx, func(role resource) error {
		setEmail(role, "other-user-"+hpi.RandomHex(4)+"@example.org")
		return nil
	})
	if err := w.succeeded(err, "update the role as another user"); err != nil {
		return err
	}
	latest, _, err := w.readRole(ctx)
	w.hpi.latest = latest
	return err
}

// createRole adds a role and makes it the scenario's role under test.
func (w World) createRole(ctx context.Context, role resource, opts ...hpi.Option) error {
	w.hpi.sent = role
	w.hpi.id = ""
	if err := w.keep(w.env.HPI.Create(ctx, role, opts...)); err != nil {
		return err
	}
	if w.last.Status/100 == 2 { // the status itself is a Then step's to judge
		w.hpi.id, w.hpi.created, w.hpi.createAnswer = hpi.CreatedID(w.last), true, w.last
		return nil
	}
	if !w.hpi.created && !w.env.FreshTarget && refusedAsDuplicate(w.last) {
		return w.pairTaken()
	}
	return nil
}

// refusedAsDuplicate says whether an answer refuses a role as a duplicate,
// in the documented words (add-practitionerrole.md, Add rules).
func refusedAsDuplicate(ex *exchange.Exchange) bool {
	return ex.Status == http.StatusUnprocessableEntity && strings.Contains(string(ex.Body), "Resource validation error: duplicate")
}

// pairTaken explains a first create refused as a duplicate. The run gives
// each new role a pair of its own, so the target holds a role of this pair
// from an earlier run (roles cannot be deleted), or is wrong: the harness
// cannot tell which, so the scenario is not judged.
func (w World) pairTaken() error {
	td := w.env.Profile.HPI.TestData
	pair := "practitioner " + comboPractitioner(td, w.hpi.combo)
	if hasRoleCode(w.hpi.sent) {
		pair += ", role code " + w.comboCode().Code
	}
	return fmt.Errorf("the target refused the scenario's first role as a duplicate (422: %s), though this run gave it test data "+
		"of its own (%s): the target holds a role of it from an earlier run, or is wrong; "+
		"add practitioners or role codes to hpi.testData to give runs fresh pairs",
		excerpt(w.last.Body), pair)
}

// createdVersion is the role and version the create answer names, when no
// request has been sent since, no later step needs a read as its baseline,
// and the answer is 201 with an ETag and the role (id included) as its body.
func (w World) createdVersion() (resource, int, bool) {
	ex := w.hpi.createAnswer
	if ex == nil || ex != w.last || w.hpi.readBaseline || ex.Status != http.StatusCreated || ex.Header.Get("ETag") == "" {
		return nil, 0, false
	}
	role, err := hpi.ParseResource(ex.Body)
	if err != nil || !w.keptAsSent(role) {
		return nil, 0, false
	}
	v, err := hpi.ParseVersion(ex.Header.Get("ETag"))
	return role, v, err == nil
}

// serverElements are what a create answer may hold that was not sent:
// the role's id, meta, official identifier and active flag are the server's.
var serverElements = []string{"resourceType", "id", "meta", "identifier", "active"}

// keptAsSent says whether a create answer is the role that was sent, as a
// read would show it: what was sent, the role's id and meta, and one
// official identifier valued the id besides the identifiers sent. Anything
// else, right or wrong, is for a read to show and a Then to judge.
func (w World) keptAsSent(role resource) bool {
	if role["resourceType"] != "PractitionerRole" || role["id"] != w.hpi.id {
		return false
	}
	sent := deepCopy(w.hpi.sent) // as JSON, so numbers compare as read
	for k := range role {
		if _, ok := sent[k]; !ok && !slices.Contains(serverElements, k) {
			return false
		}
	}
	for k, v := range sent {
		if holds(k, v, role[k]) != nil {
			return false
		}
	}
	ri, others := officialIDs(role)
	_, sentIDs := officialIDs(sent)
	return len(ri) == 1 && ri[0]["value"] == w.hpi.id && len(ri[0]) == 3 && reflect.DeepEqual(others, sentIDs)
}

// readRole reads the role under test and returns its body and version.
func (w World) readRole(ctx context.Context) (resource, int, error) {
	if w.addNamedNoRole() {
		return nil, 0, violatedNoID()
	}
	if w.hpi.id == "" {
		return nil, 0, fmt.Errorf("no role to read: the scenario has not created one")
	}
	if err := w.keep(w.env.HPI.Read(ctx, w.hpi.id)); err != nil {
		return nil, 0, err
	}
	if w.last.Status != http.StatusOK {
		return nil, 0, fmt.Errorf("reading role %s: expected 200, got %d; body: %s", w.hpi.id, w.last.Status, excerpt(w.last.Body))
	}
	role, err := hpi.ParseResource(w.last.Body)
	if err != nil {
		return nil, 0, fmt.Errorf("reading role %s: %v", w.hpi.id, err)
	}
	v, err := hpi.VersionOf(w.last, role)
	if err == nil {
		w.hpi.versionUnread = false // the role was kept
	}
	return role, v, err
}

// editAndUpdate sends the role as last read, changed by edit, as an update
// carrying the version read, to the role under test unless an option says otherwise.
func (w World) editAndUpdate(ctx context.Context, edit func(resource) error, opts ...hpi.Option) error {
	return w.editAndUpdateID(ctx, w.hpi.id, edit, opts...)
}

func (w World) editAndUpdateID(ctx context.Context, id string, edit func(resource) error, opts ...hpi.Option) error {
	if w.hpi.read == nil {
		return fmt.Errorf("no role has been read: an update starts from the role as read")
	}
	err := w.sendUpdate(ctx, id, edit, opts...)
	if err != nil || id != w.hpi.id || !w.hpi.versionUnread {
		return err
	}
	if w.last.Status/100 == 2 {
		w.hpi.versionUnread = false // the target took the version: it kept the role
		return nil
	}
	return w.updateAsRead(ctx, id, edit, opts...)
}

func (w World) sendUpdate(ctx context.Context, id string, edit func(resource) error, opts ...hpi.Option) error {
	role := deepCopy(w.hpi.read)
	if err := edit(role); err != nil {
		return err
	}
	w.hpi.sent = role
	opts = append([]hpi.Option{hpi.IfMatch(w.hpi.version)}, opts...)
	return w.keep(w.env.HPI.Update(ctx, id, role, opts...))
}

// updateAsRead reads the role after the target refused an update built
// from the create answer (givenRead). The create answer is a shortcut that
// must not move a verdict: a role a read cannot confirm is the set-up
// failing (not judged). The update is sent again, from the read, only where
// the refusal can be laid at the shortcut's door: the role reads at the
// version the create answer named but otherwise than it said (a create
// answer may leave out what the server keeps), or the refusal is a version
// conflict (409, 412) and the role reads at another version (the create
// answer named the wrong one, which HPI-ADD-version-named judges). Any other
// refusal is the update's, and is judged as it came.
func (w World) updateAsRead(ctx context.Context, id string, edit func(resource) error, opts ...hpi.Option) error {
	refused := w.last
	read, v, err := w.readRole(ctx)
	if err != nil {
		w.last = refused
		return fmt.Errorf("the update was answered %d, and a read cannot confirm the role its create answer described (%v): "+
			"the set-up, not the update, is in question", refused.Status, err)
	}
	conflict := refused.Status == http.StatusConflict || refused.Status == http.StatusPreconditionFailed
	sameVersion := v == w.hpi.version
	if sameVersion && !reflect.DeepEqual(content(read), content(w.hpi.read)) || !sameVersion && conflict {
		w.hpi.read, w.hpi.version = read, v
		return w.sendUpdate(ctx, id, edit, opts...)
	}
	w.last = refused // the update a read would have built, or one the target may have applied: its answer stands
	return nil
}

// keepRead keeps the answer to a read of the role under test. When it is
// refused, and no read has yet shown that the role was kept (givenRead took
// it from the create answer), a plain read first shows that the role is
// there: a role that is not is the set-up failing (not judged), not the read.
func (w World) keepRead(ctx context.Context) func(*exchange.Exchange, error) error {
	return func(ex *exchange.Exchange, err error) error {
		if err := w.keep(ex, err); err != nil || !w.hpi.versionUnread {
			return err
		}
		if w.last.Status/100 == 2 {
			w.hpi.versionUnread = false
			return nil
		}
		refused := w.last
		_, _, err = w.readRole(ctx)
		w.last = refused
		if err != nil {
			return fmt.Errorf("the read was answered %d, and a plain read cannot confirm the role its create answer described (%v): "+
				"the set-up, not the read, is in question", refused.Status, err)
		}
		return nil
	}
}
