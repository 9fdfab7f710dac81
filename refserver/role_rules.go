package refserver

import (
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// Extension URLs the rules read (profile-HpiPractitionerRole.fsh).
const (
	extStatusReason     = "http://hl7.org.nz/fhir/StructureDefinition/practitionerRole-status-reason"
	extMessagingAddress = "http://hl7.org.nz/fhir/StructureDefinition/messaging-address"
)

// The documented messages, spelt as published (docs/spec-defects.md lists
// the misspellings and the two spellings of the status-reason message).
const (
	msgPersonInvalid       = "hpi-person-id invalid"
	msgPersonRequired      = "hpi-person-id is required"
	msgOrgOrFacility       = "hpi-organization-id or hpi-facility-id is required"
	msgDuplicate           = "Resource validation error: duplicate"
	msgCodeRequired        = "PractitionerRole code requird"
	msgReasonOnUpdate      = "practitionerRole-status-reason is required"
	msgReasonOnAdd         = "PractitionerRole-status-reason is required"
	msgPeriodFormat        = "Period is not valid; format must be yyyy-mm-dd"
	msgPeriodOrder         = "Period start date must be less than, or equal to end date"
	msgContactDuplicate    = "The contact point you are creating is a duplicate of another on this record"
	msgMobileFormat        = "The mobile phone format is invalid"
	msgEmailFormat         = "The email format is invalid"
	msgContactPeriodFormat = "Contact period is invalid; format must be yyyy-mm-dd"
	msgContactPeriodOrder  = "Contact period start date must be less than or equal to a contact point period end date"
	// Not documented: the server's own words for the rules the pages give no message for.
	msgImmutable = "A PractitionerRole update can only modify contact point, messaging address and period end-date"
	msgRank      = "Rank must be a whole number from 1, unique across the contact points"
	msgProfile   = "The HPIPractitionerRole profile does not allow this: "
)

// unprocessable is the documented shape of every rule failure:
// "HTTP 422, Unprocessable, Error, Processing".
func unprocessable(msg string) *problem {
	return hpiProblem(http.StatusUnprocessableEntity, msg)
}

func hpiProblem(status int, msg string) *problem {
	return &problem{status: status, code: "processing", diagnostics: msg}
}

// outcomeCodeSystem is the code system of the general page's coded error format.
const outcomeCodeSystem = "https://standards.digital.health.nz/ns/hip-operation-outcome-details-code"

// The newer, coded error format of the general page names this outcome.
var staleVersion = &problem{
	status: http.StatusConflict,
	code:   "processing",
	detail: &coding{
		System:  outcomeCodeSystem,
		Code:    "EM07106",
		Display: "Record version provided is out of date. The record cannot be updated",
	},
}

func recordExists(c *roleCall) *problem {
	if c.current == nil {
		return hpiProblem(http.StatusNotFound, "Invalid id: "+c.id)
	}
	return nil
}

func roleInBody(c *roleCall) *problem {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(c.bodyErr, &tooBig):
		return hpiProblem(http.StatusRequestEntityTooLarge, "request body too large")
	case c.bodyErr != nil && !errors.Is(c.bodyErr, io.EOF), c.role == nil:
		return hpiProblem(http.StatusBadRequest, "the body is not a JSON resource")
	case c.role["resourceType"] != "PractitionerRole":
		return unprocessable("resourceType must be PractitionerRole")
	}
	return nil
}

// bodyDeclaredJSON: "Only Json is supported". A body declared as JSON
// (application/json, or a +json type such as application/fhir+json), or
// declared as nothing, is read; one declared in another format is not.
func bodyDeclaredJSON(c *roleCall) *problem {
	if c.contentType == "" || isJSONMedia(c.contentType) {
		return nil
	}
	return hpiProblem(http.StatusUnsupportedMediaType, "Only Json is supported: the Content-Type must be application/json")
}

// isJSONMedia says whether a Content-Type names JSON: application/json or a +json type (RFC 6839).
func isJSONMedia(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

func ifMatchGiven(c *roleCall) *problem {
	if c.ifMatch == "" {
		return hpiProblem(http.StatusPreconditionRequired, "If-Match header with the current version-id is required")
	}
	return nil
}

func ifMatchIsVersion(c *roleCall) *problem {
	if c.ifMatch != "" && c.version < 0 {
		return hpiProblem(http.StatusBadRequest, "If-Match must carry the version-id, an integer")
	}
	return nil
}

// idMatchesURL: FHIR R4 answers 400 when the resource sent names no id, or another.
func idMatchesURL(c *roleCall) *problem {
	if id, _ := c.role["id"].(string); id != c.id {
		return hpiProblem(http.StatusBadRequest, "the resource id must equal the id in the URL")
	}
	return nil
}

// versionCurrent: the version If-Match names is the record's; naming none is the If-Match rule's to refuse.
func versionCurrent(c *roleCall) *problem {
	if c.version >= 0 && c.version != c.currentVersion {
		return staleVersion
	}
	return nil
}

func personGiven(c *roleCall) *problem {
	if c.role.ref("practitioner") == "" {
		return unprocessable(msgPersonRequired)
	}
	return nil
}

func personKnown(c *roleCall) *problem {
	if !c.api.practitioners[c.role.ref("practitioner")] {
		return unprocessable(msgPersonInvalid)
	}
	return nil
}

func personKept(c *roleCall) *problem {
	if c.role.ref("practitioner") != c.current.ref("practitioner") {
		return unprocessable(msgPersonInvalid)
	}
	return nil
}

func orgOrFacilityGiven(c *roleCall) *problem {
	if c.role.ref("organization") == "" && c.role.ref("location") == "" {
		return unprocessable(msgOrgOrFacility)
	}
	return nil
}

// orgOrFacilityKept: a record with an organisation or a facility keeps at
// least one; dropping one of two is a change the immutability rules refuse.
func orgOrFacilityKept(c *roleCall) *problem {
	had := c.current.ref("organization") != "" || c.current.ref("location") != ""
	if had && c.role.ref("organization") == "" && c.role.ref("location") == "" {
		return unprocessable(msgOrgOrFacility)
	}
	return nil
}

func codeKept(c *roleCall) *problem {
	if c.current.roleCode() != "" && c.role.roleCode() == "" {
		return unprocessable(msgCodeRequired)
	}
	return nil
}

// unchanged refuses an update that changes one of the elements, or adds or drops it.
func unchanged(elements ...string) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		for _, el := range elements {
			was, had := c.current[el]
			is, has := c.role[el]
			if had != has || !reflect.DeepEqual(was, is) {
				return unprocessable(msgImmutable)
			}
		}
		return nil
	}
}

// startUnchanged: of the period, only the end may change.
func startUnchanged(c *roleCall) *problem {
	was, _ := period(c.current["period"])
	is, _ := period(c.role["period"])
	if was != is {
		return unprocessable(msgImmutable)
	}
	return nil
}

// otherExtensionsUnchanged: of the extensions, only the messaging address
// and the status reason (which an end date needs) may change.
func otherExtensionsUnchanged(c *roleCall) *problem {
	if !reflect.DeepEqual(fixedExtensions(c.current), fixedExtensions(c.role)) {
		return unprocessable(msgImmutable)
	}
	return nil
}

func fixedExtensions(r resource) []any {
	var kept []any
	list, _ := r["extension"].([]any)
	for _, e := range list {
		if em, ok := e.(map[string]any); ok && (em["url"] == extStatusReason || em["url"] == extMessagingAddress) {
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

// restUnchanged compares what no rule above judges: elements a
// PractitionerRole does not have. Left out are what may change (contact
// points, messaging address, period end and the status reason), what the
// server owns (id, held to the URL by FHIR R4 3.1.0.4, meta, text, active),
// what the profile removes (its own rules), and the elements judged above.
func restUnchanged(c *roleCall) *problem {
	if !reflect.DeepEqual(frozen(c.current), frozen(c.role)) {
		return unprocessable(msgImmutable)
	}
	return nil
}

// judgedApart are the elements restUnchanged leaves to other rules.
var judgedApart = []string{"id", "meta", "text", "active", "telecom", "period", "extension", "code", "practitioner", "identifier",
	"organization", "location", "implicitRules", "language", "contained", "modifierExtension",
	"specialty", "healthcareService", "availableTime", "notAvailable", "availabilityExceptions", "endpoint"}

func frozen(r resource) resource {
	out := resource(maps.Clone(r))
	for _, k := range judgedApart {
		delete(out, k)
	}
	return out
}

// periodDates: the role's period dates, where given, are valid dates.
func periodDates(valid func(string) bool, msg string) func(*roleCall) *problem {
	return func(c *roleCall) *problem { return datesValid(c.role["period"], valid, msg) }
}

func periodInOrder(c *roleCall) *problem {
	return datesInOrder(c.role["period"], msgPeriodOrder)
}

// reasonWithEnd: a period end date comes with a status reason (msg, as the page spells it).
func reasonWithEnd(msg string) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		_, end := period(c.role["period"])
		if _, has := c.role.extension(extStatusReason); end != "" && !has {
			return unprocessable(msg)
		}
		return nil
	}
}

// noDuplicate: the same role over the same period is a duplicate.
func noDuplicate(c *roleCall) *problem {
	for _, o := range c.others {
		if sameRole(c.role, o) && reflect.DeepEqual(periodOf(c.role), periodOf(o)) {
			return unprocessable(msgDuplicate)
		}
	}
	return nil
}

func noOverlap(c *roleCall) *problem {
	for _, o := range c.others {
		if overlaps(c.role, o) {
			return unprocessable(msgDuplicate)
		}
	}
	return nil
}

// periodOf is a period's start and end.
func periodOf(r resource) [2]string {
	start, end := period(r["period"])
	return [2]string{start, end}
}

// datesValid: a period's dates, where given, are valid.
func datesValid(p any, valid func(string) bool, msg string) *problem {
	m, isPeriod := p.(map[string]any)
	if p != nil && !isPeriod {
		return unprocessable(msg) // a period is an object of dates
	}
	for _, k := range []string{"start", "end"} {
		if v, given := m[k]; given {
			if _, isText := v.(string); !isText {
				return unprocessable(msg) // a number or an array is no date
			}
		}
	}
	start, end := period(p)
	for _, d := range []string{start, end} {
		if d != "" && !valid(d) {
			return unprocessable(msg)
		}
	}
	return nil
}

// datesInOrder: a period does not start after it ends.
func datesInOrder(p any, msg string) *problem {
	if start, end := period(p); start != "" && end != "" && start > end {
		return unprocessable(msg)
	}
	return nil
}

// The parts of YYYY-MM-DD, each judged by its own rule: the shape of FHIR's
// date and dateTime (digits and hyphens in order), then all three parts and
// no time, then a month of the year and a day of that month.
var (
	dateShape    = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T.+)?)?)?$`)
	completeDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

func dateShaped(d string) bool   { return dateShape.MatchString(d) }
func dateComplete(d string) bool { return completeDate.MatchString(d) }

// dateOfCalendar judges the month and day a date has, if any; what is not
// the shape of a date is the shape rule's to refuse.
func dateOfCalendar(d string) bool {
	if !dateShaped(d) {
		return true
	}
	layouts := map[int]string{4: "2006", 7: "2006-01", 10: time.DateOnly}
	n := min(len(d), 10)
	_, err := time.Parse(layouts[n], d[:n])
	return err == nil
}

// overlaps: the same practitioner in the same role at the same organisation
// and facility, over periods that share a day, is a duplicate.
func overlaps(a, b resource) bool {
	if !sameRole(a, b) {
		return false
	}
	as, ae := period(a["period"])
	bs, be := period(b["period"])
	return before(as, be) && before(bs, ae)
}

// sameRole: the same practitioner in the same role at the same organisation and facility.
func sameRole(a, b resource) bool {
	for _, el := range []string{"practitioner", "organization", "location"} {
		if a.ref(el) != b.ref(el) {
			return false
		}
	}
	return a.roleCode() == b.roleCode()
}

// before says start <= end, where an empty start or end is open.
func before(start, end string) bool {
	return start == "" || end == "" || start <= end
}
