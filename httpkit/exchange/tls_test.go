package exchange

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/httpkit/tlstest"
)

func tlsTarget(t *testing.T, cert tls.Certificate, clientCAs *tlstest.Authority) string {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes refused are the point
	if clientCAs != nil {
		srv.TLS.ClientAuth, srv.TLS.ClientCAs = tls.RequireAndVerifyClientCert, clientCAs.Pool()
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(cfg *tls.Config, url string) error {
	c := NewPacedClient(2*time.Second, redact.New(), Policy{TLS: cfg})
	_, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: url})
	return err
}

// TLS failures are named as TLS failures, with the profile key that mends them.
func TestTLSFailuresAreNamed(t *testing.T) {
	ca, err := tlstest.NewAuthority("test CA")
	require.NoError(t, err)
	valid, err := ca.Server(time.Now().Add(24 * time.Hour))
	require.NoError(t, err)
	expired, err := ca.Server(time.Now().Add(-time.Hour))
	require.NoError(t, err)
	client, err := ca.Client("vendor")
	require.NoError(t, err)
	trusting := &tls.Config{RootCAs: ca.Pool()}
	withCert := &tls.Config{RootCAs: ca.Pool(), Certificates: []tls.Certificate{client.TLS}}
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer plain.Close()

	for name, c := range map[string]struct {
		cfg  *tls.Config
		url  string
		want string // in the error; empty: no error
	}{
		"untrusted":                 {nil, tlsTarget(t, valid.TLS, nil), "signed by an authority this run does not trust"},
		"trusted with tls.caFile":   {trusting, tlsTarget(t, valid.TLS, nil), ""},
		"expired":                   {trusting, tlsTarget(t, expired.TLS, nil), "has expired or is not yet valid"},
		"client certificate wanted": {trusting, tlsTarget(t, valid.TLS, ca), "tls.certFile and tls.keyFile"},
		"client certificate shown":  {withCert, tlsTarget(t, valid.TLS, ca), ""},
		"plain http at https":       {nil, strings.Replace(plain.URL, "http://", "https://", 1), "did not answer the TLS handshake with TLS"},
	} {
		err := get(c.cfg, c.url)
		if c.want == "" {
			assert.NoError(t, err, name)
			continue
		}
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), c.want, name)
			assert.Contains(t, err.Error(), "TLS:", name)
		}
	}
}
