package refserver

import (
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

// mobileHas judges a mobile number (a phone contact point of use mobile) by one form of E.164.
func mobileHas(form func(string) bool) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		t, _ := c.contact()
		value, _ := t["value"].(string)
		if t["system"] == "phone" && t["use"] == "mobile" && !form(value) {
			return unprocessable(msgMobileFormat)
		}
		return nil
	}
}

// emailHas judges an email address by one part of its format.
func emailHas(form func(string) bool) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		t, _ := c.contact()
		value, _ := t["value"].(string)
		if t["system"] == "email" && !form(value) {
			return unprocessable(msgEmailFormat)
		}
		return nil
	}
}

func contactPeriodDates(valid func(string) bool) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		t, _ := c.contact()
		return datesValid(t["period"], valid, msgContactPeriodFormat)
	}
}

func contactPeriodInOrder(c *roleCall) *problem {
	t, _ := c.contact()
	return datesInOrder(t["period"], msgContactPeriodOrder)
}

// rankWhole: a rank given is a whole number.
func rankWhole(c *roleCall) *problem {
	t, _ := c.contact()
	if _, present := t["rank"]; !present {
		return nil
	}
	if _, ok := rank(t); !ok {
		return unprocessable(msgRank)
	}
	return nil
}

func rankNotZero(c *roleCall) *problem {
	return rankIs(c, func(n int) bool { return n != 0 })
}

func rankNotNegative(c *roleCall) *problem {
	return rankIs(c, func(n int) bool { return n >= 0 })
}

// rankIs refuses a rank given that is not ok.
func rankIs(c *roleCall, ok func(int) bool) *problem {
	t, _ := c.contact()
	if n, whole := rank(t); whole && !ok(n) {
		return unprocessable(msgRank)
	}
	return nil
}

// rankUnique: no contact point before this one has its rank.
func rankUnique(c *roleCall) *problem {
	t, before := c.contact()
	n, ok := rank(t)
	if !ok {
		return nil
	}
	for _, b := range before {
		if m, had := rank(b); had && m == n {
			return unprocessable(msgRank)
		}
	}
	return nil
}

// The forms of an E.164 mobile number (add-practitionerrole.md, contact
// rules): a numeric string without punctuation, components separated by
// spaces as the page enters them, a country code first, at most 15 digits.
func noLetters(v string) bool { return !strings.ContainsFunc(v, unicode.IsLetter) }

func noPunctuation(v string) bool {
	return !strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsDigit(r) && !unicode.IsLetter(r) && r != ' ' })
}

func countryCodeFirst(v string) bool { return !strings.HasPrefix(strings.TrimSpace(v), "0") }

func e164Length(v string) bool {
	return len(strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, v)) <= 15
}

// The parts of an email address's format: local-part@domain-part, at most
// 256 characters, any UTF-8 but control characters (C0, DEL and C1).
func hasAt(v string) bool { return strings.Contains(v, "@") }

func bothParts(v string) bool {
	at := strings.LastIndex(v, "@")
	return at >= 1 && at < len(v)-1
}

func atMost256(v string) bool { return utf8.RuneCountInString(v) <= 256 }

func noC0Control(v string) bool {
	return !strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 })
}

func noOtherControl(v string) bool { return !strings.ContainsFunc(v, unicode.IsControl) }
