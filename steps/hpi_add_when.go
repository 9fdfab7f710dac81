package steps

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/healthapi-conformance/conformance/fixtures"
)

// The adds of add-practitionerrole.md beyond the minimal and full ones: the
// attributes an add may include, its period and contact rules (defined on
// the add page, checked here on an add as hpi_when.go checks them on an
// update), overlaps, and the published examples.
func (w World) hpiAddWhenSteps(r Registrar) {
	// What an add may include.
	r.Step(phrase(`^the system adds a PractitionerRole with only a practitioner and an organisation$`), w.addWithOrganisationOnly)
	r.Step(phrase(`^the system adds a PractitionerRole with an end date, a status reason and a messaging address$`), w.addEndedWithMessagingAddress)

	// The period rules.
	r.Step(phrase(`^the system adds a PractitionerRole starting on "([^"]*)"$`), w.addStartingOn)
	r.Step(phrase(`^the system adds a PractitionerRole from "([^"]*)" to "([^"]*)", with a status reason$`), w.addFromTo)

	// The contact rules (hpi_edits.go: the same edits as on an update).
	r.Step(phrase(`^the system adds a PractitionerRole with the contact point "([^"]*)" "([^"]*)" with rank (-?\d+)$`), w.addWithRankedContact)
	r.Step(phrase(`^the system adds a PractitionerRole with the contact point "([^"]*)" "([^"]*)" without a rank$`), w.addWithUnrankedContact)
	r.Step(phrase(`^the system adds a PractitionerRole with the mobile number "([^"]*)"$`), w.addWithMobile)
	r.Step(phrase(`^the system adds a PractitionerRole with an email address of (\d+) characters$`), w.addWithEmailOfLength)
	r.Step(phrase(`^the system adds a PractitionerRole with an email address with the control character (U\+[0-9A-F]{4}) in its local part$`), w.addWithEmailControl)
	r.Step(phrase(`^the system adds a PractitionerRole with a copy of its first contact point, with rank (\d+)$`), w.addWithCopiedContact)
	r.Step(phrase(`^the system adds a PractitionerRole whose first contact point has the period "([^"]*)" to "([^"]*)"$`), w.addWithContactPeriod)

	// Duplicates and overlaps.
	r.Step(phrase(`^the system adds the same role again, starting on "([^"]*)"$`), w.addSameAgainFrom)

	// The published examples (fixtures/hpi/examples).
	r.Step(phrase(`^the system adds the published example "([^"]*)"$`), w.addPublishedExample)
}

// addEdited adds the run's next role, changed by edit.
func (w World) addEdited(ctx context.Context, e edit) error {
	role, err := w.editedRole(e)
	if err != nil {
		return err
	}
	return w.createRole(ctx, role)
}

func (w World) addWithOrganisationOnly(ctx context.Context) error {
	if w.env.Profile.HPI.TestData.Organisation == "" {
		return fmt.Errorf("the profile gives no hpi.testData.organisation")
	}
	return w.addEdited(ctx, func(role resource) error {
		for _, e := range []string{"location", "code", "period", "telecom"} {
			delete(role, e)
		}
		return nil
	})
}

func (w World) addEndedWithMessagingAddress(ctx context.Context) error {
	return w.addEdited(ctx, func(role resource) error {
		if err := withEnd(role, "2020-01-01", "2030-12-31"); err != nil {
			return err
		}
		list, _ := role["extension"].([]any)
		role["extension"] = append(list, messagingAddress("healthlink", "new-role-edi-address"))
		return nil
	})
}

func (w World) addStartingOn(ctx context.Context, start string) error {
	return w.addEdited(ctx, withPeriod(start, ""))
}

func (w World) addFromTo(ctx context.Context, start, end string) error {
	return w.addEdited(ctx, withPeriod(start, end))
}

func (w World) addWithRankedContact(ctx context.Context, system, value string, rank int) error {
	return w.addEdited(ctx, withContact(contact(system, value, "work", rank)))
}

func (w World) addWithUnrankedContact(ctx context.Context, system, value string) error {
	return w.addEdited(ctx, withContact(contact(system, value, "work", noRank)))
}

func (w World) addWithMobile(ctx context.Context, number string) error {
	return w.addEdited(ctx, withContact(contact("phone", number, "mobile", 3)))
}

func (w World) addWithEmailOfLength(ctx context.Context, n int) error {
	c, err := emailOfLength(n, "a")
	if err != nil {
		return err
	}
	return w.addEdited(ctx, withContact(c))
}

func (w World) addWithEmailControl(ctx context.Context, code string) error {
	c, err := emailWithControl(code)
	if err != nil {
		return err
	}
	return w.addEdited(ctx, withContact(c))
}

func (w World) addWithCopiedContact(ctx context.Context, rank int) error {
	return w.addEdited(ctx, withCopyOfFirstContact(rank))
}

func (w World) addWithContactPeriod(ctx context.Context, start, end string) error {
	return w.addEdited(ctx, withFirstContactPeriod(start, end))
}

// addSameAgainFrom adds the role under test's practitioner, place and code
// again, open from start; a refused add leaves the first the role under test.
func (w World) addSameAgainFrom(ctx context.Context, start string) error {
	role, err := w.newRole(w.hpi.combo)
	if err != nil {
		return err
	}
	role["period"] = map[string]any{"start": start}
	first := w.hpi.id
	err = w.createRole(ctx, role)
	if w.hpi.id == "" {
		w.hpi.id = first
	}
	return err
}

// example reads a published example (fixtures/hpi/examples).
func example(name string) (resource, error) {
	data, err := fixtures.FS.ReadFile("hpi/examples/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("no published example %q in fixtures/hpi/examples: %w", name, err)
	}
	var r resource
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("fixtures/hpi/examples/%s.json: %w", name, err)
	}
	return r, nil
}

// addPublishedExample adds an example of examples-practitionerRole.fsh as
// a client would: without what the server owns (its id, version, official
// identifier, active flag and creator: docs/spec-defects.md, D-HPI-22), and
// with the profile's test practitioner, place and role code in place of the
// HPI test environment's (D-HPI-43).
func (w World) addPublishedExample(ctx context.Context, name string) error {
	ex, err := example(name)
	if err != nil {
		return err
	}
	own, err := w.nextRole()
	if err != nil {
		return err
	}
	for _, k := range []string{"id", "identifier", "active"} {
		delete(ex, k)
	}
	if meta, ok := ex["meta"].(map[string]any); ok {
		delete(meta, "versionId")
	}
	withoutExtension(ex, extCreator)
	for _, k := range []string{"practitioner", "organization", "location"} {
		restore(ex, own, k)
	}
	if err := withCodeOf(ex, own); err != nil {
		return err
	}
	return w.createRole(ctx, ex)
}

// sendUpdateExample sends update-practitionerrole.md's example request as an
// update of the role under test: its end date, status reason, messaging
// address and contact points, with the rest (what an update may not change,
// and what names the role) as the system read it.
func (w World) sendUpdateExample(ctx context.Context) error {
	ex, err := example("update-request")
	if err != nil {
		return err
	}
	return w.editAndUpdate(ctx, func(role resource) error {
		sent := deepCopy(ex)
		for _, k := range []string{"id", "identifier", "practitioner", "organization", "location", "code"} {
			restore(sent, role, k)
		}
		withoutExtension(sent, extCreator)
		if creator, ok := extensionOf(role, extCreator); ok {
			list, _ := sent["extension"].([]any)
			sent["extension"] = append(list, creator)
		}
		start, _ := periodOf(role)["start"].(string)
		periodOf(sent)["start"] = start
		clear(role)
		for k, v := range sent {
			role[k] = v
		}
		return nil
	})
}

// restore gives to the element from has, or none if from has none.
func restore(to, from resource, element string) {
	if v, ok := from[element]; ok {
		to[element] = v
	} else {
		delete(to, element)
	}
}

// withCodeOf gives an example's role code the code of another role,
// keeping the example's coding version.
func withCodeOf(ex, own resource) error {
	codes, _ := own["code"].([]any)
	exCodes, _ := ex["code"].([]any)
	if len(codes) == 0 || len(exCodes) == 0 {
		restore(ex, own, "code")
		return nil
	}
	mine, _ := codes[0].(map[string]any)
	theirs, _ := exCodes[0].(map[string]any)
	myCodings, _ := mine["coding"].([]any)
	theirCodings, _ := theirs["coding"].([]any)
	if len(myCodings) == 0 || len(theirCodings) == 0 {
		return fmt.Errorf("the example's or the profile's role code has no coding")
	}
	coding, _ := theirCodings[0].(map[string]any)
	for k, v := range myCodings[0].(map[string]any) {
		coding[k] = v
	}
	theirs["text"] = mine["text"]
	return nil
}

func withoutExtension(r resource, url string) {
	list, _ := r["extension"].([]any)
	kept := make([]any, 0, len(list))
	for _, e := range list {
		if m, ok := e.(map[string]any); !ok || m["url"] != url {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		delete(r, "extension") // FHIR JSON has no empty lists
		return
	}
	r["extension"] = kept
}

func extensionOf(r resource, url string) (any, bool) {
	list, _ := r["extension"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["url"] == url {
			return e, true
		}
	}
	return nil, false
}
