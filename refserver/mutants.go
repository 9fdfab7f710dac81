package refserver

import (
	"slices"
)

// Mutant names one documented rule the server can be told to break, so the
// test suite can prove that the conformance scenarios notice when it is broken.
type Mutant string

// mutantKind says how a mutant breaks its rule.
type mutantKind string

const (
	// The rule runner skips every rule entry that lists the mutant in its off list.
	switchesOff mutantKind = "switches a rule off"
	// A hook changes an answer (or what is kept) after the rules let a request through.
	shapes mutantKind = "shapes an answer"
)

type mutantEntry struct {
	name Mutant
	kind mutantKind
	says string // what the server does when the mutant is selected
}

// mutantTable is every mutant, in the order declared below; mutant fills it.
var mutantTable []mutantEntry

func mutant(name string, kind mutantKind, says string) Mutant {
	mutantTable = append(mutantTable, mutantEntry{Mutant(name), kind, says})
	return Mutant(name)
}

// The mutants, one a line: its name, its kind, and what the server then does.
// The names are the catalogue's (catalogue/rules.yaml).
var (
	ErsCreateAnswers200            = mutant("ers-create-answers-200", shapes, "A001 answers 200 instead of the documented 201 Created.")
	ErsCreatePermissionSet         = mutant("ers-create-permission-set", shapes, "A001 returns a session with a permission already selected.")
	ErsAsidNotRequired             = mutant("ers-asid-not-required", switchesOff, "A001, A002 and A003 accept a request that has no XAPI_ASID header.")
	ErsRoleNotHeldAccepted         = mutant("ers-role-not-held-accepted", switchesOff, "A002 accepts a permission the user does not hold.")
	ErsDeletedSessionUsable        = mutant("ers-deleted-session-usable", shapes, "A003 answers 204 but the session stays usable.")
	ErsBodyOn204                   = mutant("ers-body-on-204", shapes, "A003 answers 204 with a body.")
	Ers422WithoutOutcome           = mutant("ers-422-without-outcome", shapes, "422 answers carry no OperationOutcome.")
	ErsCreateExtraPermission       = mutant("ers-create-extra-permission", shapes, "A001 lists a permission the user does not hold.")
	ErsUserIdentifierWrong         = mutant("ers-user-identifier-wrong", shapes, "A001 names the user with the wrong identifier.")
	ErsUnknownTokenAccepted        = mutant("ers-unknown-token-accepted", switchesOff, "A001 opens a session (the first fixture user's) for a token no smartcard issued.")
	ErsCreateBodyUnchecked         = mutant("ers-create-body-unchecked", switchesOff, "A001 opens a session whatever the body says.")
	ErsSessionModelIncomplete      = mutant("ers-session-model-incomplete", shapes, "Sessions are answered without the user's lastName (models.md).")
	ErsUnknownFunctionAccepted     = mutant("ers-unknown-function-accepted", switchesOff, "A002 applies a business function outside the value set.")
	ErsSelectAnswers201            = mutant("ers-select-answers-201", shapes, "A002 answers 201 instead of 200.")
	ErsSelectPermissionIgnored     = mutant("ers-select-permission-ignored", shapes, "A002 answers 200 but selects nothing.")
	ErsSelectDropsPermissions      = mutant("ers-select-drops-permissions", shapes, "A002 answers with only the selected permission listed.")
	ErsSelectBodyUnchecked         = mutant("ers-select-body-unchecked", switchesOff, "A002 selects a permission though the body names none (the first) or one outside the value set.")
	ErsSessionKeyHeaderNotRequired = mutant("ers-session-key-header-not-required", switchesOff, "A002 and A003 take the session key from the path when the header is missing.")
	ErsUnknownKeySelectAccepted    = mutant("ers-unknown-key-select-accepted", switchesOff, "A002 answers 200 for a session key never issued.")
	ErsUnknownKeyDeleteAccepted    = mutant("ers-unknown-key-delete-accepted", switchesOff, "A003 answers 204 for a session key never issued.")
	ErsDeleteAnswers200            = mutant("ers-delete-answers-200", shapes, "A003 answers 200 instead of 204.")
	ErsPatchAccepted               = mutant("ers-patch-accepted", shapes, "PATCH on a session is answered 200.")

	HpiCorrelationIDNotEchoed   = mutant("hpi-correlation-id-not-echoed", shapes, "The X-Correlation-Id a client sends is not returned.")
	HpiUseridNotRequired        = mutant("hpi-userid-not-required", switchesOff, "Requests without a userid header are served.")
	HpiAPIKeyNotRequired        = mutant("hpi-api-key-not-required", switchesOff, "Requests without an x-api-key are served.")
	HpiETagMissing              = mutant("hpi-etag-missing", shapes, "A role is answered without an ETag.")
	HpiIfMatchNotRequired       = mutant("hpi-if-match-not-required", switchesOff, "An update without If-Match is applied.")
	HpiBodyIDUnchecked          = mutant("hpi-body-id-unchecked", switchesOff, "An update is applied to the role of the URL whatever id, or none, the resource sent names.")
	HpiBodyVersionKept          = mutant("hpi-body-version-kept", shapes, "An update takes the resource's meta.versionId, when it is a number above the next version, as the new version.")
	HpiBodyLastUpdatedKept      = mutant("hpi-body-last-updated-kept", shapes, "An update keeps the meta.lastUpdated the resource sent.")
	HpiStaleVersionAccepted     = mutant("hpi-stale-version-accepted", switchesOff, "An update carrying an out-of-date version is applied.")
	HpiRoleCodeChangeAccepted   = mutant("hpi-role-code-change-accepted", switchesOff, "An update may change the role code.")
	HpiPersonChangeAccepted     = mutant("hpi-person-change-accepted", switchesOff, "An update may change the practitioner (hpi-person-id).")
	HpiEndWithoutReasonAccepted = mutant("hpi-end-without-reason-accepted", switchesOff, "A period end date is accepted without a status reason.")
	HpiDuplicateAccepted        = mutant("hpi-duplicate-accepted", switchesOff, "A duplicate or overlapping role is accepted.")
	HpiPeriodOrderUnchecked     = mutant("hpi-period-order-unchecked", switchesOff, "A period (of the role or a contact point) may start after it ends.")
	HpiContactDuplicateAccepted = mutant("hpi-contact-duplicate-accepted", switchesOff, "Two identical contact points are accepted.")
	HpiEmailFormatUnchecked     = mutant("hpi-email-format-unchecked", switchesOff, "Email addresses are not checked.")
	HpiTokenNotChecked          = mutant("hpi-token-not-checked", switchesOff, "Any bearer token is accepted, even one never issued.")
	HpiScopeNotChecked          = mutant("hpi-scope-not-checked", switchesOff, "A token without the scope an operation needs may use it.")
	HpiReadWithoutOfficialID    = mutant("hpi-read-without-official-id", shapes, "A read returns the role without its official identifier (and an update need not send it back).")
	HpiInvalidIDWithoutMessage  = mutant("hpi-invalid-id-without-message", shapes, "A read of an unknown id says nothing about the id.")
	HpiVersionNotIncremented    = mutant("hpi-version-not-incremented", shapes, "An update keeps the version it replaced.")
	HpiUpdateNotSaved           = mutant("hpi-update-not-saved", shapes, "An update answers 200 but changes nothing.")
	HpiPersonRequiredUnchecked  = mutant("hpi-person-required-unchecked", switchesOff, "A role without a practitioner is not refused as such.")
	HpiOrgOrFacilityUnchecked   = mutant("hpi-org-or-facility-unchecked", switchesOff, "A role may lose (or lack) both organisation and facility.")
	HpiCodeRequiredUnchecked    = mutant("hpi-code-required-unchecked", switchesOff, "An update may drop the role code without its documented message.")
	HpiPeriodFormatUnchecked    = mutant("hpi-period-format-unchecked", switchesOff, "Dates are not checked for the YYYY-MM-DD format.")
	HpiMobileFormatUnchecked    = mutant("hpi-mobile-format-unchecked", switchesOff, "Mobile numbers are not checked.")
	HpiRankUnchecked            = mutant("hpi-rank-unchecked", switchesOff, "Ranks are not checked (0 and repeats accepted).")
	HpiRankNotAssigned          = mutant("hpi-rank-not-assigned", shapes, "A contact point without a rank gets none.")
	HpiUnknownPersonAccepted    = mutant("hpi-unknown-person-accepted", switchesOff, "A role may be added for a practitioner the HPI does not know.")
	HpiCreateAnswers200         = mutant("hpi-create-answers-200", shapes, "An add answers 200 instead of 201 Created.")
	HpiUnknownIDCreated         = mutant("hpi-unknown-id-created", switchesOff, "An update of an unknown id creates the role.")
	HpiMessagesCorrected        = mutant("hpi-messages-corrected", shapes, `The published messages are "corrected" ("requird" sent as "required").`)
)

// Mutants lists every mutant the server knows, sorted.
func Mutants() []Mutant {
	all := make([]Mutant, 0, len(mutantTable))
	for _, m := range mutantTable {
		all = append(all, m.name)
	}
	slices.Sort(all)
	return all
}

func known(m Mutant) bool {
	return slices.ContainsFunc(mutantTable, func(e mutantEntry) bool { return e.name == m })
}

// ParseMutants reads a comma-separated list of mutant names.
func ParseMutants(list string) ([]Mutant, error) {
	return parseNames(list, "mutant", known, Mutants())
}

// mutantSet is the mutants a server was built with.
type mutantSet map[Mutant]bool

func newMutantSet(ms []Mutant) (mutantSet, error) {
	return setOf(ms, "mutant", known)
}

// anyOf says whether one of ms is selected.
func (s mutantSet) anyOf(ms []Mutant) bool {
	return slices.ContainsFunc(ms, func(m Mutant) bool { return s[m] })
}
