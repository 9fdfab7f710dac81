package steps

import (
	"context"
	"reflect"
	"strconv"

	"github.com/cucumber/godog"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

// Register adds every step definition to a scenario. Each step's error is
// redacted where it is made: godog's hooks can add to an error, not replace it.
func Register(gsc *godog.ScenarioContext, r *redact.Redactor) {
	sc := registry{sc: gsc, redactor: r}
	registerResponse(sc)
	registerERS(sc)
	registerHPI(sc)
}

type registry struct {
	sc       *godog.ScenarioContext
	redactor *redact.Redactor
}

var errorType = reflect.TypeFor[error]()

// Step registers fn under expr, wrapped so that the error it returns has every secret masked.
func (g registry) Step(expr string, fn any) {
	v := reflect.ValueOf(fn)
	wrapped := reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
		out := v.Call(args)
		last := out[len(out)-1]
		if err, ok := last.Interface().(error); ok && err != nil {
			masked := reflect.New(errorType).Elem()
			masked.Set(reflect.ValueOf(g.redactor.Error(err)))
			out[len(out)-1] = masked
		}
		return out
	})
	g.sc.Step(expr, wrapped.Interface())
}

func registerResponse(sc registry) {
	sc.Step(`^the response status is (\d{3})(?: [A-Za-z -]+)?$`, func(ctx context.Context, code string) error {
		n, _ := strconv.Atoi(code)
		return statusIs(ctx, n)
	})
	sc.Step(`^the request is refused with (?:one of the (?:documented )?statuses|the documented status) ([\d, or]+)$`, refusedWith)
	sc.Step(`^a 422 answer carries an OperationOutcome$`, outcomeOn422)
	sc.Step(`^the response has no body$`, noBody)
}

func registerERS(sc registry) {
	// Given: what exists before the behaviour under test.
	sc.Step(`^the smartcard user "([^"]*)" has opened a professional session$`, givenOpened)
	sc.Step(`^the user has selected a permission their session lists$`, givenSelected)
	sc.Step(`^the user has closed the session$`, givenClosed)

	// When: A001.
	sc.Step(`^the smartcard user "([^"]*)" creates a professional session$`, func(ctx context.Context, user string) error {
		return world(ctx).createSession(ctx, user, "")
	})
	sc.Step(`^the smartcard user "([^"]*)" creates a professional session without the (\S+) header$`, func(ctx context.Context, user, header string) error {
		return world(ctx).createSession(ctx, user, header)
	})
	sc.Step(`^a professional session is requested with a token that no smartcard issued$`, createWithInvalidToken)
	sc.Step(`^a professional session is requested with the body "([^"]*)"$`, createWithBody)

	// When: A002.
	sc.Step(`^the user selects a permission their session lists$`, func(ctx context.Context) error {
		return selectListed(ctx, "", "")
	})
	sc.Step(`^the user selects a permission their session lists, without the (\S+) header$`, func(ctx context.Context, header string) error {
		return selectListed(ctx, "", header)
	})
	sc.Step(`^the user selects a permission their session lists, on a session key that e-RS never issued$`, func(ctx context.Context) error {
		return selectListed(ctx, unissuedKey(), "")
	})
	sc.Step(`^the user selects a business function their session does not list$`, selectNotHeld)
	sc.Step(`^the user selects a business function they hold, at an organisation where they do not hold it$`, selectHeldElsewhere)
	sc.Step(`^the user selects the business function "([^"]*)" at an organisation their session lists$`, selectFunction)
	sc.Step(`^the user sends the select-role body "([^"]*)"$`, selectWithBody)

	// When: A003 and methods.
	sc.Step(`^the user closes the session$`, func(ctx context.Context) error { return closeSession(ctx, "") })
	sc.Step(`^the user closes the session without the (\S+) header$`, closeSession)
	sc.Step(`^a session key that e-RS never issued is closed$`, closeUnissued)
	sc.Step(`^the system sends a PATCH request to the session$`, patchSession)

	// Then: the session the answer carries.
	sc.Step(`^the response body is a ProfessionalSession as models\.md describes it$`, bodyIsSession)
	sc.Step(`^the session lists exactly the permissions the profile gives for "([^"]*)"$`, listsProfilePermissions)
	sc.Step(`^the session's user has the identifier the profile gives for "([^"]*)"$`, userIdentified)
	sc.Step(`^the session has no permission selected$`, noPermissionSelected)
	sc.Step(`^every permission the session lists has a business function from the BusinessFunction value set$`, functionsDocumented)
	sc.Step(`^the session's selected permission is the one the user chose$`, chosenApplied)
	sc.Step(`^the session lists the same permissions as when it was opened$`, permissionsKept)
}
