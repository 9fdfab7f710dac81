package steps

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// statusIs checks the exact status the docs promise.
func statusIs(ctx context.Context, want int) error {
	ex, err := world(ctx).answer()
	if err != nil {
		return err
	}
	if ex.Status != want {
		return fmt.Errorf("expected status %d %s, got %d %s; body: %s",
			want, http.StatusText(want), ex.Status, http.StatusText(ex.Status), excerpt(ex.Body))
	}
	return nil
}

var statusList = regexp.MustCompile(`\d{3}`)

// refusedWith checks a refusal where the docs allow several statuses.
func refusedWith(ctx context.Context, list string) error {
	ex, err := world(ctx).answer()
	if err != nil {
		return err
	}
	var allowed []int
	for _, s := range statusList.FindAllString(list, -1) {
		n, _ := strconv.Atoi(s)
		allowed = append(allowed, n)
	}
	if slices.Contains(allowed, ex.Status) {
		return nil
	}
	verdict := "answered"
	if ex.Status < 300 {
		verdict = "accepted it:"
	}
	return fmt.Errorf("expected the request to be refused with one of %s, but the target %s %d %s; body: %s",
		strings.Join(statusList.FindAllString(list, -1), ", "), verdict, ex.Status, http.StatusText(ex.Status), excerpt(ex.Body))
}

// outcomeOn422 checks the OperationOutcome the later revisions promise with 422.
func outcomeOn422(ctx context.Context) error {
	ex, err := world(ctx).answer()
	if err != nil || ex.Status != http.StatusUnprocessableEntity {
		return err
	}
	if err := validate(schemaOperationOutcome, ex.Body); err != nil {
		return fmt.Errorf("a 422 must carry an eRS-OperationOutcome-1 (ers/A001-later-revision.md): %w", err)
	}
	return nil
}

// noBody checks that the answer has no body (A003: "This response has no body").
func noBody(ctx context.Context) error {
	ex, err := world(ctx).answer()
	if err != nil {
		return err
	}
	if len(ex.Body) > 0 {
		return fmt.Errorf("expected no body, got %d bytes: %s", len(ex.Body), excerpt(ex.Body))
	}
	if cl := ex.Header.Get("Content-Length"); cl != "" && cl != "0" {
		return fmt.Errorf("expected no body, but the answer declares Content-Length: %s", cl)
	}
	return nil
}
