package harness

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/harness/suite"
	"github.com/healthapi-conformance/conformance/httpkit/hostile"
	"github.com/healthapi-conformance/conformance/refserver"
)

// TestFeatures runs every feature against the embedded reference server, in a
// random order. The seed is logged (go test shows it when the test fails);
// CONFORMANCE_SEED=N repeats an order.
func TestFeatures(t *testing.T) {
	seed := time.Now().UnixNano()
	if s := os.Getenv("CONFORMANCE_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseInt(s, 10, 64)
		require.NoError(t, err, "CONFORMANCE_SEED")
	}
	t.Logf("scenarios run in random order with seed %d; repeat with CONFORMANCE_SEED=%d", seed, seed)
	var out bytes.Buffer
	res, err := Execute(context.Background(), Config{Seed: seed, Format: "progress", Stdout: &out})
	require.NoError(t, err)
	if !assert.Equal(t, ExitPassed, res.Code, "seed %d", seed) {
		t.Log(out.String())
	}
	assert.GreaterOrEqual(t, len(res.Scenarios), 90, "every e-RS and HPI scenario ran")
	for _, s := range res.Scenarios { // one subtest a scenario, for go test's listing
		t.Run(s.URI+"/"+s.Name, func(t *testing.T) {
			assert.Equal(t, suite.Passed, s.Outcome, "seed %d: %s", seed, s.Reason)
		})
	}
}

// run executes a configuration quietly and returns the exit status and what was printed.
func run(t *testing.T, cfg Config) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cfg.Stdout, cfg.Stderr = &stdout, &stderr
	if cfg.Format == "" {
		cfg.Format = "progress"
	}
	code := Run(context.Background(), cfg)
	return code, stdout.String() + stderr.String()
}

func TestUnreachableTargetEndsWithUsageError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	start := time.Now()
	code, out := run(t, Config{Target: "http://" + addr, Timeout: 2 * time.Second})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "cannot be used")
	assert.Contains(t, out, "unreachable")
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestHangingTargetEndsWithinTheTimeout(t *testing.T) {
	url := hostile.Raw(t, func(c net.Conn) {
		defer c.Close()
		time.Sleep(5 * time.Second) // reads nothing, answers nothing
	})
	start := time.Now()
	code, out := run(t, Config{Target: url, Timeout: 300 * time.Millisecond})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "timeout: no complete answer within 300ms")
	assert.Less(t, time.Since(start), 2*time.Second, "the run ends within the request timeout, not after every scenario")
}

func TestGarbageTargetEndsWithClearMessage(t *testing.T) {
	garbage := "\x00\x01 this is not HTTP at all\r\n\r\n"
	for name, readFirst := range map[string]bool{"before the request": false, "as the answer": true} {
		t.Run(name, func(t *testing.T) {
			url := hostile.Raw(t, func(c net.Conn) {
				defer c.Close()
				if readFirst {
					_, _ = c.Read(make([]byte, 4096))
				}
				_, _ = io.WriteString(c, garbage)
			})
			code, out := run(t, Config{Target: url, Timeout: 2 * time.Second})
			assert.Equal(t, ExitUsage, code)
			// Garbage sent before the request may reach the client first, or
			// be read as the answer: either way the message says what happened.
			assert.Regexp(t, "did not answer with HTTP|answered before it was asked", out)
		})
	}
}

func TestTargetThatHangsUpEndsWithClearMessage(t *testing.T) {
	url := hostile.Raw(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 4096))
		c.Close()
	})
	code, out := run(t, Config{Target: url, Timeout: 2 * time.Second})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "closed the connection without answering")
}

// A server that ignores the API passes nothing: what it answers a When is
// judged (failed); a scenario whose Given it spoils is not judged, saying so.
func TestHTTPTargetThatAnswersNonsensePassesNothing(t *testing.T) {
	url := hostile.Raw(t, func(c net.Conn) {
		defer c.Close()
		buf := make([]byte, 4096)
		_, _ = c.Read(buf)
		body := "<html>maintenance</html>"
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: "+
			strconv.Itoa(len(body))+"\r\n\r\n"+body)
	})
	res, err := Execute(context.Background(), Config{Target: url, Tags: "@ers", Timeout: 2 * time.Second, Format: "progress", Stdout: io.Discard})
	require.NoError(t, err)
	assert.Equal(t, ExitFailed, res.Code)
	assert.Empty(t, res.With(suite.Passed), "no scenario passes against a server that ignores the API")
	assert.NotEmpty(t, res.Failed())
	for _, s := range res.With(suite.NotJudged) {
		assert.Contains(t, s.Reason, "Given step", "%s: only a spoilt set-up leaves a scenario not judged", s.Name)
	}

	// The HPI cannot even start: its token endpoint gives no token.
	code, out := run(t, Config{Target: url, Timeout: 2 * time.Second})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "not an OAuth2 token response")
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := dir + "/bad.yaml"
	require.NoError(t, os.WriteFile(bad, []byte("name: x\ntarget: [unclosed\n"), 0o600))
	for name, cfg := range map[string]Config{
		"no such profile":       {ProfilePath: dir + "/missing.yaml"},
		"malformed profile":     {ProfilePath: bad},
		"target is not a URL":   {Target: "not a url"},
		"no such features":      {FeaturesDir: dir + "/nowhere"},
		"tags match nothing":    {Tags: "@no-such-tag"},
		"mutants with a target": {Target: "http://127.0.0.1:1", Mutants: []refserver.Mutant{refserver.ErsCreateAnswers200}},
	} {
		t.Run(name, func(t *testing.T) {
			code, out := run(t, cfg)
			assert.Equal(t, ExitUsage, code, out)
			assert.Contains(t, out, "conformance:")
		})
	}
}

func TestAnUntrustedTLSTargetIsReportedAsATLSFailure(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	code, out := run(t, Config{Target: srv.URL, Timeout: 2 * time.Second})
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "TLS: the target's certificate is signed by an authority this run does not trust")
	assert.Contains(t, out, "tls.caFile")
}
