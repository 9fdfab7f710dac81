package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/healthapi-conformance/conformance/fixtures"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/profile"
)

const (
	docASID       = "XAPI_ASID"
	docSessionKey = "HTTP_X_SESSION_KEY"
	invalidToken  = "AQIC5wM2LY4SfcxNOTAREALSMARTCARDTOKEN0000000=@AAJTSQACMDE=#"
)

// ersCall is one e-RS request: which session it names and which documented header it leaves out.
type ersCall struct {
	method string
	key    string // session key for the path and header; "" for A001
	body   []byte
	omit   string // a documented header name to leave out
}

func (w *World) ersSend(ctx context.Context, c ersCall) error {
	p := w.env.Profile.ERS
	target := w.env.ERSBase + "/v1/ProfessionalSession"
	headers := []exchange.Header{{Name: p.Headers.ASID, Value: p.ASID}, {Name: "Accept", Value: "application/json"}}
	if c.key != "" {
		target += "/" + url.PathEscape(c.key)
		headers = append(headers, exchange.Header{Name: p.Headers.SessionKey, Value: c.key})
	}
	if c.body != nil {
		headers = append(headers, exchange.Header{Name: "Content-Type", Value: "application/json"})
	}
	if c.omit != "" {
		name, err := w.headerName(c.omit)
		if err != nil {
			return err
		}
		headers = slices.DeleteFunc(headers, func(h exchange.Header) bool { return h.Name == name })
	}
	if err := w.send(ctx, exchange.Request{Method: c.method, URL: target, Header: headers, Body: c.body}); err != nil {
		return err
	}
	w.learnSecrets(w.last.Body)
	return nil
}

// learnSecrets registers the session key and token of any session in an
// answer, whatever its status, so that no report shows them.
func (w *World) learnSecrets(body []byte) {
	var s struct{ ID, Token any }
	if json.Unmarshal(body, &s) != nil {
		return
	}
	for _, v := range []any{s.ID, s.Token} {
		if text, ok := v.(string); ok {
			w.env.Redactor.Add(text)
		}
	}
}

// headerName maps a documented header name to the one the profile sends.
func (w *World) headerName(documented string) (string, error) {
	h := w.env.Profile.ERS.Headers
	switch documented {
	case docASID:
		return h.ASID, nil
	case docSessionKey:
		return h.SessionKey, nil
	}
	return "", fmt.Errorf("%q is not a documented e-RS header (%s, %s)", documented, docASID, docSessionKey)
}

func (w *World) smartcardUser(name string) (profile.SmartcardUser, error) {
	u, ok := w.env.Profile.ERS.Users[name]
	if !ok {
		return u, fmt.Errorf("the profile has no smartcard user %q (it has %v)", name, w.env.Profile.UserNames())
	}
	return u, nil
}

// createBody is the A001 request body: only a token (A001 Input).
func createBody(token string) []byte {
	body, _ := json.Marshal(map[string]string{
		"typeInfo": "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession",
		"token":    token,
	})
	return body
}

// createSession sends A001 for a profile user.
func (w *World) createSession(ctx context.Context, name, omit string) error {
	u, err := w.smartcardUser(name)
	if err != nil {
		return err
	}
	w.ers.user = name
	return w.ersSend(ctx, ersCall{method: http.MethodPost, body: createBody(u.Token.Value()), omit: omit})
}

// openSession is the Given form of A001: it must succeed, and the session is remembered.
func (w *World) openSession(ctx context.Context, name string) error {
	if err := w.succeeded(w.createSession(ctx, name, ""), fmt.Sprintf("open a session for %q", name)); err != nil {
		return err
	}
	s, err := parseSession(w.last.Body)
	if err != nil {
		return err
	}
	if s.ID == "" {
		return fmt.Errorf("the created session has no id, so it cannot be used: %s", excerpt(w.last.Body))
	}
	w.ers.opened = s
	return nil
}

func (w *World) session() (*ersSession, error) {
	if w.ers.opened == nil {
		return nil, fmt.Errorf("no professional session has been opened in this scenario")
	}
	return w.ers.opened, nil
}

// selectBody is the A002 body: the A001 output with the permission filled in (A002 Input).
func (s *ersSession) selectBody(p ersPermission) []byte {
	body := map[string]any{}
	for k, v := range s.raw {
		body[k] = v
	}
	body["permission"] = p
	data, _ := json.Marshal(body)
	return data
}

// selectPermission sends A002 for the opened session.
func (w *World) selectPermission(ctx context.Context, p ersPermission, key, omit string) error {
	s, err := w.session()
	if err != nil {
		return err
	}
	if key == "" {
		key = s.ID
	}
	w.ers.chosen = &p
	return w.ersSend(ctx, ersCall{method: http.MethodPut, key: key, body: s.selectBody(p), omit: omit})
}

// requestBody loads a fixture body from fixtures/ers/requests, filling in the session's id and token.
func (w *World) requestBody(name string) ([]byte, error) {
	var data []byte
	var err error
	for _, ext := range []string{".json", ".txt"} {
		if data, err = fixtures.FS.ReadFile("ers/requests/" + name + ext); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("no request body %q in fixtures/ers/requests", name)
	}
	text := string(data)
	if s := w.ers.opened; s != nil {
		text = strings.NewReplacer("{{id}}", s.ID, "{{token}}", s.Token).Replace(text)
	}
	return []byte(text), nil
}
