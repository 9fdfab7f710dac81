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
	// A001.
	ErsCreateMoved                = mutant("ers-create-moved", shapes, "A001 is served on PUT, not POST, at /v1/ProfessionalSession.")
	ErsCreateAsidNotRequired      = mutant("ers-create-asid-not-required", switchesOff, "A001 accepts a request that has no XAPI_ASID header.")
	ErsCreateAnyASID              = mutant("ers-create-any-asid", switchesOff, "A001 accepts an XAPI_ASID that was never issued.")
	ErsCreateTypeInfoRequired     = mutant("ers-create-typeinfo-required", shapes, "A001 refuses (422) a body that carries the token alone, without typeInfo.")
	ErsCreateTokenNotRequired     = mutant("ers-create-token-not-required", switchesOff, "A001 opens a session (the first fixture user's) for a body with no token.")
	ErsCreateLenientJSON          = mutant("ers-create-lenient-json", shapes, "A001 reads a body that is a JSON list as its first element.")
	ErsCreateValidation500        = mutant("ers-create-validation-500", shapes, "A001 answers its validation refusals (422) with 500.")
	ErsCreate422WithoutOutcome    = mutant("ers-create-422-without-outcome", shapes, "A001's 422 answers carry no OperationOutcome.")
	ErsCreateRefusals200          = mutant("ers-create-refusals-200", shapes, "A001 answers its refusals 200, the OperationOutcome in the body.")
	ErsUnknownTokenAccepted       = mutant("ers-unknown-token-accepted", switchesOff, "A001 opens a session (the first fixture user's) for a token no smartcard issued.")
	ErsUnknownToken401            = mutant("ers-unknown-token-401", shapes, "A001 refuses a token no smartcard issued with 401, not 403 or 422.")
	ErsCreateAnswers200           = mutant("ers-create-answers-200", shapes, "A001 answers 200 instead of the documented 201 Created.")
	ErsCreateAnswerNotJSON        = mutant("ers-create-answer-not-json", shapes, "A001 labels the session it answers text/plain, not application/json.")
	ErsCreatePermissionSet        = mutant("ers-create-permission-set", shapes, "A001 returns a session with a permission already selected.")
	ErsCreateExtraPermission      = mutant("ers-create-extra-permission", shapes, "A001 lists a permission the user does not hold.")
	ErsCreateUndocumentedFunction = mutant("ers-create-undocumented-function", shapes, "A001 lists a permission whose business function is outside the value set.")
	ErsCreatePermissionOrgWrong   = mutant("ers-create-permission-org-wrong", shapes, "A001 lists the user's last permission at another organisation than the one it is held at.")
	ErsUserIdentifierWrong        = mutant("ers-user-identifier-wrong", shapes, "A001 names the user with the wrong identifier.")
	ErsUserIdentifierShared       = mutant("ers-user-identifier-shared", shapes, "A001 names every user with the first fixture user's identifier.")

	// The ProfessionalSession model (models.md), in A001 and A002 answers.
	ErsSessionTypeInfoWrong                      = mutant("ers-session-typeinfo-wrong", shapes, "Sessions are answered with a typeInfo other than the documented one.")
	ErsSessionWithoutID                          = mutant("ers-session-without-id", shapes, "Sessions are answered without id.")
	ErsSessionWithoutToken                       = mutant("ers-session-without-token", shapes, "Sessions are answered without token.")
	ErsSessionWithoutUser                        = mutant("ers-session-without-user", shapes, "Sessions are answered without user.")
	ErsSessionPermissionOmittedWhenNull          = mutant("ers-session-permission-omitted-when-null", shapes, "Sessions with no role selected are answered without the permission field, not with null.")
	ErsUserWithoutIdentifier                     = mutant("ers-user-without-identifier", shapes, "Sessions are answered without user.identifier.")
	ErsUserWithoutFirstName                      = mutant("ers-user-without-first-name", shapes, "Sessions are answered without user.firstName.")
	ErsUserWithoutLastName                       = mutant("ers-user-without-last-name", shapes, "Sessions are answered without user.lastName.")
	ErsUserMiddleNameOmittedWhenNull             = mutant("ers-user-middle-name-omitted-when-null", shapes, "Sessions of a user with no middle name are answered without user.middleName, not with null.")
	ErsUserWithoutPermissions                    = mutant("ers-user-without-permissions", shapes, "Sessions are answered without user.permissions.")
	ErsSelectedPermissionWithoutBusinessFunction = mutant("ers-selected-permission-without-business-function", shapes, "A002 answers the selected permission without its businessFunction.")
	ErsSelectedPermissionWithoutOrgIdentifier    = mutant("ers-selected-permission-without-org-identifier", shapes, "A002 answers the selected permission without its orgIdentifier.")
	ErsPermissionsWithoutOrgName                 = mutant("ers-permissions-without-org-name", shapes, "Sessions are answered with permissions (listed and selected) that have no orgName.")

	// A002.
	ErsSelectMoved                 = mutant("ers-select-moved", shapes, "A002 is served on POST, not PUT, at /v1/ProfessionalSession/{sessionKey}.")
	ErsSelectAsidNotRequired       = mutant("ers-select-asid-not-required", switchesOff, "A002 accepts a request that has no XAPI_ASID header.")
	ErsSelectAnyASID               = mutant("ers-select-any-asid", switchesOff, "A002 accepts an XAPI_ASID that was never issued.")
	ErsSelectSessionKeyNotRequired = mutant("ers-select-session-key-not-required", switchesOff, "A002 takes the session key from the path when the header is missing.")
	ErsSelectKeyMismatchAccepted   = mutant("ers-select-key-mismatch-accepted", switchesOff, "A002 acts on the session of the path when the header names another session.")
	ErsSelectPermissionNotRequired = mutant("ers-select-permission-not-required", switchesOff, "A002 selects the user's first permission when the body names none.")
	ErsSelectLenientJSON           = mutant("ers-select-lenient-json", shapes, "A002 reads a body that lacks the commas between its members as if they were there.")
	ErsSelectValidation500         = mutant("ers-select-validation-500", shapes, "A002 answers its validation refusals (422) with 500.")
	ErsSelect422WithoutOutcome     = mutant("ers-select-422-without-outcome", shapes, "A002's 422 answers carry no OperationOutcome.")
	ErsSelectRefusals200           = mutant("ers-select-refusals-200", shapes, "A002 answers its refusals 200, the OperationOutcome in the body.")
	ErsSelectOrgNameRequired       = mutant("ers-select-orgname-required", shapes, "A002 refuses (422) a permission named by its business function and organisation without its orgName.")
	ErsUnknownFunctionAccepted     = mutant("ers-unknown-function-accepted", switchesOff, "A002 applies a business function outside the value set.")
	ErsUnknownKeySelectAccepted    = mutant("ers-unknown-key-select-accepted", switchesOff, "A002 answers 200 for a session key never issued.")
	ErsRoleNotHeldAccepted         = mutant("ers-role-not-held-accepted", switchesOff, "A002 accepts a permission the user does not hold.")
	ErsRoleOrgUnchecked            = mutant("ers-role-org-unchecked", switchesOff, "A002 accepts a business function the user holds at any organisation, at an organisation where they do not hold it.")
	ErsRoleNotHeld401              = mutant("ers-role-not-held-401", shapes, "A002 refuses a permission the user does not hold with 401, not 403 or 422.")
	ErsSelectAnswers201            = mutant("ers-select-answers-201", shapes, "A002 answers 201 instead of 200.")
	ErsSelectPermissionIgnored     = mutant("ers-select-permission-ignored", shapes, "A002 answers 200 but selects nothing.")
	ErsSelectDropsPermissions      = mutant("ers-select-drops-permissions", shapes, "A002 answers with only the selected permission listed.")
	ErsSelectRekeys                = mutant("ers-select-rekeys", shapes, "A002 moves the session to a new key, which it answers as the id: the A001 id names no session any more.")

	// A003, and what A002 and A003 share.
	ErsDeleteMoved                   = mutant("ers-delete-moved", shapes, "A003 is served on POST, not DELETE, at /v1/ProfessionalSession/{sessionKey}.")
	ErsDeleteAsidNotRequired         = mutant("ers-delete-asid-not-required", switchesOff, "A003 accepts a request that has no XAPI_ASID header.")
	ErsDeleteAnyASID                 = mutant("ers-delete-any-asid", switchesOff, "A003 accepts an XAPI_ASID that was never issued.")
	ErsDeleteSessionKeyNotRequired   = mutant("ers-delete-session-key-not-required", switchesOff, "A003 takes the session key from the path when the header is missing.")
	ErsDeleteKeyMismatchAccepted     = mutant("ers-delete-key-mismatch-accepted", switchesOff, "A003 closes the session of the path when the header names another session.")
	ErsDeleteMismatchClosesHeaderKey = mutant("ers-delete-mismatch-closes-header-session", shapes, "A003 refuses a header naming another session than the path, but closes the header's session first.")
	ErsUnknownKeyDeleteAccepted      = mutant("ers-unknown-key-delete-accepted", switchesOff, "A003 answers 204 for a session key never issued.")
	ErsUnknownKey400                 = mutant("ers-unknown-key-400", shapes, "A002 and A003 refuse a session key never issued with 400, not 403, 404 or 422.")
	ErsUnknownKey410                 = mutant("ers-unknown-key-410", shapes, "A002 and A003 refuse a session key never issued with 410 Gone, as if it had been deleted.")
	ErsDeleteAnswers200              = mutant("ers-delete-answers-200", shapes, "A003 answers 200 instead of 204.")
	ErsBodyOn204                     = mutant("ers-body-on-204", shapes, "A003 answers 204 with a body.")
	ErsDeletedSessionUsable          = mutant("ers-deleted-session-usable", shapes, "A003 answers 204 but the session stays usable.")
	ErsPatchAccepted                 = mutant("ers-patch-accepted", shapes, "PATCH on a session is answered 200.")

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

// MutantSays is what the server does when the mutant is selected; "" for an unknown one.
func MutantSays(m Mutant) string {
	i := slices.IndexFunc(mutantTable, func(e mutantEntry) bool { return e.name == m })
	if i < 0 {
		return ""
	}
	return mutantTable[i].says
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

// The mutants of the general page's request rules, each stated for every
// request and so broken on one operation at a time, and of what every HPI
// answer promises (general-request-rules.md, get-practitionerrole.md).
var (
	HpiUseridNotRequiredOnRead      = mutant("hpi-userid-not-required-on-read", switchesOff, "A read without a userid header is served.")
	HpiUseridNotRequiredOnCreate    = mutant("hpi-userid-not-required-on-create", switchesOff, "An add without a userid header is served.")
	HpiUseridNotRequiredOnUpdate    = mutant("hpi-userid-not-required-on-update", switchesOff, "An update without a userid header is served.")
	HpiUseridRefused403             = mutant("hpi-userid-refused-403", shapes, "A request without a userid header is refused 403, not the documented 401.")
	HpiUseridRefusalCodeLogin       = mutant("hpi-userid-refusal-code-login", shapes, `The missing-userid refusal's issue has code "login", not the documented Processing.`)
	HpiUseridMessageChanged         = mutant("hpi-userid-message-changed", shapes, `The missing-userid refusal says "userid header required", not the documented message.`)
	HpiTokenNotCheckedOnRead        = mutant("hpi-token-not-checked-on-read", switchesOff, "A read is served with any bearer token, or none.")
	HpiTokenNotCheckedOnCreate      = mutant("hpi-token-not-checked-on-create", switchesOff, "An add is served with any bearer token, or none.")
	HpiTokenNotCheckedOnUpdate      = mutant("hpi-token-not-checked-on-update", switchesOff, "An update is served with any bearer token, or none.")
	HpiTokenRefused403              = mutant("hpi-token-refused-403", shapes, "A missing or unknown access token is refused 403, not the documented 401 Unauthorized.")
	HpiAPIKeyNotRequiredOnRead      = mutant("hpi-api-key-not-required-on-read", switchesOff, "A read without an x-api-key is served.")
	HpiAPIKeyNotRequiredOnCreate    = mutant("hpi-api-key-not-required-on-create", switchesOff, "An add without an x-api-key is served.")
	HpiAPIKeyNotRequiredOnUpdate    = mutant("hpi-api-key-not-required-on-update", switchesOff, "An update without an x-api-key is served.")
	HpiAPIKeyPresenceOnly           = mutant("hpi-api-key-presence-only", switchesOff, "Any x-api-key is accepted, even one never issued.")
	HpiAPIKeyRefused401             = mutant("hpi-api-key-refused-401", shapes, "A request without an x-api-key is refused 401, not the documented 403 Forbidden.")
	HpiWriteScopeNotCheckedOnCreate = mutant("hpi-write-scope-not-checked-on-create", switchesOff, "A token without the write scope may add a role.")
	HpiWriteScopeNotCheckedOnUpdate = mutant("hpi-write-scope-not-checked-on-update", switchesOff, "A token without the write scope may update a role.")
	HpiReadScopeRefused             = mutant("hpi-read-scope-refused", shapes, "A read scope alone opens no read: the server wants pracrole:write beside it.")
	HpiSmartReadScopeRefused        = mutant("hpi-smart-read-scope-refused", shapes, "system/PractitionerRole.r does not open a read: only the version 1 scopes are supported.")
	HpiWriteScopeRefusedOnCreate    = mutant("hpi-write-scope-refused-on-create", shapes, "A write scope alone opens no add: the server wants pracrole:read beside it.")
	HpiSmartCreateScopeRefused      = mutant("hpi-smart-create-scope-refused", shapes, "system/PractitionerRole.c does not open an add: only the version 1 scopes are supported.")
	HpiWriteScopeRefusedOnUpdate    = mutant("hpi-write-scope-refused-on-update", shapes, "A write scope alone opens no update: the server wants pracrole:read beside it.")
	HpiSmartUpdateScopeRefused      = mutant("hpi-smart-update-scope-refused", shapes, "system/PractitionerRole.u does not open an update: only the version 1 scopes are supported.")
	HpiUseridRefusalBare            = mutant("hpi-userid-refusal-bare", shapes, "The missing-userid refusal carries no OperationOutcome.")
	HpiReadRouteMissing             = mutant("hpi-read-route-missing", shapes, "GET /PractitionerRole/{id} is not served: every read that passes the gateway is answered 405.")
	HpiClientSecretNotChecked       = mutant("hpi-client-secret-not-checked", switchesOff, "The token endpoint grants a token for a known client id whatever the secret.")
	HpiCorrelationIDReplacedOnRead  = mutant("hpi-correlation-id-replaced-on-read", shapes, "A read's answer carries an X-Correlation-Id of the server's, not the one sent.")
	HpiCorrelationIDReplacedOnAdd   = mutant("hpi-correlation-id-replaced-on-create", shapes, "An add's answer carries an X-Correlation-Id of the server's, not the one sent.")
	HpiCorrelationIDReplacedOnUpd   = mutant("hpi-correlation-id-replaced-on-update", shapes, "An update's answer carries an X-Correlation-Id of the server's, not the one sent.")
	HpiCorrelationIDDroppedOnRefuse = mutant("hpi-correlation-id-dropped-on-refusal", shapes, "The refusals of the rules every request obeys do not return the X-Correlation-Id.")
	HpiRequestIDMissingOnRead       = mutant("hpi-request-id-missing-on-read", shapes, "A read's answer has no X-Request-Id.")
	HpiRequestIDMissingOnCreate     = mutant("hpi-request-id-missing-on-create", shapes, "An add's answer has no X-Request-Id.")
	HpiRequestIDMissingOnUpdate     = mutant("hpi-request-id-missing-on-update", shapes, "An update's answer has no X-Request-Id.")
	HpiRequestIDMissingOnRefusal    = mutant("hpi-request-id-missing-on-refusal", shapes, "The refusals of the rules every request obeys have no X-Request-Id.")
	HpiRequestIDRepeated            = mutant("hpi-request-id-repeated", shapes, "Every answer carries the same X-Request-Id.")
	HpiReadAnswerNotJSON            = mutant("hpi-read-answer-not-json", shapes, "A read's answer is declared text/plain.")
	HpiCreateAnswerNotJSON          = mutant("hpi-create-answer-not-json", shapes, "An add's answer is declared text/plain.")
	HpiUpdateAnswerNotJSON          = mutant("hpi-update-answer-not-json", shapes, "An update's answer is declared text/plain.")
	HpiRefusalNotJSON               = mutant("hpi-refusal-not-json", shapes, "The refusals of the rules every request obeys are declared text/plain.")
	HpiContentTypeUncheckedOnCreate = mutant("hpi-content-type-unchecked-on-create", switchesOff, "An add is read as JSON whatever format its Content-Type declares.")
	HpiContentTypeUncheckedOnUpdate = mutant("hpi-content-type-unchecked-on-update", switchesOff, "An update is read as JSON whatever format its Content-Type declares.")
	HpiOfficialIDDiffers            = mutant("hpi-official-id-differs", shapes, "A read answers a role whose official identifier is not its id (and takes the role back so).")
	HpiCreatedOfficialIDDiffers     = mutant("hpi-created-official-id-differs", shapes, "An add's answer carries the new role with an official identifier that is not its id.")
	HpiUpdatedOfficialIDDiffers     = mutant("hpi-updated-official-id-differs", shapes, "An update's answer carries the role with an official identifier that is not its id.")
	HpiOfficialIDTwice              = mutant("hpi-official-id-twice", shapes, "A read answers a role with a second official identifier (and takes the role back so).")
	HpiReadContained                = mutant("hpi-read-contained", shapes, "A read answers the role with its practitioner contained, unasked (and ignores contained on input).")
	HpiCreatedContained             = mutant("hpi-created-contained", shapes, "An add's answer carries the new role with its practitioner contained, unasked.")
	HpiUpdatedContained             = mutant("hpi-updated-contained", shapes, "An update's answer carries the role with its practitioner contained, unasked.")
	HpiReadAnswersEmpty             = mutant("hpi-read-answers-empty", shapes, "A read of a known role answers 200 with no body.")
	HpiUnknownIDReadAccepted        = mutant("hpi-unknown-id-read-accepted", switchesOff, "A read of an id the HPI never issued answers 200.")
	HpiInvalidIDAnswers400          = mutant("hpi-invalid-id-answers-400", shapes, "A read of an unknown id is refused 400, not the documented 404.")
	HpiInvalidIDCodeNotFound        = mutant("hpi-invalid-id-code-not-found", shapes, `A read of an unknown id is refused with issue code "not-found", not the documented Processing.`)
	HpiInvalidIDWithoutOutcome      = mutant("hpi-invalid-id-without-outcome", shapes, "A read of an unknown id is refused 404 with no OperationOutcome.")
	HpiETagNotVersion               = mutant("hpi-etag-not-version", shapes, "A read's ETag is a hash of the role, not its version number.")
	HpiStaleVersionWithoutCode      = mutant("hpi-stale-version-without-code", shapes, `An out-of-date update is refused 409 saying "Version conflict", without EM07106 or its text.`)
	HpiStaleVersionCodeConflict     = mutant("hpi-stale-version-code-conflict", shapes, `EM07106 is answered with issue code "conflict", not the documented processing.`)
	HpiOutcomeForeignSystem         = mutant("hpi-outcome-foreign-system", shapes, "Coded refusals name a code system other than the documented hip-operation-outcome-details-code.")
)
