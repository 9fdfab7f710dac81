package steps

import (
	"context"
	"fmt"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	messages "github.com/cucumber/messages/go/v21"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/api/ers"
	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/refserver"
)

// Scenarios played through the registered steps against the reference
// server: a correct server passes them, and a server that breaks the rule
// a step checks fails that step.
func TestScenarios(t *testing.T) {
	cases := []struct {
		name    string
		mutants []refserver.Mutant
		steps   string // Gherkin steps, one a line; "|" lines are the table of the step before
		fails   string // "": every step passes; else the last step fails saying this
	}{
		{"A001", nil, `
			When the smartcard user "clinician" creates a professional session
			Then the response status is 201 Created
			And the response body is a ProfessionalSession as models.md describes it
			And the session lists exactly the permissions the profile gives for "clinician"
			And the session's user has the identifier the profile gives for "clinician"
			And the session has no permission selected
			And every permission the session lists has a business function from the BusinessFunction value set`, ""},
		{"A001 answered 200", []refserver.Mutant{refserver.ErsCreateAnswers200}, `
			When the smartcard user "clinician" creates a professional session
			Then the response status is 201 Created`, "expected status 201 Created, got 200 OK"},
		{"A001 with a permission selected", []refserver.Mutant{refserver.ErsCreatePermissionSet}, `
			When the smartcard user "clinician" creates a professional session
			Then the session has no permission selected`, `expected "permission": null`},
		{"A001 without the ASID", nil, `
			When the smartcard user "clinician" creates a professional session without the XAPI_ASID header
			Then the request is refused with a 4xx status`, ""},
		{"A001 for a user the profile lacks", nil, `
			When the smartcard user "nobody" creates a professional session`, `the profile has no smartcard user "nobody" (it has [clinician multi-org])`},
		{"A002", nil, `
			Given the smartcard user "multi-org" has opened a professional session
			When the user selects a permission their session lists
			Then the response status is 200 OK
			And the session's selected permission is the one the user chose
			And the session lists the same permissions as when it was opened`, ""},
		{"A002 ignoring the permission", []refserver.Mutant{refserver.ErsSelectPermissionIgnored}, `
			Given the smartcard user "multi-org" has opened a professional session
			When the user selects a permission their session lists
			Then the session's selected permission is the one the user chose`, "got permission null"},
		{"A002 of a permission held elsewhere", nil, `
			Given the smartcard user "multi-org" has opened a professional session
			When the user selects a business function they hold, at an organisation where they do not hold it
			Then the request is refused with one of the documented statuses 403 or 422`, ""},
		{"A002 of a permission held elsewhere, accepted", []refserver.Mutant{refserver.ErsRoleNotHeldAccepted}, `
			Given the smartcard user "multi-org" has opened a professional session
			When the user selects a business function they hold, at an organisation where they do not hold it
			Then the request is refused with one of the documented statuses 403 or 422`, "the target accepted it: 200 OK"},
		{"A002 before a session is opened", nil, `
			When the user selects a permission their session lists`, "no professional session has been opened"},
		{"A003", nil, `
			Given the smartcard user "clinician" has opened a professional session
			And the user has selected a permission their session lists
			When the user closes the session
			Then the response status is 204 No Content
			And the response has no body`, ""},
		{"A003 twice", nil, `
			Given the smartcard user "clinician" has opened a professional session
			And the user has closed the session
			When the user closes the session
			Then the request is refused with a 4xx status`, ""},
		{"PATCH", nil, `
			Given the smartcard user "clinician" has opened a professional session
			When the system sends a PATCH request to the session
			Then the request is refused with a 4xx status`, ""},

		{"HPI read", nil, `
			Given the system has created a PractitionerRole
			When the system reads the role
			Then the response status is 200 OK
			And the response body is the PractitionerRole that was asked for
			And the response carries an ETag with the role's version
			And the response carries the X-Correlation-Id the system sent`, ""},
		{"HPI read without an ETag", []refserver.Mutant{refserver.HpiETagMissing}, `
			Given the system has created a PractitionerRole
			When the system reads the role
			Then the response carries an ETag with the role's version`, "expected an ETag header"},
		{"HPI read without the correlation id", []refserver.Mutant{refserver.HpiCorrelationIDNotEchoed}, `
			Given the system has created a PractitionerRole
			When the system reads the role
			Then the response carries the X-Correlation-Id the system sent`, `the answer (200) returned ""`},
		{"HPI add, refused", nil, `
			When the system adds a PractitionerRole, with practitioner set to an unknown practitioner
			Then the response status is 422 Unprocessable Entity
			And the OperationOutcome has the issue:
				| severity | code       | message               |
				| error    | processing | hpi-person-id invalid |
			And the OperationOutcome has the issue:
				| message               |
				| hpi-person-id invalid |
			And the answer is an OperationOutcome with an error`, ""},
		{"HPI add, refused, the message in another case", nil, `
			When the system adds a PractitionerRole, with practitioner set to an unknown practitioner
			Then the OperationOutcome has the issue:
				| message               |
				| HPI-PERSON-ID INVALID |`, `expected an issue saying "HPI-PERSON-ID INVALID", the OperationOutcome says "hpi-person-id invalid" (error, processing)`},
		{"HPI update without a status reason, either spelling", nil, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role, with period.end set to "2030-06-30"
			Then the OperationOutcome has one of the issues:
				| severity | code       | message                                    |
				| error    | processing | PractitionerRole-status-reason is required |
				| error    | processing | practitionerRole-status-reason is required |`, ""},
		{"HPI add, refused with another message", nil, `
			When the system adds a PractitionerRole, with practitioner removed
			Then the OperationOutcome has the issue:
				| severity | code       | message begins with   |
				| error    | processing | hpi-person-id invalid |`, `expected an issue beginning "hpi-person-id invalid" (error, processing), the OperationOutcome says "hpi-person-id is required" (error, processing)`},
		{"HPI minimal add", nil, `
			When the system adds a PractitionerRole with only a practitioner and a facility
			Then the response status is 201 Created
			And the answer names the new role's hpi-practitionerrole-id
			And reading the new role shows what the system sent`, ""},
		{"HPI update", nil, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role's contact points
			Then the response status is 200 OK
			And reading the role shows what the update sent
			And reading the role shows a newer version than the one updated`, ""},
		{"HPI update not saved", []refserver.Mutant{refserver.HpiUpdateNotSaved}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role's contact points
			Then reading the role shows what the update sent`, "the role lacks the contact point that was sent"},
		{"HPI stale update", nil, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			And another user has since updated the role
			When the system updates the role's contact points with the version it read
			Then the update is refused as out of date, with status 409 or 412 and the code "EM07106" "Record version provided is out of date. The record cannot be updated"
			And the role is unchanged since the other user's update`, ""},
		{"HPI stale update, refused without its code", []refserver.Mutant{refserver.HpiStaleVersionAccepted}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			And another user has since updated the role
			When the system updates the role's contact points with the version it read
			Then the update is refused as out of date, with status 409 or 412 and the code "EM07106" "Record version provided is out of date. The record cannot be updated"`,
			"but the status is 200 OK and the body carries no EM07106"},
		{"HPI stale update accepted", []refserver.Mutant{refserver.HpiStaleVersionAccepted}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			And another user has since updated the role
			When the system updates the role's contact points with the version it read
			Then the role is unchanged since the other user's update`, "the role changed"},
		{"HPI update without userid", nil, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role's contact points without the userid header
			Then the response status is 401 Unauthorized
			And the role is unchanged`, ""},
		{"HPI rank assigned", nil, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system adds the contact point "email" "new@example.org" without a rank
			Then the response status is 200 OK
			And reading the role shows the new contact point with the next lowest rank`, ""},
		{"HPI rank not assigned", []refserver.Mutant{refserver.HpiRankNotAssigned}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system adds the contact point "email" "new@example.org" without a rank
			Then reading the role shows the new contact point with the next lowest rank`, "should have rank 3"},
		{"HPI update before a read", nil, `
			When the system updates the role's contact points`, "no role has been read"},
		{"HPI add naming its version", nil, `
			When the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period
			Then the answer names the new role's version`, ""},
		{"HPI update naming no version", []refserver.Mutant{refserver.HpiUpdateVersionNotNamed}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role's contact points
			Then the answer names the role's new version`, "names no version"},
		{"HPI update of what the server owns, ignored", nil, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role, with active set to false
			Then the role's active is as it was`, ""},
		{"HPI update of active, kept", []refserver.Mutant{refserver.HpiActiveKeptAsSent}, `
			Given the system has created a PractitionerRole
			And the system has read the role's current version
			When the system updates the role, with active set to false
			Then the role's active is as it was`, "changed the role's active"},
		{"HPI add with what the profile removes, refused", nil, `
			When the system adds a PractitionerRole, with endpoint set to [{"reference": "Endpoint/E1"}]
			Then whatever the answer, the role the HPI holds keeps to the elements of the HPIPractitionerRole profile`, ""},
		{"HPI add with what the profile removes, kept", []refserver.Mutant{refserver.HpiEndpointKept}, `
			When the system adds a PractitionerRole, with endpoint set to [{"reference": "Endpoint/E1"}]
			Then whatever the answer, the role the HPI holds keeps to the elements of the HPIPractitionerRole profile`, "endpoint is there"},
		{"HPI official identifier with a type", []refserver.Mutant{refserver.HpiOfficialIdentifierTyped}, `
			When the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period
			Then the role carries its hpi-practitionerrole-id as the profile's one official identifier`, "has a type"},
		{"HPI published example added", nil, `
			When the system adds the published example "R00000013-J"
			Then the response status is 201 Created
			And reading the new role shows what the system sent
			And the new role, if it says whether it is active, says it is not`, ""},
		{"HPI published example kept active", []refserver.Mutant{refserver.HpiEndedRoleActive}, `
			When the system adds the published example "R00000012-G"
			Then the new role, if it says whether it is active, says it is not`, "reads active: true"},
		{"HPI published update example", nil, `
			Given the system has created a PractitionerRole that started on "2000-02-10"
			And the system has read the role's current version
			When the system sends the published update example
			Then the response status is 200 OK
			And reading the role shows what the update sent`, ""},
		{"HPI add not kept", []refserver.Mutant{refserver.HpiCreateNotSaved}, `
			When the system adds a PractitionerRole with only a practitioner and a facility
			Then reading the new role shows what the system sent`, "cannot be read: 404"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			steps := parseSteps(tc.steps)
			failed, err := play(t, NewWorld(referenceEnv(t, tc.mutants...)), steps)
			if tc.fails == "" {
				assert.NoError(t, err, "step %d", failed+1)
				return
			}
			require.Error(t, err)
			assert.Equal(t, len(steps)-1, failed, "the last step fails: %v", err)
			assert.ErrorContains(t, err, tc.fails)
		})
	}
}

// gherkinStep is one line of a scenario and its table, if it has one.
type gherkinStep struct {
	text  string
	table *messages.PickleTable
}

var keyword = regexp.MustCompile(`^(?:Given|When|Then|And|But) `)

func parseSteps(text string) []gherkinStep {
	var out []gherkinStep
	var rows [][]string
	flush := func() {
		if rows != nil {
			out[len(out)-1].table = pickleTable(rows...)
			rows = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "|"):
			var cells []string
			for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
				cells = append(cells, strings.TrimSpace(c))
			}
			rows = append(rows, cells)
		default:
			flush()
			out = append(out, gherkinStep{text: keyword.ReplaceAllString(line, "")})
		}
	}
	flush()
	return out
}

// play runs the steps as godog would, until one fails: it returns that
// step's index and error.
func play(t *testing.T, w World, steps []gherkinStep) (int, error) {
	t.Helper()
	registry := registered(w)
	for i, s := range steps {
		if err := call(t, registry, s); err != nil {
			return i, fmt.Errorf("%s: %w", s.text, err)
		}
	}
	return -1, nil
}

// call finds the one step whose phrase matches and calls its method with
// the captured values, converted as godog converts them.
func call(t *testing.T, registry []step, s gherkinStep) error {
	t.Helper()
	var fn reflect.Value
	var captured []string
	for _, r := range registry {
		if m := r.expr.(*regexp.Regexp).FindStringSubmatch(s.text); m != nil {
			require.False(t, fn.IsValid(), "%q matches more than one step", s.text)
			fn, captured = reflect.ValueOf(r.fn), m[1:]
		}
	}
	require.True(t, fn.IsValid(), "no step matches %q", s.text)
	var args []reflect.Value
	for i := range fn.Type().NumIn() {
		switch in := fn.Type().In(i); in {
		case reflect.TypeFor[context.Context]():
			args = append(args, reflect.ValueOf(context.Background()))
		case reflect.TypeFor[*messages.PickleTable]():
			require.NotNil(t, s.table, "%q needs a table", s.text)
			args = append(args, reflect.ValueOf(s.table))
		case reflect.TypeFor[int]():
			n, err := strconv.Atoi(captured[0])
			require.NoError(t, err)
			args, captured = append(args, reflect.ValueOf(n)), captured[1:]
		default:
			args, captured = append(args, reflect.ValueOf(captured[0])), captured[1:]
		}
	}
	err, _ := fn.Call(args)[0].Interface().(error)
	return err
}

// referenceEnv is a run's Env against a reference server breaking the
// rules mutants name, built as the harness builds it from the reference profile.
func referenceEnv(t *testing.T, mutants ...refserver.Mutant) *Env {
	t.Helper()
	p := referenceWorld(t).env.Profile
	h, err := refserver.New(refserver.Options{Mutants: mutants})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	red := redact.New(p.Secrets()...)
	c := exchange.NewClient(5*time.Second, red)
	return &Env{
		Profile:  p,
		Redactor: red,
		ERS:      ers.New(c, ers.ProfileConfig(p, srv.URL), red),
		HPI:      hpi.New(c, hpi.ProfileTokens(p, srv.URL, red), hpi.ProfileConfig(p, srv.URL)),
	}
}
