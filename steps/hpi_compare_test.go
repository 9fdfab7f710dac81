package steps

import (
	"testing"

	messages "github.com/cucumber/messages/go/v21"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpectedIssues(t *testing.T) {
	cases := []struct {
		name  string
		table *messages.PickleTable
		want  []issue
		err   string
	}{
		{"a message", pickleTable(
			[]string{"severity", "code", "message"},
			[]string{"error", "processing", "hpi-person-id invalid"}),
			[]issue{{severity: "error", code: "processing", message: "hpi-person-id invalid"}}, ""},
		{"a message prefix, columns in any order", pickleTable(
			[]string{"message begins with", "code", "severity"},
			[]string{"Invalid id", "not-found", "error"}),
			[]issue{{severity: "error", code: "not-found", message: "Invalid id", prefix: true}}, ""},
		{"the message alone, where the page states nothing else", pickleTable(
			[]string{"message"},
			[]string{"The email format is invalid"}),
			[]issue{{message: "The email format is invalid"}}, ""},
		{"two rows", pickleTable(
			[]string{"severity", "code", "message"},
			[]string{"error", "processing", "a"},
			[]string{"error", "processing", "b"}),
			[]issue{{severity: "error", code: "processing", message: "a"}, {severity: "error", code: "processing", message: "b"}}, ""},
		{"an unknown column", pickleTable(
			[]string{"severity", "code", "text"},
			[]string{"error", "processing", "x"}),
			nil, `unknown column "text"`},
		{"no message", pickleTable([]string{"severity", "code"}, []string{"error", "processing"}), nil, "has no message"},
		{"no row", pickleTable([]string{"severity", "code", "message"}), nil, "a header and a row"},
		{"no table", nil, nil, "a header and a row"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := expectedIssues(tc.table)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestIssueFound(t *testing.T) {
	exact := issue{severity: "error", code: "processing", message: "hpi-person-id invalid"}
	prefix := issue{severity: "error", code: "not-found", message: "Invalid id", prefix: true}
	message := issue{message: "The email format is invalid"}
	cases := []struct {
		name   string
		want   issue
		issues []string
		found  bool
	}{
		{"in diagnostics", exact, []string{`{"severity":"error","code":"processing","diagnostics":"hpi-person-id invalid"}`}, true},
		{"with surrounding space", exact, []string{`{"severity":"error","code":"processing","diagnostics":" hpi-person-id invalid  "}`}, true},
		{"in another case", exact, []string{`{"severity":"error","code":"processing","diagnostics":"HPI-Person-ID Invalid"}`}, false},
		{"in details.text", exact, []string{`{"severity":"error","code":"processing","details":{"text":"hpi-person-id invalid"}}`}, true},
		{"in a coding display", exact, []string{`{"severity":"error","code":"processing","details":{"coding":[{"code":"X","display":"hpi-person-id invalid"}]}}`}, true},
		{"in the second issue", exact, []string{
			`{"severity":"warning","code":"processing","diagnostics":"something else"}`,
			`{"severity":"error","code":"processing","diagnostics":"hpi-person-id invalid"}`}, true},
		{"another severity", exact, []string{`{"severity":"warning","code":"processing","diagnostics":"hpi-person-id invalid"}`}, false},
		{"another code", exact, []string{`{"severity":"error","code":"invalid","diagnostics":"hpi-person-id invalid"}`}, false},
		{"the right words in the wrong issue", exact, []string{
			`{"severity":"error","code":"invalid","diagnostics":"hpi-person-id invalid"}`,
			`{"severity":"error","code":"processing","diagnostics":"something else"}`}, false},
		{"longer text without the prefix flag", exact, []string{`{"severity":"error","code":"processing","diagnostics":"hpi-person-id invalid: 99ZZZZ"}`}, false},
		{"shorter text", exact, []string{`{"severity":"error","code":"processing","diagnostics":"hpi-person-id"}`}, false},
		{"a prefix", prefix, []string{`{"severity":"error","code":"not-found","diagnostics":"Invalid id: R99"}`}, true},
		{"a prefix in another case", prefix, []string{`{"severity":"error","code":"not-found","diagnostics":"INVALID ID: R99"}`}, false},
		{"a prefix that is the whole text", prefix, []string{`{"severity":"error","code":"not-found","diagnostics":"Invalid id"}`}, true},
		{"a prefix longer than the text", prefix, []string{`{"severity":"error","code":"not-found","diagnostics":"Invalid"}`}, false},
		{"a prefix inside the text", prefix, []string{`{"severity":"error","code":"not-found","diagnostics":"The Invalid id: R99"}`}, false},
		{"a message alone, whatever the severity and code", message, []string{`{"severity":"fatal","code":"invalid","diagnostics":"The email format is invalid"}`}, true},
		{"a message alone, not said", message, []string{`{"severity":"error","code":"processing","diagnostics":"The mobile phone format is invalid"}`}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.found, tc.want.found(outcomeOf(t, tc.issues...)))
		})
	}
}

func TestIssueStringAndSaid(t *testing.T) {
	assert.Equal(t, `saying "a" (error, processing)`, issue{severity: "error", code: "processing", message: "a"}.String())
	assert.Equal(t, `beginning "a" (error, processing)`, issue{severity: "error", code: "processing", message: "a", prefix: true}.String())
	assert.Equal(t, `saying "a"`, issue{message: "a"}.String())
	o := outcomeOf(t,
		`{"severity":"error","code":"processing","diagnostics":"one","details":{"text":"two"}}`,
		`{"severity":"warning","code":"invalid","diagnostics":"three"}`)
	assert.Equal(t, `"one" (error, processing); "two" (error, processing); "three" (warning, invalid)`, said(o))
}

func TestCodedIn(t *testing.T) {
	const code, display = "EM07106", "Record version provided is out of date. The record cannot be updated"
	cases := []struct {
		name   string
		issues []string
		coded  bool
	}{
		{"coded", []string{`{"severity":"error","code":"processing","details":{"coding":[{"system":"s","code":"EM07106"}]}}`}, true},
		{"coded in the second issue", []string{
			`{"severity":"error","code":"processing","diagnostics":"x"}`,
			`{"severity":"error","code":"processing","details":{"coding":[{"code":"EM01234"},{"code":"EM07106"}]}}`}, true},
		{"as the older diagnostics text", []string{`{"severity":"error","code":"processing","diagnostics":"EM07106: Record version provided is out of date. The record cannot be updated"}`}, true},
		{"another code", []string{`{"severity":"error","code":"processing","details":{"coding":[{"code":"EM07107","display":"` + display + `"}]}}`}, false},
		{"the display only in details.text", []string{`{"severity":"error","code":"processing","details":{"text":"` + display + `"}}`}, false},
		{"another message", []string{`{"severity":"error","code":"processing","diagnostics":"Record version provided is out of date"}`}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.coded, codedIn(outcomeOf(t, tc.issues...), code, display))
		})
	}
}

func TestSameContacts(t *testing.T) {
	phone := map[string]any{"system": "phone", "value": "6449999999", "use": "work", "rank": 1}
	email := map[string]any{"system": "email", "value": "practice@example.org", "use": "work", "rank": 2}
	// As read back: JSON numbers are float64.
	readPhone := map[string]any{"system": "phone", "value": "6449999999", "use": "work", "rank": 1.0}
	readEmail := map[string]any{"system": "email", "value": "practice@example.org", "use": "work", "rank": 2.0}
	unranked := map[string]any{"system": "email", "value": "practice@example.org", "use": "work"}
	cases := []struct {
		name      string
		sent, got []any
		err       string
	}{
		{"the same", []any{phone, email}, []any{readPhone, readEmail}, ""},
		{"in another order", []any{phone, email}, []any{readEmail, readPhone}, ""},
		{"a rank the server gave", []any{phone, unranked}, []any{readPhone, map[string]any{"system": "email", "value": "practice@example.org", "rank": 7.0}}, ""},
		{"none", nil, nil, ""},
		{"one more held", []any{phone}, []any{readPhone, readEmail}, "sent 1 contact points, the role has 2"},
		{"one fewer held", []any{phone, email}, []any{readPhone}, "sent 2 contact points, the role has 1"},
		{"another rank", []any{phone, email}, []any{readPhone, map[string]any{"system": "email", "value": "practice@example.org", "rank": 3.0}}, "lacks the contact point that was sent"},
		{"another value", []any{phone, email}, []any{readPhone, map[string]any{"system": "email", "value": "other@example.org", "rank": 2.0}}, "lacks the contact point"},
		{"another system", []any{phone, email}, []any{readPhone, map[string]any{"system": "url", "value": "practice@example.org", "rank": 2.0}}, "lacks the contact point"},
		{"one held twice, another not at all", []any{phone, email}, []any{readPhone, readPhone}, "lacks the contact point"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := sameContacts(tc.sent, tc.got)
			if tc.err == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tc.err)
		})
	}
}

func TestHolds(t *testing.T) {
	reason := map[string]any{"url": extStatusReason, "valueCodeableConcept": map[string]any{"text": "Other"}}
	address := map[string]any{"url": extMessagingAddress, "valueString": "x"}
	cases := []struct {
		name, element string
		sent, got     any
		err           string
	}{
		{"meta is the server's", "meta", map[string]any{"versionId": "1"}, map[string]any{"versionId": "2"}, ""},
		{"id is the server's", "id", nil, "R1-G", ""},
		{"identifier is the server's", "identifier", nil, []any{map[string]any{"use": "official"}}, ""},
		{"active is the server's", "active", true, false, ""},
		{"the extensions sent", "extension", []any{reason}, []any{reason}, ""},
		{"more extensions than sent", "extension", []any{reason}, []any{address, reason}, ""},
		{"an extension lost", "extension", []any{reason, address}, []any{reason}, "lacks the extension that was sent"},
		{"an extension changed", "extension", []any{address}, []any{map[string]any{"url": extMessagingAddress, "valueString": "y"}}, "lacks the extension"},
		{"no extension held", "extension", []any{reason}, nil, "lacks the extension"},
		{"contact points compared as a set", "telecom", []any{map[string]any{"system": "phone", "value": "1"}}, []any{map[string]any{"system": "phone", "value": "1", "rank": 1.0}}, ""},
		{"a contact point lost", "telecom", []any{map[string]any{"system": "phone", "value": "1"}}, []any{}, "sent 1 contact points, the role has 0"},
		{"a plain element held", "period", map[string]any{"start": "2020-01-01"}, map[string]any{"start": "2020-01-01"}, ""},
		{"a plain element changed", "period", map[string]any{"start": "2020-01-01"}, map[string]any{"start": "2020-01-02"}, "period: the role does not hold what was sent (-sent +held):"},
		{"text is the server's", "text", map[string]any{"div": "<div>old</div>"}, map[string]any{"div": "<div>new</div>"}, ""},
		{"a reference the server gave a display", "practitioner", map[string]any{"reference": "Practitioner/A"}, map[string]any{"reference": "Practitioner/A", "display": "Dr A"}, ""},
		{"a reference changed", "practitioner", map[string]any{"reference": "Practitioner/A"}, map[string]any{"reference": "Practitioner/B", "display": "Dr A"}, "practitioner: the role does not hold what was sent"},
		{"a field sent, lost", "period", map[string]any{"start": "2020-01-01", "end": "2030-01-01"}, map[string]any{"start": "2020-01-01"}, "period: the role does not hold what was sent"},
		{"a list, item by item, with what the server adds", "location", []any{map[string]any{"reference": "Location/F"}}, []any{map[string]any{"reference": "Location/F", "display": "F"}}, ""},
		{"a list with an item more", "location", []any{map[string]any{"reference": "Location/F"}}, []any{map[string]any{"reference": "Location/F"}, map[string]any{"reference": "Location/G"}}, "location: the role does not hold what was sent"},
		{"a list in another order", "code", []any{"a", "b"}, []any{"b", "a"}, "code: the role does not hold what was sent"},
		{"a nested value changed", "code", []any{map[string]any{"coding": []any{map[string]any{"code": "1", "display": "One"}}}},
			[]any{map[string]any{"coding": []any{map[string]any{"code": "1", "display": "Uno"}}}}, "code: the role does not hold what was sent"},
		{"a nested object the server added to", "code", []any{map[string]any{"coding": []any{map[string]any{"code": "1"}}}},
			[]any{map[string]any{"coding": []any{map[string]any{"code": "1", "version": "1.2"}}, "text": "One"}}, ""},
		{"an extension whose reference the server gave a display", "extension",
			[]any{map[string]any{"url": "u", "extension": []any{map[string]any{"url": "person", "valueReference": map[string]any{"reference": "Practitioner/A"}}}}},
			[]any{map[string]any{"url": "u", "extension": []any{map[string]any{"url": "person", "valueReference": map[string]any{"reference": "Practitioner/A", "display": "A"}}, map[string]any{"url": "organization"}}}}, ""},
		{"a plain element lost", "code", []any{"x"}, nil, "code: the role does not hold what was sent"},
		{"a value of another type", "period", map[string]any{"start": "2020-01-01"}, "2020-01-01", "period: the role does not hold what was sent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := holds(tc.element, tc.sent, tc.got)
			if tc.err == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tc.err)
		})
	}
}

func TestAssignedRank(t *testing.T) {
	sent := []map[string]any{
		{"system": "phone", "value": "1", "rank": 1},
		{"system": "email", "value": "a@example.org", "rank": 2},
		{"system": "email", "value": "new@example.org"},
	}
	cases := []struct {
		name      string
		read      []map[string]any
		want, has float64
	}{
		{"the next rank", []map[string]any{
			{"system": "phone", "value": "1", "rank": 1.0},
			{"system": "email", "value": "a@example.org", "rank": 2.0},
			{"system": "email", "value": "new@example.org", "rank": 3.0}}, 3, 3},
		{"the next after the highest, in any order", []map[string]any{
			{"system": "email", "value": "new@example.org", "rank": 6.0},
			{"system": "phone", "value": "1", "rank": 5.0},
			{"system": "email", "value": "a@example.org", "rank": 2.0}}, 6, 6},
		{"a rank that is not the next", []map[string]any{
			{"system": "phone", "value": "1", "rank": 1.0},
			{"system": "email", "value": "a@example.org", "rank": 2.0},
			{"system": "email", "value": "new@example.org", "rank": 1.0}}, 3, 1},
		{"no rank", []map[string]any{
			{"system": "phone", "value": "1", "rank": 1.0},
			{"system": "email", "value": "new@example.org"}}, 2, 0},
		{"not held", []map[string]any{
			{"system": "phone", "value": "1", "rank": 1.0}}, 2, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, has := assignedRank(sent, tc.read)
			assert.Equal(t, tc.want, want, "the rank it should have")
			assert.Equal(t, tc.has, has, "the rank it has")
		})
	}
}

func TestContentLeavesOutWhatTheServerOwns(t *testing.T) {
	role := resource{"resourceType": "PractitionerRole", "id": "R1", "meta": map[string]any{"versionId": "1"}, "active": true,
		"text": map[string]any{"status": "generated"}, "period": map[string]any{"start": "2020-01-01"},
		"practitioner": map[string]any{"reference": "Practitioner/A", "display": "Dr A"},
		"code":         []any{map[string]any{"coding": []any{map[string]any{"code": "1", "display": "One"}}}}}
	got := content(role)
	assert.Equal(t, resource{"resourceType": "PractitionerRole", "id": "R1", "period": map[string]any{"start": "2020-01-01"},
		"practitioner": map[string]any{"reference": "Practitioner/A"},
		"code":         []any{map[string]any{"coding": []any{map[string]any{"code": "1", "display": "One"}}}}}, got, "a coding keeps its display")
	got["period"].(map[string]any)["start"] = "changed"
	assert.Equal(t, "2020-01-01", role["period"].(map[string]any)["start"], "content is a copy")
	assert.Contains(t, role, "meta")
}

func TestOfficialID(t *testing.T) {
	role := resource{"identifier": []any{
		map[string]any{"use": "secondary", "value": "old"},
		map[string]any{"use": "official", "value": "R1-G"},
	}}
	assert.Equal(t, "R1-G", officialID(role))
	assert.Empty(t, officialID(resource{"identifier": []any{map[string]any{"use": "secondary", "value": "old"}}}))
	assert.Empty(t, officialID(resource{}))
}

// Bugs found by these tests, since fixed.

func TestCodedInWithAnEmptyDisplayNeedsTheCode(t *testing.T) {
	o := outcomeOf(t, `{"severity":"error","code":"processing","diagnostics":"something else"}`)
	assert.False(t, codedIn(o, "EM07106", ""))
}

func TestSameContactsCountsRepeatedContactPoints(t *testing.T) {
	phone := map[string]any{"system": "phone", "value": "1"}
	assert.Error(t, sameContacts([]any{phone, phone}, []any{phone, map[string]any{"system": "email", "value": "never-sent@example.org"}}))
}

func TestHoldsAnExtensionThatIsNotAList(t *testing.T) {
	assert.NotPanics(t, func() {
		assert.Error(t, holds("extension", map[string]any{"url": extStatusReason}, []any{}))
	})
}
