package steps

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func (w World) responseSteps(r Registrar) {
	r.Step(phrase(`^the response status is (\d{3})(?: [A-Za-z -]+)?$`), w.statusIs)
	r.Step(phrase(`^the request is refused with (?:one of the (?:documented )?statuses|the documented status) ([\d, or]+)$`), w.refusedWith)
	r.Step(phrase(`^the request is refused with a 4xx status$`), w.refused4xx)
	r.Step(phrase(`^the request is accepted with a 2xx status and a JSON object$`), w.acceptedWithJSON)
	r.Step(phrase(`^the response has no body$`), w.noBody)
}

// statusIs checks the exact status the docs promise.
func (w World) statusIs(want int) error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if ex.Status != want {
		return violated("expected status %d %s, got %d %s; body: %s",
			want, http.StatusText(want), ex.Status, http.StatusText(ex.Status), excerpt(ex.Body))
	}
	return nil
}

var statusNumber = regexp.MustCompile(`^[1-5]\d\d$`)

// statuses reads a list such as "403, 404 or 422". A list written otherwise
// is the feature's mistake, not the target's.
func statuses(list string) ([]int, error) {
	var out []int
	for _, s := range strings.FieldsFunc(strings.ReplaceAll(list, " or ", ","), func(r rune) bool { return r == ',' }) {
		s = strings.TrimSpace(s)
		if !statusNumber.MatchString(s) {
			return nil, fmt.Errorf("the status list %q is not written as HTTP statuses, e.g. \"403, 404 or 422\"", list)
		}
		n, _ := strconv.Atoi(s)
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the status list %q names no status", list)
	}
	return out, nil
}

// refusedWith checks a refusal where the docs allow several statuses.
func (w World) refusedWith(list string) error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	allowed, err := statuses(list)
	if err != nil {
		return err
	}
	return refusal(allowed, ex.Status, ex.Body)
}

// refusal says whether status is one of allowed, and if not, what the target did.
func refusal(allowed []int, status int, body []byte) error {
	if slices.Contains(allowed, status) {
		return nil
	}
	verdict := "answered"
	if status < 300 {
		verdict = "accepted it:"
	}
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = strconv.Itoa(s)
	}
	return violated("expected the request to be refused with one of %s, but the target %s %d %s; body: %s",
		strings.Join(names, ", "), verdict, status, http.StatusText(status), excerpt(body))
}

func (w World) refused4xx() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if ex.Status < 400 || ex.Status > 499 {
		return violated("expected the request to be refused with a 4xx status, but the target answered %d; body: %s", ex.Status, excerpt(ex.Body))
	}
	return nil
}

// acceptedWithJSON checks that a request the docs allow was accepted,
// where which success status it gets, and what the object holds, are other
// rules'.
func (w World) acceptedWithJSON() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if ex.Status/100 != 2 {
		return violated("expected the request to be accepted with a 2xx status, but the target answered %d %s; body: %s",
			ex.Status, http.StatusText(ex.Status), excerpt(ex.Body))
	}
	var object map[string]json.RawMessage
	if json.Unmarshal(ex.Body, &object) != nil || object == nil {
		return violated("expected the accepted request to be answered with a JSON object, got: %s", excerpt(ex.Body))
	}
	return nil
}

// noBody checks that the answer has no body (A003: "This response has no body").
func (w World) noBody() error {
	ex, err := w.answer()
	if err != nil {
		return err
	}
	if len(ex.Body) > 0 {
		return violated("expected no body, got %d bytes: %s", len(ex.Body), excerpt(ex.Body))
	}
	if cl := ex.Header.Get("Content-Length"); cl != "" && cl != "0" {
		return violated("expected no body, but the answer declares Content-Length: %s", cl)
	}
	return nil
}
