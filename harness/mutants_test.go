package harness

import (
	"context"
	"io"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/refserver"
)

// mutantRules says which rules each mutant breaks: the run against it must
// fail, and only on scenarios tagged with one of those rules.
var mutantRules = map[refserver.Mutant][]string{
	refserver.ErsCreateAnswers200:     {"@rule:ERS-A001-201-created"},
	refserver.ErsCreatePermissionSet:  {"@rule:ERS-A001-no-permission-selected"},
	refserver.ErsAsidNotRequired:      {"@rule:ERS-A001-asid-required", "@rule:ERS-A002-asid-required", "@rule:ERS-A003-asid-required"},
	refserver.ErsRoleNotHeldAccepted:  {"@rule:ERS-A002-permission-held"},
	refserver.ErsDeletedSessionUsable: {"@rule:ERS-A003-key-invalid-after-delete"},
	refserver.ErsBodyOn204:            {"@rule:ERS-A003-no-body"},
	refserver.Ers422WithoutOutcome:    {"@rule:ERS-ERR-422-operation-outcome", "@rule:ERS-MODEL-business-function"},

	refserver.HpiCorrelationIDNotEchoed:   {"@rule:HPI-REQ-correlation-id"},
	refserver.HpiUseridNotRequired:        {"@rule:HPI-REQ-userid-required"},
	refserver.HpiAPIKeyNotRequired:        {"@rule:HPI-REQ-api-key"},
	refserver.HpiETagMissing:              {"@rule:HPI-GET-etag"},
	refserver.HpiIfMatchNotRequired:       {"@rule:HPI-UPD-version-required"},
	refserver.HpiStaleVersionAccepted:     {"@rule:HPI-UPD-stale-version"},
	refserver.HpiRoleCodeChangeAccepted:   {"@rule:HPI-UPD-only-contact-address-end"},
	refserver.HpiPersonChangeAccepted:     {"@rule:HPI-UPD-person-matches"},
	refserver.HpiEndWithoutReasonAccepted: {"@rule:HPI-UPD-end-needs-reason", "@rule:HPI-ADD-end-needs-reason"},
	refserver.HpiDuplicateAccepted:        {"@rule:HPI-UPD-no-duplicate", "@rule:HPI-ADD-no-duplicate"},
	refserver.HpiPeriodOrderUnchecked:     {"@rule:HPI-PERIOD-start-not-after-end", "@rule:HPI-CONTACT-period-order"},
	refserver.HpiContactDuplicateAccepted: {"@rule:HPI-CONTACT-no-duplicate"},
	refserver.HpiEmailFormatUnchecked:     {"@rule:HPI-CONTACT-email-format"},
	refserver.HpiTokenNotChecked:          {"@rule:HPI-REQ-access-token"},
	refserver.HpiScopeNotChecked:          {"@rule:HPI-SEC-write-scope"},
	refserver.HpiReadWithoutOfficialID:    {"@rule:HPI-GET-read-by-id"},
	refserver.HpiInvalidIDWithoutMessage:  {"@rule:HPI-GET-invalid-id"},
	refserver.HpiVersionNotIncremented:    {"@rule:HPI-UPD-current-version", "@rule:HPI-UPD-stale-version"},
	refserver.HpiUpdateNotSaved: {"@rule:HPI-UPD-current-version", "@rule:HPI-UPD-stale-version", "@rule:HPI-UPD-end-date",
		"@rule:HPI-UPD-contact-points", "@rule:HPI-UPD-messaging-address", "@rule:HPI-CONTACT-rank-assigned"},
	refserver.HpiPersonRequiredUnchecked: {"@rule:HPI-UPD-person-required", "@rule:HPI-ADD-person-required"},
	refserver.HpiOrgOrFacilityUnchecked:  {"@rule:HPI-UPD-org-or-facility", "@rule:HPI-ADD-org-or-facility"},
	refserver.HpiCodeRequiredUnchecked:   {"@rule:HPI-UPD-code-required"},
	refserver.HpiPeriodFormatUnchecked:   {"@rule:HPI-PERIOD-date-format", "@rule:HPI-CONTACT-period-format"},
	refserver.HpiMobileFormatUnchecked:   {"@rule:HPI-CONTACT-mobile-format"},
	refserver.HpiRankUnchecked:           {"@rule:HPI-CONTACT-rank"},
	refserver.HpiRankNotAssigned:         {"@rule:HPI-CONTACT-rank-assigned"},
	refserver.HpiUnknownPersonAccepted:   {"@rule:HPI-ADD-person-valid"},
	refserver.HpiCreateAnswers200:        {"@rule:HPI-ADD-minimum"},
	refserver.HpiUnknownIDCreated:        {"@rule:HPI-UPD-valid-id"},
}

func TestEveryMutantIsKilledByItsRule(t *testing.T) {
	for _, m := range refserver.Mutants() {
		rules, ok := mutantRules[m]
		require.True(t, ok, "mutant %s has no expected rule in mutantRules", m)
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			res, err := Execute(context.Background(), Config{
				Mutants: []refserver.Mutant{m}, Seed: 1, Format: "progress", Stdout: io.Discard,
			})
			require.NoError(t, err)
			assert.Equal(t, ExitFailed, res.Code, "the suite must fail against %s", m)
			failed := res.Failed()
			require.NotEmpty(t, failed, "no scenario noticed mutant %s", m)
			for _, s := range failed {
				assert.True(t, slices.ContainsFunc(s.Tags, func(tag string) bool { return slices.Contains(rules, tag) }),
					"scenario %q (%v) failed against %s, which breaks only %v: %s", s.Name, s.Tags, m, rules, s.Failure)
			}
		})
	}
}
