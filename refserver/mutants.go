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
	HpiPeriodOrderUnchecked     = mutant("hpi-period-order-unchecked", switchesOff, "On an update, the role's period may start after it ends.")
	HpiContactDuplicateAccepted = mutant("hpi-contact-duplicate-accepted", switchesOff, "On an update, two identical contact points are accepted.")
	HpiEmailFormatUnchecked     = mutant("hpi-email-format-unchecked", switchesOff, "On an update, email addresses are not checked.")
	HpiTokenNotChecked          = mutant("hpi-token-not-checked", switchesOff, "Any bearer token is accepted, even one never issued.")
	HpiScopeNotChecked          = mutant("hpi-scope-not-checked", switchesOff, "A token without the scope an operation needs may use it.")
	HpiReadWithoutOfficialID    = mutant("hpi-read-without-official-id", shapes, "A read returns the role without its official identifier (and an update need not send it back).")
	HpiInvalidIDWithoutMessage  = mutant("hpi-invalid-id-without-message", shapes, "A read of an unknown id says nothing about the id.")
	HpiVersionNotIncremented    = mutant("hpi-version-not-incremented", shapes, "An update keeps the version it replaced.")
	HpiUpdateNotSaved           = mutant("hpi-update-not-saved", shapes, "An update answers 200 but changes nothing.")
	HpiPersonRequiredUnchecked  = mutant("hpi-person-required-unchecked", switchesOff, "A role without a practitioner is not refused as such.")
	HpiOrgOrFacilityUnchecked   = mutant("hpi-org-or-facility-unchecked", switchesOff, "A role may lose (or lack) both organisation and facility.")
	HpiCodeRequiredUnchecked    = mutant("hpi-code-required-unchecked", switchesOff, "An update may drop the role code without its documented message.")
	HpiPeriodFormatUnchecked    = mutant("hpi-period-format-unchecked", switchesOff, "On an update, the role's period dates are not checked for the YYYY-MM-DD format.")
	HpiMobileFormatUnchecked    = mutant("hpi-mobile-format-unchecked", switchesOff, "On an update, mobile numbers are not checked.")
	HpiRankUnchecked            = mutant("hpi-rank-unchecked", switchesOff, "On an update, ranks are not checked (0 and repeats accepted).")
	HpiRankNotAssigned          = mutant("hpi-rank-not-assigned", shapes, "On an update, a contact point without a rank gets none.")
	HpiUnknownPersonAccepted    = mutant("hpi-unknown-person-accepted", switchesOff, "A role may be added for a practitioner the HPI does not know.")
	HpiCreateAnswers200         = mutant("hpi-create-answers-200", shapes, "An add answers 200 instead of 201 Created.")
	HpiUnknownIDCreated         = mutant("hpi-unknown-id-created", switchesOff, "An update of an unknown id creates the role.")
	HpiMessagesCorrected        = mutant("hpi-messages-corrected", shapes, `The published messages are "corrected" ("requird" sent as "required").`)

	// The add and update pages, the profile and the examples, each statement
	// (catalogue/statements/HPI-ADD, HPI-UPD, HPI-PROF, HPI-EX) its mutant.
	HpiAddPeriodFormatUnchecked           = mutant("hpi-add-period-format-unchecked", switchesOff, "On an add, the role's period dates are not checked for the YYYY-MM-DD format.")
	HpiAddPeriodOrderUnchecked            = mutant("hpi-add-period-order-unchecked", switchesOff, "On an add, the role's period may start after it ends.")
	HpiAddContactDuplicateAccepted        = mutant("hpi-add-contact-duplicate-accepted", switchesOff, "On an add, two identical contact points are accepted.")
	HpiAddMobileFormatUnchecked           = mutant("hpi-add-mobile-format-unchecked", switchesOff, "On an add, mobile numbers are not checked.")
	HpiAddEmailFormatUnchecked            = mutant("hpi-add-email-format-unchecked", switchesOff, "On an add, email addresses are not checked.")
	HpiAddContactPeriodFormatUnchecked    = mutant("hpi-add-contact-period-format-unchecked", switchesOff, "On an add, contact periods are not checked for the YYYY-MM-DD format.")
	HpiAddContactPeriodOrderUnchecked     = mutant("hpi-add-contact-period-order-unchecked", switchesOff, "On an add, a contact period may start after it ends.")
	HpiAddRankUnchecked                   = mutant("hpi-add-rank-unchecked", switchesOff, "On an add, ranks are not checked (0 and repeats accepted).")
	HpiAddRankNotAssigned                 = mutant("hpi-add-rank-not-assigned", shapes, "On an add, a contact point without a rank gets none.")
	HpiContactPeriodFormatUnchecked       = mutant("hpi-contact-period-format-unchecked", switchesOff, "On an update, contact periods are not checked for the YYYY-MM-DD format.")
	HpiContactPeriodOrderUnchecked        = mutant("hpi-contact-period-order-unchecked", switchesOff, "On an update, a contact period may start after it ends.")
	HpiPeriodPartialDatesAccepted         = mutant("hpi-period-partial-dates-accepted", switchesOff, "The role's period dates are judged as FHIR dates: 2030, 2030-06 and date-times pass.")
	HpiPeriodCalendarUnchecked            = mutant("hpi-period-calendar-unchecked", switchesOff, "The role's period dates are judged by their digits alone: 2030-13-01 and 2030-02-30 pass.")
	HpiContactPeriodPartialDatesAccepted  = mutant("hpi-contact-period-partial-dates-accepted", switchesOff, "Contact period dates are judged as FHIR dates: 2030, 2030-06 and date-times pass.")
	HpiContactPeriodCalendarUnchecked     = mutant("hpi-contact-period-calendar-unchecked", switchesOff, "Contact period dates are judged by their digits alone: 2030-13-01 and 2030-02-30 pass.")
	HpiPeriodEqualRefused                 = mutant("hpi-period-equal-refused", shapes, "A role's period must start before it ends: one day is refused.")
	HpiContactPeriodEqualRefused          = mutant("hpi-contact-period-equal-refused", shapes, "A contact period must start before it ends: one day is refused.")
	HpiMobileLettersAccepted              = mutant("hpi-mobile-letters-accepted", switchesOff, "Mobile numbers may contain letters.")
	HpiMobilePunctuationAccepted          = mutant("hpi-mobile-punctuation-accepted", switchesOff, "Mobile numbers may contain punctuation.")
	HpiMobileNationalAccepted             = mutant("hpi-mobile-national-accepted", switchesOff, "Mobile numbers may begin with 0, in national form without a country code.")
	HpiMobileLengthUnchecked              = mutant("hpi-mobile-length-unchecked", switchesOff, "Mobile numbers may have more than fifteen digits.")
	HpiMobileLimit14                      = mutant("hpi-mobile-limit-14", shapes, "Mobile numbers of fifteen digits are refused.")
	HpiMobileComponentsRefused            = mutant("hpi-mobile-components-refused", shapes, "Mobile numbers entered as separate components are refused.")
	HpiEmailPartsUnchecked                = mutant("hpi-email-parts-unchecked", switchesOff, "An email address needs an @, but no local part before it nor domain part after it.")
	HpiEmailLengthUnchecked               = mutant("hpi-email-length-unchecked", switchesOff, "Email addresses may be longer than 256 characters.")
	HpiEmailLimit255                      = mutant("hpi-email-limit-255", shapes, "Email addresses of 256 characters are refused.")
	HpiEmailLengthInBytes                 = mutant("hpi-email-length-in-bytes", shapes, "An email address's 256 are counted in bytes: 256 characters outside ASCII are refused.")
	HpiEmailASCIIOnly                     = mutant("hpi-email-ascii-only", shapes, "Email addresses outside ASCII are refused.")
	HpiEmailControlsAccepted              = mutant("hpi-email-controls-accepted", switchesOff, "Email addresses may contain control characters.")
	HpiEmailOnlyC0Refused                 = mutant("hpi-email-only-c0-refused", switchesOff, "Of the control characters, only C0 is refused in an email address: DEL and C1 pass.")
	HpiRankZeroAccepted                   = mutant("hpi-rank-zero-accepted", switchesOff, "Rank 0 is accepted.")
	HpiRankNegativeAccepted               = mutant("hpi-rank-negative-accepted", switchesOff, "Ranks below 0 are accepted.")
	HpiRankGapsRefused                    = mutant("hpi-rank-gaps-refused", shapes, "Ranks must run 1, 2, 3 without a gap.")
	HpiAddOverlapAccepted                 = mutant("hpi-add-overlap-accepted", switchesOff, "An add is refused only as an exact duplicate: a role overlapping the same role is added.")
	HpiSameRoleRefusedWhateverPeriod      = mutant("hpi-same-role-refused-whatever-period", shapes, "A role is refused when the same role exists, whether or not their periods meet.")
	HpiFacilityRequired                   = mutant("hpi-facility-required", shapes, "An add without a facility is refused, whatever organisation it names.")
	HpiOrganisationRequired               = mutant("hpi-organisation-required", shapes, "An add without an organisation is refused, whatever facility it names.")
	HpiPeriodRequired                     = mutant("hpi-period-required", shapes, "An add without a period is refused.")
	HpiTelecomRequired                    = mutant("hpi-telecom-required", shapes, "An add without a contact point is refused.")
	HpiAddCodeTextDropped                 = mutant("hpi-add-code-text-dropped", shapes, "An add keeps its role code's coding but not its text.")
	HpiAddEndDropped                      = mutant("hpi-add-end-dropped", shapes, "An add is kept without its period's end date.")
	HpiAddMessagingAddressDropped         = mutant("hpi-add-messaging-address-dropped", shapes, "An add is kept without its messaging address.")
	HpiAddTelecomDropped                  = mutant("hpi-add-telecom-dropped", shapes, "An add is kept without its contact points.")
	HpiAddStatusReasonDropped             = mutant("hpi-add-status-reason-dropped", shapes, "An add is kept without its status reason.")
	HpiCreateNotSaved                     = mutant("hpi-create-not-saved", shapes, "An add answers 201 with an id, but keeps nothing.")
	HpiCreateIDNotNamed                   = mutant("hpi-create-id-not-named", shapes, "An add answers 201 naming no id: none in the body, no Location.")
	HpiCreateVersionNotNamed              = mutant("hpi-create-version-not-named", shapes, "An add answers 201 naming no version: no ETag, no meta.versionId, a Location without _history.")
	HpiAddRefusalsBare                    = mutant("hpi-add-refusals-bare", shapes, "An add's refusals carry no OperationOutcome.")
	HpiAddErrors400                       = mutant("hpi-add-errors-400", shapes, "The add page's errors are answered 400, not 422.")
	HpiAddErrorsWarning                   = mutant("hpi-add-errors-warning", shapes, "The add page's errors are of severity warning, not error.")
	HpiAddErrorsCodeInvalid               = mutant("hpi-add-errors-code-invalid", shapes, "The add page's errors have the code invalid, not processing.")
	HpiUpdateAnswers201                   = mutant("hpi-update-answers-201", shapes, "An update answers 201, not 200.")
	HpiUpdateVersionNotNamed              = mutant("hpi-update-version-not-named", shapes, "An update answers 200 naming no version: no ETag, no meta.versionId.")
	HpiUpdateRefusalsBare                 = mutant("hpi-update-refusals-bare", shapes, "An update's refusals carry no OperationOutcome.")
	HpiUpdateErrors400                    = mutant("hpi-update-errors-400", shapes, "The update page's errors are answered 400, not 422.")
	HpiUpdateErrorsWarning                = mutant("hpi-update-errors-warning", shapes, "The update page's errors are of severity warning, not error.")
	HpiUpdateErrorsCodeInvalid            = mutant("hpi-update-errors-code-invalid", shapes, "The update page's errors have the code invalid, not processing.")
	HpiEndDateNotSaved                    = mutant("hpi-end-date-not-saved", shapes, "An update answers 200 but keeps the end date the role had.")
	HpiContactChangesNotSaved             = mutant("hpi-contact-changes-not-saved", shapes, "An update answers 200 but keeps the contact points the role had.")
	HpiMessagingAddressNotSaved           = mutant("hpi-messaging-address-not-saved", shapes, "An update answers 200 but keeps the messaging address the role had.")
	HpiStatusReasonNotSaved               = mutant("hpi-status-reason-not-saved", shapes, "An update answers 200 but keeps the status reason the role had.")
	HpiStartChangeAccepted                = mutant("hpi-start-change-accepted", switchesOff, "An update may change the period's start.")
	HpiOrganisationChangeAccepted         = mutant("hpi-organisation-change-accepted", switchesOff, "An update may change (or drop) the organisation.")
	HpiFacilityChangeAccepted             = mutant("hpi-facility-change-accepted", switchesOff, "An update may change (or drop) the facility.")
	HpiIdentifierChangeAccepted           = mutant("hpi-identifier-change-accepted", switchesOff, "An update may change the official identifier.")
	HpiCreatorChangeAccepted              = mutant("hpi-creator-change-accepted", switchesOff, "An update may change the extensions but the status reason and messaging address (the creator).")
	HpiResourceElementsChangeAccepted     = mutant("hpi-resource-elements-change-accepted", switchesOff, "An update may change implicitRules, language, contained and modifierExtension.")
	HpiActiveKeptAsSent                   = mutant("hpi-active-kept-as-sent", shapes, "An update keeps the active flag it was sent, whatever the period says.")
	HpiCodeAlwaysRequired                 = mutant("hpi-code-always-required", shapes, "An update without a role code is refused, though the record has none.")
	HpiOrganisationAlwaysRequired         = mutant("hpi-organisation-always-required", shapes, "An update without an organisation is refused, though the record has none.")
	HpiFacilityAlwaysRequired             = mutant("hpi-facility-always-required", shapes, "An update without a facility is refused, though the record has none.")
	HpiPersonInvalidReworded              = mutant("hpi-person-invalid-reworded", shapes, `"hpi-person-id invalid" is answered in other words.`)
	HpiPersonRequiredReworded             = mutant("hpi-person-required-reworded", shapes, `"hpi-person-id is required" is answered in other words.`)
	HpiOrgOrFacilityReworded              = mutant("hpi-org-or-facility-reworded", shapes, `"hpi-organization-id or hpi-facility-id is required" is answered in other words.`)
	HpiDuplicateReworded                  = mutant("hpi-duplicate-reworded", shapes, `"Resource validation error: duplicate" is answered in other words.`)
	HpiAddReasonReworded                  = mutant("hpi-add-reason-reworded", shapes, `"PractitionerRole-status-reason is required" is answered in other words.`)
	HpiUpdateReasonReworded               = mutant("hpi-update-reason-reworded", shapes, `"practitionerRole-status-reason is required" is answered in other words.`)
	HpiPeriodFormatReworded               = mutant("hpi-period-format-reworded", shapes, `"Period is not valid; format must be yyyy-mm-dd" is answered in other words.`)
	HpiPeriodOrderReworded                = mutant("hpi-period-order-reworded", shapes, `"Period start date must be less than, or equal to end date" is answered in other words.`)
	HpiContactDuplicateReworded           = mutant("hpi-contact-duplicate-reworded", shapes, `"The contact point you are creating is a duplicate ..." is answered in other words.`)
	HpiMobileFormatReworded               = mutant("hpi-mobile-format-reworded", shapes, `"The mobile phone format is invalid" is answered in other words.`)
	HpiEmailFormatReworded                = mutant("hpi-email-format-reworded", shapes, `"The email format is invalid" is answered in other words.`)
	HpiContactPeriodFormatReworded        = mutant("hpi-contact-period-format-reworded", shapes, `"Contact period is invalid; format must be yyyy-mm-dd" is answered in other words.`)
	HpiContactPeriodOrderReworded         = mutant("hpi-contact-period-order-reworded", shapes, `"Contact period start date must be less than or equal to ..." is answered in other words.`)
	HpiPractitionerReferenceTypeUnchecked = mutant("hpi-practitioner-reference-type-unchecked", switchesOff, "A role's practitioner may reference another type of resource than a Practitioner.")
	HpiOrganisationReferenceTypeUnchecked = mutant("hpi-organisation-reference-type-unchecked", switchesOff, "A role's organisation may reference another type of resource than an Organization.")
	HpiFacilityReferenceTypeUnchecked     = mutant("hpi-facility-reference-type-unchecked", switchesOff, "A role's facility may reference another type of resource than a Location.")
	HpiSpecialtyKept                      = mutant("hpi-specialty-kept", switchesOff, "A role may have a specialty, which the profile removes.")
	HpiHealthcareServiceKept              = mutant("hpi-healthcare-service-kept", switchesOff, "A role may have healthcare services, which the profile removes.")
	HpiAvailableTimeKept                  = mutant("hpi-available-time-kept", switchesOff, "A role may have available times, which the profile removes.")
	HpiNotAvailableKept                   = mutant("hpi-not-available-kept", switchesOff, "A role may have not-available times, which the profile removes.")
	HpiAvailabilityExceptionsKept         = mutant("hpi-availability-exceptions-kept", switchesOff, "A role may have availability exceptions, which the profile removes.")
	HpiEndpointKept                       = mutant("hpi-endpoint-kept", switchesOff, "A role may have endpoints, which the profile removes.")
	HpiSecondLocationKept                 = mutant("hpi-second-location-kept", switchesOff, "A role may have two locations; the profile allows one.")
	HpiSecondCodeKept                     = mutant("hpi-second-code-kept", switchesOff, "A role may have two role codes; the profile allows one.")
	HpiSecondMessagingAddressKept         = mutant("hpi-second-messaging-address-kept", switchesOff, "A role may have two messaging addresses; the profile allows one.")
	HpiContactUseUnbound                  = mutant("hpi-contact-use-unbound", switchesOff, "A contact point's use may be any text.")
	HpiRoleCodeUnbound                    = mutant("hpi-role-code-unbound", switchesOff, "A role code may be any code of any system.")
	HpiOfficialIdentifierRepeated         = mutant("hpi-official-identifier-repeated", shapes, "An update adds the official identifier again to those sent: the role has two.")
	HpiOfficialIdentifierSystemWrong      = mutant("hpi-official-identifier-system-wrong", shapes, "The official identifier is issued in another system than hpi-practitionerrole-id.")
	HpiOfficialIdentifierUseUsual         = mutant("hpi-official-identifier-use-usual", shapes, "The hpi-practitionerrole-id identifier is issued with use usual, not official.")
	HpiOfficialIdentifierTyped            = mutant("hpi-official-identifier-typed", shapes, "The official identifier is issued with a type, which the profile removes.")
	HpiOfficialIdentifierPeriod           = mutant("hpi-official-identifier-period", shapes, "The official identifier is issued with a period, which the profile removes.")
	HpiEndedRoleActive                    = mutant("hpi-ended-role-active", shapes, "A role whose period has ended is kept active.")
	HpiEndedRoleAddRefused                = mutant("hpi-ended-role-add-refused", shapes, "An add of a role whose period has already ended is refused.")
	HpiContactPeriodsBoundByRole          = mutant("hpi-contact-periods-bound-by-role", shapes, "A contact point's period must lie within the role's: the published examples are refused.")
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
