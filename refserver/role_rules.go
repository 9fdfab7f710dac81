package refserver

import (
	"maps"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// checkCreate applies the add rules (add-practitionerrole.md).
func (s *Server) checkCreate(_, role resource, others []resource) *problem {
	person, m := role.ref("practitioner"), s.mutants
	switch {
	case person == "" && !m[HpiPersonRequiredUnchecked]:
		return unprocessable(msgPersonRequired)
	case !s.practitioners[person] && !m[HpiUnknownPersonAccepted]:
		return unprocessable(msgPersonInvalid)
	case role.ref("organization") == "" && role.ref("location") == "" && !m[HpiOrgOrFacilityUnchecked]:
		return unprocessable(msgOrgOrFacility)
	}
	return s.checkContent(role, others, msgReasonOnAdd)
}

// checkUpdate applies the update rules (update-practitionerrole.md).
func (s *Server) checkUpdate(current, role resource, others []resource) *problem {
	person, m := role.ref("practitioner"), s.mutants
	switch {
	case person == "" && !m[HpiPersonRequiredUnchecked]:
		return unprocessable(msgPersonRequired)
	case person != current.ref("practitioner") && !m[HpiPersonChangeAccepted]:
		return unprocessable(msgPersonInvalid)
	case (lost(current, role, "organization") || lost(current, role, "location")) && !m[HpiOrgOrFacilityUnchecked]:
		return unprocessable(msgOrgOrFacility)
	case current.roleCode() != "" && role.roleCode() == "" && !m[HpiCodeRequiredUnchecked]:
		if m[HpiMessagesCorrected] {
			return unprocessable("PractitionerRole code required")
		}
		return unprocessable(msgCodeRequired)
	case !sameFrozen(current, role, m):
		return unprocessable(msgImmutable)
	}
	return s.checkContent(role, others, msgReasonOnUpdate)
}

// lost says whether the record has element and the request dropped it.
func lost(current, role resource, element string) bool {
	return current.ref(element) != "" && role.ref(element) == ""
}

// sameFrozen compares everything an update may not change: all but contact
// points, messaging address, period end (and the status reason that must
// come with it), and what the server itself owns (meta, active).
func sameFrozen(current, role resource, m mutantSet) bool {
	return reflect.DeepEqual(frozen(current, m), frozen(role, m))
}

func frozen(r resource, m mutantSet) resource {
	out := resource(maps.Clone(r))
	for _, k := range []string{"meta", "telecom", "active", "text"} {
		delete(out, k)
	}
	if m[HpiPersonChangeAccepted] {
		delete(out, "practitioner")
	}
	if m[HpiRoleCodeChangeAccepted] {
		delete(out, "code")
	}
	if m[HpiReadWithoutOfficialID] { // a server that never shows identifiers cannot want them back
		delete(out, "identifier")
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

// checkContent applies the rules that create and update share.
func (s *Server) checkContent(role resource, others []resource, reasonMsg string) *problem {
	start, end := period(role["period"])
	if p := checkPeriod(start, end, msgPeriodFormat, msgPeriodOrder, s.mutants); p != nil {
		return p
	}
	if _, has := role.extension(extStatusReason); end != "" && !has && !s.mutants[HpiEndWithoutReasonAccepted] {
		return unprocessable(reasonMsg)
	}
	if p := s.checkTelecom(role.telecom()); p != nil {
		return p
	}
	if !s.mutants[HpiDuplicateAccepted] {
		for _, o := range others {
			if overlaps(role, o) {
				return unprocessable(msgDuplicate)
			}
		}
	}
	return nil
}

// checkPeriod: dates are YYYY-MM-DD, and start is not after end.
func checkPeriod(start, end, formatMsg, orderMsg string, m mutantSet) *problem {
	for _, d := range []string{start, end} {
		if d != "" && !isDate(d) && !m[HpiPeriodFormatUnchecked] {
			return unprocessable(formatMsg)
		}
	}
	if start != "" && end != "" && start > end && !m[HpiPeriodOrderUnchecked] {
		return unprocessable(orderMsg)
	}
	return nil
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

func (s *Server) checkTelecom(points []map[string]any) *problem {
	seen, ranks := map[string]bool{}, map[int]bool{}
	for _, t := range points {
		system, _ := t["system"].(string)
		value, _ := t["value"].(string)
		key := system + "|" + strings.ToLower(strings.TrimSpace(value))
		if seen[key] && !s.mutants[HpiContactDuplicateAccepted] {
			return unprocessable(msgContactDuplicate)
		}
		seen[key] = true
		if p := s.checkContactValue(t, system, value); p != nil {
			return p
		}
		start, end := period(t["period"])
		if p := checkPeriod(start, end, msgContactPeriodFormat, msgContactPeriodOrder, s.mutants); p != nil {
			return p
		}
		if _, present := t["rank"]; present {
			n, ok := rank(t)
			if (!ok || n < 1 || ranks[n]) && !s.mutants[HpiRankUnchecked] {
				return unprocessable(msgRank)
			}
			ranks[n] = true
		}
	}
	return nil
}

func (s *Server) checkContactValue(t map[string]any, system, value string) *problem {
	if system == "phone" && t["use"] == "mobile" && !validMobile(value) && !s.mutants[HpiMobileFormatUnchecked] {
		return unprocessable(msgMobileFormat)
	}
	if system == "email" && !validEmail(value) && !s.mutants[HpiEmailFormatUnchecked] {
		return unprocessable(msgEmailFormat)
	}
	return nil
}

// A mobile number is E.164 digits, optionally entered as space-separated
// components (country code, network code, subscriber number): at most 15 digits.
var mobileNumber = regexp.MustCompile(`^[0-9]+( [0-9]+)*$`)

func validMobile(v string) bool {
	return mobileNumber.MatchString(v) && len(strings.ReplaceAll(v, " ", "")) <= 15
}

// An email address is local-part@domain-part, at most 256 characters,
// with no control characters.
func validEmail(v string) bool {
	at := strings.LastIndex(v, "@")
	if at < 1 || at == len(v)-1 || utf8.RuneCountInString(v) > 256 {
		return false
	}
	return !strings.ContainsFunc(v, unicode.IsControl)
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
