package steps

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	messages "github.com/cucumber/messages/go/v21"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

func TestRegisterRegistersEveryStepOnce(t *testing.T) {
	steps := registered(NewWorld(&Env{}))
	require.NotEmpty(t, steps)

	seen := map[string]bool{}
	for _, s := range steps {
		re, ok := s.expr.(*regexp.Regexp)
		require.True(t, ok, "step %v is registered as %T, not a compiled *regexp.Regexp", s.expr, s.expr)
		assert.False(t, seen[re.String()], "%s is registered twice", re)
		seen[re.String()] = true
		assert.True(t, strings.HasPrefix(re.String(), "^") && strings.HasSuffix(re.String(), "$"), "%s is not anchored", re)
		require.NotNil(t, s.fn, re.String())
		assert.Equal(t, reflect.Func, reflect.TypeOf(s.fn).Kind(), "%s is bound to a %T", re, s.fn)
	}
}

// Each step's method takes what godog passes it: an optional context, one
// argument a capture group, and a table or doc string for a phrase ending
// in a colon; it returns an error.
func TestEveryStepTakesWhatItsPhraseCaptures(t *testing.T) {
	ctxType := reflect.TypeFor[context.Context]()
	tableType := reflect.TypeFor[*messages.PickleTable]()
	for _, s := range registered(NewWorld(&Env{})) {
		re := s.expr.(*regexp.Regexp)
		fn := reflect.TypeOf(s.fn)
		var args []reflect.Type
		for i := range fn.NumIn() {
			if i == 0 && fn.In(i) == ctxType {
				continue
			}
			args = append(args, fn.In(i))
		}
		want := re.NumSubexp()
		if strings.HasSuffix(re.String(), ":$") {
			want++
		}
		assert.Len(t, args, want, "%s captures %d values, its method takes %v", re, re.NumSubexp(), args)
		for _, a := range args {
			assert.Contains(t, []reflect.Type{reflect.TypeFor[string](), reflect.TypeFor[int](), tableType}, a, "%s: godog cannot pass a %s", re, a)
		}
		if assert.Equal(t, 1, fn.NumOut(), re.String()) {
			assert.Equal(t, reflect.TypeFor[error](), fn.Out(0), "%s returns %s", re, fn.Out(0))
		}
	}
}

func TestPhrasesAreCompiledOncePerProcess(t *testing.T) {
	first, second := registered(NewWorld(&Env{})), registered(NewWorld(&Env{}))
	require.Len(t, second, len(first))
	for i := range first {
		assert.Same(t, first[i].expr, second[i].expr, "%v is compiled again for another World", first[i].expr)
	}
	assert.Same(t, phrase(`^x$`), phrase(`^x$`))
	assert.NotSame(t, phrase(`^x$`), phrase(`^y$`))
}

func TestPhrasesMatchTheFeatureWords(t *testing.T) {
	steps := registered(NewWorld(&Env{}))
	cases := []struct {
		text string
		args []string
	}{
		{"the response status is 201 Created", []string{"201"}},
		{"the request is refused with one of the documented statuses 403, 404 or 422", []string{"403, 404 or 422"}},
		{`the smartcard user "clinician" creates a professional session without the XAPI_ASID header`, []string{"clinician", "XAPI_ASID"}},
		{`the system updates the role, with period.end set to "2030-06-30"`, []string{`period.end set to "2030-06-30"`}},
		{"the system adds a PractitionerRole, with organization and location removed", []string{"organization and location removed"}},
		{"the OperationOutcome has the issue:", nil},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			var matched [][]string
			for _, s := range steps {
				if m := s.expr.(*regexp.Regexp).FindStringSubmatch(tc.text); m != nil {
					matched = append(matched, m[1:])
				}
			}
			require.Len(t, matched, 1, "exactly one step matches")
			assert.Equal(t, append([]string{}, tc.args...), append([]string{}, matched[0]...))
		})
	}
}

func TestAThrottledAnswerJudgesNothing(t *testing.T) {
	w := NewWorld(&Env{Redactor: redact.New()})
	ex := &exchange.Exchange{Request: exchange.Request{Method: "PUT", URL: "http://h/fhir/PractitionerRole/R1"}, Status: http.StatusTooManyRequests,
		Retries: make([]exchange.Retry, 6)}
	err := w.keep(ex, nil)
	require.Error(t, err)
	assert.False(t, IsViolation(err))
	assert.Contains(t, err.Error(), "answered 429 Too Many Requests after 6 retries")
	_, err = w.answer()
	assert.ErrorIs(t, err, errNoAnswer, "no Then judges a throttled answer")
	assert.Len(t, w.TakeEvidence(), 1, "it is still evidence")
}

func TestAnExcerptNeverCutsAValueInTwo(t *testing.T) {
	secret := strings.Repeat("s3cr3t", 20) // 120 bytes, no delimiter inside
	body := `{"padding":"` + strings.Repeat("x", 330) + `","token":"` + secret + `"}`
	got := excerpt([]byte(body))
	assert.NotContains(t, got, "s3cr3t", "the token is left out whole, not cut")
	assert.Contains(t, got, fmt.Sprintf("(%d bytes)", len(body)))
	assert.Equal(t, "short", excerpt([]byte("short")))
	assert.Equal(t, "(no body)", excerpt(nil))
}
