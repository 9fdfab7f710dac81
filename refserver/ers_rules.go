package refserver

import (
	"fmt"
	"slices"
	"strings"
)

// ersCall is an e-RS request as the rules see it.
type ersCall struct {
	api        *ersAPI
	asid       string         // the XAPI_ASID header
	keyHeader  string         // the HTTP_X_SESSION_KEY header
	pathKey    string         // the {sessionKey} of the path
	bodyErr    error          // why the body is not a JSON object; nil when it is
	shaped     *problem       // a refusal a shape mutant gave the body, before any rule
	token      string         // A001: the smartcard token the body names
	permission *Permission    // A002: the permission the body asks for
	session    *storedSession // A002, A003: the session the key names; nil when never issued
}

type ersRule = rule[*ersCall]

// createRules are A001's, in the page's order.
var createRules = []ersRule{
	{id: "ERS-A001-asid-required", says: "A001 Header: provide the ASID of the end-point system (XAPI_ASID).",
		check: asidGiven, off: []Mutant{ErsCreateAsidNotRequired}},
	{id: "ERS-A001-asid-issued", says: "A001-later-revision Header: XAPI_ASID is the Accredited System ID issued to the third party.",
		check: asidIssued, off: []Mutant{ErsCreateAnyASID}},
	{id: "ERS-A001-body-valid", says: "error-messages.md 400: the data received was malformed (the body is not a JSON object).",
		check: bodyIsJSON},
	{id: "ERS-A001-body-valid", says: "A001 Body: provide a token (422 without it).",
		check: smartcardTokenGiven, off: []Mutant{ErsCreateTokenNotRequired}},
	{id: "ERS-A001-token-recognised", says: "A001 Description: the session is created from smartcard roles; another token is 403 Forbidden.",
		check: tokenIssued, off: []Mutant{ErsUnknownTokenAccepted}},
}

// selectRules are A002's, in the page's order, then the models page's.
var selectRules = []ersRule{
	{id: "ERS-A002-asid-required", says: "A002 Header: provide the ASID of the end-point system (XAPI_ASID).",
		check: asidGiven, off: []Mutant{ErsSelectAsidNotRequired}},
	{id: "ERS-A002-asid-issued", says: "A002-later-revision Header: XAPI_ASID is the Accredited System ID issued to the third party.",
		check: asidIssued, off: []Mutant{ErsSelectAnyASID}},
	{id: "ERS-A002-session-key-required", says: "A002 Header and Notes: the session key is sent as HTTP_X_SESSION_KEY.",
		check: sessionKeySent, off: []Mutant{ErsSelectSessionKeyNotRequired}},
	{id: "ERS-A002-session-key-matches-path", says: "A002 Header: the session key header is the equivalent of the session in the path.",
		check: sessionKeyMatchesPath, off: []Mutant{ErsSelectKeyMismatchAccepted}},
	{id: "ERS-A002-body-valid", says: "error-messages.md 400: the data received was malformed (the body is not a JSON object).",
		check: bodyIsJSON},
	{id: "ERS-A002-body-valid", says: "A002 Body: provide the permission field when selecting a role (422 without it).",
		check: permissionGiven, off: []Mutant{ErsSelectPermissionNotRequired}},
	{id: "ERS-MODEL-business-function", says: "models.md BusinessFunction: a business function is one of the value set (422 otherwise).",
		check: functionInValueSet, off: []Mutant{ErsUnknownFunctionAccepted}},
	{id: "ERS-A002-session-key-known", says: "A002 Notes: the session is one Create Session created (404 for a key never issued).",
		check: sessionIssued, off: []Mutant{ErsUnknownKeySelectAccepted}},
	{id: "ERS-A003-key-invalid-after-delete", says: "A003 Notes: once deleted, the session ID becomes invalid (410 Gone).",
		check: sessionOpen},
	{id: "ERS-A002-permission-held", says: "A002 Input: the permission is one of those available to the user: a business function they hold (403 Forbidden).",
		check: functionHeldIfInValueSet, off: []Mutant{ErsRoleNotHeldAccepted}},
	{id: "ERS-A002-permission-held", says: "A002 Input; error-messages.md 403: the user holds the business function at the organisation asked (403 Forbidden).",
		check: heldIfInValueSet, off: []Mutant{ErsRoleNotHeldAccepted, ErsRoleOrgUnchecked}},
	{id: "ERS-MODEL-business-function", says: "models.md BusinessFunction: nobody holds a function outside the value set (403 Forbidden).",
		check: heldIfOutsideValueSet, off: []Mutant{ErsRoleNotHeldAccepted, ErsUnknownFunctionAccepted}},
}

// deleteRules are A003's, in the page's order.
var deleteRules = []ersRule{
	{id: "ERS-A003-asid-required", says: "A003 Header: provide the ASID of the end-point system (XAPI_ASID).",
		check: asidGiven, off: []Mutant{ErsDeleteAsidNotRequired}},
	{id: "ERS-A003-asid-issued", says: "A003-later-revision Header: XAPI_ASID is the Accredited System ID issued to the third party.",
		check: asidIssued, off: []Mutant{ErsDeleteAnyASID}},
	{id: "ERS-A003-session-key-required", says: "A003 Header: provide the session key (HTTP_X_SESSION_KEY).",
		check: sessionKeySent, off: []Mutant{ErsDeleteSessionKeyNotRequired}},
	{id: "ERS-A003-session-key-matches-path", says: "A003 Input and Header: the session key header is the sessionKey of the path (HTTP_X_SESSION_KEY:{sessionKey}).",
		check: sessionKeyMatchesPath, off: []Mutant{ErsDeleteKeyMismatchAccepted}},
	{id: "ERS-A003-valid-session-required", says: "A003 Notes: the consuming application must have a valid session (404 for a key never issued).",
		check: sessionIssued, off: []Mutant{ErsUnknownKeyDeleteAccepted}},
	{id: "ERS-A003-key-invalid-after-delete", says: "A003 Notes: once deleted, the session ID becomes invalid (410 Gone).",
		check: sessionOpen},
}

func asidGiven(c *ersCall) *problem {
	if c.asid == "" {
		return ersProblem(403, "forbidden", headerASID+" header is required")
	}
	return nil
}

// asidIssued: an ASID that is sent is one e-RS issued; sending none is the header rule's to refuse.
func asidIssued(c *ersCall) *problem {
	if c.asid == "" || slices.Contains(c.api.systems, c.asid) {
		return nil
	}
	return ersProblem(403, "forbidden", headerASID+" is not an Accredited System ID issued to a third party")
}

func smartcardTokenGiven(c *ersCall) *problem {
	if strings.TrimSpace(c.token) == "" {
		return ersProblem(422, "required", "token is required")
	}
	return nil
}

// tokenIssued: a token that is sent is one a smartcard issued; sending none is the body rule's to refuse.
func tokenIssued(c *ersCall) *problem {
	if _, issued := c.api.users[c.token]; issued || c.token == "" {
		return nil
	}
	return ersProblem(403, "forbidden", "token is not a valid smartcard token")
}

func bodyIsJSON(c *ersCall) *problem {
	if c.bodyErr != nil {
		return ersProblem(400, "structure", "the request body is not a valid JSON object: "+c.bodyErr.Error())
	}
	return nil
}

func sessionKeySent(c *ersCall) *problem {
	if c.keyHeader == "" {
		return ersProblem(403, "forbidden", headerSessionKey+" header is required")
	}
	return nil
}

func sessionKeyMatchesPath(c *ersCall) *problem {
	if c.keyHeader != "" && c.keyHeader != c.pathKey {
		return ersProblem(403, "forbidden", headerSessionKey+" does not match the session in the path")
	}
	return nil
}

func permissionGiven(c *ersCall) *problem {
	if c.permission == nil {
		return ersProblem(422, "required", "permission is required")
	}
	return nil
}

func functionInValueSet(c *ersCall) *problem {
	if c.permission != nil && !c.inValueSet() {
		return ersProblem(422, "code-invalid", fmt.Sprintf("businessFunction %q is not a BusinessFunction value", c.permission.BusinessFunction))
	}
	return nil
}

func sessionIssued(c *ersCall) *problem {
	if c.session == nil {
		return ersProblem(404, "not-found", "no such session")
	}
	return nil
}

func sessionOpen(c *ersCall) *problem {
	if c.session != nil && c.session.closed {
		return ersProblem(410, "deleted", "the session has been deleted")
	}
	return nil
}

func heldIfInValueSet(c *ersCall) *problem {
	if c.permission != nil && c.inValueSet() {
		return c.held()
	}
	return nil
}

func functionHeldIfInValueSet(c *ersCall) *problem {
	if c.permission == nil || !c.inValueSet() || c.session == nil {
		return nil
	}
	for _, held := range c.session.session.User.Permissions {
		if held.BusinessFunction == c.permission.BusinessFunction {
			return nil
		}
	}
	return ersProblem(403, "forbidden", "the user does not hold that business function")
}

func heldIfOutsideValueSet(c *ersCall) *problem {
	if c.permission != nil && !c.inValueSet() {
		return c.held()
	}
	return nil
}

// held refuses the permission asked for unless the session's user holds it.
func (c *ersCall) held() *problem {
	if c.session == nil || c.session.session.User.holding(*c.permission) != nil {
		return nil
	}
	return ersProblem(403, "forbidden", "the user does not hold that permission")
}

func (c *ersCall) inValueSet() bool {
	return slices.Contains(c.api.functions, c.permission.BusinessFunction)
}
