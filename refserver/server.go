// Package refserver is the project's reference server: the e-RS professional
// session endpoints and the HPI PractitionerRole endpoints (with their OAuth2
// token endpoint), implemented from the published pages in ../shared/spec,
// not from the feature files. It is the harness's embedded default target,
// and it can be told to break one documented rule at a time (see Mutant),
// or to take a choice the docs leave the other way (see Choice).
package refserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a reference server.
type Options struct {
	// Mutants lists the documented rules this server breaks on purpose.
	Mutants []Mutant
	// Choices lists the behaviours the docs allow that this server takes
	// the other way from its default (choices.go); they break no rule.
	Choices []Choice
	// UsagePlan limits HPI requests per API key; the zero plan sets no limit.
	UsagePlan UsagePlan
	// AccessLog, when set, gets a line per request (method, path, status).
	AccessLog io.Writer
}

// Server serves the reference implementation: one handler type per API,
// mounted on one mux. It is safe for concurrent use.
type Server struct {
	handler http.Handler
}

// New builds a server seeded from the embedded fixtures.
func New(opts Options) (*Server, error) {
	selected, err := newMutantSet(opts.Mutants)
	if err != nil {
		return nil, err
	}
	chosen, err := newChoiceSet(opts.Choices)
	if err != nil {
		return nil, err
	}
	ers, err := newERS(selected, chosen)
	if err != nil {
		return nil, err
	}
	hpi, err := newHPI(selected, chosen, opts.UsagePlan)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	ers.mount(mux)
	hpi.mount(mux)
	// Not part of either API: what a container runtime probes for readiness.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	return &Server{handler: mux}, nil
}

// ServeHTTP lets the server be mounted anywhere.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Running is a server listening on a loopback port.
type Running struct {
	URL  string
	srv  *http.Server
	done chan error
	// unwatch stops the watch on Start's context: until it is called, the
	// context holds the server, and a long-lived context (the command
	// line's, across the mutation check's 300 runs) would hold them all.
	unwatch func() bool
}

// Start listens on addr (use "127.0.0.1:0" for a free port) and serves
// until Close is called or ctx ends.
func Start(ctx context.Context, addr string, opts Options) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("reference server: %w", err)
	}
	var h http.Handler = s
	if opts.AccessLog != nil {
		h = accessLog(opts.AccessLog, s)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	r := &Running{URL: "http://" + ln.Addr().String(), srv: srv, done: make(chan error, 1)}
	go func() { r.done <- srv.Serve(ln) }()
	r.unwatch = context.AfterFunc(ctx, func() { _ = r.shutdown() })
	return r, nil
}

// accessLog writes one line per request: the route, not the path, because
// a path can carry a session key; never headers or bodies.
func accessLog(w io.Writer, h http.Handler) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		start := time.Now()
		h.ServeHTTP(rec, r)
		mu.Lock()
		defer mu.Unlock()
		route := r.Pattern // set by the mux that matched; empty when none did
		if route == "" {
			route = r.Method + " (no route)"
		}
		fmt.Fprintf(w, "%s %s %d %s\n", start.UTC().Format(time.RFC3339), route, rec.status, time.Since(start).Round(time.Microsecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (a mutant hijacks it).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Close stops the server, letting requests in flight finish for a moment.
func (r *Running) Close() error {
	r.unwatch()
	return r.shutdown()
}

func (r *Running) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = r.srv.Close()
	}
	return err
}

// Wait blocks until the server stops and returns why it stopped.
func (r *Running) Wait() error {
	err := <-r.done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
