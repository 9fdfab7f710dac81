package steps

import (
	"context"
	"fmt"
	"net/http"
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

func (w World) givenRead(ctx context.Context) error {
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
		w.hpi.id, w.hpi.created = hpi.CreatedID(w.last), true
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
	role := deepCopy(w.hpi.read)
	if err := edit(role); err != nil {
		return err
	}
	w.hpi.sent = role
	opts = append([]hpi.Option{hpi.IfMatch(w.hpi.version)}, opts...)
	return w.keep(w.env.HPI.Update(ctx, id, role, opts...))
}
