package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/auth"
	"github.com/healthapi-conformance/conformance/profile"
)

// The general page's request rules hold for every request: these are the
// reads and adds that vary a rule, beside the updates of hpi_when.go. An
// add here leaves the scenario's role under test as it was.
func (w World) hpiRequestWhenSteps(r Registrar) {
	r.Step(phrase(`^the system adds a PractitionerRole$`), w.addRole)
	r.Step(phrase(`^the system adds a PractitionerRole without the (\S+) header$`), w.addAnotherWithout)
	r.Step(phrase(`^the system (reads the role|adds a PractitionerRole) with an access token the token endpoint never issued$`), w.requestWithForeignToken)
	r.Step(phrase(`^the system (reads the role|adds a PractitionerRole) with a token granted only the read-only scopes$`), w.requestReadOnly)
	r.Step(phrase(`^the system (reads the role|adds a PractitionerRole|updates the role's contact points) with an API key the HPI never issued$`), w.requestWithForeignKey)
	r.Step(phrase(`^the system (reads the role|adds a PractitionerRole|updates the role's contact points) with a token granted only the scope "([^"]*)"$`), w.requestWithScope)
	r.Step(phrase(`^the system (adds a PractitionerRole|updates the role's contact points), declaring the body as "([^"]*)"$`), w.requestDeclaredAs)
	r.Step(phrase(`^the system asks the token endpoint for an access token with a client secret it was never issued$`), w.askTokenWithForeignSecret)
}

// addAnother adds a role without making it the role under test. It takes
// the role under test's practitioner and code, so that a scenario still
// uses one pair of test data (harness/selection.go, checkTestData), over a
// year long past that the role under test's period cannot overlap.
func (w World) addAnother(ctx context.Context, opts ...hpi.Option) error {
	if w.hpi.id == "" {
		return fmt.Errorf("no role under test: an add beside it needs one (Given the system has created a PractitionerRole)")
	}
	role, err := w.newRole(w.hpi.combo)
	if err != nil {
		return err
	}
	if err := withEnd(role, pastYear+"-01-01", pastYear+"-12-31"); err != nil {
		return err
	}
	return w.keep(w.env.HPI.Create(ctx, role, opts...))
}

// pastYear is before the period of every role the scenarios create (fixtures/hpi/requests/new-role.json).
const pastYear = "2010"

func (w World) addRole(ctx context.Context) error { return w.addAnother(ctx) }

func (w World) addAnotherWithout(ctx context.Context, header string) error {
	return w.addAnother(ctx, hpi.WithoutHeader(header))
}

// request sends the read or the add the words name, with opts.
func (w World) request(ctx context.Context, what string, opts ...hpi.Option) error {
	switch what {
	case "reads the role":
		return w.keepRead(ctx)(w.env.HPI.Read(ctx, w.hpi.id, opts...))
	case "adds a PractitionerRole":
		return w.addAnother(ctx, opts...)
	case "updates the role's contact points":
		return w.editAndUpdate(ctx, newEmail, opts...)
	}
	return fmt.Errorf("the step names no request the HPI client sends: %q", what)
}

func (w World) requestWithForeignToken(ctx context.Context, what string) error {
	return w.request(ctx, what, hpi.WithBearer("not-a-token-"+hpi.RandomHex(16)))
}

func (w World) requestWithForeignKey(ctx context.Context, what string) error {
	return w.request(ctx, what, hpi.WithAPIKey("not-a-key-"+hpi.RandomHex(16)))
}

func (w World) requestReadOnly(ctx context.Context, what string) error {
	return w.request(ctx, what, hpi.WithScopes(w.env.Profile.HPI.ReadOnlyScopes))
}

// scopeBase is where the general page's scopes are named (Scopes table).
const scopeBase = "https://api.hip.digital.health.nz/fhir/"

func (w World) requestWithScope(ctx context.Context, what, scope string) error {
	return w.request(ctx, what, hpi.WithScopes([]string{scopeBase + scope}))
}

func (w World) requestDeclaredAs(ctx context.Context, what, mediaType string) error {
	return w.request(ctx, what, hpi.DeclaredAs(mediaType))
}

// askTokenWithForeignSecret asks for a token as the profile's client, with
// a secret of the harness's making; the refusal, or the token, is kept for
// the Then step.
func (w World) askTokenWithForeignSecret(ctx context.Context) error {
	if w.env.Profile.HPI.Auth == profile.AuthNone {
		return hpi.ErrNoAuth
	}
	w.last, w.hpi.token = nil, tokenAnswer{}
	_, err := w.env.HPI.Tokens().WithSecret("not-the-secret-"+hpi.RandomHex(16)).Bearer(ctx, w.env.Profile.HPI.Scopes)
	var refused *auth.RefusedError
	switch {
	case err == nil:
		w.hpi.token = tokenAnswer{asked: true, granted: true}
	case errors.As(err, &refused):
		w.hpi.token = tokenAnswer{asked: true, refused: refused}
	default:
		return err // no OAuth2 answer at all: nothing to judge
	}
	return nil
}

// tokenAnswer is what the token endpoint answered a token request a step made.
type tokenAnswer struct {
	asked   bool
	granted bool
	refused *auth.RefusedError
}
