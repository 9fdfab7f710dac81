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
		_, err := openOutputs(format, &strings.Builder{}, redact.New(), false)
		assert.ErrorContains(t, err, "unknown formatter", format)
	}
}

// A line longer than the writer waits for is flushed in parts; a secret
// across the point where a part ends is masked whole, wherever it falls.
func TestMaskWriterMasksASecretAcrossAPartialFlush(t *testing.T) {
	const secret = "pro-xapi-session_0123456789"
	red := redact.New(secret)
	const write = 1000 // writes that end anywhere around the bound, inside the secret too
	for offset := -len(secret); offset < write+len(secret); offset += 3 {
		text := strings.Repeat("x", maxPending+offset) + secret + strings.Repeat("y", 100)
		var out strings.Builder
		m := &maskWriter{dst: &out, red: red}
		for rest := text; rest != ""; {
			n := min(write, len(rest))
			_, _ = m.Write([]byte(rest[:n]))
			rest = rest[n:]
		}
		require.NoError(t, m.Close())
		assert.NotContains(t, out.String(), "pro-xapi", "secret at offset %d from the flush bound", offset)
		assert.Equal(t, strings.ReplaceAll(text, secret, redact.Mask), out.String(), "offset %d", offset)
	}
}
