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
	contentType    string     // add, update: the Content-Type header
	id             string     // read, update: the id of the path
	ifMatch        string     // update: the If-Match header as sent
	version        int        // update: the version If-Match names; -1 when none
	bodyErr        error      // add, update: why the body could not be decoded
	role           resource   // add, update: the role as sent
	current        resource   // read, update: the record of that id; nil when there is none
	currentVersion int        // its version
	others         []resource // add, update: every other record of the role's practitioner
	point          int        // for the contact rules: which contact point they judge
}

type roleRule = rule[*roleCall]

// gatewayRules apply to every HPI call, in the order a gateway meets them
// (general-request-rules.md). A rule stated for every request is an entry
// per operation, so a mutant can break it on one operation alone.
var gatewayRules = slices.Concat(
	everyOperation(rule[*gatewayCall]{id: "HPI-REQ-api-key", says: "API Keys and Usage Plans: a request carries an x-api-key (403 Forbidden).",
		check: apiKeyGiven, off: []Mutant{HpiAPIKeyNotRequired}}, HpiAPIKeyNotRequiredOnRead, HpiAPIKeyNotRequiredOnCreate, HpiAPIKeyNotRequiredOnUpdate),
	[]rule[*gatewayCall]{{id: "HPI-REQ-api-key-issued", says: "Request Headers, x-api-key: the key is one Te Whatu Ora issued with the client credentials (403 Forbidden).",
		check: apiKeyIssued, off: []Mutant{HpiAPIKeyPresenceOnly}}},
	[]rule[*gatewayCall]{{id: "usage-plan", says: "API Keys and Usage Plans: a key makes no more requests than its plan allows (429).",
		check: withinPlan}},
	everyOperation(rule[*gatewayCall]{id: "HPI-REQ-access-token", says: "Security, OAUTH2: a request carries a valid bearer access token (401).",
		check: tokenGiven, off: []Mutant{HpiTokenNotChecked}}, HpiTokenNotCheckedOnRead, HpiTokenNotCheckedOnCreate, HpiTokenNotCheckedOnUpdate),
	everyOperation(rule[*gatewayCall]{id: "HPI-REQ-userid-required", says: `Request Rules and Errors: a request carries a userid header (401 "Authentication: missing userid header").`,
		check: useridGiven, off: []Mutant{HpiUseridNotRequired}}, HpiUseridNotRequiredOnRead, HpiUseridNotRequiredOnCreate, HpiUseridNotRequiredOnUpdate),
	[]rule[*gatewayCall]{{id: "HPI-SEC-scope-grants", says: "Scopes: a read needs pracrole:read (or PractitionerRole.r, or admin) (403 Forbidden).",
		check: scopeGranted("read"), off: []Mutant{HpiScopeNotChecked}}},
	[]rule[*gatewayCall]{{id: "HPI-SEC-write-scope", says: "Scopes: an add needs pracrole:write (or PractitionerRole.c, or admin) (403 Forbidden).",
		check: scopeGranted("create"), off: []Mutant{HpiScopeNotChecked, HpiWriteScopeNotCheckedOnCreate}}},
	[]rule[*gatewayCall]{{id: "HPI-SEC-write-scope", says: "Scopes: an update needs pracrole:write (or PractitionerRole.u, or admin) (403 Forbidden).",
		check: scopeGranted("update"), off: []Mutant{HpiScopeNotChecked, HpiWriteScopeNotCheckedOnUpdate}}},
)

// everyOperation makes a rule stated for every request one entry per
// operation: each is off with the rule's mutants, or with its operation's.
func everyOperation(r rule[*gatewayCall], onRead, onCreate, onUpdate Mutant) []rule[*gatewayCall] {
	var out []rule[*gatewayCall]
	for _, op := range []struct {
		name string
		off  Mutant
	}{{"read", onRead}, {"create", onCreate}, {"update", onUpdate}} {
		e := r
		e.says = r.says + " On a " + op.name + "."
		e.check = func(c *gatewayCall) *problem {
			if c.operation != op.name {
				return nil
			}
			return r.check(c)
		}
		e.off = append(slices.Clone(r.off), op.off)
		out = append(out, e)
	}
	return out
}

// readRules are get-practitionerrole.md's.
var readRules = []roleRule{
	{id: "HPI-GET-invalid-id", says: `Get PractitionerRole rules: a read must include a valid hpi-practitionerrole-id (404 "Invalid id: ").`,
		check: recordExists, off: []Mutant{HpiUnknownIDReadAccepted}},
}

// jsonRole: general-request-rules.md, Resource representation: Json.
var jsonRole = roleRule{id: "json-resource", says: "Resource representation: Json: the body is a PractitionerRole resource in JSON.",
	check: roleInBody}

// declaredJSON: general-request-rules.md, Resource representation: Json,
// and the Content-Type request header ("Application/json").
func declaredJSON(off Mutant) roleRule {
	return roleRule{id: "HPI-REP-json-requests", says: "Resource representation: Json: a body declared in another format is refused (415).",
		check: bodyDeclaredJSON, off: []Mutant{off}}
}

// addRules are add-practitionerrole.md's, the profile's constraints, and
// the add page's period and contact rules.
var addRules = slices.Concat([]roleRule{
	declaredJSON(HpiContentTypeUncheckedOnCreate),
	jsonRole,
	{id: "HPI-ADD-person-required", says: `Add rules: an add request must include an hpi-person-id ("hpi-person-id is required").`,
		check: personGiven, off: []Mutant{HpiPersonRequiredUnchecked}},
	{id: "HPI-ADD-person-valid", says: `Add rules: the hpi-person-id is a valid one ("hpi-person-id invalid").`,
		check: personKnown, off: []Mutant{HpiUnknownPersonAccepted}},
	{id: "HPI-ADD-org-or-facility", says: "Add rules: an add request must include an hpi-facility-id and/or hpi-organisation-id.",
		check: orgOrFacilityGiven, off: []Mutant{HpiOrgOrFacilityUnchecked}},
}, profileRules, periodRules(onAdd), []roleRule{
	{id: "HPI-ADD-end-needs-reason", says: "Add rules: a PractitionerRole-status-reason is mandatory when a period end-date is supplied.",
		check: reasonWithEnd(msgReasonOnAdd), off: []Mutant{HpiEndWithoutReasonAccepted}},
	contactPointRules(onAdd),
	{id: "HPI-ADD-no-duplicate", says: "Add rules: an add cannot create a duplicate (the same role over the same period),",
		check: noDuplicate, off: []Mutant{HpiDuplicateAccepted}},
	{id: "HPI-ADD-no-duplicate", says: "... or overlap another PractitionerRole record (the same role over a period sharing a day).",
		check: noOverlap, off: []Mutant{HpiDuplicateAccepted, HpiAddOverlapAccepted}},
})

// updateRules are update-practitionerrole.md's for the request itself.
var updateRules = []roleRule{
	{id: "HPI-UPD-version-required", says: "Update rules: an update must contain the current version-id, in 'if-Match' (428 without).",
		check: ifMatchGiven, off: []Mutant{HpiIfMatchNotRequired}},
	{id: "HPI-UPD-version-required", says: "general-request-rules.md, HTTP Header Details: if-Match carries the version-id, an integer (400).",
		check: ifMatchIsVersion},
	declaredJSON(HpiContentTypeUncheckedOnUpdate),
	jsonRole,
	{id: "HPI-UPD-id-matches-url", says: "FHIR R4 update (spec README, 3.1.0.4): the resource sent carries an id equal to the URL's (400).",
		check: idMatchesURL, off: []Mutant{HpiBodyIDUnchecked}},
	{id: "HPI-UPD-valid-id", says: `Update rules: an update must contain a valid hpi-practitionerrole-id (404 "Invalid id: ").`,
		check: recordExists, off: []Mutant{HpiUnknownIDCreated}},
}

// replaceRules are update-practitionerrole.md's for the record an update
// replaces, the profile's constraints, and the add page's period and
// contact rules the update page points to.
var replaceRules = slices.Concat([]roleRule{
	{id: "HPI-UPD-stale-version", says: "general-request-rules.md, Error Format: an out-of-date version is refused (EM07106; 409, one of FHIR's two).",
		check: versionCurrent, off: []Mutant{HpiStaleVersionAccepted}},
	{id: "HPI-UPD-person-required", says: `Update rules: an update must contain an hpi-person-id ("hpi-person-id is required").`,
		check: personGiven, off: []Mutant{HpiPersonRequiredUnchecked}},
	{id: "HPI-UPD-person-matches", says: `Update rules: the hpi-person-id matches the PractitionerRole record ("hpi-person-id invalid").`,
		check: personKept, off: []Mutant{HpiPersonChangeAccepted}},
	{id: "HPI-UPD-org-or-facility", says: "Update rules: an hpi-organisation-id and/or the hpi-facility-id, if present on the record: not neither.",
		check: orgOrFacilityKept, off: []Mutant{HpiOrgOrFacilityUnchecked}},
	{id: "HPI-UPD-code-required", says: `Update rules: a PractitionerRole code, if present on the record, stays ("PractitionerRole code requird").`,
		check: codeKept, off: []Mutant{HpiCodeRequiredUnchecked}},
}, profileRules, []roleRule{
	{id: "HPI-UPD-only-contact-address-end", says: "Update rules: an update can only modify contact point, messaging address and period end-date: not the code,",
		check: unchanged("code"), off: []Mutant{HpiRoleCodeChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the practitioner,",
		check: unchanged("practitioner"), off: []Mutant{HpiPersonChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the official identifier (a server that never shows it cannot want it back),",
		check: unchanged("identifier"), off: []Mutant{HpiReadWithoutOfficialID, HpiIdentifierChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the period's start,",
		check: startUnchanged, off: []Mutant{HpiStartChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the organisation,",
		check: unchanged("organization"), off: []Mutant{HpiOrganisationChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the facility,",
		check: unchanged("location"), off: []Mutant{HpiFacilityChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor an extension but the status reason and the messaging address (the creator),",
		check: otherExtensionsUnchanged, off: []Mutant{HpiCreatorChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor the resource's own elements,",
		check: unchanged("implicitRules", "language", "contained", "modifierExtension"), off: []Mutant{HpiResourceElementsChangeAccepted}},
	{id: "HPI-UPD-only-contact-address-end", says: "... nor anything else.",
		check: restUnchanged},
}, periodRules(onUpdate), []roleRule{
	{id: "HPI-UPD-end-needs-reason", says: "Update rules: a PractitionerRole-status-reason is mandatory when a period end-date is supplied.",
		check: reasonWithEnd(msgReasonOnUpdate), off: []Mutant{HpiEndWithoutReasonAccepted}},
	contactPointRules(onUpdate),
	{id: "HPI-UPD-no-duplicate", says: "Update rules: an update cannot create a duplicate, or overlap another PractitionerRole record.",
		check: noOverlap, off: []Mutant{HpiDuplicateAccepted}},
})

// importedOff are the mutants that switch the add page's period and contact
// rules off for one operation: the add, where the page defines them, or the
// update, whose page imports them ("See Add PractitionerRole rules").
type importedOff struct {
	periodFormat, periodOrder, contactDuplicate, mobile, email, contactPeriodFormat, contactPeriodOrder, rank Mutant
}

var (
	onAdd = importedOff{HpiAddPeriodFormatUnchecked, HpiAddPeriodOrderUnchecked, HpiAddContactDuplicateAccepted,
		HpiAddMobileFormatUnchecked, HpiAddEmailFormatUnchecked, HpiAddContactPeriodFormatUnchecked, HpiAddContactPeriodOrderUnchecked, HpiAddRankUnchecked}
	onUpdate = importedOff{HpiPeriodFormatUnchecked, HpiPeriodOrderUnchecked, HpiContactDuplicateAccepted,
		HpiMobileFormatUnchecked, HpiEmailFormatUnchecked, HpiContactPeriodFormatUnchecked, HpiContactPeriodOrderUnchecked, HpiRankUnchecked}
)

// periodRules are add-practitionerrole.md's period rules (if supplied), each
// part of the format a rule of its own.
func periodRules(op importedOff) []roleRule {
	return []roleRule{
		{id: "HPI-PERIOD-date-format", says: "Period rules: a PractitionerRole period date must be formatted YYYY-MM-DD: digits and hyphens in that order,",
			check: periodDates(dateShaped, msgPeriodFormat), off: []Mutant{op.periodFormat}},
		{id: "HPI-PERIOD-date-format", says: "... all of year, month and day, and nothing more (FHIR's partial dates and times are not YYYY-MM-DD),",
			check: periodDates(dateComplete, msgPeriodFormat), off: []Mutant{op.periodFormat, HpiPeriodPartialDatesAccepted}},
		{id: "HPI-PERIOD-date-format", says: "... a month of the year and a day of that month.",
			check: periodDates(dateOfCalendar, msgPeriodFormat), off: []Mutant{op.periodFormat, HpiPeriodCalendarUnchecked}},
		{id: "HPI-PERIOD-start-not-after-end", says: "Period rules: a period start date must be less than, or equal to end date.",
			check: periodInOrder, off: []Mutant{op.periodOrder}},
	}
}

// contactPointRules apply add-practitionerrole.md's contact rules (if
// supplied) to each contact point in turn, each form a rule names a rule of its own.
func contactPointRules(op importedOff) roleRule {
	return roleRule{id: "contact-points", says: "Contact rules, for each contact point in turn:",
		each: eachContactPoint, sub: []roleRule{
			{id: "HPI-CONTACT-no-duplicate", says: "A request must not result in a duplicate contact.",
				check: contactNotRepeated, off: []Mutant{op.contactDuplicate}},
			{id: "HPI-CONTACT-mobile-format", says: "A mobile number is E.164: a numeric string, no letters,",
				check: mobileHas(noLetters), off: []Mutant{op.mobile, HpiMobileLettersAccepted}},
			{id: "HPI-CONTACT-mobile-format", says: "... without punctuation (the components separated by spaces),",
				check: mobileHas(noPunctuation), off: []Mutant{op.mobile, HpiMobilePunctuationAccepted}},
			{id: "HPI-CONTACT-mobile-format", says: "... beginning with a country code (none begins with 0),",
				check: mobileHas(countryCodeFirst), off: []Mutant{op.mobile, HpiMobileNationalAccepted}},
			{id: "HPI-CONTACT-mobile-format", says: "... of at most fifteen digits (E.164).",
				check: mobileHas(e164Length), off: []Mutant{op.mobile, HpiMobileLengthUnchecked}},
			{id: "HPI-CONTACT-email-format", says: "An email address is local-part@domain-part: an @,",
				check: emailHas(hasAt), off: []Mutant{op.email}},
			{id: "HPI-CONTACT-email-format", says: "... with a local part before it and a domain part after it,",
				check: emailHas(bothParts), off: []Mutant{op.email, HpiEmailPartsUnchecked}},
			{id: "HPI-CONTACT-email-format", says: "... at most 256 characters,",
				check: emailHas(atMost256), off: []Mutant{op.email, HpiEmailLengthUnchecked}},
			{id: "HPI-CONTACT-email-format", says: "... any UTF-8 but control characters: none of C0,",
				check: emailHas(noC0Control), off: []Mutant{op.email, HpiEmailControlsAccepted}},
			{id: "HPI-CONTACT-email-format", says: "... nor DEL, nor C1.",
				check: emailHas(noOtherControl), off: []Mutant{op.email, HpiEmailControlsAccepted, HpiEmailOnlyC0Refused}},
			{id: "HPI-CONTACT-period-format", says: "Contact period must be formatted YYYY-MM-DD: digits and hyphens in that order,",
				check: contactPeriodDates(dateShaped), off: []Mutant{op.contactPeriodFormat}},
			{id: "HPI-CONTACT-period-format", says: "... all of year, month and day, and nothing more,",
				check: contactPeriodDates(dateComplete), off: []Mutant{op.contactPeriodFormat, HpiContactPeriodPartialDatesAccepted}},
			{id: "HPI-CONTACT-period-format", says: "... a month of the year and a day of that month.",
				check: contactPeriodDates(dateOfCalendar), off: []Mutant{op.contactPeriodFormat, HpiContactPeriodCalendarUnchecked}},
			{id: "HPI-CONTACT-period-order", says: "Contact period start date must be less than, or equal to end date.",
				check: contactPeriodInOrder, off: []Mutant{op.contactPeriodOrder}},
			{id: "HPI-CONTACT-rank", says: "A rank is a whole number,",
				check: rankWhole, off: []Mutant{op.rank}},
			{id: "HPI-CONTACT-rank", says: "... Rank 0 is invalid,",
				check: rankNotZero, off: []Mutant{op.rank, HpiRankZeroAccepted}},
			{id: "HPI-CONTACT-rank", says: "... 1 is the highest rank: none is below 0,",
				check: rankNotNegative, off: []Mutant{op.rank, HpiRankNegativeAccepted}},
			{id: "HPI-CONTACT-rank", says: "... and a rank is unique across the set of supplied contactpoints (gaps are allowed).",
				check: rankUnique, off: []Mutant{op.rank}},
		}}
}

// profileRules are profile-HpiPractitionerRole.fsh's constraints on a role
// sent, which the roles the HPI returns are held to.
var profileRules = slices.Concat(removedElementRules(), []roleRule{
	{id: "HPI-PROF-elements", says: "practitioner only Reference(HPIPractitioner),",
		check: referenceTo("practitioner", "Practitioner"), off: []Mutant{HpiPractitionerReferenceTypeUnchecked}},
	{id: "HPI-PROF-elements", says: "organization only Reference(HpiOrganization),",
		check: referenceTo("organization", "Organization"), off: []Mutant{HpiOrganisationReferenceTypeUnchecked}},
	{id: "HPI-PROF-elements", says: "location only Reference(HpiLocation),",
		check: referenceTo("location", "Location"), off: []Mutant{HpiFacilityReferenceTypeUnchecked}},
	{id: "HPI-PROF-elements", says: "location 0..1,",
		check: atMostOne("location"), off: []Mutant{HpiSecondLocationKept}},
	{id: "HPI-PROF-elements", says: "code 0..1,",
		check: atMostOne("code"), off: []Mutant{HpiSecondCodeKept}},
	{id: "HPI-PROF-elements", says: "extension contains messaging-address 0..1.",
		check: atMostOneMessagingAddress, off: []Mutant{HpiSecondMessagingAddressKept}},
	{id: "HPI-PROF-bindings", says: "telecom.use from hpi-contact-point-use-code (of FHIR's contact point uses),",
		check: contactUsesBound, off: []Mutant{HpiContactUseUnbound}},
	{id: "HPI-PROF-bindings", says: "code from practitioner-role-code (ANZSCO occupations, as every published code is).",
		check: roleCodeBound, off: []Mutant{HpiRoleCodeUnbound}},
})

// removedElementRules: the elements the profile removes (0..0), one rule each.
func removedElementRules() []roleRule {
	var out []roleRule
	for _, r := range []struct {
		element string
		off     Mutant
	}{
		{"specialty", HpiSpecialtyKept}, {"healthcareService", HpiHealthcareServiceKept}, {"availableTime", HpiAvailableTimeKept},
		{"notAvailable", HpiNotAvailableKept}, {"availabilityExceptions", HpiAvailabilityExceptionsKept}, {"endpoint", HpiEndpointKept},
	} {
		out = append(out, roleRule{id: "HPI-PROF-elements", says: r.element + " 0..0,", check: absent(r.element), off: []Mutant{r.off}})
	}
	return out
}
