// Command bench is `make bench`: the harness against the floor the wire
// allows. It records the requests one run sends to a reference server,
// replays them raw (plain net/http, same order, a fresh server of the same
// kind) as the floor, runs the harness and the replay in turn several
// times, and prints the medians and their ratio: embedded and --target,
// with and without the evidence bundle, at 1x and 16x the features.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness"
	"github.com/healthapi-conformance/conformance/profiles"
	"github.com/healthapi-conformance/conformance/refserver"
)

func main() {
	rounds := flag.Int("rounds", 5, "runs of each case; the median is printed")
	flag.Parse()
	if err := bench(*rounds, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// A case is one way of running the suite, timed.
type benchCase struct {
	name string
	run  func() error
}

func bench(rounds int, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "conformance-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	big, bigProfile, err := copies(tmp, 16)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "bench: %s, %d CPUs, %s, %d rounds each, medians\n\n", runtime.Version(), runtime.NumCPU(), time.Now().UTC().Format(time.DateOnly), rounds)
	fmt.Fprintf(w, "%-44s %10s %10s %7s\n", "case", "harness", "raw replay", "ratio")
	for _, size := range []struct {
		name, dir, profile string
	}{{"1x", "", ""}, {"16x", big, bigProfile}} {
		log, err := record(size.dir, size.profile)
		if err != nil {
			return err
		}
		floor := median(rounds, func() error { return replay(log) })
		for _, c := range cases(tmp, size.dir, size.profile) {
			d := median(rounds, c.run)
			fmt.Fprintf(w, "%-44s %10s %10s %6.1fx\n", size.name+" "+c.name, d.Round(time.Millisecond), floor.Round(time.Millisecond), float64(d)/float64(floor))
		}
		fmt.Fprintf(w, "%-44s %d requests\n\n", size.name+" raw replay", len(log))
	}
	return nil
}

// cases are the harness runs timed, on the features of dir (empty: embedded).
func cases(tmp, dir, profile string) []benchCase {
	base := harness.Config{FeaturesDir: dir, ProfilePath: profile, Format: "progress", Stdout: io.Discard, Stderr: io.Discard}
	withTarget := func(cfg harness.Config) func() error {
		return func() error {
			srv, err := server()
			if err != nil {
				return err
			}
			defer srv.Close()
			cfg.Target = srv.URL
			return execute(cfg)
		}
	}
	n := 0
	evidence := func(cfg harness.Config) func() error {
		return func() error {
			n++
			cfg.Evidence = filepath.Join(tmp, fmt.Sprintf("evidence-%d", n))
			defer os.RemoveAll(cfg.Evidence)
			return execute(cfg)
		}
	}
	return []benchCase{
		{"embedded, progress", func() error { return execute(base) }},
		{"--target, progress", withTarget(base)},
		{"embedded, progress + --evidence", evidence(base)},
	}
}

func execute(cfg harness.Config) error {
	out, err := harness.Execute(context.Background(), cfg)
	if err == nil && out.Code != harness.ExitPassed {
		err = fmt.Errorf("the run did not pass (exit %d)", out.Code)
	}
	return err
}

// median times fn rounds times; a failure is fatal, since a figure of a
// broken run would mislead.
func median(rounds int, fn func() error) time.Duration {
	var times []time.Duration
	for range rounds {
		start := time.Now()
		if err := fn(); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2]
}

// server is a reference server on a loopback port.
func server() (*httptest.Server, error) {
	s, err := refserver.New(refserver.Options{})
	if err != nil {
		return nil, err
	}
	return httptest.NewServer(s), nil
}

// exchange is one recorded request, with its answer's status and body (to
// learn the tokens, session keys and ids the server issued).
type exchange struct {
	method, path string
	header       http.Header
	body, answer []byte
	status       int
}

// record runs the suite once against a reference server that keeps every request.
func record(dir, profile string) ([]exchange, error) {
	s, err := refserver.New(refserver.Options{})
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var log []exchange
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		mu.Lock()
		log = append(log, exchange{r.Method, r.URL.RequestURI(), r.Header.Clone(), body, rec.Body.Bytes(), rec.Code})
		mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	err = execute(harness.Config{Target: srv.URL, FeaturesDir: dir, ProfilePath: profile, Format: "progress", Stdout: io.Discard, Stderr: io.Discard})
	return log, err
}

// issued are the values a server makes up: tokens, session keys, ids.
var issued = regexp.MustCompile(`"(?:access_token|id|token)"\s*:\s*"([^"]+)"`)

// replay sends the recorded requests, in order, to a fresh reference
// server with plain net/http, putting what this server issued in place of
// what the recorded one did.
func replay(log []exchange) error {
	differ, err := replayed(log)
	if err == nil && differ > len(log)/20 {
		err = fmt.Errorf("the replay is no floor: %d of %d answers differ in status from the recorded run's", differ, len(log))
	}
	return err
}

// replayed replays the log and counts the answers whose status differs.
func replayed(log []exchange) (differ int, err error) {
	srv, err := server()
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	client := srv.Client()
	var swap []string // old, new, old, new...
	r := strings.NewReplacer()
	for _, ex := range log {
		req, err := http.NewRequest(ex.method, srv.URL+r.Replace(ex.path), strings.NewReader(r.Replace(string(ex.body))))
		if err != nil {
			return differ, err
		}
		for k, vs := range ex.header {
			for _, v := range vs {
				req.Header[k] = append(req.Header[k], r.Replace(v))
			}
		}
		resp, err := client.Do(req)
		if err != nil {
			return differ, err
		}
		answer, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return differ, err
		}
		if resp.StatusCode != ex.status {
			differ++
		}
		if more := learned(ex.answer, answer); len(more) > 0 { // a replacer is costly to build: only when it changes
			swap = append(swap, more...)
			r = strings.NewReplacer(swap...)
		}
	}
	return differ, nil
}

// learned pairs the values the recorded answer issued with this one's.
func learned(recorded, now []byte) []string {
	was, is := issued.FindAllSubmatch(recorded, -1), issued.FindAllSubmatch(now, -1)
	var out []string
	for i := range min(len(was), len(is)) {
		if old, new := string(was[i][1]), string(is[i][1]); old != new {
			out = append(out, old, new)
		}
	}
	return out
}

// copies writes the features n times over into tmp, and a reference
// profile with role codes enough for them.
func copies(tmp string, n int) (dir, profile string, err error) {
	dir = filepath.Join(tmp, "features")
	err = fs.WalkDir(features.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		data, err := fs.ReadFile(features.FS, path)
		if err != nil {
			return err
		}
		for i := range n {
			name := filepath.Join(dir, strings.TrimSuffix(path, ".feature")+fmt.Sprintf("-%02d.feature", i))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(name, data, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	var codes []string
	for i := range 6 * n {
		codes = append(codes, fmt.Sprintf(`{code: "%06d"}`, 900000+i))
	}
	text := regexp.MustCompile(`(?m)^    roleCodes:\n(      - .*\n)+`).ReplaceAllString(string(profiles.Reference), "    roleCodes: ["+strings.Join(codes, ", ")+"]\n")
	profile = filepath.Join(tmp, "profile.yaml")
	return dir, profile, os.WriteFile(profile, []byte(text), 0o644)
}
