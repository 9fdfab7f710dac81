package steps

import (
	"context"
	"fmt"
	"net/http"
	"slices"
)

func givenOpened(ctx context.Context, user string) error {
	return world(ctx).openSession(ctx, user)
}

func givenSelected(ctx context.Context) error {
	return world(ctx).succeeded(selectListed(ctx, "", ""), "select a permission the session lists")
}

func givenClosed(ctx context.Context) error {
	return world(ctx).succeeded(closeSession(ctx, ""), "close the session")
}

func createWithInvalidToken(ctx context.Context) error {
	w := world(ctx)
	return w.ersSend(ctx, ersCall{method: http.MethodPost, body: createBody(invalidToken)})
}

func createWithBody(ctx context.Context, name string) error {
	w := world(ctx)
	body, err := w.requestBody(name)
	if err != nil {
		return err
	}
	return w.ersSend(ctx, ersCall{method: http.MethodPost, body: body})
}

// selectPicked selects the permission pick chooses from the opened session.
func selectPicked(ctx context.Context, pick func(*ersSession) (ersPermission, error), key, omit string) error {
	w := world(ctx)
	s, err := w.session()
	if err != nil {
		return err
	}
	p, err := pick(s)
	if err != nil {
		return err
	}
	return w.selectPermission(ctx, p, key, omit)
}

func selectListed(ctx context.Context, key, omit string) error {
	return selectPicked(ctx, (*ersSession).lastListed, key, omit)
}

func selectNotHeld(ctx context.Context) error {
	return selectPicked(ctx, (*ersSession).notHeld, "", "")
}

func selectHeldElsewhere(ctx context.Context) error {
	return selectPicked(ctx, (*ersSession).heldElsewhere, "", "")
}

func selectFunction(ctx context.Context, function string) error {
	return selectPicked(ctx, func(s *ersSession) (ersPermission, error) {
		p, err := s.lastListed()
		p.BusinessFunction = function
		return p, err
	}, "", "")
}

func selectWithBody(ctx context.Context, name string) error {
	w := world(ctx)
	s, err := w.session()
	if err != nil {
		return err
	}
	body, err := w.requestBody(name)
	if err != nil {
		return err
	}
	return w.ersSend(ctx, ersCall{method: http.MethodPut, key: s.ID, body: body})
}

func closeSession(ctx context.Context, omit string) error {
	w := world(ctx)
	s, err := w.session()
	if err != nil {
		return err
	}
	return w.ersSend(ctx, ersCall{method: http.MethodDelete, key: s.ID, omit: omit})
}

func closeUnissued(ctx context.Context) error {
	return world(ctx).ersSend(ctx, ersCall{method: http.MethodDelete, key: unissuedKey()})
}

func patchSession(ctx context.Context) error {
	w := world(ctx)
	s, err := w.session()
	if err != nil {
		return err
	}
	return w.ersSend(ctx, ersCall{method: http.MethodPatch, key: s.ID, body: s.selectBody(s.User.Permissions[0])})
}

// answeredSession parses the session in the last answer.
func answeredSession(ctx context.Context) (*ersSession, error) {
	ex, err := world(ctx).answer()
	if err != nil {
		return nil, err
	}
	if ex.Status/100 != 2 {
		return nil, fmt.Errorf("expected a ProfessionalSession, but the target answered %d; body: %s", ex.Status, excerpt(ex.Body))
	}
	return parseSession(ex.Body)
}

func bodyIsSession(ctx context.Context) error {
	ex, err := world(ctx).answer()
	if err != nil {
		return err
	}
	return validate(schemaProfessionalSession, ex.Body)
}

func listsProfilePermissions(ctx context.Context, user string) error {
	w := world(ctx)
	u, err := w.smartcardUser(user)
	if err != nil {
		return err
	}
	if len(u.Permissions) == 0 {
		return fmt.Errorf("the profile gives no permissions for %q, so the listing cannot be checked", user)
	}
	s, err := answeredSession(ctx)
	if err != nil {
		return err
	}
	want := make([]ersPermission, len(u.Permissions))
	for i, p := range u.Permissions {
		want[i] = ersPermission{BusinessFunction: p.BusinessFunction, OrgIdentifier: p.OrgIdentifier}
	}
	if !samePermissions(s.User.Permissions, want) {
		return fmt.Errorf("expected user.permissions %s, got %s", permissionsText(want), permissionsText(s.User.Permissions))
	}
	return nil
}

func userIdentified(ctx context.Context, user string) error {
	u, err := world(ctx).smartcardUser(user)
	if err != nil {
		return err
	}
	if u.Identifier == "" {
		return fmt.Errorf("the profile gives no identifier for %q", user)
	}
	s, err := answeredSession(ctx)
	if err != nil {
		return err
	}
	if s.User.Identifier != u.Identifier {
		return fmt.Errorf("expected user.identifier %q, got %q", u.Identifier, s.User.Identifier)
	}
	return nil
}

func noPermissionSelected(ctx context.Context) error {
	s, err := answeredSession(ctx)
	if err != nil {
		return err
	}
	raw, present := s.raw["permission"]
	if !present || string(raw) != "null" {
		return fmt.Errorf(`expected "permission": null until a role is selected (A001 example), got %s`, orMissing(raw, present))
	}
	return nil
}

func orMissing(raw []byte, present bool) string {
	if !present {
		return "no permission field"
	}
	return string(raw)
}

func functionsDocumented(ctx context.Context) error {
	s, err := answeredSession(ctx)
	if err != nil {
		return err
	}
	functions, err := businessFunctions()
	if err != nil {
		return err
	}
	for _, p := range s.User.Permissions {
		if !slices.Contains(functions, p.BusinessFunction) {
			return fmt.Errorf("businessFunction %q is not in the BusinessFunction value set of models.md", p.BusinessFunction)
		}
	}
	return nil
}

func chosenApplied(ctx context.Context) error {
	w := world(ctx)
	s, err := answeredSession(ctx)
	if err != nil {
		return err
	}
	chosen := w.ers.chosen
	switch {
	case chosen == nil:
		return fmt.Errorf("no permission was chosen in this scenario")
	case s.Permission == nil:
		return fmt.Errorf("expected permission %s to be selected, got permission null", chosen)
	case !s.Permission.same(*chosen):
		return fmt.Errorf("expected permission %s to be selected, got %s", chosen, s.Permission)
	}
	// The selected permission is one of the user's, so it names the same organisation.
	i := slices.IndexFunc(s.User.Permissions, s.Permission.same)
	if i >= 0 && s.User.Permissions[i].OrgName != s.Permission.OrgName {
		return fmt.Errorf("the selected permission's orgName %q differs from the listed one %q",
			s.Permission.OrgName, s.User.Permissions[i].OrgName)
	}
	return nil
}

func permissionsKept(ctx context.Context) error {
	w := world(ctx)
	opened, err := w.session()
	if err != nil {
		return err
	}
	s, err := answeredSession(ctx)
	if err != nil {
		return err
	}
	if !samePermissions(s.User.Permissions, opened.User.Permissions) {
		return fmt.Errorf("expected user.permissions %s as when opened, got %s",
			permissionsText(opened.User.Permissions), permissionsText(s.User.Permissions))
	}
	return nil
}
