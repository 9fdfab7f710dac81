package refserver

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The contact rules of add-practitionerrole.md, each judging one contact
// point of a role (roleCall.point) against those before it.

// eachContactPoint is the request once for each of its contact points.
func eachContactPoint(c *roleCall) []*roleCall {
	var out []*roleCall
	for i := range c.role.telecom() {
		part := *c
		part.point = i
		out = append(out, &part)
	}
	return out
}

// contact returns the contact point judged, and those before it.
func (c *roleCall) contact() (point map[string]any, before []map[string]any) {
	all := c.role.telecom()
	return all[c.point], all[:c.point]
}

func contactKey(t map[string]any) string {
	system, _ := t["system"].(string)
	value, _ := t["value"].(string)
	return system + "|" + strings.ToLower(strings.TrimSpace(value))
}

func contactNotRepeated(c *roleCall) *problem {
	t, before := c.contact()
	for _, b := range before {
		if contactKey(b) == contactKey(t) {
			return unprocessable(msgContactDuplicate)
		}
	}
	return nil
}

func mobileValid(c *roleCall) *problem {
	t, _ := c.contact()
	value, _ := t["value"].(string)
	if t["system"] == "phone" && t["use"] == "mobile" && !validMobile(value) {
		return unprocessable(msgMobileFormat)
	}
	return nil
}

func emailValid(c *roleCall) *problem {
	t, _ := c.contact()
	value, _ := t["value"].(string)
	if t["system"] == "email" && !validEmail(value) {
		return unprocessable(msgEmailFormat)
	}
	return nil
}

func contactPeriodDates(c *roleCall) *problem {
	t, _ := c.contact()
	return datesValid(t["period"], msgContactPeriodFormat)
}

func contactPeriodInOrder(c *roleCall) *problem {
	t, _ := c.contact()
	return datesInOrder(t["period"], msgContactPeriodOrder)
}

// rankValid: a rank given is a whole number from 1, not given to a contact point before.
func rankValid(c *roleCall) *problem {
	t, before := c.contact()
	if _, present := t["rank"]; !present {
		return nil
	}
	n, ok := rank(t)
	if !ok || n < 1 {
		return unprocessable(msgRank)
	}
	for _, b := range before {
		if m, _ := rank(b); m == n {
			return unprocessable(msgRank)
		}
	}
	return nil
}

// A mobile number is E.164 digits, optionally entered as space-separated
// components (country code, network code, subscriber number): at most 15 digits.
var mobileNumber = regexp.MustCompile(`^[0-9]+( [0-9]+)*$`)

func validMobile(v string) bool {
	return mobileNumber.MatchString(v) && len(strings.ReplaceAll(v, " ", "")) <= 15
}

// An email address is local-part@domain-part, at most 256 characters,
// with no control characters.
func validEmail(v string) bool {
	at := strings.LastIndex(v, "@")
	if at < 1 || at == len(v)-1 || utf8.RuneCountInString(v) > 256 {
		return false
	}
	return !strings.ContainsFunc(v, unicode.IsControl)
}
