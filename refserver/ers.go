package refserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
)

// The e-RS headers, spelt as the A001-A003 pages spell them (underscores).
const (
	headerASID       = "XAPI_ASID"
	headerSessionKey = "HTTP_X_SESSION_KEY"
)

const ersBase = "/ers-api/v1/ProfessionalSession"

// maxRequestBody bounds what the e-RS endpoints read from a client.
const maxRequestBody = 64 << 10

// ersAPI serves the e-RS professional session endpoints, A001 to A003.
type ersAPI struct {
	users     map[string]SessionUser // by smartcard token
	functions []string               // the BusinessFunction value set of models.md
	systems   []string               // the Accredited System IDs issued (XAPI_ASID)
	sessions  *sessionStore
	selected  mutantSet // the rule runner skips the rules these switch off
	hooks     ersHooks
}

// ersRoute is one documented operation as it is mounted: a shape may move
// it, and a shape or a choice may wrap its handler.
type ersRoute struct {
	op      string // create, select or delete
	pattern string
	handler http.HandlerFunc
}

func newERS(selected mutantSet, chosen choiceSet) (*ersAPI, error) {
	users, err := loadUsers()
	if err != nil {
		return nil, err
	}
	var functions []string
	if err := readFixture("ers/BusinessFunction.json", &functions); err != nil {
		return nil, err
	}
	var systems []string
	if err := readFixture("ers/systems.json", &systems); err != nil {
		return nil, err
	}
	a := &ersAPI{users: users, functions: functions, systems: systems, sessions: newSessionStore(), selected: selected}
	installSelected(a, ersShapes, selected)
	installSelected(a, ersChoices, chosen)
	return a, nil
}

func (a *ersAPI) mount(mux *http.ServeMux) {
	for _, rt := range []*ersRoute{
		{"create", "POST " + ersBase, a.create},
		{"select", "PUT " + ersBase + "/{sessionKey}", a.selectRole},
		{"delete", "DELETE " + ersBase + "/{sessionKey}", a.delete},
	} {
		a.hooks.mounting.run(rt)
		mux.HandleFunc(rt.pattern, rt.handler)
	}
	a.hooks.routes.run(mux)
}

// create is A001: exchange a smartcard token for a session (201 Created).
func (a *ersAPI) create(w http.ResponseWriter, r *http.Request) {
	c := a.call(r)
	var body, strict struct {
		Token string `json:"token"`
	}
	data := c.readBody(w, r, a.hooks.createBody, &strict)
	_ = json.NewDecoder(bytes.NewReader(data)).Decode(&body) // the token, even in a body the rules refuse
	c.token = body.Token
	if p := c.refusedFirst(a.selected, createRules); p != nil {
		a.send(w, a.hooks.created, p.answer())
		return
	}
	token := c.token
	user, issued := a.users[token]
	if !issued { // only with a rule switched off
		token, user = a.firstUser()
	}
	a.hooks.signIn.run(&user)
	sess, ok := a.sessions.create(token, user)
	if !ok {
		a.send(w, a.hooks.created, ersProblem(http.StatusServiceUnavailable, "transient",
			fmt.Sprintf("the reference server holds its maximum of %d open sessions; close some (A003)", maxSessions)).answer())
		return
	}
	a.send(w, a.hooks.created, answer{status: http.StatusCreated, body: sess})
}

// selectRole is A002: apply one of the user's permissions to the session (200 OK).
func (a *ersAPI) selectRole(w http.ResponseWriter, r *http.Request) {
	c := a.call(r)
	var body struct {
		Permission *Permission `json:"permission"`
	}
	c.readBody(w, r, a.hooks.selectBody, &body)
	c.permission = body.Permission
	var selected *Session
	p := a.sessions.with(c.pathKey, func(stored *storedSession) *problem {
		c.session = stored
		if p := c.refusedFirst(a.selected, selectRules); p != nil {
			return p
		}
		if stored != nil {
			stored.session.apply(c.permission)
			copied := stored.session
			selected = &copied
		}
		return nil
	})
	switch {
	case p != nil:
		a.send(w, a.hooks.selected, p.answer())
	case selected == nil: // a key never issued, with its rule off
		writeJSON(w, http.StatusOK, map[string]any{})
	default:
		a.send(w, a.hooks.selected, answer{status: http.StatusOK, body: *selected})
	}
}

// delete is A003: close the session; its key is invalid afterwards (204 No Content).
func (a *ersAPI) delete(w http.ResponseWriter, r *http.Request) {
	c := a.call(r)
	p := a.sessions.with(c.pathKey, func(stored *storedSession) *problem {
		c.session = stored
		if p := firstBroken(a.selected, deleteRules, c); p != nil {
			return p
		}
		cl := closing{session: stored}
		a.hooks.closing.run(&cl)
		if cl.refusal != nil {
			return cl.refusal
		}
		if stored != nil {
			stored.closed = true
		}
		return nil
	})
	if p != nil {
		a.hooks.deleteRefused.run(refusal{c, p})
		a.send(w, a.hooks.deleted, p.answer())
		return
	}
	a.hooks.closed.run(c.pathKey)
	a.send(w, a.hooks.deleted, answer{status: http.StatusNoContent})
}

// call reads the headers and path every e-RS rule may look at.
func (a *ersAPI) call(r *http.Request) *ersCall {
	return &ersCall{
		api:       a,
		asid:      r.Header.Get(headerASID),
		keyHeader: r.Header.Get(headerSessionKey),
		pathKey:   r.PathValue("sessionKey"),
	}
}

// readBody reads the body into v, keeping why it is not a JSON object for
// the rules; the operation's hook sees the body first.
func (c *ersCall) readBody(w http.ResponseWriter, r *http.Request, h hook[*received], v any) []byte {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	rcv := received{body: data}
	h.run(&rcv)
	if err == nil {
		err = json.Unmarshal(rcv.body, v)
	}
	c.bodyErr, c.shaped = err, rcv.refusal
	return rcv.body
}

// refusedFirst is the refusal a shape gave the body, or else the first rule broken.
func (c *ersCall) refusedFirst(selected mutantSet, rules []ersRule) *problem {
	if c.shaped != nil {
		return c.shaped
	}
	return firstBroken(selected, rules, c)
}

// send answers after the operation's hook has seen the answer.
func (a *ersAPI) send(w http.ResponseWriter, h hook[*answer], an answer) {
	h.run(&an)
	an.send(w, ersOutcome)
}

// ersOutcome renders a refusal. The docs promise an OperationOutcome only
// with 422; the other statuses carry one too, which the docs do not forbid.
func ersOutcome(p *problem) outcome {
	return outcome{
		ResourceType: "OperationOutcome",
		Meta:         &outcomeMeta{Profile: []string{ersOutcomeProfile}},
		Issue:        []outcomeIssue{{Severity: "error", Code: p.code, Diagnostics: p.diagnostics}},
	}
}

// ersOutcomeProfile is the profile the e-RS later revisions name for 422 bodies.
const ersOutcomeProfile = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1"

func ersProblem(status int, code, diagnostics string) *problem {
	return &problem{status: status, code: code, diagnostics: diagnostics}
}

// firstUser is the fixture user with the lowest token: whom a session is
// opened for when a rule that would open none is switched off.
func (a *ersAPI) firstUser() (string, SessionUser) {
	tokens := make([]string, 0, len(a.users))
	for t := range a.users {
		tokens = append(tokens, t)
	}
	sort.Strings(tokens)
	return tokens[0], a.users[tokens[0]]
}

func loadUsers() (map[string]SessionUser, error) {
	list, err := FixtureUsers()
	if err != nil {
		return nil, err
	}
	users := make(map[string]SessionUser, len(list))
	for _, u := range list {
		if len(u.User.Permissions) == 0 {
			return nil, fmt.Errorf("fixture user %s has no permissions", u.User.Identifier)
		}
		users[u.Token] = u.User
	}
	return users, nil
}
