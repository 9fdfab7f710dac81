package steps

import (
	"context"
	"fmt"

	"github.com/healthapi-conformance/conformance/api/ers"
	"github.com/healthapi-conformance/conformance/profile"
)

func (w World) ersGivenSteps(r Registrar) {
	r.Step(phrase(`^the smartcard user "([^"]*)" has opened a professional session$`), w.openSession)
	r.Step(phrase(`^the user has selected a permission their session lists$`), w.givenSelected)
	r.Step(phrase(`^the user has closed the session$`), w.givenClosed)
}

// ersState is what an e-RS scenario remembers between steps.
type ersState struct {
	opened *ers.Session            // the session as A001 returned it, the last one opened
	byUser map[string]*ers.Session // every session opened, by its smartcard user
	chosen *ers.Permission         // the permission the user last asked to select
}

// openSession is the Given form of A001: it must succeed, and the session is remembered.
func (w World) openSession(ctx context.Context, user string) error {
	if err := w.succeeded(w.createSession(ctx, user), fmt.Sprintf("open a session for %q", user)); err != nil {
		return err
	}
	s, err := ers.ParseSession(w.last.Body)
	if err != nil {
		return err
	}
	if s.ID == "" {
		return fmt.Errorf("the created session has no id, so it cannot be used: %s", excerpt(w.last.Body))
	}
	w.ers.opened = s
	if w.ers.byUser == nil {
		w.ers.byUser = map[string]*ers.Session{}
	}
	w.ers.byUser[user] = s
	return nil
}

func (w World) givenSelected(ctx context.Context) error {
	return w.succeeded(w.selectListed(ctx), "select a permission the session lists")
}

func (w World) givenClosed(ctx context.Context) error {
	return w.succeeded(w.closeSession(ctx), "close the session")
}

func (w World) smartcardUser(name string) (profile.SmartcardUser, error) {
	u, ok := w.env.Profile.ERS.Users[name]
	if !ok {
		return u, fmt.Errorf("the profile has no smartcard user %q (it has %v)", name, w.env.Profile.UserNames())
	}
	return u, nil
}

// sessionOf is the session the scenario opened for the user.
func (w World) sessionOf(user string) (*ers.Session, error) {
	s, ok := w.ers.byUser[user]
	if !ok {
		return nil, fmt.Errorf("no professional session has been opened for %q in this scenario", user)
	}
	return s, nil
}

// session is the session the scenario opened.
func (w World) session() (*ers.Session, error) {
	if w.ers.opened == nil {
		return nil, fmt.Errorf("no professional session has been opened in this scenario")
	}
	return w.ers.opened, nil
}
