package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/healthapi-conformance/conformance/api/ers"
)

func (w World) ersWhenSteps(r Registrar) {
	// A001.
	r.Step(phrase(`^the smartcard user "([^"]*)" creates a professional session$`), w.createSession)
	r.Step(phrase(`^the smartcard user "([^"]*)" creates a professional session without the (\S+) header$`), w.createSessionWithout)
	r.Step(phrase(`^a professional session is requested with a token that no smartcard issued$`), w.createWithUnknownToken)
	r.Step(phrase(`^a professional session is requested with this body:$`), w.createWithBody)
	r.Step(phrase(`^the smartcard user "([^"]*)" creates a professional session, naming a system that was never accredited$`), w.createUnaccredited)
	r.Step(phrase(`^the smartcard user "([^"]*)" creates a professional session with a body that provides only the token$`), w.createTokenOnly)

	// A002.
	r.Step(phrase(`^the user selects a permission their session lists$`), w.selectListed)
	r.Step(phrase(`^the user selects a permission their session lists, without the (\S+) header$`), w.selectListedWithout)
	r.Step(phrase(`^the user selects a permission their session lists, on a session key that e-RS never issued$`), w.selectOnUnissuedKey)
	r.Step(phrase(`^the user selects a business function their session does not list$`), w.selectNotHeld)
	r.Step(phrase(`^the user selects a business function they hold, at an organisation where they do not hold it$`), w.selectHeldElsewhere)
	r.Step(phrase(`^the user selects the business function "([^"]*)" at an organisation their session lists$`), w.selectFunction)
	r.Step(phrase(`^the user sends back the session as it was opened, with no permission filled in$`), w.selectNothing)
	r.Step(phrase(`^the user sends this select-role body:$`), w.selectWithBody)
	r.Step(phrase(`^the user selects a permission their session lists, naming a system that was never accredited$`), w.selectUnaccredited)
	r.Step(phrase(`^the user selects a permission their session lists, naming only its business function and organisation$`), w.selectFunctionAtOrg)
	r.Step(phrase(`^a permission both sessions list is selected on the path of the session of "([^"]*)", with the session key of "([^"]*)" in the header$`), w.selectAcross)

	// A003, and a method the endpoint does not support.
	r.Step(phrase(`^the user closes the session$`), w.closeSession)
	r.Step(phrase(`^the user closes the session without the (\S+) header$`), w.closeSessionWithout)
	r.Step(phrase(`^a session key that e-RS never issued is closed$`), w.closeUnissued)
	r.Step(phrase(`^the user closes the session, naming a system that was never accredited$`), w.closeUnaccredited)
	r.Step(phrase(`^the session of "([^"]*)" is closed on its path, with the session key of "([^"]*)" in the header$`), w.closeAcross)
	r.Step(phrase(`^the system sends a PATCH request to the session$`), w.patchSession)
}

// A token in the published form that no smartcard issued.
const unknownToken = "AQIC5wM2LY4SfcxNOTAREALSMARTCARDTOKEN0000000=@AAJTSQACMDE=#"

func (w World) createSession(ctx context.Context, user string) error {
	return w.createAs(ctx, user)
}

func (w World) createSessionWithout(ctx context.Context, user, header string) error {
	return w.createAs(ctx, user, ers.WithoutHeader(header))
}

// createAs sends A001 with a profile user's smartcard token.
func (w World) createAs(ctx context.Context, user string, opts ...ers.Option) error {
	u, err := w.smartcardUser(user)
	if err != nil {
		return err
	}
	return w.keep(w.env.ERS.Create(ctx, ers.CreateBody(u.Token.Value()), opts...))
}

func (w World) createUnaccredited(ctx context.Context, user string) error {
	return w.createAs(ctx, user, ers.WithASID(ers.UnissuedASID))
}

func (w World) createTokenOnly(ctx context.Context, user string) error {
	u, err := w.smartcardUser(user)
	if err != nil {
		return err
	}
	return w.keep(w.env.ERS.Create(ctx, ers.TokenOnlyBody(u.Token.Value())))
}

func (w World) createWithUnknownToken(ctx context.Context) error {
	return w.keep(w.env.ERS.Create(ctx, ers.CreateBody(unknownToken)))
}

func (w World) createWithBody(ctx context.Context, body string) error {
	return w.keep(w.env.ERS.Create(ctx, []byte(body)))
}

func (w World) selectListed(ctx context.Context) error {
	return w.selectPicked(ctx, lastListed)
}

func (w World) selectListedWithout(ctx context.Context, header string) error {
	return w.selectPicked(ctx, lastListed, ers.WithoutHeader(header))
}

func (w World) selectUnaccredited(ctx context.Context) error {
	return w.selectPicked(ctx, lastListed, ers.WithASID(ers.UnissuedASID))
}

// selectFunctionAtOrg names the permission as the Body example does: no orgName.
func (w World) selectFunctionAtOrg(ctx context.Context) error {
	return w.selectPicked(ctx, func(s *ers.Session) (ers.Permission, error) {
		p, err := lastListed(s)
		p.OrgName = ""
		return p, err
	})
}

// selectAcross sends A002 on the path of one user's session with the other's key in the header.
func (w World) selectAcross(ctx context.Context, pathUser, headerUser string) error {
	onPath, inHeader, err := w.twoSessions(pathUser, headerUser)
	if err != nil {
		return err
	}
	p, err := listedByBoth(onPath, inHeader)
	if err != nil {
		return err
	}
	w.ers.chosen = &p
	return w.keep(w.env.ERS.SelectRole(ctx, onPath.ID, onPath.SelectBody(&p), ers.WithSessionKeyHeader(inHeader.ID)))
}

func (w World) twoSessions(pathUser, headerUser string) (*ers.Session, *ers.Session, error) {
	onPath, err := w.sessionOf(pathUser)
	if err != nil {
		return nil, nil, err
	}
	inHeader, err := w.sessionOf(headerUser)
	if err != nil {
		return nil, nil, err
	}
	if onPath.ID == inHeader.ID {
		return nil, nil, fmt.Errorf("the sessions of %q and %q have the same key, so they cannot be told apart", pathUser, headerUser)
	}
	return onPath, inHeader, nil
}

func (w World) selectOnUnissuedKey(ctx context.Context) error {
	return w.selectPickedOn(ctx, ers.UnissuedKey(), lastListed)
}

func (w World) selectNotHeld(ctx context.Context) error {
	return w.selectPicked(ctx, notHeld)
}

func (w World) selectHeldElsewhere(ctx context.Context) error {
	return w.selectPicked(ctx, heldElsewhere)
}

func (w World) selectFunction(ctx context.Context, function string) error {
	return w.selectPicked(ctx, func(s *ers.Session) (ers.Permission, error) {
		p, err := lastListed(s)
		p.BusinessFunction = function
		return p, err
	})
}

// selectPicked sends A002 for the opened session with the permission pick chooses.
func (w World) selectPicked(ctx context.Context, pick picker, opts ...ers.Option) error {
	return w.selectPickedOn(ctx, "", pick, opts...)
}

// selectPickedOn is selectPicked on another session key ("" for the opened session's).
func (w World) selectPickedOn(ctx context.Context, key string, pick picker, opts ...ers.Option) error {
	s, err := w.session()
	if err != nil {
		return err
	}
	p, err := pick(s)
	if err != nil {
		return err
	}
	if key == "" {
		key = s.ID
	}
	w.ers.chosen = &p
	return w.keep(w.env.ERS.SelectRole(ctx, key, s.SelectBody(&p), opts...))
}

func (w World) selectNothing(ctx context.Context) error {
	s, err := w.session()
	if err != nil {
		return err
	}
	return w.keep(w.env.ERS.SelectRole(ctx, s.ID, s.SelectBody(nil)))
}

func (w World) selectWithBody(ctx context.Context, body string) error {
	s, err := w.session()
	if err != nil {
		return err
	}
	return w.keep(w.env.ERS.SelectRole(ctx, s.ID, []byte(body)))
}

func (w World) closeSession(ctx context.Context) error {
	return w.closeOpened(ctx)
}

func (w World) closeSessionWithout(ctx context.Context, header string) error {
	return w.closeOpened(ctx, ers.WithoutHeader(header))
}

func (w World) closeOpened(ctx context.Context, opts ...ers.Option) error {
	s, err := w.session()
	if err != nil {
		return err
	}
	return w.keep(w.env.ERS.Close(ctx, s.ID, opts...))
}

func (w World) closeUnaccredited(ctx context.Context) error {
	return w.closeOpened(ctx, ers.WithASID(ers.UnissuedASID))
}

// closeAcross sends A003 on the path of one user's session with the other's key in the header.
func (w World) closeAcross(ctx context.Context, pathUser, headerUser string) error {
	onPath, inHeader, err := w.twoSessions(pathUser, headerUser)
	if err != nil {
		return err
	}
	return w.keep(w.env.ERS.Close(ctx, onPath.ID, ers.WithSessionKeyHeader(inHeader.ID)))
}

func (w World) closeUnissued(ctx context.Context) error {
	return w.keep(w.env.ERS.Close(ctx, ers.UnissuedKey()))
}

func (w World) patchSession(ctx context.Context) error {
	s, err := w.session()
	if err != nil {
		return err
	}
	p, err := lastListed(s)
	if err != nil {
		return err
	}
	return w.keep(w.env.ERS.Send(ctx, http.MethodPatch, s.ID, s.SelectBody(&p)))
}
