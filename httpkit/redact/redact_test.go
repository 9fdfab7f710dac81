package redact

import (
	"errors"
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
