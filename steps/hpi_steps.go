package steps

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

func registerHPI(sc registry) {
	// Given: the role a scenario works on.
	sc.Step(`^the system has created a PractitionerRole$`, func(ctx context.Context) error { return givenRole(ctx, "", "") })
	sc.Step(`^the system has created a PractitionerRole that ended on "([^"]*)"$`, func(ctx context.Context, end string) error {
		return givenRole(ctx, end[:4]+"-01-01", end)
	})
	sc.Step(`^the system has created the same role again, starting on "([^"]*)"$`, givenSameRoleFrom)
	sc.Step(`^the system has read the (?:first )?role's current version$`, givenRead)
	sc.Step(`^another user has since updated the role$`, givenOtherUpdate)

	// When: reads.
	sc.Step(`^the system reads the role$`, func(ctx context.Context) error { return readAs(ctx, "", "") })
	sc.Step(`^the system reads the role without the (\S+) header$`, func(ctx context.Context, h string) error { return readAs(ctx, "", h) })
	sc.Step(`^the system reads the role "([^"]*)"$`, func(ctx context.Context, id string) error { return readAs(ctx, id, "") })

	// When: updates, with the credentials and version varied.
	sc.Step(`^the system updates the role's contact points$`, func(ctx context.Context) error { return updateContacts(ctx, hpiCall{}) })
	sc.Step(`^the system updates the role's contact points with the version it read$`, func(ctx context.Context) error { return updateContacts(ctx, hpiCall{}) })
	sc.Step(`^the system updates the role's contact points without the (\S+) header$`, func(ctx context.Context, h string) error {
		return updateContacts(ctx, hpiCall{omit: h})
	})
	sc.Step(`^the system updates the role's contact points with an access token the token endpoint never issued$`, func(ctx context.Context) error {
		return updateContacts(ctx, hpiCall{bearer: "not-a-token-" + randomHex(16)})
	})
	sc.Step(`^the system updates the role's contact points with a token granted only the read-only scopes$`, func(ctx context.Context) error {
		return updateContacts(ctx, hpiCall{scopes: world(ctx).env.Profile.HPI.ReadOnlyScopes})
	})
	sc.Step(`^the system updates the role with (.+)$`, updateWith)
	sc.Step(`^the system ends the role on "([^"]*)" with a status reason$`, endRole)
	sc.Step(`^the system ends the role on the day (before it started|it started), with a status reason$`, endRoleNearStart)
	sc.Step(`^the system sets the role's messaging address to "([^"]*)" "([^"]*)"$`, setMessagingAddress)
	sc.Step(`^the system sends the update to the role id "([^"]*)"$`, updateOtherID)

	// When: contact points.
	sc.Step(`^the system adds the contact point "([^"]*)" "([^"]*)" with rank (\d+)$`, func(ctx context.Context, system, value string, rank int) error {
		return addContact(ctx, contact(system, value, "work", rank))
	})
	sc.Step(`^the system adds the contact point "([^"]*)" "([^"]*)" without a rank$`, func(ctx context.Context, system, value string) error {
		return addContact(ctx, contact(system, value, "work", noRank))
	})
	sc.Step(`^the system adds the mobile number "([^"]*)"$`, func(ctx context.Context, n string) error {
		return addContact(ctx, contact("phone", n, "mobile", 3))
	})
	sc.Step(`^the system adds an email address of (\d+) characters$`, func(ctx context.Context, n int) error {
		const domain = "@example.org"
		return addContact(ctx, contact("email", strings.Repeat("a", n-len(domain))+domain, "work", 3))
	})
	sc.Step(`^the system adds a copy of the role's first contact point, with rank (\d+)$`, addCopyOfFirstContact)
	sc.Step(`^the system removes the role's last contact point$`, removeLastContact)
	sc.Step(`^the system swaps the ranks of the role's contact points$`, swapRanks)
	sc.Step(`^the system gives the role's first contact point the period "([^"]*)" to "([^"]*)"$`, setContactPeriod)

	// When: adds.
	sc.Step(`^the system adds a PractitionerRole with only a practitioner and a facility$`, addMinimal)
	sc.Step(`^the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period$`, addFull)
	sc.Step(`^the system adds a PractitionerRole with (no hpi-person-id|an hpi-person-id the HPI does not know|neither organisation nor facility|an end date and no status reason)$`, addFlawed)
	sc.Step(`^the system adds the same role again$`, addSameAgain)

	// Then.
	sc.Step(`^the response body is the PractitionerRole that was asked for$`, bodyIsRole)
	sc.Step(`^the response carries an ETag with the role's version$`, etagIsVersion)
	sc.Step(`^the response carries the X-Correlation-Id the system sent$`, correlationEchoed)
	sc.Step(`^the OperationOutcome's message is "([^"]*)"$`, func(ctx context.Context, msg string) error { return outcomeSays(ctx, msg, false) })
	sc.Step(`^the OperationOutcome's message begins with "([^"]*)"$`, func(ctx context.Context, msg string) error { return outcomeSays(ctx, msg, true) })
	sc.Step(`^the OperationOutcome carries the code "([^"]*)" "([^"]*)"$`, outcomeCoded)
	sc.Step(`^the answer is an OperationOutcome with an error$`, isErrorOutcome)
	sc.Step(`^the request is refused with a 4xx status$`, refused4xx)
	sc.Step(`^the update is refused with the message "([^"]*)"$`, func(ctx context.Context, msg string) error {
		if err := refused4xx(ctx); err != nil {
			return err
		}
		return outcomeSays(ctx, msg, false)
	})
	sc.Step(`^the update is refused with a 4xx status and an OperationOutcome$`, func(ctx context.Context) error {
		if err := refused4xx(ctx); err != nil {
			return err
		}
		return isErrorOutcome(ctx)
	})
	sc.Step(`^the role is unchanged$`, func(ctx context.Context) error { return roleUnchanged(ctx, false) })
	sc.Step(`^the role is unchanged since the other user's update$`, func(ctx context.Context) error { return roleUnchanged(ctx, true) })
	sc.Step(`^reading the role shows what the update sent$`, readShowsSent)
	sc.Step(`^reading the new role shows what the system sent$`, readShowsSent)
	sc.Step(`^reading the role shows a newer version than the one updated$`, readShowsNewerVersion)
	sc.Step(`^reading the role shows the new contact point with the next lowest rank$`, readShowsRankAssigned)
	sc.Step(`^the answer names the new role's hpi-practitionerrole-id$`, namesNewRole)
}

// givenRole creates the scenario's role, with a closed period when end is set.
func givenRole(ctx context.Context, start, end string) error {
	w := world(ctx)
	role, err := w.nextRole()
	if err != nil {
		return err
	}
	if end != "" {
		if err := withEnd(role, start, end); err != nil {
			return err
		}
	}
	return w.succeeded(w.createRole(ctx, role), "create a PractitionerRole")
}

// withEnd gives a role a closed period and the status reason it then needs.
func withEnd(role resource, start, end string) error {
	p := periodOf(role)
	if start != "" {
		p["start"] = start
	}
	p["end"] = end
	exts, _ := role["extension"].([]any)
	for _, e := range exts {
		if m, ok := e.(map[string]any); ok && m["url"] == extStatusReason {
			return nil
		}
	}
	reason, err := statusReason()
	if err != nil {
		return err
	}
	role["extension"] = append(exts, reason)
	return nil
}

// givenSameRoleFrom creates a second role for the same practitioner, place
// and code, open from start; the first stays the role under test.
func givenSameRoleFrom(ctx context.Context, start string) error {
	w := world(ctx)
	first := w.hpi.id
	role, err := w.newRole(w.hpi.combo)
	if err != nil {
		return err
	}
	role["period"] = map[string]any{"start": start}
	err = w.succeeded(w.createRole(ctx, role), "create the second role")
	w.hpi.id = first
	return err
}

func givenRead(ctx context.Context) error {
	w := world(ctx)
	role, v, err := w.readRole(ctx)
	if err != nil {
		return err
	}
	w.hpi.read, w.hpi.version = role, v
	return nil
}

// givenOtherUpdate changes the role with the current version, as another
// user would, leaving the system holding the version it read before.
func givenOtherUpdate(ctx context.Context) error {
	w := world(ctx)
	if err := w.succeeded(editAndUpdate(ctx, hpiCall{}, newEmail("other-user-")), "update the role as another user"); err != nil {
		return err
	}
	latest, _, err := w.readRole(ctx)
	w.hpi.latest = latest
	return err
}

func readAs(ctx context.Context, id, omit string) error {
	w := world(ctx)
	if id == "" {
		id = w.hpi.id
	}
	return w.hpiSend(ctx, hpiCall{method: http.MethodGet, path: rolePath(id), omit: omit})
}

// updateContacts changes the role's email contact point to a new address.
func updateContacts(ctx context.Context, c hpiCall) error {
	return editAndUpdate(ctx, c, newEmail("updated-"))
}

// newEmail is an edit that gives the role a fresh email address.
func newEmail(prefix string) func(*World, resource) error {
	return func(_ *World, role resource) error {
		setEmail(role, prefix+randomHex(4)+"@example.org")
		return nil
	}
}

// setEmail replaces the value of the first email contact point, or adds one.
func setEmail(role resource, address string) {
	for _, t := range telecom(role) {
		if t["system"] == "email" {
			t["value"] = address
			return
		}
	}
	list, _ := role["telecom"].([]any)
	role["telecom"] = append(list, contact("email", address, "work", noRank))
}

// noRank sends a contact point without a rank (0 is a rank, and invalid).
const noRank = -1

func contact(system, value, use string, rank int) map[string]any {
	c := map[string]any{"system": system, "value": value, "use": use}
	if rank != noRank {
		c["rank"] = rank
	}
	return c
}

func telecom(role resource) []map[string]any {
	list, _ := role["telecom"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, t := range list {
		if m, ok := t.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// editAndUpdate sends the role as last read, changed by edit, as an update.
func editAndUpdate(ctx context.Context, c hpiCall, edit func(*World, resource) error) error {
	w := world(ctx)
	role, err := w.editable()
	if err != nil {
		return err
	}
	if err := edit(w, role); err != nil {
		return err
	}
	return w.update(ctx, role, c)
}

func addContact(ctx context.Context, c map[string]any) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error {
		list, _ := role["telecom"].([]any)
		role["telecom"] = append(list, c)
		return nil
	})
}

func addCopyOfFirstContact(ctx context.Context, rank int) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error {
		list := telecom(role)
		if len(list) == 0 {
			return fmt.Errorf("the role has no contact point to copy")
		}
		role["telecom"] = append(role["telecom"].([]any), contact(fmt.Sprint(list[0]["system"]), fmt.Sprint(list[0]["value"]), "work", rank))
		return nil
	})
}

func removeLastContact(ctx context.Context) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error {
		list, _ := role["telecom"].([]any)
		if len(list) < 2 {
			return fmt.Errorf("the role needs two contact points for one to be removed, it has %d", len(list))
		}
		role["telecom"] = list[:len(list)-1]
		return nil
	})
}

func swapRanks(ctx context.Context) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error {
		list := telecom(role)
		if len(list) < 2 {
			return fmt.Errorf("the role needs two contact points to swap ranks, it has %d", len(list))
		}
		list[0]["rank"], list[1]["rank"] = list[1]["rank"], list[0]["rank"]
		return nil
	})
}

func setContactPeriod(ctx context.Context, start, end string) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error {
		list := telecom(role)
		if len(list) == 0 {
			return fmt.Errorf("the role has no contact point")
		}
		list[0]["period"] = map[string]any{"start": start, "end": end}
		return nil
	})
}

func endRole(ctx context.Context, end string) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error { return withEnd(role, "", end) })
}

func endRoleNearStart(ctx context.Context, when string) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error {
		p, _ := role["period"].(map[string]any)
		start, _ := p["start"].(string)
		end, err := dayBefore(start, when == "before it started")
		if err != nil {
			return err
		}
		return withEnd(role, "", end)
	})
}

func setMessagingAddress(ctx context.Context, provider, value string) error {
	return editAndUpdate(ctx, hpiCall{}, func(_ *World, role resource) error {
		exts, _ := role["extension"].([]any)
		kept := exts[:0:0]
		for _, e := range exts {
			if m, ok := e.(map[string]any); !ok || m["url"] != extMessagingAddress {
				kept = append(kept, e)
			}
		}
		role["extension"] = append(kept, map[string]any{
			"url": extMessagingAddress,
			"extension": []any{
				map[string]any{"url": "provider", "valueString": provider},
				map[string]any{"url": "value", "valueString": value},
			},
		})
		return nil
	})
}

func updateOtherID(ctx context.Context, id string) error {
	return editAndUpdate(ctx, hpiCall{path: rolePath(id)}, func(_ *World, role resource) error {
		role["id"] = id
		return nil
	})
}
