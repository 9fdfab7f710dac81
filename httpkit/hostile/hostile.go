// Package hostile is a kit of misbehaving targets for tests: each serves
// on 127.0.0.1 and does one thing a real server should not (hang, drip,
// reset, flood, bomb, redirect elsewhere, answer garbage), so a test can
// prove the harness ends each case with a clear verdict within its bound.
package hostile

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Raw serves each connection with handle: for faults below HTTP.
func Raw(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// HTTP serves h, stopped when the test ends.
func HTTP(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Hang accepts and never answers.
func Hang(c net.Conn) { time.Sleep(time.Minute) }

// SlowHeaders reads the request, starts an answer and then sends a header
// byte a second, forever.
func SlowHeaders(c net.Conn) {
	_, _ = c.Read(make([]byte, 64<<10))
	_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nX-Slow: ")
	for range 60 {
		if _, err := c.Write([]byte("a")); err != nil {
			return
		}
		time.Sleep(time.Second)
	}
}

// Drip promises a large body and sends it a byte a second.
func Drip(c net.Conn) {
	_, _ = c.Read(make([]byte, 64<<10))
	_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
	for range 60 {
		if _, err := c.Write([]byte(" ")); err != nil {
			return
		}
		time.Sleep(time.Second)
	}
}

// Reset reads the request and resets the connection.
func Reset(c net.Conn) {
	_, _ = c.Read(make([]byte, 64<<10))
	if tcp, ok := c.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close sends RST, not FIN
	}
}

// Huge answers 200 with a 2 GB body of zeros, as fast as the reader takes it.
func Huge() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(2<<30))
		chunk := make([]byte, 64<<10)
		for sent := 0; sent < 2<<30; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
}

// GzipBomb answers with a small gzip body (about 250 KB) that inflates to 256 MB.
func GzipBomb() http.Handler {
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for range 256 {
		_, _ = z.Write(zeros)
	}
	_ = z.Close()
	bomb := b.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb)
	})
}

// Answer answers every request with status, content type and body.
func Answer(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// TooManyRequests answers every request 429, asking for a retry in a second.
func TooManyRequests() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	})
}

// Recorder is a server on another address that keeps what reaches it.
type Recorder struct {
	URL  string
	mu   sync.Mutex
	seen []string
}

// NewRecorder serves on 127.0.0.2 when this machine has it (another
// host, as far as URLs go), else on 127.0.0.1.
func NewRecorder(t testing.TB) *Recorder {
	r := &Recorder{}
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(req.Body, 64<<10))
		r.mu.Lock()
		r.seen = append(r.seen, req.Method+" "+req.URL.String()+"\n"+headerText(req.Header)+"\n"+string(body))
		r.mu.Unlock()
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// Seen is every request that reached the recorder, as text.
func (r *Recorder) Seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// RedirectTo answers every request with a redirect (307, keeping the
// method and body) to the same path at url.
func RedirectTo(url string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.TrimSuffix(url, "/")+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
}

func headerText(h http.Header) string {
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}
