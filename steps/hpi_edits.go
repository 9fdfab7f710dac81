package steps

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An edit changes a role as a step's words say. The contact point and
// period edits are the same words on an add (to the role the system builds)
// and on an update (to the role it read), as the add page's rules are the
// same rules on both (the update page points to them).
type edit = func(resource) error

// withContact adds a contact point to the role's.
func withContact(c map[string]any) edit {
	return func(role resource) error {
		list, _ := role["telecom"].([]any)
		role["telecom"] = append(list, c)
		return nil
	}
}

// withCopyOfFirstContact adds the role's first contact point again, with rank.
func withCopyOfFirstContact(rank int) edit {
	return func(role resource) error {
		list := telecom(role)
		if len(list) == 0 {
			return fmt.Errorf("the role has no contact point to copy")
		}
		return withContact(contact(fmt.Sprint(list[0]["system"]), fmt.Sprint(list[0]["value"]), "work", rank))(role)
	}
}

// withFirstContactPeriod gives the role's first contact point a period.
func withFirstContactPeriod(start, end string) edit {
	return func(role resource) error {
		list := telecom(role)
		if len(list) == 0 {
			return fmt.Errorf("the role has no contact point")
		}
		list[0]["period"] = map[string]any{"start": start, "end": end}
		return nil
	}
}

const emailDomain = "@example.org"

// emailOfLength is an email address of n characters (not bytes: the add
// page counts characters), its local part written with char.
func emailOfLength(n int, char string) (map[string]any, error) {
	if utf8.RuneCountInString(char) != 1 {
		return nil, fmt.Errorf("the local part is written with one character, not %q", char)
	}
	if n <= len(emailDomain) {
		return nil, fmt.Errorf("an email address of %d characters is too short to hold %s", n, emailDomain)
	}
	return contact("email", strings.Repeat(char, n-len(emailDomain))+emailDomain, "work", 3), nil
}

// emailWithControl is an email address with the control character named
// U+XXXX in its local part.
func emailWithControl(code string) (map[string]any, error) {
	n, err := strconv.ParseUint(strings.TrimPrefix(code, "U+"), 16, 32)
	if err != nil {
		return nil, fmt.Errorf("%q is not a character written U+XXXX", code)
	}
	return contact("email", "recep"+string(rune(n))+"tion"+emailDomain, "work", 3), nil
}

// withPeriod gives the role a period; an end comes with the status reason it needs.
func withPeriod(start, end string) edit {
	return func(role resource) error {
		if end == "" {
			role["period"] = map[string]any{"start": start}
			return nil
		}
		return withEnd(role, start, end)
	}
}
