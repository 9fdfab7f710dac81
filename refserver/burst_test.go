package refserver

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// burstChild makes the test binary serve the reference server, as
// cmd/refserver does, in a process of its own: each side of 10,000
// connections needs 10,000 descriptors.
const burstChild = "REFSERVER_BURST_CHILD"

// burstStats is what the serving process reports once its stdin closes.
type burstStats struct {
	Goroutines int    `json:"goroutines"`
	HeapBytes  uint64 `json:"heapBytes"`
}

// TestBurstServe is the serving process; run alone, it does nothing.
func TestBurstServe(t *testing.T) {
	if os.Getenv(burstChild) != "1" {
		t.Skip("the serving side of TestABurstOf10000ConnectionsIsAnswered")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := Start(ctx, "127.0.0.1:0", Options{})
	require.NoError(t, err)
	fmt.Println(srv.URL)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() { // a line asks for the stats; EOF ends the process
		time.Sleep(200 * time.Millisecond) // let closed connections' goroutines end
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		_ = json.NewEncoder(os.Stdout).Encode(burstStats{runtime.NumGoroutine(), m.HeapAlloc})
	}
	require.NoError(t, srv.Close())
}

// A burst of 10,000 connections at once, each with one request of the
// five kinds a run sends most (session create, token, read, add, refused
// add), is answered in full: no 5xx, no connection dropped. Twice, so that
// what one burst leaves behind shows: no goroutine outlives its
// connection, and the heap grows by what the stores keep, within bounds.
func TestABurstOf10000ConnectionsIsAnswered(t *testing.T) {
	if testing.Short() {
		t.Skip("a burst of 10,000 connections: not in -short")
	}
	const n = 10_000
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestBurstServe$")
	cmd.Env = append(os.Environ(), burstChild+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = stdin.Close(); _ = cmd.Wait() }()
	out := bufio.NewScanner(stdout)
	require.True(t, out.Scan(), "the serving process prints its URL")
	target, err := url.Parse(out.Text())
	require.NoError(t, err)
	stats := func() burstStats {
		_, err := io.WriteString(stdin, "stats\n")
		require.NoError(t, err)
		require.True(t, out.Scan())
		var s burstStats
		require.NoError(t, json.Unmarshal(out.Bytes(), &s))
		return s
	}

	before := stats()
	requests := burstRequests(t, target.Host)
	var after [2]burstStats
	for round := range after {
		statuses := burst(ctx, target.Host, n, requests)
		for status, count := range statuses {
			assert.True(t, strings.HasPrefix(status, "2") || strings.HasPrefix(status, "4"),
				"round %d: %d requests answered %s", round+1, count, status)
		}
		after[round] = stats()
		t.Logf("round %d: %v; server: %d goroutines, heap %d KiB", round+1, statuses, after[round].Goroutines, after[round].HeapBytes>>10)
	}
	assert.Less(t, after[1].Goroutines, before.Goroutines+50, "no goroutine outlives its connection")
	assert.Less(t, after[1].HeapBytes, before.HeapBytes+256<<20, "the heap stays within what the bounded stores keep")
}

// burstRequests are raw HTTP/1.1 requests, one of each kind, each closing its connection.
func burstRequests(t *testing.T, host string) []string {
	c := fixtureClient(t)
	basic := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(c.ClientID) + ":" + url.QueryEscape(c.ClientSecret)))
	token := `{"token":"` + fixtureToken(t) + `"}`
	role := `{"resourceType":"PractitionerRole","practitioner":{"reference":"Practitioner/91ZZAA"},"location":[{"reference":"Location/FZZ999-B"}],"period":{"start":"2020-01-01"}}`
	form := "grant_type=client_credentials"
	req := func(method, path, headers, body string) string {
		return fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Length: %d\r\n%s\r\n%s", method, path, host, len(body), headers, body)
	}
	return []string{
		req(http.MethodPost, base, "Content-Type: application/json\r\nXAPI_ASID: 200000000220\r\n", token),
		req(http.MethodPost, TokenPath, "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic "+basic+"\r\n", form),
		req(http.MethodGet, HPIBase+"/PractitionerRole/R00000001-A", "x-api-key: "+c.APIKey+"\r\n", ""),
		req(http.MethodPost, HPIBase+"/PractitionerRole", "Content-Type: application/fhir+json\r\n", role),
		req(http.MethodPost, base, "Content-Type: application/json\r\nXAPI_ASID: 200000000220\r\n", token+"garbage"),
	}
}

// burst opens n connections at once, each sending one of requests, and
// counts the answers by status; a connection that fails counts by its error.
func burst(ctx context.Context, host string, n int, requests []string) map[string]int {
	var (
		mu     sync.Mutex
		counts = map[string]int{}
		wg     sync.WaitGroup
		start  = make(chan struct{})
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status := exchange(ctx, host, requests[i%len(requests)])
			mu.Lock()
			defer mu.Unlock()
			counts[status]++
		}()
	}
	close(start)
	wg.Wait()
	return counts
}

// exchange sends one request on a connection of its own: its status, or what went wrong.
func exchange(ctx context.Context, host, request string) string {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", host)
	if err != nil {
		return "dial: " + cause(err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	if _, err := io.WriteString(conn, request); err != nil {
		return "write: " + cause(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(io.LimitReader(conn, 1<<20)), nil)
	if err != nil {
		return "read: " + cause(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Status
}

// cause is an error without the addresses that make each one differ.
func cause(err error) string {
	text := err.Error()
	return text[strings.LastIndex(text, ": ")+1:]
}
