package suite

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

// A secret split across writes, in any position, never comes out.
func TestMaskWriterMasksSecretsAcrossWrites(t *testing.T) {
	const secret = "pro-xapi-session_0123456789"
	text := "first line\nthe key is " + secret + " here\n" + secret + "\nno newline at the end " + secret
	for size := 1; size <= len(text); size++ {
		var out strings.Builder
		m := &maskWriter{dst: &out, red: redact.New(secret)}
		for rest := text; rest != ""; {
			n := min(size, len(rest))
			written, err := m.Write([]byte(rest[:n]))
			require.NoError(t, err)
			require.Equal(t, n, written, "a writer reports every byte it was given")
			rest = rest[n:]
		}
		require.NoError(t, m.Close())
		assert.NotContains(t, out.String(), secret, "writes of %d bytes", size)
		assert.Equal(t, strings.ReplaceAll(text, secret, redact.Mask), out.String(), "writes of %d bytes", size)
	}
}

func TestUnknownFormattersAreRefused(t *testing.T) {
	for _, format := range []string{"bogus", "pretty,nope", maskedPrefix + "pretty"} {
		_, err := openOutputs(format, &strings.Builder{}, redact.New(), func() bool { return true })
		assert.ErrorContains(t, err, "unknown formatter", format)
	}
}
