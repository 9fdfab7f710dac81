package refserver

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Where the HPI endpoints live on the reference server.
const (
	HPIBase   = "/fhir"
	TokenPath = "/oauth2/token"
)

// hpiAPI serves the HPI PractitionerRole endpoints and their token endpoint.
type hpiAPI struct {
	tokens        *tokenStore
	plan          *usagePlans
	roles         *roleStore
	practitioners map[string]bool     // the hpi-person-ids the HPI knows
	scopes        map[string][]string // the scopes that open each operation (roleScopes)
	alsoNeeds     map[string]string   // a scope an operation wants beside them: none, but for a mutant
	selected      mutantSet           // the rule runner skips the rules these switch off
	hooks         hpiHooks
}

func newHPI(selected mutantSet, chosen choiceSet, plan UsagePlan) (*hpiAPI, error) {
	clients, err := FixtureClients()
	if err != nil {
		return nil, err
	}
	seed, err := FixtureHPISeed()
	if err != nil {
		return nil, err
	}
	a := &hpiAPI{
		tokens: newTokenStore(clients), plan: newUsagePlans(plan), roles: newRoleStore(seed.Roles),
		practitioners: map[string]bool{}, scopes: maps.Clone(roleScopes), alsoNeeds: map[string]string{}, selected: selected,
	}
	for _, p := range seed.Practitioners {
		a.practitioners[p] = true
	}
	a.hooks = hpiHooks{addRanks: assignRanks, updateRanks: assignRanks, keepUpdate: a.save, keepAdd: a.saveNew}
	installSelected(a, hpiShapes, selected)
	installSelected(a, hpiPromiseShapes, selected)
	installSelected(a, hpiChoices, chosen)
	installSelected(a, hpiPromiseChoices, chosen)
	return a, nil
}

func (a *hpiAPI) mount(mux *http.ServeMux) {
	mux.HandleFunc("POST "+TokenPath, a.issueToken)
	fhir := http.NewServeMux()
	fhir.Handle("GET "+HPIBase+"/PractitionerRole/{id}", a.gateway("read", a.read))
	fhir.Handle("POST "+HPIBase+"/PractitionerRole", a.gateway("create", a.create))
	fhir.Handle("PUT "+HPIBase+"/PractitionerRole/{id}", a.gateway("update", a.update))
	mux.Handle(HPIBase+"/", a.correlate(fhir))
}

// read is get-practitionerrole.md: a role by its hpi-practitionerrole-id.
func (a *hpiAPI) read(w http.ResponseWriter, r *http.Request) {
	c := &roleCall{api: a, id: r.PathValue("id")}
	c.current, c.currentVersion, _ = a.roles.get(c.id)
	if p := firstBroken(a.selected, readRules, c); p != nil {
		a.send(w, a.hooks.read, p.answer())
		return
	}
	if c.current == nil { // an id never issued, with its rule off
		a.send(w, a.hooks.read, answer{status: http.StatusOK, header: http.Header{}})
		return
	}
	a.send(w, a.hooks.read, roleAnswer(http.StatusOK, c.current, c.currentVersion))
}

// create is add-practitionerrole.md: the role is added with a new id (201 Created).
func (a *hpiAPI) create(w http.ResponseWriter, r *http.Request) {
	c := a.readRole(w, r)
	var added resource
	p := a.roles.change(func(tx roleTx) *problem {
		if tx.full() {
			return hpiProblem(http.StatusInsufficientStorage, fmt.Sprintf("the reference server holds its maximum of %d roles", maxRoles))
		}
		c.others = tx.othersOf(c.role, "")
		if p := firstBroken(a.selected, addRules, c); p != nil {
			return p
		}
		if p := firstBroken(a.selected, a.hooks.addStrict, c); p != nil {
			return p
		}
		id := tx.issueID(c.role)
		a.hooks.adding.run(c)
		a.hooks.addRanks.run(c.role)
		added = a.hooks.keepAdd(tx, id, c.role)
		return nil
	})
	if p != nil {
		a.send(w, a.hooks.created, p.answer())
		return
	}
	an := roleAnswer(http.StatusCreated, added, 1)
	an.header.Set("Location", fmt.Sprintf("%s/PractitionerRole/%s/_history/1", HPIBase, added.id()))
	a.send(w, a.hooks.created, an)
}

// update is update-practitionerrole.md: the role's next version (200 OK).
func (a *hpiAPI) update(w http.ResponseWriter, r *http.Request) {
	c := a.readRole(w, r)
	c.id = r.PathValue("id")
	c.ifMatch, c.version = readIfMatch(r)
	var kept resource
	var version int
	p := a.roles.change(func(tx roleTx) *problem {
		c.current, c.currentVersion, _ = tx.record(c.id)
		c.others = tx.othersOf(c.role, c.id)
		if p := firstBroken(a.selected, updateRules, c); p != nil {
			return p
		}
		if c.current == nil { // an id never issued, with its rule off: FHIR's update-as-create
			a.hooks.updateRanks.run(c.role)
			kept, version = a.save(tx, c.id, c.role, 1)
			return nil
		}
		a.hooks.replacing.run(c)
		if p := firstBroken(a.selected, replaceRules, c); p != nil {
			return p
		}
		if p := firstBroken(a.selected, a.hooks.updateStrict, c); p != nil {
			return p
		}
		a.hooks.replaced.run(c)
		a.hooks.updateRanks.run(c.role)
		kept, version = a.hooks.keepUpdate(tx, c.id, c.role, c.currentVersion+1)
		return nil
	})
	if p != nil {
		a.send(w, a.hooks.updated, p.answer())
		return
	}
	a.send(w, a.hooks.updated, roleAnswer(http.StatusOK, kept, version))
}

// readRole reads a PractitionerRole request body, keeping why it is not one for the rules.
func (a *hpiAPI) readRole(w http.ResponseWriter, r *http.Request) *roleCall {
	c := &roleCall{api: a, userid: r.Header.Get("userid"), contentType: r.Header.Get("Content-Type")}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 256<<10))
	if err == nil {
		err = json.Unmarshal(data, &c.role) // one JSON value: trailing data is an error
	}
	c.bodyErr = err
	a.hooks.received.run(c.role)
	return c
}

// readIfMatch reads the version an update names. The general page documents
// "if-Match: {integer}"; the FHIR form W/"n" is accepted too (docs/spec-defects.md).
// The version is -1 when the header is absent or not a version.
func readIfMatch(r *http.Request) (string, int) {
	raw := strings.TrimSpace(r.Header.Get("If-Match"))
	m := ifMatchForm.FindStringSubmatch(raw)
	if m == nil {
		return raw, -1
	}
	v, err := strconv.Atoi(m[1] + m[2] + m[3])
	if err != nil {
		return raw, -1
	}
	return raw, v
}

// ifMatchForm is the version as documented (3), or as an ETag names it,
// strong ("3") or weak (W/"3"): nothing looser (+3, W/3, """3""").
var ifMatchForm = regexp.MustCompile(`^(?:([0-9]+)|"([0-9]+)"|W/"([0-9]+)")$`)

// save stores a role with the fields the server owns: version, last update, active.
func (a *hpiAPI) save(tx roleTx, id string, role resource, version int) (resource, int) {
	stamp(role, version)
	a.hooks.stamped.run(role)
	tx.put(id, role, version)
	return role.clone(), version
}

// saveNew stores an added role as its first version.
func (a *hpiAPI) saveNew(tx roleTx, id string, role resource) resource {
	added, _ := a.save(tx, id, role, 1)
	return added
}

// roleAnswer answers with a role, its version in the ETag header.
func roleAnswer(status int, role resource, version int) answer {
	h := http.Header{}
	h.Set("ETag", fmt.Sprintf(`W/"%d"`, version))
	return answer{status: status, header: h, body: role}
}

// send answers after the operation's hook has seen the answer.
func (a *hpiAPI) send(w http.ResponseWriter, h hook[*answer], an answer) {
	h.run(&an)
	an.send(w, hpiOutcome)
}

// hpiOutcome renders a refusal: the older diagnostics text, or the newer coded detail.
func hpiOutcome(p *problem) outcome {
	issue := outcomeIssue{Severity: cmp.Or(p.severity, "error"), Code: p.code, Diagnostics: p.diagnostics}
	if p.detail != nil {
		issue.Details = &outcomeDetails{Coding: []coding{*p.detail}}
	}
	return outcome{ResourceType: "OperationOutcome", Issue: []outcomeIssue{issue}}
}

// correlate returns X-Correlation-Id when the client sent one, and an
// X-Request-Id on every answer (general-request-rules.md, Response Headers).
func (a *hpiAPI) correlate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := r.Header.Get("X-Correlation-Id"); id != "" {
			w.Header().Set("X-Correlation-Id", id)
		}
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		w.Header().Set("X-Request-Id", hex.EncodeToString(b))
		a.hooks.headers.run(w.Header())
		h.ServeHTTP(w, r)
	})
}

// gateway applies the rules every HPI call obeys before the operation runs.
func (a *hpiAPI) gateway(operation string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &gatewayCall{api: a, operation: operation, apiKey: r.Header.Get("x-api-key"), userid: r.Header.Get("userid")}
		c.grant, c.tokenValid = a.tokens.lookup(r.Header.Get("Authorization"))
		if p := firstBroken(a.selected, gatewayRules, c); p != nil {
			a.send(w, a.hooks.gateway, p.answer())
			return
		}
		h(w, r)
	})
}
