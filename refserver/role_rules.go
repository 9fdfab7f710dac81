package refserver

import (
	"errors"
	"io"
	"maps"
	"net/http"
	"reflect"
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

func orgAndFacilityKept(c *roleCall) *problem {
	if c.lost("organization") || c.lost("location") {
		return unprocessable(msgOrgOrFacility)
	}
	return nil
}

// lost says whether the record has element and the request dropped it.
func (c *roleCall) lost(element string) bool {
	return c.current.ref(element) != "" && c.role.ref(element) == ""
}

func codeKept(c *roleCall) *problem {
	if c.current.roleCode() != "" && c.role.roleCode() == "" {
		return unprocessable(msgCodeRequired)
	}
	return nil
}

// unchanged refuses an update that changes element, or adds or drops it.
func unchanged(element string) func(*roleCall) *problem {
	return func(c *roleCall) *problem {
		was, had := c.current[element]
		is, has := c.role[element]
		if had != has || !reflect.DeepEqual(was, is) {
			return unprocessable(msgImmutable)
		}
		return nil
	}
}

// restUnchanged compares everything else an update may not change: all but
// contact points, messaging address, period end (and the status reason that
// must come with it), what the server itself owns (meta, active), the id
// (the id rule has held it to the URL, FHIR R4 3.1.0.4), and the
// elements judged on their own above.
func restUnchanged(c *roleCall) *problem {
	if !reflect.DeepEqual(frozen(c.current), frozen(c.role)) {
		return unprocessable(msgImmutable)
	}
	return nil
}

func frozen(r resource) resource {
	out := resource(maps.Clone(r))
	for _, k := range []string{"id", "meta", "telecom", "active", "text", "code", "practitioner", "identifier"} {
		delete(out, k)
	}
	if start, _ := period(r["period"]); start != "" {
		out["period"] = start
	} else {
		delete(out, "period")
	}
	var kept []any
	list, _ := r["extension"].([]any)
	for _, e := range list {
		if em, ok := e.(map[string]any); ok && (em["url"] == extStatusReason || em["url"] == extMessagingAddress) {
			continue
		}
		kept = append(kept, e)
	}
	delete(out, "extension")
	if len(kept) > 0 {
		out["extension"] = kept
	}
	return out
}

func periodDates(c *roleCall) *problem {
	return datesValid(c.role["period"], msgPeriodFormat)
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

func noOverlap(c *roleCall) *problem {
	for _, o := range c.others {
		if overlaps(c.role, o) {
			return unprocessable(msgDuplicate)
		}
	}
	return nil
}

// datesValid: a period's dates, where given, are YYYY-MM-DD.
func datesValid(p any, msg string) *problem {
	start, end := period(p)
	for _, d := range []string{start, end} {
		if d != "" && !isDate(d) {
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

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// overlaps: the same practitioner in the same role at the same organisation
// and facility, over periods that share a day, is a duplicate.
func overlaps(a, b resource) bool {
	for _, el := range []string{"practitioner", "organization", "location"} {
		if a.ref(el) != b.ref(el) {
			return false
		}
	}
	if a.roleCode() != b.roleCode() {
		return false
	}
	as, ae := period(a["period"])
	bs, be := period(b["period"])
	return before(as, be) && before(bs, ae)
}

// before says start <= end, where an empty start or end is open.
func before(start, end string) bool {
	return start == "" || end == "" || start <= end
}
