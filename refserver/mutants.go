package refserver

import (
	"fmt"
	"sort"
	"strings"
)

// Mutant names one documented rule the server can be told to break, so the
// test suite can prove that the conformance scenarios notice when it is broken.
type Mutant string

// The e-RS mutants. Each breaks exactly one documented behaviour.
const (
	// A001 answers 200 instead of the documented 201 Created.
	ErsCreateAnswers200 Mutant = "ers-create-answers-200"
	// A001 returns a session with a permission already selected.
	ErsCreatePermissionSet Mutant = "ers-create-permission-set"
	// A001 accepts a request that has no XAPI_ASID header.
	ErsAsidNotRequired Mutant = "ers-asid-not-required"
	// A002 accepts a permission the user does not hold.
	ErsRoleNotHeldAccepted Mutant = "ers-role-not-held-accepted"
	// A003 answers 204 but the session stays usable.
	ErsDeletedSessionUsable Mutant = "ers-deleted-session-usable"
	// A003 answers 204 with a body.
	ErsBodyOn204 Mutant = "ers-body-on-204"
	// 422 answers carry no OperationOutcome.
	Ers422WithoutOutcome Mutant = "ers-422-without-outcome"
	// A001 lists a permission the user does not hold.
	ErsCreateExtraPermission Mutant = "ers-create-extra-permission"
	// A001 names the user with the wrong identifier.
	ErsUserIdentifierWrong Mutant = "ers-user-identifier-wrong"
	// A001 opens a session for a token no smartcard issued.
	ErsUnknownTokenAccepted Mutant = "ers-unknown-token-accepted"
	// A001 opens a session whatever the body says.
	ErsCreateBodyUnchecked Mutant = "ers-create-body-unchecked"
	// Sessions are answered without the user's lastName (models.md).
	ErsSessionModelIncomplete Mutant = "ers-session-model-incomplete"
	// A002 applies a business function outside the value set.
	ErsUnknownFunctionAccepted Mutant = "ers-unknown-function-accepted"
	// A002 answers 201 instead of 200.
	ErsSelectAnswers201 Mutant = "ers-select-answers-201"
	// A002 answers 200 but selects nothing.
	ErsSelectPermissionIgnored Mutant = "ers-select-permission-ignored"
	// A002 answers with only the selected permission listed.
	ErsSelectDropsPermissions Mutant = "ers-select-drops-permissions"
	// A002 selects the first permission whatever the body says.
	ErsSelectBodyUnchecked Mutant = "ers-select-body-unchecked"
	// A002 and A003 take the session key from the path when the header is missing.
	ErsSessionKeyHeaderNotRequired Mutant = "ers-session-key-header-not-required"
	// A002 answers 200 for a session key never issued.
	ErsUnknownKeySelectAccepted Mutant = "ers-unknown-key-select-accepted"
	// A003 answers 204 for a session key never issued.
	ErsUnknownKeyDeleteAccepted Mutant = "ers-unknown-key-delete-accepted"
	// A003 answers 200 instead of 204.
	ErsDeleteAnswers200 Mutant = "ers-delete-answers-200"
	// PATCH on a session is answered 200.
	ErsPatchAccepted Mutant = "ers-patch-accepted"
)

// The HPI mutants.
const (
	// The X-Correlation-Id a client sends is not returned.
	HpiCorrelationIDNotEchoed Mutant = "hpi-correlation-id-not-echoed"
	// Requests without a userid header are served.
	HpiUseridNotRequired Mutant = "hpi-userid-not-required"
	// Requests without an x-api-key are served.
	HpiAPIKeyNotRequired Mutant = "hpi-api-key-not-required"
	// A read answers without an ETag.
	HpiETagMissing Mutant = "hpi-etag-missing"
	// An update without If-Match is applied.
	HpiIfMatchNotRequired Mutant = "hpi-if-match-not-required"
	// An update carrying an out-of-date version is applied.
	HpiStaleVersionAccepted Mutant = "hpi-stale-version-accepted"
	// An update may change the role code.
	HpiRoleCodeChangeAccepted Mutant = "hpi-role-code-change-accepted"
	// An update may change the practitioner (hpi-person-id).
	HpiPersonChangeAccepted Mutant = "hpi-person-change-accepted"
	// A period end date is accepted without a status reason.
	HpiEndWithoutReasonAccepted Mutant = "hpi-end-without-reason-accepted"
	// A duplicate or overlapping role is accepted.
	HpiDuplicateAccepted Mutant = "hpi-duplicate-accepted"
	// A period may start after it ends.
	HpiPeriodOrderUnchecked Mutant = "hpi-period-order-unchecked"
	// Two identical contact points are accepted.
	HpiContactDuplicateAccepted Mutant = "hpi-contact-duplicate-accepted"
	// Email addresses are not checked.
	HpiEmailFormatUnchecked Mutant = "hpi-email-format-unchecked"
	// Any bearer token is accepted, even one never issued.
	HpiTokenNotChecked Mutant = "hpi-token-not-checked"
	// A token without the write scope may update.
	HpiScopeNotChecked Mutant = "hpi-scope-not-checked"
	// A read returns the role without its official identifier.
	HpiReadWithoutOfficialID Mutant = "hpi-read-without-official-id"
	// A read of an unknown id says nothing about the id.
	HpiInvalidIDWithoutMessage Mutant = "hpi-invalid-id-without-message"
	// An update keeps the version it replaced.
	HpiVersionNotIncremented Mutant = "hpi-version-not-incremented"
	// An update answers 200 but changes nothing.
	HpiUpdateNotSaved Mutant = "hpi-update-not-saved"
	// A role without a practitioner is not refused as such.
	HpiPersonRequiredUnchecked Mutant = "hpi-person-required-unchecked"
	// A role may lose (or lack) both organisation and facility.
	HpiOrgOrFacilityUnchecked Mutant = "hpi-org-or-facility-unchecked"
	// An update may drop the role code without its documented message.
	HpiCodeRequiredUnchecked Mutant = "hpi-code-required-unchecked"
	// Dates are not checked for the YYYY-MM-DD format.
	HpiPeriodFormatUnchecked Mutant = "hpi-period-format-unchecked"
	// Mobile numbers are not checked.
	HpiMobileFormatUnchecked Mutant = "hpi-mobile-format-unchecked"
	// Ranks are not checked (0 and repeats accepted).
	HpiRankUnchecked Mutant = "hpi-rank-unchecked"
	// A contact point without a rank gets none.
	HpiRankNotAssigned Mutant = "hpi-rank-not-assigned"
	// A role may be added for a practitioner the HPI does not know.
	HpiUnknownPersonAccepted Mutant = "hpi-unknown-person-accepted"
	// An add answers 200 instead of 201 Created.
	HpiCreateAnswers200 Mutant = "hpi-create-answers-200"
	// An update of an unknown id creates the role.
	HpiUnknownIDCreated Mutant = "hpi-unknown-id-created"
	// The published messages are "corrected" ("requird" sent as "required").
	HpiMessagesCorrected Mutant = "hpi-messages-corrected"
)

var knownMutants = map[Mutant]bool{
	ErsCreateExtraPermission:       true,
	ErsUserIdentifierWrong:         true,
	ErsUnknownTokenAccepted:        true,
	ErsCreateBodyUnchecked:         true,
	ErsSessionModelIncomplete:      true,
	ErsUnknownFunctionAccepted:     true,
	ErsSelectAnswers201:            true,
	ErsSelectPermissionIgnored:     true,
	ErsSelectDropsPermissions:      true,
	ErsSelectBodyUnchecked:         true,
	ErsSessionKeyHeaderNotRequired: true,
	ErsUnknownKeySelectAccepted:    true,
	ErsUnknownKeyDeleteAccepted:    true,
	ErsDeleteAnswers200:            true,
	ErsPatchAccepted:               true,
	HpiMessagesCorrected:           true,
	HpiCorrelationIDNotEchoed:      true,
	HpiUseridNotRequired:           true,
	HpiAPIKeyNotRequired:           true,
	HpiETagMissing:                 true,
	HpiIfMatchNotRequired:          true,
	HpiStaleVersionAccepted:        true,
	HpiRoleCodeChangeAccepted:      true,
	HpiPersonChangeAccepted:        true,
	HpiEndWithoutReasonAccepted:    true,
	HpiDuplicateAccepted:           true,
	HpiPeriodOrderUnchecked:        true,
	HpiContactDuplicateAccepted:    true,
	HpiEmailFormatUnchecked:        true,
	HpiTokenNotChecked:             true,
	HpiScopeNotChecked:             true,
	HpiReadWithoutOfficialID:       true,
	HpiInvalidIDWithoutMessage:     true,
	HpiVersionNotIncremented:       true,
	HpiUpdateNotSaved:              true,
	HpiPersonRequiredUnchecked:     true,
	HpiOrgOrFacilityUnchecked:      true,
	HpiCodeRequiredUnchecked:       true,
	HpiPeriodFormatUnchecked:       true,
	HpiMobileFormatUnchecked:       true,
	HpiRankUnchecked:               true,
	HpiRankNotAssigned:             true,
	HpiUnknownPersonAccepted:       true,
	HpiCreateAnswers200:            true,
	HpiUnknownIDCreated:            true,
	ErsCreateAnswers200:            true,
	ErsCreatePermissionSet:         true,
	ErsAsidNotRequired:             true,
	ErsRoleNotHeldAccepted:         true,
	ErsDeletedSessionUsable:        true,
	ErsBodyOn204:                   true,
	Ers422WithoutOutcome:           true,
}

// Mutants lists every mutant the server knows, sorted.
func Mutants() []Mutant {
	all := make([]Mutant, 0, len(knownMutants))
	for m := range knownMutants {
		all = append(all, m)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return all
}

// ParseMutants reads a comma-separated list of mutant names.
func ParseMutants(list string) ([]Mutant, error) {
	var out []Mutant
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !knownMutants[Mutant(name)] {
			return nil, fmt.Errorf("unknown mutant %q (known: %v)", name, Mutants())
		}
		out = append(out, Mutant(name))
	}
	return out, nil
}

type mutantSet map[Mutant]bool

func newMutantSet(ms []Mutant) (mutantSet, error) {
	set := mutantSet{}
	for _, m := range ms {
		if !knownMutants[m] {
			return nil, fmt.Errorf("unknown mutant %q", m)
		}
		set[m] = true
	}
	return set, nil
}
