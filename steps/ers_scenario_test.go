package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/refserver"
)

// The e-RS steps added for the statement inventory, played against the
// reference server: a correct server passes them, and a server breaking the
// statement a step checks fails that step, as a violation.
func TestERSScenarios(t *testing.T) {
	cases := []struct {
		name    string
		mutants []refserver.Mutant
		steps   string
		fails   string // "": every step passes; else the last step fails, a violation, saying this
	}{
		{"A001 with the token alone", nil, `
			When the smartcard user "clinician" creates a professional session with a body that provides only the token
			Then the request is accepted with a 2xx status and a JSON object`, ""},
		{"A001 requiring typeInfo", []refserver.Mutant{refserver.ErsCreateTypeInfoRequired}, `
			When the smartcard user "clinician" creates a professional session with a body that provides only the token
			Then the request is accepted with a 2xx status and a JSON object`, "expected the request to be accepted with a 2xx status, but the target answered 422"},
		{"A001 answered as JSON", nil, `
			When the smartcard user "clinician" creates a professional session
			Then the session is answered as JSON, labelled application/json
			And the session's typeInfo, where it gives one, is "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession"`, ""},
		{"A001 answered as text", []refserver.Mutant{refserver.ErsCreateAnswerNotJSON}, `
			When the smartcard user "clinician" creates a professional session
			Then the session is answered as JSON, labelled application/json`, `got "text/plain; charset=utf-8"`},
		{"A001 with another typeInfo", []refserver.Mutant{refserver.ErsSessionTypeInfoWrong}, `
			When the smartcard user "clinician" creates a professional session
			Then the session's typeInfo, where it gives one, is "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession"`, `got "uk.nhs.ers.xapi.dto.v1.session.Session"`},
		{"A001 naming a system never accredited", nil, `
			When the smartcard user "clinician" creates a professional session, naming a system that was never accredited
			Then the request is refused with one of the documented statuses 400, 403 or 422`, ""},
		{"A002 naming the permission without orgName", []refserver.Mutant{refserver.ErsSelectOrgNameRequired}, `
			Given the smartcard user "clinician" has opened a professional session
			When the user selects a permission their session lists, naming only its business function and organisation
			Then the request is accepted with a 2xx status and a JSON object`, "answered 422"},
		{"A002 with another session's key", nil, `
			Given the smartcard user "clinician" has opened a professional session
			And the smartcard user "multi-org" has opened a professional session
			When a permission both sessions list is selected on the path of the session of "multi-org", with the session key of "clinician" in the header
			Then the request is refused with one of the documented statuses 400, 403 or 422
			And the sessions of "clinician" and "multi-org" are still open, each selecting a role with its own key`, ""},
		{"A002 with another session's key, accepted", []refserver.Mutant{refserver.ErsSelectKeyMismatchAccepted}, `
			Given the smartcard user "clinician" has opened a professional session
			And the smartcard user "multi-org" has opened a professional session
			When a permission both sessions list is selected on the path of the session of "clinician", with the session key of "multi-org" in the header
			Then the request is refused with one of the documented statuses 400, 403 or 422`, "the target accepted it: 200 OK"},
		{"A003 with another session's key, closing it", []refserver.Mutant{refserver.ErsDeleteMismatchClosesHeaderKey}, `
			Given the smartcard user "clinician" has opened a professional session
			And the smartcard user "multi-org" has opened a professional session
			When the session of "clinician" is closed on its path, with the session key of "multi-org" in the header
			Then the request is refused with one of the documented statuses 400, 403 or 422
			And the sessions of "clinician" and "multi-org" are still open, each selecting a role with its own key`,
			`the refused request changed the session of "multi-org": selecting a role on its own key now answers 410`},
		{"A003 naming a system never accredited, accepted", []refserver.Mutant{refserver.ErsDeleteAnyASID}, `
			Given the smartcard user "clinician" has opened a professional session
			When the user closes the session, naming a system that was never accredited
			Then the request is refused with one of the documented statuses 400, 403 or 422`, "the target accepted it: 204"},
		{"two sessions of one user cannot be told apart", nil, `
			Given the smartcard user "clinician" has opened a professional session
			When the session of "clinician" is closed on its path, with the session key of "clinician" in the header`,
			`the sessions of "clinician" and "clinician" have the same key`},
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
			if tc.name != "two sessions of one user cannot be told apart" {
				assert.True(t, IsViolation(err), "a finding against the target, not a set-up fault: %v", err)
			}
		})
	}
}

func TestListedByBoth(t *testing.T) {
	a := sessionWith(perm("REFERRING_CLINICIAN", "R01"), perm("SERVICE_DEFINER", "R01"))
	b := sessionWith(perm("SERVICE_PROVIDER_ADMIN", "RCD"), perm("REFERRING_CLINICIAN", "R01"))
	p, err := listedByBoth(a, b)
	require.NoError(t, err)
	assert.Equal(t, "REFERRING_CLINICIAN at R01", p.String())
	_, err = listedByBoth(a, sessionWith(perm("REFERRING_CLINICIAN", "RCD")))
	assert.ErrorContains(t, err, "no permission in common")
}
