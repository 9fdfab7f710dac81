package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"

	"github.com/healthapi-conformance/conformance/api/ers"
)

func (w World) ersThenSteps(r Registrar) {
	r.Step(phrase(`^the response body is a ProfessionalSession as models\.md describes it$`), w.bodyIsSession)
	r.Step(phrase(`^the session lists exactly the permissions the profile gives for "([^"]*)"$`), w.listsProfilePermissions)
	r.Step(phrase(`^the session's user has the identifier the profile gives for "([^"]*)"$`), w.userIdentified)
	r.Step(phrase(`^the session has no permission selected$`), w.noPermissionSelected)
	r.Step(phrase(`^every permission the session lists has a business function from the BusinessFunction value set$`), w.functionsDocumented)
	r.Step(phrase(`^the session's selected permission is the one the user chose$`), w.chosenApplied)
	r.Step(phrase(`^the session lists the same permissions as when it was opened$`), w.permissionsKept)
	r.Step(phrase(`^a 422 answer carries an OperationOutcome$`), w.outcomeOn422)
	r.Step(phrase(`^the session's typeInfo, where it gives one, is "([^"]*)"$`), w.typeInfoIs)
	r.Step(phrase(`^the session is answered as JSON, labelled application/json$`), w.answeredAsJSON)
	r.Step(phrase(`^the sessions of "([^"]*)" and "([^"]*)" are still open, each selecting a role with its own key$`), w.stillOpen)
}

// answeredSession parses the session in the last answer.
func (w World) answeredSession() (*ers.Session, error) {
	ex, err := w.answer()
	if err != nil {
		return nil, err
	}
	if ex.Status/100 != 2 {
		return nil, violated("expected a ProfessionalSession, but the target answered %d; body: %s", ex.Status, excerpt(ex.Body))
	}
	s, err := ers.ParseSession(ex.Body)
	if err != nil {
		return nil, violated("%v; body: %s", err, excerpt(ex.Body))
	}
	return s, nil
}

func (w World) bodyIsSession() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	return validate(schemaProfessionalSession, ex.Body)
}

func (w World) listsProfilePermissions(user string) error {
	u, err := w.smartcardUser(user)
	if err != nil {
		return err
	}
	if len(u.Permissions) == 0 {
		return fmt.Errorf("the profile gives no permissions for %q, so the listing cannot be checked", user)
	}
	s, err := w.answeredSession()
	if err != nil {
		return err
	}
	want := make([]ers.Permission, len(u.Permissions))
	for i, p := range u.Permissions {
		want[i] = ers.Permission{BusinessFunction: p.BusinessFunction, OrgIdentifier: p.OrgIdentifier}
	}
	if !ers.SamePermissions(s.User.Permissions, want) {
		return violated("user.permissions are not those the profile gives for %q (-expected +got):%s",
			user, difference(ers.PermissionNames(want), ers.PermissionNames(s.User.Permissions)))
	}
	return nil
}

func (w World) userIdentified(user string) error {
	u, err := w.smartcardUser(user)
	if err != nil {
		return err
	}
	if u.Identifier == "" {
		return fmt.Errorf("the profile gives no identifier for %q", user)
	}
	s, err := w.answeredSession()
	if err != nil {
		return err
	}
	if s.User.Identifier != u.Identifier {
		return violated("expected user.identifier %q, got %q", u.Identifier, s.User.Identifier)
	}
	return nil
}

func (w World) noPermissionSelected() error {
	s, err := w.answeredSession()
	if err != nil {
		return err
	}
	raw, present := s.Raw["permission"]
	switch {
	case !present:
		return violated(`expected "permission": null until a role is selected (A001 example), got no permission field`)
	case string(raw) != "null":
		return violated(`expected "permission": null until a role is selected (A001 example), got %s`, raw)
	}
	return nil
}

func (w World) functionsDocumented() error {
	s, err := w.answeredSession()
	if err != nil {
		return err
	}
	functions, err := ers.BusinessFunctions()
	if err != nil {
		return err
	}
	for _, p := range s.User.Permissions {
		if !slices.Contains(functions, p.BusinessFunction) {
			return violated("businessFunction %q is not in the BusinessFunction value set of models.md", p.BusinessFunction)
		}
	}
	return nil
}

func (w World) chosenApplied() error {
	s, err := w.answeredSession()
	if err != nil {
		return err
	}
	chosen := w.ers.chosen
	switch {
	case chosen == nil:
		return fmt.Errorf("no permission was chosen in this scenario")
	case s.Permission == nil:
		return violated("expected permission %s to be selected, got permission null", chosen)
	case !s.Permission.Same(*chosen):
		return violated("expected permission %s to be selected, got %s", chosen, s.Permission)
	}
	// The selected permission is one of the user's, so it names the same organisation.
	i := slices.IndexFunc(s.User.Permissions, s.Permission.Same)
	if i >= 0 && s.User.Permissions[i].OrgName != s.Permission.OrgName {
		return violated("the selected permission's orgName %q differs from the listed one %q",
			s.Permission.OrgName, s.User.Permissions[i].OrgName)
	}
	return nil
}

func (w World) permissionsKept() error {
	opened, err := w.session()
	if err != nil {
		return err
	}
	s, err := w.answeredSession()
	if err != nil {
		return err
	}
	if !ers.SamePermissions(s.User.Permissions, opened.User.Permissions) {
		return violated("user.permissions are not those listed when the session was opened (-opened +now):%s",
			difference(ers.PermissionNames(opened.User.Permissions), ers.PermissionNames(s.User.Permissions)))
	}
	return nil
}

// outcomeOn422 checks the OperationOutcome the later revisions promise with 422.
func (w World) outcomeOn422() error {
	ex, err := w.answer()
	if err != nil || ex.Status != http.StatusUnprocessableEntity {
		return err
	}
	if err := validate(schemaOperationOutcome, ex.Body); IsViolation(err) {
		return violated("a 422 must carry an eRS-OperationOutcome-1 (ers/A001-later-revision.md): %w", err)
	} else if err != nil {
		return err // the schema itself: the harness's fault
	}
	return nil
}

// typeInfoIs checks the value the examples give typeInfo, where the answer
// gives one: models.md does not list the field, so it may be left out.
func (w World) typeInfoIs(want string) error {
	s, err := w.answeredSession()
	if err != nil {
		return err
	}
	raw, present := s.Raw["typeInfo"]
	if !present || string(raw) == "null" {
		return nil
	}
	var got string
	if json.Unmarshal(raw, &got) != nil || got != want {
		return violated("expected typeInfo %q where it is given (A001 and A002 examples), got %s", want, raw)
	}
	return nil
}

// answeredAsJSON checks the label of a session answer: A001's request asks
// for application/json, and the examples are JSON.
func (w World) answeredAsJSON() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if ex.Status/100 != 2 {
		return violated("expected a session answered as JSON, but the target answered %d; body: %s", ex.Status, excerpt(ex.Body))
	}
	label := ex.Header.Get("Content-Type")
	if media, _, err := mime.ParseMediaType(label); err != nil || media != "application/json" {
		return violated("expected Content-Type application/json (the request's Accept, A001 Header example), got %q", label)
	}
	return nil
}

// stillOpen checks that a refused request changed neither session: each
// still selects a permission it lists, on its own key. A refusal a closed
// session gets (D-ERS-08) means the refused request closed it.
func (w World) stillOpen(ctx context.Context, first, second string) error {
	for _, user := range []string{first, second} {
		s, err := w.sessionOf(user)
		if err != nil {
			return err
		}
		p, err := lastListed(s)
		if err != nil {
			return err
		}
		if err := w.keep(w.env.ERS.SelectRole(ctx, s.ID, s.SelectBody(&p))); err != nil {
			return err
		}
		switch st := w.last.Status; {
		case st/100 == 2:
		case slices.Contains([]int{http.StatusForbidden, http.StatusNotFound, http.StatusGone, http.StatusUnprocessableEntity}, st):
			return violated("the refused request changed the session of %q: selecting a role on its own key now answers %d; body: %s",
				user, st, excerpt(w.last.Body))
		default:
			return fmt.Errorf("could not tell whether the session of %q is still open: selecting a role on its own key answered %d; body: %s",
				user, st, excerpt(w.last.Body))
		}
	}
	return nil
}
