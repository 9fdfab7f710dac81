package redact

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStringMasksEverySecretLongestFirst(t *testing.T) {
	r := New("secret-token", "secret-token-extended")
	r.Add("pro-xapi-session_1234")
	got := r.String("a secret-token-extended b secret-token c pro-xapi-session_1234")
	assert.Equal(t, "a [REDACTED] b [REDACTED] c [REDACTED]", got)
}

func TestShortValuesAreNotSecrets(t *testing.T) {
	r := New("R01", "")
	assert.Equal(t, "org R01", r.String("org R01"))
}

func TestTrimmedFormIsMaskedToo(t *testing.T) {
	r := New(" padded-token ")
	assert.Equal(t, "x [REDACTED] y", r.String("x padded-token y"))
}

func TestErrorKeepsCause(t *testing.T) {
	cause := errors.New("bad secret-token")
	err := New("secret-token").Error(cause)
	assert.Equal(t, "bad [REDACTED]", err.Error())
	assert.ErrorIs(t, err, cause)
	assert.NoError(t, New().Error(nil))
}

func TestEscapedFormsAreMaskedToo(t *testing.T) {
	r := New(`tok<&>"en\1`)
	for _, text := range []string{`tok<&>"en\1`, `tok\u003c\u0026\u003e\"en\\1`, `tok&lt;&amp;&gt;&#34;en\1`} {
		assert.Equal(t, "x [REDACTED] y", r.String("x "+text+" y"), text)
	}
}

func TestCutNeverSplitsAValue(t *testing.T) {
	got, short := Cut(`{"a":"x","token":"0123456789abcdef"}`, 30)
	assert.True(t, short)
	assert.Equal(t, `{"a":"x","token":"`, got, "cut before the value, not inside it")
	got, short = Cut("short", 30)
	assert.Equal(t, "short", got)
	assert.False(t, short)
	got, _ = Cut("0123456789abcdef0123456789", 10)
	assert.Empty(t, got, "no place to cut: nothing rather than half a secret")
}

func TestEveryFormASecretTakesIsMasked(t *testing.T) {
	r := New("a/b+c=d&e")
	for _, form := range []string{`a/b+c=d&e`, `a/b+c=d\u0026e`, `a\/b+c=d\u0026e`, `a/b+c=d&amp;e`, `a%2Fb+c=d&e`, `a%2Fb%2Bc%3Dd%26e`} {
		assert.Equal(t, "x [REDACTED] y", r.String("x "+form+" y"), form)
	}
}

// A canary with every character that escapes differently is masked in
// each form an output can give it.
func TestEveryFormOfACanaryIsMasked(t *testing.T) {
	const canary = `can/a+r=y&<>"x`
	r := New(canary)
	for name, form := range map[string]string{
		"raw":                   canary,
		"JSON, Go's escapes":    `can/a+r=y\u0026\u003c\u003e\"x`,
		"JSON, \\/ escapes":     `can\/a+r=y\u0026\u003c\u003e\"x`,
		"JSON, no HTML escapes": `can/a+r=y&<>\"x`,
		"JSON, both":            `can\/a+r=y&<>\"x`,
		"XML":                   `can/a+r=y&amp;&lt;&gt;&#34;x`,
		"path":                  url.PathEscape(canary),
		"query":                 url.QueryEscape(canary),
		"query, lower-case hex": strings.ToLower(url.QueryEscape(canary)),
		"hex":                   hex.EncodeToString([]byte(canary)),
		"HEX":                   strings.ToUpper(hex.EncodeToString([]byte(canary))),
	} {
		assert.Equal(t, "before "+Mask+" after", r.String("before "+form+" after"), name)
	}
}

func TestMaskedNamesTheSecretsNotTheirValues(t *testing.T) {
	r := New()
	r.AddNamed("hpi.apiKey", "api-key-value")
	r.AddNamed("ers.users.clinician.token", "smartcard-token")
	r.Add("issued-session-key")
	r.String("api-key-value and api-key-value, " + url.QueryEscape("issued-session-key"))
	assert.Equal(t, map[string]int64{"hpi.apiKey": 2, "other secrets": 1}, r.Masked())
}

// A run learns a session key and an access token a scenario: masking a
// transcript must not slow down as they pile up (it did, quadratically).
func BenchmarkStringWithManySecrets(b *testing.B) {
	for _, n := range []int{10, 10_000} {
		r := New()
		for i := range n {
			r.Add(fmt.Sprintf("pro-xapi-session_%08d-0000-4000-8000-000000000000", i))
		}
		text := strings.Repeat(`{"id":"pro-xapi-session_00000001-0000-4000-8000-000000000000","name":"someone"} `, 100)
		b.Run(fmt.Sprint(n, " secrets"), func(b *testing.B) {
			for b.Loop() {
				r.String(text)
			}
		})
	}
}

// Tokens are random: their first bytes cover most letters and digits, so
// the first byte alone passes few places by. A megabyte of report text
// (base64 and JSON, as a cucumber report is) against a thousand of them.
func BenchmarkStringOfAReportWithRandomTokens(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	random := func(n int) string {
		out := make([]byte, n)
		for i := range out {
			out[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(out)
	}
	r := New()
	for range 1000 {
		r.Add(random(40))
	}
	var text strings.Builder
	for text.Len() < 1<<20 {
		text.WriteString(`{"name":"A role is added","embeddings":[{"data":"` + random(200) + `"}]},`)
	}
	report := text.String()
	b.SetBytes(int64(len(report)))
	for b.Loop() {
		r.String(report)
	}
}
