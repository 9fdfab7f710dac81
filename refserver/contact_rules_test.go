package refserver

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Each form of a mobile number and an email address the add page names is
// judged by a check of its own.
func TestContactForms(t *testing.T) {
	for _, tc := range []struct {
		check func(string) bool
		value string
		ok    bool
	}{
		{noLetters, "64 21 555 O1O1", false},
		{noLetters, "64 21 5550101", true},
		{noPunctuation, "64-21-555-0101", false},
		{noPunctuation, "(64) 21 5550101", false},
		{noPunctuation, "64 21 5550101", true},
		{countryCodeFirst, "021 555 0101", false},
		{countryCodeFirst, "64215550101", true},
		{e164Length, "642155501012345", true},
		{e164Length, "6421555010123456", false},
		{hasAt, "reception.example.org", false},
		{bothParts, "@example.org", false},
		{bothParts, "reception@", false},
		{bothParts, "reception@example.org", true},
		{atMost256, strings.Repeat("ā", 244) + "@example.org", true},
		{atMost256, strings.Repeat("a", 245) + "@example.org", false},
		{noC0Control, "recep\u0007tion@example.org", false},
		{noC0Control, "recep\u007ftion@example.org", true},
		{noOtherControl, "recep\u007ftion@example.org", false},
		{noOtherControl, "recep\u0085tion@example.org", false},
		{noOtherControl, "kaiāwhina@example.org", true},
	} {
		assert.Equal(t, tc.ok, tc.check(tc.value), "%q", tc.value)
	}
}

// Each part of YYYY-MM-DD is judged by a check of its own: the shape, all
// three parts and nothing more, then the calendar.
func TestDateParts(t *testing.T) {
	for date, want := range map[string][3]bool{ // shaped, complete, of the calendar
		"2030-06-30":           {true, true, true},
		"2030/06/30":           {false, false, true},
		"2030-6-30":            {false, false, true},
		"2030":                 {true, false, true},
		"2030-06":              {true, false, true},
		"2030-06-30T09:00:00Z": {true, false, true},
		"2030-13-01":           {true, true, false},
		"2030-02-30":           {true, true, false},
	} {
		assert.Equal(t, want, [3]bool{dateShaped(date), dateComplete(date), dateOfCalendar(date)}, date)
	}
}

func TestReferenceType(t *testing.T) {
	for ref, want := range map[string]string{
		"Practitioner/91ZZAA": "Practitioner",
		"https://api.hip.digital.health.nz/fhir/Location/FZZ999-B/_history/2": "Location",
		"91ZZAA": "",
	} {
		assert.Equal(t, want, referenceType(ref), ref)
	}
}
