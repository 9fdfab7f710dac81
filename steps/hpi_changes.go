package steps

import (
	"context"
	"fmt"
	"time"
)

// Extension URLs of the HPIPractitionerRole profile.
const (
	extStatusReason     = "http://hl7.org.nz/fhir/StructureDefinition/practitionerRole-status-reason"
	extMessagingAddress = "http://hl7.org.nz/fhir/StructureDefinition/messaging-address"
)

// updateChanges are the changes an update may not make, by the words the
// features use for them.
var updateChanges = map[string]func(*World, resource) error{
	// The "other" practitioner and code are the profile's last ones, which no
	// created role uses: even a target that wrongly accepts the change does
	// not make the moved role collide with another scenario's.
	"the hpi-person-id of another practitioner": func(w *World, r resource) error {
		td := w.env.Profile.HPI.TestData
		r["practitioner"] = map[string]any{"reference": "Practitioner/" + td.Practitioners[len(td.Practitioners)-1]}
		return nil
	},
	"no hpi-person-id":                  dropping("practitioner"),
	"neither organisation nor facility": dropping("organization", "location"),
	"no role code":                      dropping("code"),
	"an end date and no status reason": func(_ *World, r resource) error {
		periodOf(r)["end"] = "2030-06-30"
		return nil
	},
	"a different role code": func(w *World, r resource) error {
		td := w.env.Profile.HPI.TestData
		c := td.RoleCodes[len(td.RoleCodes)-1]
		r["code"] = []any{map[string]any{
			"coding": []any{map[string]any{"system": c.System, "code": c.Code, "display": c.Display}},
			"text":   c.Display,
		}}
		return nil
	},
	"a different start date": func(_ *World, r resource) error {
		r["period"] = map[string]any{"start": "2019-01-01"}
		return nil
	},
	"a different organisation": func(_ *World, r resource) error {
		r["organization"] = map[string]any{"reference": "Organization/G00001-G"}
		return nil
	},
}

func dropping(elements ...string) func(*World, resource) error {
	return func(_ *World, r resource) error {
		for _, e := range elements {
			delete(r, e)
		}
		return nil
	}
}

func updateWith(ctx context.Context, change string) error {
	edit, ok := updateChanges[change]
	if !ok {
		return fmt.Errorf("no such change %q in steps/hpi_changes.go", change)
	}
	return editAndUpdate(ctx, hpiCall{}, edit)
}

// dayBefore returns the day before date, or date itself when before is false.
func dayBefore(date string, before bool) (string, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", fmt.Errorf("the role's start date %q is not YYYY-MM-DD", date)
	}
	if before {
		d = d.AddDate(0, 0, -1)
	}
	return d.Format(time.DateOnly), nil
}

func addMinimal(ctx context.Context) error {
	w := world(ctx)
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	for _, e := range []string{"organization", "code", "period", "telecom"} {
		delete(role, e)
	}
	if w.env.Profile.HPI.TestData.Facility == "" {
		return fmt.Errorf("the profile gives no hpi.testData.facility")
	}
	return w.createRole(ctx, role)
}

func addFull(ctx context.Context) error {
	w := world(ctx)
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	return w.createRole(ctx, role)
}

// addFlaws are the add requests that break a documented add rule.
var addFlaws = map[string]func(*World, resource) error{
	"no hpi-person-id": dropping("practitioner"),
	"an hpi-person-id the HPI does not know": func(w *World, r resource) error {
		r["practitioner"] = map[string]any{"reference": "Practitioner/" + w.env.Profile.HPI.TestData.UnknownPractitioner}
		return nil
	},
	"neither organisation nor facility": dropping("organization", "location"),
	"an end date and no status reason":  updateChanges["an end date and no status reason"],
}

func addFlawed(ctx context.Context, flaw string) error {
	w := world(ctx)
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	if err := addFlaws[flaw](w, role); err != nil {
		return err
	}
	return w.createRole(ctx, role)
}

func addSameAgain(ctx context.Context) error {
	w := world(ctx)
	role, err := w.newRole(w.hpi.combo)
	if err != nil {
		return err
	}
	first := w.hpi.id
	err = w.createRole(ctx, role)
	if w.last != nil && w.last.Status != 201 {
		w.hpi.id = first
	}
	return err
}

// nextRole builds a role with the run's next test practitioner and code.
func (w *World) nextRole() (resource, error) {
	w.hpi.combo = int(w.env.roles.Add(1))
	return w.newRole(w.hpi.combo)
}
