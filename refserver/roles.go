package refserver

import (
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"
)

// resource is a FHIR resource as JSON: the server keeps what the client
// sent, and reads only the elements the rules talk about.
type resource map[string]any

func (r resource) id() string { s, _ := r["id"].(string); return s }

// ref returns the id of a reference element, e.g. "90ZZLP" of
// {"practitioner": {"reference": "Practitioner/90ZZLP"}}. A list (as FHIR R4
// has for location) contributes its first entry.
func (r resource) ref(element string) string {
	v := r[element]
	if list, ok := v.([]any); ok && len(list) > 0 {
		v = list[0]
	}
	m, _ := v.(map[string]any)
	s, _ := m["reference"].(string)
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// roleCode is the first code of the role, "" when there is none.
func (r resource) roleCode() string {
	list, _ := r["code"].([]any)
	if len(list) == 0 {
		return ""
	}
	cc, _ := list[0].(map[string]any)
	codings, _ := cc["coding"].([]any)
	for _, c := range codings {
		if m, ok := c.(map[string]any); ok {
			if code, _ := m["code"].(string); code != "" {
				return code
			}
		}
	}
	text, _ := cc["text"].(string)
	return text
}

// period returns the start and end of a period element ("" when absent).
func period(v any) (start, end string) {
	m, _ := v.(map[string]any)
	start, _ = m["start"].(string)
	end, _ = m["end"].(string)
	return start, end
}

func (r resource) extension(url string) (any, bool) {
	list, _ := r["extension"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["url"] == url {
			return m, true
		}
	}
	return nil, false
}

func (r resource) telecom() []map[string]any {
	list, _ := r["telecom"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, t := range list {
		m, _ := t.(map[string]any)
		out = append(out, m)
	}
	return out
}

// clone deep-copies a resource, so stored records never alias request data.
func (r resource) clone() resource {
	data, _ := json.Marshal(r)
	var out resource
	_ = json.Unmarshal(data, &out)
	return out
}

// roleStore holds the PractitionerRole records and their versions. Rules
// and the write they allow run under one lock (change), so a version check
// cannot race an update.
type roleStore struct {
	mu       sync.Mutex
	roles    map[string]resource
	versions map[string]int
	// byPerson files the ids of the roles by practitioner: a role can
	// duplicate or overlap only a role of its own practitioner, so no rule
	// scans the whole store under the lock.
	byPerson map[string]map[string]bool
	next     int
}

// maxRoles (a variable for the tests) bounds the roles the reference server holds: an add beyond it
// is refused with 507 Insufficient Storage, saying so.
var maxRoles = 100_000

func newRoleStore(seed []resource) *roleStore {
	st := &roleStore{roles: map[string]resource{}, versions: map[string]int{}, byPerson: map[string]map[string]bool{}, next: 100}
	for _, r := range seed {
		v, _ := strconv.Atoi(fmt.Sprint(r["meta"].(map[string]any)["versionId"]))
		roleTx{st}.put(r.id(), r, v)
	}
	return st
}

// get returns a copy of role id and its version; nil when there is none.
func (st *roleStore) get(id string) (resource, int, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return roleTx{st}.record(id)
}

// change runs fn with the store locked.
func (st *roleStore) change(fn func(roleTx) *problem) *problem {
	st.mu.Lock()
	defer st.mu.Unlock()
	return fn(roleTx{st})
}

// roleTx is the store while change holds its lock.
type roleTx struct{ st *roleStore }

// record returns a copy of role id and its version; nil when there is none.
func (tx roleTx) record(id string) (resource, int, bool) {
	r, ok := tx.st.roles[id]
	if !ok {
		return nil, 0, false
	}
	return r.clone(), tx.st.versions[id], true
}

// othersOf lists the records of role's practitioner but id's.
func (tx roleTx) othersOf(role resource, id string) []resource {
	ids := tx.st.byPerson[role.ref("practitioner")]
	out := make([]resource, 0, len(ids))
	for k := range ids {
		if k != id {
			out = append(out, tx.st.roles[k])
		}
	}
	return out
}

// full says whether the store holds maxRoles already.
func (tx roleTx) full() bool { return len(tx.st.roles) >= maxRoles }

// issueID gives a new role its hpi-practitionerrole-id, as id and official identifier.
func (tx roleTx) issueID(role resource) string {
	tx.st.next++
	id := fmt.Sprintf("R%08d-%c", tx.st.next, 'A'+rune(tx.st.next%26))
	role["id"] = id
	role["identifier"] = []any{map[string]any{
		"use": "official", "system": "https://standards.digital.health.nz/ns/hpi-practitionerrole-id", "value": id,
	}}
	return id
}

func (tx roleTx) put(id string, role resource, version int) {
	if old, ok := tx.st.roles[id]; ok {
		delete(tx.st.byPerson[old.ref("practitioner")], id)
	}
	person := role.ref("practitioner")
	if tx.st.byPerson[person] == nil {
		tx.st.byPerson[person] = map[string]bool{}
	}
	tx.st.byPerson[person][id] = true
	tx.st.roles[id] = role.clone()
	tx.st.versions[id] = version
}

// stamp sets the fields the server owns, but for ranks: version, last update, active.
func stamp(role resource, version int) {
	meta, _ := role["meta"].(map[string]any)
	meta = maps.Clone(meta)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["versionId"] = strconv.Itoa(version)
	meta["lastUpdated"] = time.Now().UTC().Format(time.RFC3339)
	role["meta"] = meta
	_, end := period(role["period"])
	role["active"] = end == "" || end >= time.Now().UTC().Format(time.DateOnly)
}

// assignRanks gives each contact point without a rank the next lowest rank
// (add-practitionerrole.md, contact rules).
func assignRanks(role resource) {
	highest := 0
	for _, t := range role.telecom() {
		if n, ok := rank(t); ok && n > highest {
			highest = n
		}
	}
	for _, t := range role.telecom() {
		if _, present := t["rank"]; !present && t != nil {
			highest++
			t["rank"] = highest
		}
	}
}

// rank reads a contact point's rank; ok is false when it is absent or not a whole number.
func rank(t map[string]any) (int, bool) {
	f, ok := t["rank"].(float64)
	if !ok || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}
