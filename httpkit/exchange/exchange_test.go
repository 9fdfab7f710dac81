package exchange

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

func TestHeadersAreSentAsSpelt(t *testing.T) {
	var raw []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name := range r.Header {
			raw = append(raw, name)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := NewClient(time.Second, redact.New())
	_, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL, Header: []Header{{"XAPI_ASID", "1"}}})
	require.NoError(t, err)
	// The server canonicalises what it receives; an underscore would be lost to a dash if the client rewrote it.
	assert.Contains(t, raw, "Xapi_asid")
}

func TestAnswerLargerThanTheBoundIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", MaxBody+1)))
	}))
	defer srv.Close()
	_, err := NewClient(time.Second, redact.New()).Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	assert.ErrorContains(t, err, "larger than")
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	ex, err := NewClient(time.Second, redact.New()).Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL})
	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, ex.Status)
}

func TestAfterATransportFailureNothingMoreIsSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + ln.Addr().String()
	ln.Close()
	c := NewClient(time.Second, redact.New())
	_, err = c.Do(context.Background(), Request{Method: http.MethodGet, URL: url})
	assert.ErrorContains(t, err, "unreachable")
	_, err = c.Do(context.Background(), Request{Method: http.MethodGet, URL: url})
	assert.ErrorIs(t, err, ErrTargetDown)
}

func TestTranscriptIsRedacted(t *testing.T) {
	ex := &Exchange{
		Request: Request{Method: http.MethodPost, URL: "http://h/x", Header: []Header{{"XAPI_ASID", "1"}}, Body: []byte(`{"token":"very-secret"}`)},
		Status:  201, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"id":"very-secret"}`),
	}
	text := ex.Transcript(redact.New("very-secret"))
	assert.NotContains(t, text, "very-secret")
	assert.Contains(t, text, "XAPI_ASID: 1")
	assert.Contains(t, text, "--- answer 201 Created")
}
