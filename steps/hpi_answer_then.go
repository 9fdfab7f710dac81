package steps

import (
	"fmt"
	"mime"
	"slices"
	"strings"

	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
)

// What every HPI answer promises (general-request-rules.md), whatever the
// operation, and the OAuth2 token endpoint's side of the client
// credentials flow.
func (w World) hpiAnswerThenSteps(r Registrar) {
	r.Step(phrase(`^the answer's body, if it has one, is declared as JSON$`), w.answerDeclaredJSON)
	r.Step(phrase(`^the answer carries an X-Request-Id that no earlier answer carried$`), w.requestIDOwn)
	r.Step(phrase(`^the role in the answer, if it carries one, has exactly one official identifier, whose value is its id$`), w.oneOfficialIdentifier)
	r.Step(phrase(`^the role in the answer, if it carries one, contains no resources, only references to them$`), w.noContained)
	r.Step(phrase(`^the answer is an OperationOutcome in one of the general page's error formats$`), w.outcomeInDocumentedFormat)
	r.Step(phrase(`^every issue of the OperationOutcome has severity "([^"]*)" and code "([^"]*)"$`), w.issuesAre)
	r.Step(phrase(`^no access token is granted$`), w.noTokenGranted)
	r.Step(phrase(`^the request is served, not refused$`), w.served)
}

// outcomeCodeSystem is the code system of the general page's coded error format.
const outcomeCodeSystem = "https://standards.digital.health.nz/ns/hip-operation-outcome-details-code"

// answerDeclaredJSON: "Only Json is supported". A +json type such as
// application/fhir+json is JSON too (RFC 6839).
func (w World) answerDeclaredJSON() error {
	ex, err := w.answer()
	if err != nil || len(ex.Body) == 0 {
		return err
	}
	ct := ex.Header.Get("Content-Type")
	mt, _, perr := mime.ParseMediaType(ct)
	if perr == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return nil
	}
	return violated("only JSON is supported (general-request-rules.md, Resource representation: Json), but the %d answer declares its body as %q", ex.Status, ct)
}

// requestIDOwn: X-Request-Id is a "Unique identifier for the request".
func (w World) requestIDOwn() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	id := ex.Header.Get("X-Request-Id")
	if id == "" {
		return violated("expected an X-Request-Id on the %d answer (general-request-rules.md, Response Headers); there is none", ex.Status)
	}
	for i, earlier := range w.answered {
		if earlier != ex && earlier.Header.Get("X-Request-Id") == id {
			return violated("the X-Request-Id %q of this answer is the one of answer %d of %d of the scenario: it identifies no single request", id, i+1, len(w.answered))
		}
	}
	return nil
}

// answeredRole is the PractitionerRole the last answer carries; nil when it carries none.
func (w World) answeredRole() (resource, error) {
	ex, err := w.answer()
	if err != nil {
		return nil, err
	}
	role, err := hpi.ParseResource(ex.Body)
	if err != nil || role["resourceType"] != "PractitionerRole" {
		return nil, nil
	}
	return role, nil
}

// oneOfficialIdentifier: "the id of the resource will always be the same as
// the value of the identifier assigned by the HPI with a use value of
// 'official'. (There will only ever be a single identifier with this use
// type and system in a resource)".
func (w World) oneOfficialIdentifier() error {
	role, err := w.answeredRole()
	if err != nil || role == nil {
		return err
	}
	var values []string
	bySystem := map[string]int{}
	list, _ := role["identifier"].([]any)
	for _, i := range list {
		if m, ok := i.(map[string]any); ok && m["use"] == "official" {
			values = append(values, fmt.Sprint(m["value"]))
			bySystem[fmt.Sprint(m["system"])]++
		}
	}
	for system, n := range bySystem {
		if n > 1 {
			return violated("the role has %d official identifiers of system %s; the general page allows a single one (Id and Identifiers): %s", n, system, mustJSON(role["identifier"]))
		}
	}
	if !slices.Contains(values, fmt.Sprint(role["id"])) {
		return violated("the role's id %v is not the value of its official identifier (general-request-rules.md, Id and Identifiers); official identifiers: %v", role["id"], values)
	}
	return nil
}

// noContained: the HPI renders references as "only the reference links themselves".
func (w World) noContained() error {
	role, err := w.answeredRole()
	if err != nil || role == nil {
		return err
	}
	if list, _ := role["contained"].([]any); len(list) > 0 {
		return violated("the role was answered with %d contained resources, unasked; the HPI includes only the reference links (general-request-rules.md, Contained resources): %s", len(list), mustJSON(list))
	}
	return nil
}

// outcomeInDocumentedFormat: each issue has a severity and a code, and
// its message either coded (details.coding, of the documented code system)
// or, in the older format, as diagnostics.
func (w World) outcomeInDocumentedFormat() error {
	o, err := w.refusalOutcome()
	if err != nil {
		return err
	}
	for n, is := range o.Issue {
		where := fmt.Sprintf("issue %d of the OperationOutcome", n+1)
		switch {
		case is.Severity == "" || is.Code == "":
			return violated("%s has no severity or no code; both formats of the general page's Error Format give both: %+v", where, is)
		case len(is.Details.Coding) > 0:
			for _, c := range is.Details.Coding {
				if c.System != outcomeCodeSystem || c.Code == "" {
					return violated("%s is coded %q of system %q; the general page's coded format names codes of %s", where, c.Code, c.System, outcomeCodeSystem)
				}
			}
		case strings.TrimSpace(is.Diagnostics) == "":
			return violated("%s carries its message neither coded (details.coding) nor as diagnostics, the two formats of the general page's Error Format", where)
		}
	}
	return nil
}

func (w World) issuesAre(severity, code string) error {
	o, err := w.refusalOutcome()
	if err != nil {
		return err
	}
	for n, is := range o.Issue {
		if is.Severity != severity || is.Code != code {
			return violated("expected every issue to have severity %q and code %q (general-request-rules.md, Error Format), issue %d has %q and %q", severity, code, n+1, is.Severity, is.Code)
		}
	}
	return nil
}

// notRefused leaves a Then about a refusal's format not judged when the
// request was not refused: whether it should have been is another rule's.
// refusalOutcome is the OperationOutcome of the last answer, which must be
// a refusal: a Then about refusals judges nothing else.
func (w World) refusalOutcome() (hpi.Outcome, error) {
	if ex, err := w.answer(); err != nil || ex.Status < 400 {
		return hpi.Outcome{}, notRefused(ex, err)
	}
	return w.lastOutcome()
}

func notRefused(ex *exchange.Exchange, err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("the request was answered %d, not refused: there is no error format to judge", ex.Status)
}

func (w World) noTokenGranted() error {
	t := w.hpi.token
	switch {
	case !t.asked:
		return fmt.Errorf("no token request was made to judge")
	case t.granted:
		return violated("the token endpoint granted an access token for a client secret it never issued (general-request-rules.md, OAUTH2: the Client Credentials flow authenticates the client)")
	}
	return nil
}

// served: the request got a 2xx answer; which one is the operation's own rule.
func (w World) served() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if ex.Status/100 != 2 {
		return violated("expected the request to be served, but it was answered %d; body: %s", ex.Status, excerpt(ex.Body))
	}
	return nil
}
