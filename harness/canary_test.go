package harness

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/refserver"
)

// awkward is in every canary: each character escapes differently in JSON,
// XML, a URL path, a query and base64.
const awkward = `/+=&<>"`

// canaryTarget stands in front of the reference server and speaks in
// canaries: the secrets the profile gives, and the session keys and access
// tokens it hands out, all hold awkward characters. It maps each back for
// the reference server, echoes every request in an X-Echo header, and
// writes every JSON answer with its slashes escaped (\/), as some encoders do.
type canaryTarget struct {
	inner http.Handler
	mu    sync.Mutex
	out   map[string]string // reference value → canary
	in    map[string]string // canary → reference value
}

func (c *canaryTarget) pair(ref, canary string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.out[ref], c.in[canary] = canary, ref
}

func (c *canaryTarget) lookup(m map[string]string, s string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := m[s]; ok {
		return v
	}
	return s
}

// issued gives every session key, session token and access token the
// reference server hands out a canary of its own.
func (c *canaryTarget) issued(v string) string {
	if c.lookup(c.out, v) == v {
		c.pair(v, v+awkward)
	}
	return c.lookup(c.out, v)
}

func (c *canaryTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	echo, _ := json.Marshal(r.Method + " " + r.URL.String() + " " + headerLine(r.Header) + " " + string(body))
	r.Body = io.NopCloser(bytes.NewReader(c.mapJSON(body, c.in)))
	for name, values := range r.Header {
		for i, v := range values {
			if rest, ok := strings.CutPrefix(v, "Bearer "); ok {
				values[i] = "Bearer " + c.lookup(c.in, rest)
			} else if rest, ok := strings.CutPrefix(v, "Basic "); ok {
				values[i] = "Basic " + c.basic(rest)
			} else {
				values[i] = c.lookup(c.in, v)
			}
		}
		r.Header[name] = values
	}
	if segs := strings.Split(r.URL.EscapedPath(), "/"); len(segs) > 0 {
		last, _ := url.PathUnescape(segs[len(segs)-1])
		segs[len(segs)-1] = url.PathEscape(c.lookup(c.in, last))
		r.URL.RawPath = strings.Join(segs, "/")
		r.URL.Path, _ = url.PathUnescape(r.URL.RawPath)
	}
	if r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		form, _ := url.ParseQuery(string(body))
		for k, vs := range form {
			for i, v := range vs {
				vs[i] = c.lookup(c.in, v)
			}
			form[k] = vs
		}
		r.Body = io.NopCloser(strings.NewReader(form.Encode()))
	}
	r.ContentLength = -1
	rec := httptest.NewRecorder()
	c.inner.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("X-Echo", string(echo))
	out := rec.Body.Bytes()
	if json.Valid(out) {
		out = bytes.ReplaceAll(c.mapJSONIssued(out), []byte("/"), []byte(`\/`))
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	_, _ = w.Write(out)
}

func (c *canaryTarget) basic(b64 string) string {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return b64
	}
	id, secret, _ := strings.Cut(string(raw), ":")
	s, _ := url.QueryUnescape(secret)
	return base64.StdEncoding.EncodeToString([]byte(id + ":" + url.QueryEscape(c.lookup(c.in, s))))
}

func (c *canaryTarget) mapJSON(data []byte, m map[string]string) []byte {
	return rewriteJSON(data, func(s string) string { return c.lookup(m, s) })
}

// mapJSONIssued maps what the server hands out: a session's id and token,
// an access token; and any secret it echoes.
func (c *canaryTarget) mapJSONIssued(data []byte) []byte {
	var top map[string]any
	if json.Unmarshal(data, &top) == nil {
		for _, k := range []string{"id", "token", "access_token"} {
			if v, ok := top[k].(string); ok && (k != "id" || strings.HasPrefix(v, "pro-xapi-session_")) {
				top[k] = c.issued(v)
			}
		}
		data, _ = json.Marshal(top)
	}
	return c.mapJSON(data, c.out)
}

// rewriteJSON applies f to every string in a JSON document.
func rewriteJSON(data []byte, f func(string) string) []byte {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return data
	}
	var walk func(any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case string:
			return f(t)
		case []any:
			for i := range t {
				t[i] = walk(t[i])
			}
		case map[string]any:
			for k := range t {
				t[k] = walk(t[k])
			}
		}
		return v
	}
	out, _ := json.Marshal(walk(v))
	return out
}

func headerLine(h http.Header) string {
	var b strings.Builder
	for k, vs := range h {
		b.WriteString(k + ": " + strings.Join(vs, ",") + "; ")
	}
	return b.String()
}

// forms is every way an output can carry s: each must be masked.
func forms(s string) map[string]string {
	js, _ := json.Marshal(s)
	inJSON := string(js[1 : len(js)-1])
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	noHTML := strings.TrimSuffix(plain.String(), "\n")
	noHTML = noHTML[1 : len(noHTML)-1]
	return map[string]string{
		"raw": s, "JSON": inJSON, `JSON with \/`: strings.ReplaceAll(inJSON, "/", `\/`),
		"JSON without HTML escapes": noHTML, `JSON without HTML escapes, with \/`: strings.ReplaceAll(noHTML, "/", `\/`),
		"path-escaped": url.PathEscape(s), "query-escaped": url.QueryEscape(s),
		"query-escaped, lower-case hex": strings.ToLower(url.QueryEscape(s)),
		"hex":                           hex.EncodeToString([]byte(s)), "HEX": strings.ToUpper(hex.EncodeToString([]byte(s))),
	}
}

// Every secret slot holds a canary with / + = & < > ", the target echoes
// every request, escapes its slashes and issues keys with awkward
// characters: no output, report or piece of evidence holds any canary in
// any form.
func TestNoCanaryInAnyFormInAnyArtefact(t *testing.T) {
	users, err := refserver.FixtureUsers()
	require.NoError(t, err)
	clients, err := refserver.FixtureClients()
	require.NoError(t, err)
	srv, err := refserver.New(refserver.Options{Mutants: []refserver.Mutant{refserver.ErsCreateAnswers200, refserver.HpiStaleVersionAccepted}})
	require.NoError(t, err)
	proxy := &canaryTarget{inner: srv, out: map[string]string{}, in: map[string]string{}}
	canaries := map[string]string{
		"CANARY_CLINICIAN_TOKEN":   "canary-clinician" + awkward,
		"CANARY_MULTI_ORG_TOKEN":   "canary-multi-org" + awkward,
		"CANARY_HPI_CLIENT_SECRET": "canary-secret" + awkward,
		"CANARY_HPI_API_KEY":       "canary-api-key" + awkward,
	}
	refs := map[string]string{
		"CANARY_CLINICIAN_TOKEN": users[0].Token, "CANARY_MULTI_ORG_TOKEN": users[1].Token,
		"CANARY_HPI_CLIENT_SECRET": clients[0].ClientSecret, "CANARY_HPI_API_KEY": clients[0].APIKey,
	}
	for env, canary := range canaries {
		t.Setenv(env, canary)
		proxy.pair(refs[env], canary)
	}
	target := httptest.NewServer(proxy)
	defer target.Close()
	prof := referenceProfileWith(t,
		`target: ""`, "target: "+target.URL,
		`"`+users[0].Token+`"`, "{env: CANARY_CLINICIAN_TOKEN}",
		`"`+users[1].Token+`"`, "{env: CANARY_MULTI_ORG_TOKEN}",
		`"`+clients[0].ClientSecret+`"`, "{env: CANARY_HPI_CLIENT_SECRET}",
		`"`+clients[0].APIKey+`"`, "{env: CANARY_HPI_API_KEY}")
	dir := t.TempDir()
	cucumber, junit := filepath.Join(dir, "cucumber.json"), filepath.Join(dir, "junit.xml")
	bundle := filepath.Join(dir, "evidence")
	code, printed := run(t, Config{ProfilePath: prof, Format: "pretty,cucumber:" + cucumber + ",junit:" + junit, Evidence: bundle, Verbose: true})
	require.Equal(t, ExitFailed, code, "the mutants make scenarios fail, so bodies are quoted: %s", printed)

	proxy.mu.Lock()
	var secrets []string
	for canary := range proxy.in {
		secrets = append(secrets, canary)
	}
	proxy.mu.Unlock()
	require.Greater(t, len(secrets), len(canaries), "the target issued keys and tokens of its own")
	secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte("conformance-reference-client:"+url.QueryEscape(canaries["CANARY_HPI_CLIENT_SECRET"]))))

	outputs := map[string]string{"stdout and stderr": printed, "evidence": attachments(t, cucumber)}
	inBundle, err := filepath.Glob(filepath.Join(bundle, "*"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(inBundle), 6, "the bundle is written")
	for _, f := range append([]string{cucumber, junit}, inBundle...) {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		outputs[strings.TrimPrefix(f, dir)] = string(data)
		if strings.HasSuffix(f, ".json") || strings.HasSuffix(f, ".har") {
			outputs[strings.TrimPrefix(f, dir)+", its strings decoded"] = jsonStrings(t, data)
		}
	}
	hits := 0
	for name, text := range outputs {
		for _, s := range secrets {
			for form, f := range forms(s) {
				if strings.Contains(text, f) {
					hits++
					t.Errorf("a secret (%d characters) is in %s, %s", len(s), name, form)
				}
			}
		}
	}
	assert.Zero(t, hits, "canary hits")
	assert.Contains(t, outputs["evidence"], "X-Echo", "the echoes are in the evidence, masked")
	assert.Contains(t, printed, "the exchange the failing step judged", "--verbose: the summary's exchanges are searched too")
}

// jsonStrings is every string a JSON document holds, decoded, a line each:
// a body inside run.json is JSON in JSON, whose escapes no form list covers.
func jsonStrings(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				b.WriteString(k + "\n")
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}
