package harness

import (
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/hostile"
	"github.com/healthapi-conformance/conformance/httpkit/tlstest"
)

// Every hostile target ends the run with exit 2, a message that says what
// the target did, and within a bound of the request timeout: no hang, no
// panic, no memory blown on a flood or a bomb.
func TestEveryHostileTargetEndsInAClearVerdictWithinItsBound(t *testing.T) {
	const timeout = 500 * time.Millisecond
	for name, c := range map[string]struct {
		url  func(t *testing.T) string
		want string
	}{
		"hang":         {func(t *testing.T) string { return hostile.Raw(t, hostile.Hang) }, "timeout: no complete answer within 500ms"},
		"slow headers": {func(t *testing.T) string { return hostile.Raw(t, hostile.SlowHeaders) }, "timeout: no complete answer within 500ms"},
		"drip":         {func(t *testing.T) string { return hostile.Raw(t, hostile.Drip) }, "timeout: no complete answer within 500ms"},
		"reset":        {func(t *testing.T) string { return hostile.Raw(t, hostile.Reset) }, "connection reset"},
		"a 2 GB body":  {func(t *testing.T) string { return hostile.HTTP(t, hostile.Huge()) }, "the answer is larger than 1048576 bytes"},
		"a gzip bomb":  {func(t *testing.T) string { return hostile.HTTP(t, hostile.GzipBomb()) }, "the answer is larger than 1048576 bytes"},
		"invalid JSON": {func(t *testing.T) string {
			return hostile.HTTP(t, hostile.Answer(200, "application/json", `{"id": "x",`))
		}, "not an OAuth2 token response"},
		"HTML": {func(t *testing.T) string {
			return hostile.HTTP(t, hostile.Answer(200, "text/html", "<html>hello</html>"))
		}, "not an OAuth2 token response"},
		"an empty body":     {func(t *testing.T) string { return hostile.HTTP(t, hostile.Answer(200, "", "")) }, "not an OAuth2 token response"},
		"an untrusted cert": {untrustedTLS, "TLS: the target's certificate is signed by an authority this run does not trust"},
		"an expired cert":   {expiredTLS, "TLS: the target's certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			target := c.url(t) // a bomb takes a while to make; the bound is the harness's
			start := time.Now()
			code, out := run(t, Config{Target: target, Timeout: timeout})
			assert.Equal(t, ExitUsage, code, out)
			assert.Contains(t, out, c.want)
			assert.NotContains(t, out, "panic")
			assert.Less(t, time.Since(start), 10*timeout, "ends within a bound of the request timeout")
		})
	}
}

// A target that redirects every request elsewhere is judged on its answer:
// no request, and so no credential, reaches where the redirect points.
func TestARedirectToAnotherHostReceivesNothing(t *testing.T) {
	elsewhere := hostile.NewRecorder(t)
	code, out := run(t, Config{Target: hostile.HTTP(t, hostile.RedirectTo(elsewhere.URL)), Timeout: time.Second})
	assert.Equal(t, ExitUsage, code, out)
	assert.Contains(t, out, "307")
	assert.Empty(t, elsewhere.Seen(), "nothing was sent where the redirect points")
}

func tlsServer(t *testing.T, notAfter time.Time) string {
	ca, err := tlstest.NewAuthority("hostile CA")
	require.NoError(t, err)
	cert, err := ca.Server(notAfter)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

func untrustedTLS(t *testing.T) string { return tlsServer(t, time.Now().Add(time.Hour)) }

// expiredTLS is expired and untrusted; which the handshake reports first is
// the platform verifier's choice, and either is a TLS failure.
func expiredTLS(t *testing.T) string { return tlsServer(t, time.Now().Add(-time.Hour)) }

// A target that answers 429 to everything ends the run within the bound
// the README documents: the probe and three more requests, each retried
// hpi.retry.max times at most hpi.retry.maxWait apart, then the breaker.
func TestATargetThrottlingForeverEndsWithinTheDocumentedBound(t *testing.T) {
	prof := referenceProfileWith(t, "retry: {max: 6, initial: 500ms, maxWait: 10s}", "retry: {max: 2, initial: 100ms, maxWait: 200ms}")
	const timeout, maxWait, retries = time.Second, 200 * time.Millisecond, 2
	bound := 4 * (retries + 1) * (timeout + maxWait)
	start := time.Now()
	code, out := run(t, Config{ProfilePath: prof, Target: hostile.HTTP(t, hostile.TooManyRequests()), Timeout: timeout})
	assert.Equal(t, ExitUsage, code, out)
	assert.Contains(t, out, "429 Too Many Requests")
	assert.Less(t, time.Since(start), bound)
}
