package refserver

import "slices"

// gatewayCall is an HPI request as the rules of every call see it.
type gatewayCall struct {
	api        *hpiAPI
	operation  string // read, create or update
	apiKey     string
	userid     string
	grant      grant
	tokenValid bool // the bearer token is one the token endpoint issued, unexpired
}

// roleCall is a PractitionerRole request, and the records it bears on, as the rules see it.
type roleCall struct {
	api            *hpiAPI
	userid         string     // add, update: the userid header
	id             string     // read, update: the id of the path
	ifMatch        string     // update: the If-Match header as sent
	version        int        // update: the version If-Match names; -1 when none
	bodyErr        error      // add, update: why the body could not be decoded
	role           resource   // add, update: the role as sent
	current        resource   // read, update: the record of that id; nil when there is none
	currentVersion int        // its version
	others         []resource // add, update: every other record
	point          int        // for the contact rules: which contact point they judge
}

type roleRule = rule[*roleCall]

// gatewayRules apply to every HPI call, in the order a gateway meets them
// (general-request-rules.md).
var gatewayRules = []rule[*gatewayCall]{
	{id: "HPI-REQ-api-key", says: "API Keys and Usage Plans: a request carries an issued x-api-key (403 Forbidden).",
		check: apiKeyIssued, off: []Mutant{HpiAPIKeyNotRequired}},
	{id: "usage-plan", says: "API Keys and Usage Plans: a key makes no more requests than its plan allows (429).",
		check: withinPlan},
	{id: "HPI-REQ-access-token", says: "Security, OAUTH2: a request carries a valid bearer access token (401).",
		check: tokenGiven, off: []Mutant{HpiTokenNotChecked}},
	{id: "HPI-REQ-userid-required", says: `Request Rules and Errors: a request carries a userid header (401 "Authentication: missing userid header").`,
		check: useridGiven, off: []Mutant{HpiUseridNotRequired}},
	{id: "HPI-SEC-write-scope", says: "Scopes: the token grants a scope that opens the operation (403 Forbidden).",
		check: scopeGranted, off: []Mutant{HpiScopeNotChecked}},
}

// readRules are get-practitionerrole.md's.
var readRules = []roleRule{
	{id: "HPI-GET-invalid-id", says: `Get PractitionerRole rules: a read must include a valid hpi-practitionerrole-id (404 "Invalid id: ").`,
		check: recordExists},
}

// jsonRole: general-request-rules.md, Resource representation: Json.
var jsonRole = roleRule{id: "json-resource", says: "Resource representation: Json: the body is a PractitionerRole resource in JSON.",
	check: roleInBody}

// addRules are add-practitionerrole.md's, and its period and contact rules.
var addRules = slices.Concat([]roleRule{
	jsonRole,
	{id: "HPI-ADD-person-required", says: `Add rules: an add request must include an hpi-person-id ("hpi-person-id is required").`,
		check: personGiven, off: []Mutant{HpiPersonRequiredUnchecked}},
	{id: "HPI-ADD-person-valid", says: `Add rules: the hpi-person-id is a valid one ("hpi-person-id invalid").`,
		check: personKnown, off: []Mutant{HpiUnknownPersonAccepted}},
	{id: "HPI-ADD-org-or-facility", says: "Add rules: an add request must include an hpi-facility-id and/or hpi-organisation-id.",
		check: orgOrFacilityGiven, off: []Mutant{HpiOrgOrFacilityUnchecked}},
}, periodRules, []roleRule{
	{id: "HPI-ADD-end-needs-reason", says: "Add rules: a PractitionerRole-status-reason is mandatory when a period end-date is supplied.",
		check: reasonWithEnd(msgReasonOnAdd), off: []Mutant{HpiEndWithoutReasonAccepted}},
	contactPointRules,
	{id: "HPI-ADD-no-duplicate", says: "Add rules: an add cannot create a duplicate, or overlap another PractitionerRole record.",
		check: noOverlap, off: []Mutant{HpiDuplicateAccepted}},
})

// updateRules are update-practitionerrole.md's for the request itself.
var updateRules = []roleRule{
	{id: "HPI-UPD-version-required", says: "Update rules: an update must contain the current version-id, in 'if-Match' (428 without).",
		check: ifMatchGiven, off: []Mutant{HpiIfMatchNotRequired}},
	{id: "HPI-UPD-version-required", says: "general-request-rules.md, HTTP Header Details: if-Match carries the version-id, an integer (400).",
		check: ifMatchIsVersion},
	jsonRole,
	{id: "HPI-UPD-id-matches-url", says: "FHIR R4 update (spec README, 3.1.0.4): the resource sent carries an id equal to the URL's (400).",
		check: idMatchesURL, off: []Mutant{HpiBodyIDUnchecked}},
	{id: "HPI-UPD-valid-id", says: `Update rules: an update must contain a valid hpi-practitionerrole-id (404 "Invalid id: ").`,
		check: recordExists, off: []Mutant{HpiUnknownIDCreated}},
}

// replaceRules are update-practitionerrole.md's for the record an update
// replaces, and the add page's period and contact rules it points to.
var replaceRules = slices.Concat([]roleRule{
	{id: "HPI-UPD-stale-version", says: "general-request-rules.md, Error Format: an out-of-date version is refused (EM07106; 409, one of FHIR's two).",
		check: versionCurrent, off: []Mutant{HpiStaleVersionAccepted}},
	{id: "HPI-UPD-person-required", says: `Update rules: an update must contain an hpi-person-id ("hpi-person-id is required").`,
		check: personGiven, off: []Mutant{HpiPersonRequiredUnchecked}},
	{id: "HPI-UPD-person-matches", says: `Update rules: the hpi-person-id matches the PractitionerRole record ("hpi-person-id invalid").`,
		check: personKept, off: []Mutant{HpiPersonChangeAccepted}},
	{id: "HPI-UPD-org-or-facility", says: "Update rules: the hpi-organisation-id and/or hpi-facility-id, if present on the record, stay.",
		check: orgAndFacilityKept, off: []Mutant{HpiOrgOrFacilityUnchecked}},
	{id: "HPI-UPD-code-required", says: `Update rules: a PractitionerRole code, if present on the record, stays ("PractitionerRole code requird").`,
		check: codeKept, off: []Mutant{HpiCodeRequiredUnchecked}},
	{id: "HPI-UPD-only-contact-address-end", says: "Update rules: an update can only modify contact point, messaging address and period end-date: not the code,",
		check: unchanged("code"), off: []Mutant{HpiRoleCodeChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the practitioner,",
		check: unchanged("practitioner"), off: []Mutant{HpiPersonChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the official identifier (a server that never shows it cannot want it back),",
		check: unchanged("identifier"), off: []Mutant{HpiReadWithoutOfficialID}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor anything else.",
		check: restUnchanged},
}, periodRules, []roleRule{
	{id: "HPI-UPD-end-needs-reason", says: "Update rules: a PractitionerRole-status-reason is mandatory when a period end-date is supplied.",
		check: reasonWithEnd(msgReasonOnUpdate), off: []Mutant{HpiEndWithoutReasonAccepted}},
	contactPointRules,
	{id: "HPI-UPD-no-duplicate", says: "Update rules: an update cannot create a duplicate, or overlap another PractitionerRole record.",
		check: noOverlap, off: []Mutant{HpiDuplicateAccepted}},
})

// periodRules are add-practitionerrole.md's period rules (if supplied).
var periodRules = []roleRule{
	{id: "HPI-PERIOD-date-format", says: "Period rules: a PractitionerRole period date must be formatted YYYY-MM-DD.",
		check: periodDates, off: []Mutant{HpiPeriodFormatUnchecked}},
	{id: "HPI-PERIOD-start-not-after-end", says: "Period rules: a period start date must be less than, or equal to end date.",
		check: periodInOrder, off: []Mutant{HpiPeriodOrderUnchecked}},
}

// contactPointRules apply add-practitionerrole.md's contact rules (if
// supplied) to each contact point in turn.
var contactPointRules = roleRule{id: "contact-points", says: "Contact rules, for each contact point in turn:",
	each: eachContactPoint, sub: []roleRule{
		{id: "HPI-CONTACT-no-duplicate", says: "A request must not result in a duplicate contact.",
			check: contactNotRepeated, off: []Mutant{HpiContactDuplicateAccepted}},
		{id: "HPI-CONTACT-mobile-format", says: "A contact point value must have a valid format: a mobile phone number is E.164 digits.",
			check: mobileValid, off: []Mutant{HpiMobileFormatUnchecked}},
		{id: "HPI-CONTACT-email-format", says: "... an email address is local-part@domain-part, at most 256 characters, no control characters.",
			check: emailValid, off: []Mutant{HpiEmailFormatUnchecked}},
		{id: "HPI-CONTACT-period-format", says: "Contact period must be formatted YYYY-MM-DD.",
			check: contactPeriodDates, off: []Mutant{HpiPeriodFormatUnchecked}},
		{id: "HPI-CONTACT-period-order", says: "Contact period start date must be less than, or equal to end date.",
			check: contactPeriodInOrder, off: []Mutant{HpiPeriodOrderUnchecked}},
		{id: "HPI-CONTACT-rank", says: "Rank must be unique across the contact points; gaps are allowed; 1 is the highest; 0 is invalid.",
			check: rankValid, off: []Mutant{HpiRankUnchecked}},
	}}
