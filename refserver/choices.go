package refserver

import (
	"slices"
)

// Choice names a behaviour the docs allow, taken the other way from the
// server's default: another documented status, another allowed form of an
// answer. A choice breaks no rule, so every scenario must still pass; one
// that fails asserts more than the docs. Choices are kept apart from
// mutants, which break a rule on purpose.
type Choice string

type choiceEntry struct {
	name Choice
	says string // what the server then does, and the page line that allows it
}

// choiceTable is every choice, in the order declared below; choice fills it.
var choiceTable []choiceEntry

func choice(name, says string) Choice {
	choiceTable = append(choiceTable, choiceEntry{Choice(name), says})
	return Choice(name)
}

// The choices, one a line: its name, and what the server then does, with
// the page (spec path:line) that allows it. Each API's installs are in
// ers_choices.go and hpi_choices.go.
var (
	ersMissingHeader400   = choice("ers-missing-header-400", `A request without XAPI_ASID or HTTP_X_SESSION_KEY is refused 400, not 403 (ers/error-messages.md:12, 400: "The data received was malformed (e.g. missing/incorrect fields)").`)
	ersUnknownToken422    = choice("ers-unknown-token-422", `A token no smartcard issued is refused 422, not 403 (ers/A001-create-professional-session.md:130, 422: "Provided data could not be processed due to a validation error").`)
	ersBodyRefusals400    = choice("ers-body-refusals-400", `Every A001 or A002 body that cannot be used (not JSON, no token, no permission) is refused 400 (ers/error-messages.md:12: "malformed (e.g. missing/incorrect fields)").`)
	ersBodyRefusals422    = choice("ers-body-refusals-422", `Every A001 or A002 body that cannot be used, JSON or not, is refused 422 (ers/error-messages.md:20: "The data received failed validation and could not be processed").`)
	ersRoleNotHeld422     = choice("ers-role-not-held-422", `A permission the user does not hold is refused 422, not 403 (ers/error-messages.md:20: "failed validation"; A002-later-revision.md:71: with an OperationOutcome).`)
	ersUnknownFunction403 = choice("ers-unknown-function-403", `A business function outside the value set is refused 403, not 422 (ers/error-messages.md:13: "due to their business function not being authorised").`)
	ersUnknownKey403      = choice("ers-unknown-key-403", `A session key e-RS never issued is refused 403, not 404 (ers/error-messages.md:13: "not authorised to perform the requested action").`)
	ersClosedSession404   = choice("ers-closed-session-404", `A closed session's key is refused 404, not 410 (ers/error-messages.md:14: the resource "does not exist"; A003-delete-professional-session.md:66: "the associate Session ID will become invalid").`)
	ersClosedSession403   = choice("ers-closed-session-403", `A closed session's key is refused 403, not 410 (ers/error-messages.md:13; A003-delete-professional-session.md:66).`)
	ersSelectNewID        = choice("ers-select-answers-new-id", `A002 answers with a new id and token, as the published A002 example differs from A001's (ers/A002_Response.json:3-4, A001_Response.json:3-4); the session key stays the A001 id (A002-professional-session-select-role.md:128).`)
	ersNoTypeInfo         = choice("ers-no-typeinfo", `Sessions are answered without typeInfo, a field models.md does not list (ers/models.md:16-21).`)
	ersBareRefusals       = choice("ers-bare-refusals", `Refusals other than 422 carry no body (ers/A001-later-revision.md:86, A002-later-revision.md:71: an OperationOutcome "where status code 422 ... is returned").`)
	ersUnissuedASID422    = choice("ers-unissued-asid-422", `An XAPI_ASID that was never issued is refused 422, not 403 (ers/error-messages.md:20, 422: "The data received failed validation").`)
	ersKeyMismatch400     = choice("ers-key-mismatch-400", `A session key header naming another session than the path is refused 400, not 403 (ers/error-messages.md:12, 400: "malformed (e.g. missing/incorrect fields)").`)
	ersDeleteNeedsRole    = choice("ers-delete-needs-role", `A003 refuses (403) to close a session that has no role selected (ers/A001-create-professional-session.md:120: "The session will not be usable until a permission/role has been selected"; docs/spec-defects.md D-ERS-09).`)
	ersGzipAnswers        = choice("ers-gzip-answers", `Answers with a body are gzip-compressed when the request's Accept-Encoding allows it (ers/A001-create-professional-session.md:28: "Accept-Encoding:gzip,deflate").`)

	hpiStaleVersion412    = choice("hpi-stale-version-412", `An update carrying an out-of-date version is refused 412, not 409 (README.md:49-51, FHIR R4 3.1.0.5: "the server answers 412 Precondition Failed").`)
	hpiIfMatchMissing400  = choice("hpi-if-match-missing-400", `An update without If-Match is refused 400, not 428 (hpi/general-request-rules.md:299-302: "Mandatory - PracRole update only", with no error; README.md:52: a server "may insist on If-Match").`)
	hpiWriteScope401      = choice("hpi-write-scope-401", `A token without the scope an operation needs is refused 401, not 403 (hpi/general-request-rules.md:210-211 list "Unauthorized" (HTTP 401) and "Forbidden, HTTP403" with no case attached).`)
	hpiUnknownID422       = choice("hpi-unknown-id-422", `An update of an id the HPI never issued is refused 422, not 404 (hpi/update-practitionerrole.md:154 gives the rule no error; the page's errors, 163-168, are all HTTP 422).`)
	hpiIDMismatch422      = choice("hpi-id-mismatch-422", `An update whose resource names another id, or none, is refused 422, not FHIR's 400 (hpi/update-practitionerrole.md:151: an update "can only modify contact point, messaging address and period end-date", with the page's errors all HTTP 422; D-HPI-70).`)
	hpiInvalidIDPublished = choice("hpi-invalid-id-as-published", `A read of an id the HPI never issued says "Invalid id: " exactly as published, without the id (hpi/get-practitionerrole.md:34).`)
	hpiAddPageErrors400   = choice("hpi-period-contact-errors-400", `The add page's period and contact errors, and the rank errors, are refused 400 with issue code "invalid", not 422 and "processing" (hpi/add-practitionerrole.md:46-48 and 66-71 give a message alone; 64 gives rank none).`)
	hpiReasonAddSpelling  = choice("hpi-reason-message-add-spelling", `An update with an end date and no status reason is refused "PractitionerRole-status-reason is required", the add page's spelling (hpi/update-practitionerrole.md:172-173 points to the add page for the period end-date rules and errors; add-practitionerrole.md:38).`)
	hpiBareAuthRefusals   = choice("hpi-bare-auth-refusals", `The 401 and 403 of a missing or invalid token, API key or scope carry no body (hpi/general-request-rules.md:215: "Error responses may contain a FHIR operation outcome").`)
	hpiCreateLocationOnly = choice("hpi-create-location-only", `An add is answered 201 with the new role's Location and no body (hpi/add-practitionerrole.md:14-15: an id is issued and "HTTP 201 Created" confirms it; no body is documented).`)
	hpiCreateBodyOnly     = choice("hpi-create-body-only", `An add is answered 201 with the new role in the body and no Location (hpi/add-practitionerrole.md:14-15).`)
	hpiUpdateWithoutBody  = choice("hpi-update-without-body", `An update is answered 200 with no body (hpi/update-practitionerrole.md:23: "confirms a successful update – HTTP 200 ok").`)
	hpiETagStrong         = choice("hpi-etag-strong", `ETags are strong, "3", not W/"3" (README.md:53: both forms name the version; hpi/general-request-rules.md:325-327: "The resource version number").`)
	hpiReferenceDisplay   = choice("hpi-reference-display", `References are answered with a display, and a display sent is the server's to keep or drop (hpi/general-request-rules.md:107-111: the reference example carries "display").`)
	hpiNarrative          = choice("hpi-adds-narrative", `Roles are answered with a narrative (text) the server generates, and a text sent is ignored (hpi/profile-HpiPractitionerRole.fsh:51-64 removes elements from the profile, not the narrative of a FHIR resource).`)
	hpiCreator            = choice("hpi-adds-creator", `An added role gets the practitionerRole-creator extension, naming the userid as the person who created it (hpi/profile-HpiPractitionerRole.fsh:49; examples-practitionerRole.fsh:11-15).`)
	hpiOutcomeUncoded     = choice("hpi-outcome-uncoded", `EM07106 is answered in the older format: its text as diagnostics, no code (hpi/general-request-rules.md:238-247: "not all errors have been converted or assigned error codes, the unconverted errors use" diagnostics).`)
	hpiOutcomeCoded       = choice("hpi-outcome-coded", `Every refusal is answered in the coded format: the server's own code, the documented message as its display (hpi/general-request-rules.md:216-234: "We're transitioning to the following operation outcome").`)
	// The add and update pages and the profile.
	hpiOwnedElementsIgnored   = choice("hpi-owned-elements-ignored", `An update keeps the official identifier, the creator, implicitRules, language, contained and modifierExtension the role had, whatever it sent, instead of refusing a change (hpi/update-practitionerrole.md:152: an update "can only modify" the rest; the role must not change, refusing is not said; D-HPI-48).`)
	hpiProfileBreachesDropped = choice("hpi-profile-breaches-dropped", `What the profile does not allow is dropped and the rest kept, instead of refusing the role: the elements it removes, a second location, role code or messaging address, a contact point use or role code outside its value set (hpi/profile-HpiPractitionerRole.fsh:42: it describes the role "that will be returned by the HPI"; D-HPI-48).`)
)

// Choices lists every choice the server knows, sorted.
func Choices() []Choice {
	all := make([]Choice, 0, len(choiceTable))
	for _, c := range choiceTable {
		all = append(all, c.name)
	}
	slices.Sort(all)
	return all
}

// ChoiceSays is the choice's sentence: what the server does, and why the docs allow it.
func ChoiceSays(c Choice) string {
	i := slices.IndexFunc(choiceTable, func(e choiceEntry) bool { return e.name == c })
	if i < 0 {
		return ""
	}
	return choiceTable[i].says
}

// ParseChoices reads a comma-separated list of choice names.
func ParseChoices(list string) ([]Choice, error) {
	return parseNames(list, "choice", isChoice, Choices())
}

func isChoice(c Choice) bool { return ChoiceSays(c) != "" }

// choiceSet is the choices a server was built with.
type choiceSet map[Choice]bool

func newChoiceSet(cs []Choice) (choiceSet, error) {
	return setOf(cs, "choice", isChoice)
}

// adoption installs a choice in one API: it adds to the API's hooks, as a shape does.
type adoption[API any] = installer[Choice, API]

// refusedBy changes the refusals of the rules named (by catalogue id); the
// problem is copied, as refusals may be shared.
func refusedBy(rules []string, f func(an *answer, p *problem)) func(*answer) {
	return func(an *answer) {
		if p, ok := an.body.(*problem); ok && slices.Contains(rules, p.rule) {
			copied := *p
			an.body = &copied
			f(an, &copied)
		}
	}
}

// restatus answers the refusals of the rules named with another status.
func restatus(status int, rules ...string) func(*answer) {
	return refusedBy(rules, func(an *answer, _ *problem) { an.status = status })
}

// The choices the general page's request rules and answer promises leave
// (general-request-rules.md); installed by hpiPromiseChoices.
var (
	hpiFHIRJSONAnswers     = choice("hpi-fhir-json-answers", `Every HPI answer with a body is declared application/fhir+json; charset=utf-8, not application/json (hpi/general-request-rules.md:8: "Only Json is supported"; a +json type is JSON, RFC 6839).`)
	hpiUnsupportedMedia400 = choice("hpi-unsupported-media-400", `A body declared in a format other than JSON is refused 400, not 415 (hpi/general-request-rules.md:8 and 289-292 give the rule no error).`)
)
