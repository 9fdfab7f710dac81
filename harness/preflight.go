package harness

// The pre-flight proves the profile against the target before any scenario
// runs. A profile at fault (a wrong API key, smartcard token or client
// secret, too little test data, an endpoint --target cannot move) would
// otherwise make dozens of scenarios fail, each blamed on the rule it checks.
// Here it ends the run with exit 2 and the profile key to fix. Only a refusal
// of the profile's credentials is blamed on the profile: any other answer
// (200 for 201, a session without an id, a 404 without its message) is the
// target's, for the scenarios to judge.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/healthapi-conformance/conformance/api/ers"
	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/auth"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/steps"
)

// connect builds the API clients for the target and proves the profile
// against it. The endpoints are checked first: no request is sent before.
func connect(ctx context.Context, cfg Config, prof *profile.Profile, sel selection, target string, red *redact.Redactor, onWait func(time.Duration, string)) (*steps.Env, error) {
	if err := checkEndpoints(cfg, prof, target); err != nil {
		return nil, err
	}
	if err := checkSchemes(cfg, prof, target); err != nil {
		return nil, err
	}
	env, err := newEnv(ctx, prof, target, sel, red, onWait)
	if err != nil {
		return nil, err
	}
	if err := preflight(ctx, env, sel, target); err != nil {
		return nil, red.Error(err)
	}
	return env, nil
}

// preflight runs the checks that need the target, for the APIs the run selects.
func preflight(ctx context.Context, env *steps.Env, sel selection, target string) error {
	if sel.ers > 0 && env.ERS != nil {
		for _, name := range env.Profile.UserNames() {
			if err := checkSmartcard(ctx, env, name, target); err != nil {
				return err
			}
		}
	}
	if sel.hpi > 0 && env.HPI != nil {
		if env.Profile.HPI.Auth != profile.AuthNone { // with none, no token to ask for
			if err := checkScopes(ctx, env); err != nil {
				return err
			}
		}
		return checkAuthorisedRead(ctx, env, target)
	}
	return nil
}

// checkSmartcard opens a session as the user (A001) and closes it at once
// (A003). A001 documents 403 for a token no smartcard issued and 422 for
// data that fails validation (the body is the harness's, the token the
// profile's); 401 is a gateway's refusal; 404 says there is no e-RS API at
// ers.url.
func checkSmartcard(ctx context.Context, env *steps.Env, name, target string) error {
	ex, err := env.ERS.Create(ctx, ers.CreateBody(env.Profile.ERS.Users[name].Token.Value()))
	if err != nil {
		return fmt.Errorf("the e-RS API of %s cannot be used: %w", target, err)
	}
	a001 := "A001 (POST " + ex.Request.URL + ")"
	switch ex.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity:
		return fmt.Errorf("ers.users.%s.token: %s refused the smartcard token of user %s: answered %s (is the token current, and ers.asid the system's?)",
			name, a001, name, answer(ex))
	case http.StatusNotFound:
		return fmt.Errorf("ers.url: %s was answered %s: is the e-RS API at %s?", a001, answer(ex), env.Profile.ERSBaseURL(target))
	}
	closeSession(ctx, env, ex)
	return nil
}

// closeSession closes the session an A001 answer opened, so the pre-flight
// leaves none open; what A003 answers is for the scenarios to judge.
func closeSession(ctx context.Context, env *steps.Env, created *exchange.Exchange) {
	if created.Status/100 != 2 {
		return
	}
	if s, err := ers.ParseSession(created.Body); err == nil && s.ID != "" {
		_, _ = env.ERS.Close(ctx, s.ID)
	}
}

// checkScopes asks the token endpoint for each set of scopes the scenarios
// use. A token response that names its scopes must name every one asked
// for (RFC 6749 5.1: it may leave them out only when it grants them all).
func checkScopes(ctx context.Context, env *steps.Env) error {
	h := env.Profile.HPI
	sets := []struct {
		key    string
		scopes []string
	}{{"hpi.scopes", h.Scopes}, {"hpi.readOnlyScopes", h.ReadOnlyScopes}}
	for _, set := range sets {
		if len(set.scopes) == 0 {
			continue
		}
		granted, reported, err := env.HPI.Tokens().Granted(ctx, set.scopes)
		if err != nil {
			return tokenFault(set.key, err)
		}
		lacking := slices.DeleteFunc(slices.Clone(set.scopes), func(s string) bool { return slices.Contains(granted, s) })
		if reported && len(lacking) > 0 {
			return fmt.Errorf("%s: the token endpoint granted %q, not %s: is the client allowed these scopes?",
				set.key, strings.Join(granted, " "), strings.Join(lacking, ", "))
		}
	}
	return nil
}

// tokenFault names the profile key a failed token request points at:
// invalid_scope the scopes, any other refusal the client credentials, and no
// token response at all the token endpoint's URL.
func tokenFault(scopesKey string, err error) error {
	var refused *auth.RefusedError
	switch {
	case errors.As(err, &refused) && refused.Code == "invalid_scope":
		return fmt.Errorf("%s: %w", scopesKey, err)
	case errors.As(err, &refused):
		return fmt.Errorf("hpi.clientId/hpi.clientSecret: %w", err)
	}
	return fmt.Errorf("hpi.tokenUrl: %w", err)
}

// checkAuthorisedRead reads a role no server holds, with every credential the
// profile gives: 404 is the answer expected. 401 and 403 are the gateway
// refusing the token or the API key (general-request-rules.md: Unauthorized
// 401; Forbidden 403 for an API key), which no scenario could get past.
func checkAuthorisedRead(ctx context.Context, env *steps.Env, target string) error {
	ex, err := env.HPI.Read(ctx, "preflight-"+hpi.RandomHex(8))
	if err != nil {
		return fmt.Errorf("the HPI API of %s cannot be used: %w", target, err)
	}
	read := "an authorised read (GET " + ex.Request.URL + ")"
	switch {
	case env.Profile.HPI.Auth == profile.AuthNone && (ex.Status == http.StatusUnauthorized || ex.Status == http.StatusForbidden):
		return fmt.Errorf("hpi.auth: none sends no credentials, but a read (GET %s) was answered %s: the API wants its gateway's token and API key (hpi.auth: oauth2)",
			ex.Request.URL, answer(ex))
	case ex.Status == http.StatusUnauthorized:
		return fmt.Errorf("hpi.clientId/hpi.clientSecret: %s was answered %s: the API refuses the access token "+
			"its token endpoint issued to this client (is hpi.tokenUrl this API's token endpoint?)", read, answer(ex))
	case ex.Status == http.StatusForbidden:
		return fmt.Errorf("hpi.apiKey: %s was answered %s: the API refuses the x-api-key "+
			"(or, if hpi.scopes opens no read, the token)", read, answer(ex))
	}
	return nil
}

// answer is an answer's status and the start of its body, on one line.
func answer(ex *exchange.Exchange) string {
	const max = 400
	body := strings.Join(strings.Fields(string(ex.Body)), " ")
	if cut, short := redact.Cut(body, max); short {
		body = cut + "…" // masked later: cut where no secret is split
	}
	if body == "" {
		body = "(no body)"
	}
	return fmt.Sprintf("%d %s %s", ex.Status, http.StatusText(ex.Status), body)
}
