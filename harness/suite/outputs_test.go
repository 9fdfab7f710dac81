package suite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/steps"
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

// Two formatters writing to the output would interleave there: refused.
// One, or any number with files, is fine; the default is pretty.
func TestOneFormatterAtMostWritesToTheOutput(t *testing.T) {
	for _, format := range []string{"pretty,progress", "junit,cucumber:x.json,events", "progress , pretty"} {
		err := CheckFormat(format)
		assert.ErrorContains(t, err, "would all write to standard output", format)
	}
	for _, format := range []string{"", "pretty", "progress,junit:a.xml,cucumber:b.json,events:c.ndjson"} {
		assert.NoError(t, CheckFormat(format), format)
	}
}

// A file a formatter cannot write is reported by the suite, naming the
// formatter, the file and the reason, and nothing is written to the output.
func TestAFormatterFileThatCannotBeWrittenIsOurError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	format := "progress,junit:" + file + "/junit.xml"
	err := ProbeFormatFiles(format)
	assert.EqualError(t, err, "--format junit:"+file+"/junit.xml: the junit report cannot be written to "+file+"/junit.xml: not a directory")

	var out strings.Builder
	res := Run(Options{FS: fstest.MapFS{}, Format: format, Output: &out, Env: &steps.Env{Redactor: redact.New()}})
	assert.Equal(t, 2, res.Code)
	assert.Equal(t, err, res.Err)
	assert.Empty(t, out.String(), "the message is the caller's to print")

	// The probe leaves no file behind where there was none.
	fresh := filepath.Join(t.TempDir(), "reports", "junit.xml")
	require.NoError(t, ProbeFormatFiles("junit:"+fresh))
	assert.NoFileExists(t, fresh)
	assert.DirExists(t, filepath.Dir(fresh))
}
