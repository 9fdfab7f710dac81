package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/healthapi-conformance/conformance/api/hpi"
)

func (w World) hpiWhenSteps(r Registrar) {
	// Reads.
	r.Step(phrase(`^the system reads the role$`), w.readTheRole)
	r.Step(phrase(`^the system reads the role without the (\S+) header$`), w.readWithout)
	r.Step(phrase(`^the system reads the role "([^"]*)"$`), w.readID)

	// Updates, with the credentials and the version varied.
	r.Step(phrase(`^the system updates the role's contact points(?: with the version it read)?$`), w.updateContacts)
	r.Step(phrase(`^the system updates the role's contact points without the (\S+) header$`), w.updateContactsWithout)
	r.Step(phrase(`^the system updates the role's contact points with an access token the token endpoint never issued$`), w.updateContactsWithForeignToken)
	r.Step(phrase(`^the system updates the role's contact points with a token granted only the read-only scopes$`), w.updateContactsReadOnly)
	r.Step(phrase(`^the system updates the role, with (.+ removed|.+ set to .+)$`), w.updateWith)
	r.Step(phrase(`^the system ends the role on "([^"]*)" with a status reason$`), w.endRole)
	r.Step(phrase(`^the system ends the role on the day (before it started|it started), with a status reason$`), w.endRoleNearStart)
	r.Step(phrase(`^the system sets the role's messaging address to "([^"]*)" "([^"]*)"$`), w.setMessagingAddress)
	r.Step(phrase(`^the system sends the update to the role id "([^"]*)"$`), w.updateOtherID)
	r.Step(phrase(`^the system sends the published update example$`), w.sendUpdateExample)

	// Contact points (hpi_edits.go: the same edits as on an add).
	r.Step(phrase(`^the system adds the contact point "([^"]*)" "([^"]*)" with rank (-?\d+)$`), w.addRankedContact)
	r.Step(phrase(`^the system adds the contact point "([^"]*)" "([^"]*)" without a rank$`), w.addUnrankedContact)
	r.Step(phrase(`^the system adds the mobile number "([^"]*)"$`), w.addMobile)
	r.Step(phrase(`^the system adds an email address of (\d+) characters$`), w.addEmailOfLength)
	r.Step(phrase(`^the system adds an email address of (\d+) characters, its local part written with "([^"]*)"$`), w.addEmailWrittenWith)
	r.Step(phrase(`^the system adds an email address with the control character (U\+[0-9A-F]{4}) in its local part$`), w.addEmailWithControl)
	r.Step(phrase(`^the system adds a copy of the role's first contact point, with rank (\d+)$`), w.addCopyOfFirstContact)
	r.Step(phrase(`^the system removes the role's last contact point$`), w.removeLastContact)
	r.Step(phrase(`^the system swaps the ranks of the role's contact points$`), w.swapRanks)
	r.Step(phrase(`^the system gives the role's first contact point the period "([^"]*)" to "([^"]*)"$`), w.setContactPeriod)

	// Adds.
	r.Step(phrase(`^the system adds a PractitionerRole with only a practitioner and a facility$`), w.addMinimal)
	r.Step(phrase(`^the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period$`), w.addFull)
	r.Step(phrase(`^the system adds a PractitionerRole, with (.+ removed|.+ set to .+)$`), w.addChanged)
	r.Step(phrase(`^the system adds the same role again$`), w.addSameAgain)
}

func (w World) readTheRole(ctx context.Context) error {
	return w.keepRead(ctx)(w.env.HPI.Read(ctx, w.hpi.id))
}

func (w World) readWithout(ctx context.Context, header string) error {
	return w.keepRead(ctx)(w.env.HPI.Read(ctx, w.hpi.id, hpi.WithoutHeader(header)))
}

func (w World) readID(ctx context.Context, id string) error {
	return w.keep(w.env.HPI.Read(ctx, id))
}

// newEmail is an edit that gives the role a fresh email address.
func newEmail(role resource) error {
	setEmail(role, "updated-"+hpi.RandomHex(4)+"@example.org")
	return nil
}

func (w World) updateContacts(ctx context.Context) error {
	return w.editAndUpdate(ctx, newEmail)
}

func (w World) updateContactsWithout(ctx context.Context, header string) error {
	return w.editAndUpdate(ctx, newEmail, hpi.WithoutHeader(header))
}

func (w World) updateContactsWithForeignToken(ctx context.Context) error {
	return w.editAndUpdate(ctx, newEmail, hpi.WithBearer("not-a-token-"+hpi.RandomHex(16)))
}

func (w World) updateContactsReadOnly(ctx context.Context) error {
	return w.editAndUpdate(ctx, newEmail, hpi.WithScopes(w.env.Profile.HPI.ReadOnlyScopes))
}

func (w World) updateWith(ctx context.Context, change string) error {
	return w.editAndUpdate(ctx, func(role resource) error { return w.applyChange(role, change) })
}

func (w World) endRole(ctx context.Context, end string) error {
	return w.editAndUpdate(ctx, func(role resource) error { return withEnd(role, "", end) })
}

func (w World) endRoleNearStart(ctx context.Context, when string) error {
	return w.editAndUpdate(ctx, func(role resource) error {
		start, _ := periodOf(role)["start"].(string)
		d, err := time.Parse(time.DateOnly, start)
		if err != nil {
			return fmt.Errorf("the role's start date %q is not YYYY-MM-DD", start)
		}
		if when == "before it started" {
			d = d.AddDate(0, 0, -1)
		}
		return withEnd(role, "", d.Format(time.DateOnly))
	})
}

func (w World) setMessagingAddress(ctx context.Context, provider, value string) error {
	return w.editAndUpdate(ctx, func(role resource) error {
		exts, _ := role["extension"].([]any)
		kept := exts[:0:0]
		for _, e := range exts {
			if m, ok := e.(map[string]any); !ok || m["url"] != extMessagingAddress {
				kept = append(kept, e)
			}
		}
		role["extension"] = append(kept, messagingAddress(provider, value))
		return nil
	})
}

func (w World) updateOtherID(ctx context.Context, id string) error {
	return w.editAndUpdateID(ctx, id, func(role resource) error {
		role["id"] = id
		return nil
	})
}

func (w World) addRankedContact(ctx context.Context, system, value string, rank int) error {
	return w.editAndUpdate(ctx, withContact(contact(system, value, "work", rank)))
}

func (w World) addUnrankedContact(ctx context.Context, system, value string) error {
	return w.editAndUpdate(ctx, withContact(contact(system, value, "work", noRank)))
}

func (w World) addMobile(ctx context.Context, number string) error {
	return w.editAndUpdate(ctx, withContact(contact("phone", number, "mobile", 3)))
}

func (w World) addEmailOfLength(ctx context.Context, n int) error {
	return w.addEmailWrittenWith(ctx, n, "a")
}

func (w World) addEmailWrittenWith(ctx context.Context, n int, char string) error {
	c, err := emailOfLength(n, char)
	if err != nil {
		return err
	}
	return w.editAndUpdate(ctx, withContact(c))
}

func (w World) addEmailWithControl(ctx context.Context, code string) error {
	c, err := emailWithControl(code)
	if err != nil {
		return err
	}
	return w.editAndUpdate(ctx, withContact(c))
}

func (w World) addCopyOfFirstContact(ctx context.Context, rank int) error {
	return w.editAndUpdate(ctx, withCopyOfFirstContact(rank))
}

func (w World) removeLastContact(ctx context.Context) error {
	return w.editAndUpdate(ctx, func(role resource) error {
		list, _ := role["telecom"].([]any)
		if len(list) < 2 {
			return fmt.Errorf("the role needs two contact points for one to be removed, it has %d", len(list))
		}
		role["telecom"] = list[:len(list)-1]
		return nil
	})
}

func (w World) swapRanks(ctx context.Context) error {
	return w.editAndUpdate(ctx, func(role resource) error {
		list := telecom(role)
		if len(list) < 2 {
			return fmt.Errorf("the role needs two contact points to swap ranks, it has %d", len(list))
		}
		list[0]["rank"], list[1]["rank"] = list[1]["rank"], list[0]["rank"]
		return nil
	})
}

func (w World) setContactPeriod(ctx context.Context, start, end string) error {
	return w.editAndUpdate(ctx, withFirstContactPeriod(start, end))
}

func (w World) addMinimal(ctx context.Context) error {
	if w.env.Profile.HPI.TestData.Facility == "" {
		return fmt.Errorf("the profile gives no hpi.testData.facility")
	}
	return w.addEdited(ctx, func(role resource) error {
		for _, e := range []string{"organization", "code", "period", "telecom"} {
			delete(role, e)
		}
		return nil
	})
}

func (w World) addFull(ctx context.Context) error {
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	return w.createRole(ctx, role)
}

func (w World) addChanged(ctx context.Context, change string) error {
	role, err := w.editedRole(w.change(change))
	if err != nil {
		return err
	}
	return w.createRole(ctx, role)
}

func (w World) addSameAgain(ctx context.Context) error {
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
