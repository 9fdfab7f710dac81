package hpi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/auth"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/profiles"
	"github.com/healthapi-conformance/conformance/refserver"
)

func TestCreateReadAndUpdateARole(t *testing.T) {
	ref := startReference(t)
	ctx := context.Background()

	created, err := ref.client.Create(ctx, ref.newRole(0))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, created.Status, "body: %s", created.Body)
	id := hpi.CreatedID(created)
	require.NotEmpty(t, id)
	assert.Contains(t, created.Header.Get("Location"), "/PractitionerRole/"+id)

	read, err := ref.client.Read(ctx, id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, read.Status, "body: %s", read.Body)
	assert.NotEmpty(t, read.Header.Get("ETag"))
	role, err := hpi.ParseResource(read.Body)
	require.NoError(t, err)
	assert.Equal(t, id, role["id"])
	version, err := hpi.VersionOf(read, role)
	require.NoError(t, err)
	assert.Equal(t, 1, version)

	role["telecom"] = append(role["telecom"].([]any), map[string]any{"system": "email", "value": "new@example.org", "use": "work", "rank": 3})
	updated, err := ref.client.Update(ctx, id, role, hpi.IfMatch(version))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, updated.Status, "body: %s", updated.Body)
	assert.Equal(t, `1`, updated.Request.HeaderValue("If-Match"), "the version as the general page writes it")
	after, err := hpi.ParseResource(updated.Body)
	require.NoError(t, err)
	newer, err := hpi.VersionOf(updated, after)
	require.NoError(t, err)
	assert.Equal(t, version+1, newer)

	stale, err := ref.client.Update(ctx, id, role, hpi.IfMatch(version))
	require.NoError(t, err)
	assert.Equal(t, http.StatusConflict, stale.Status, "an update based on a stale version is refused; body: %s", stale.Body)
	o, err := hpi.ParseOutcome(stale.Body)
	require.NoError(t, err)
	assert.Contains(t, o.Issue[0].Texts(), "Record version provided is out of date. The record cannot be updated")
}

func TestRefusedCredentials(t *testing.T) {
	ref := startReference(t)
	ctx := context.Background()
	id := ref.create(t, 1)
	cases := []struct {
		name    string
		opts    []hpi.Option
		status  int
		omitted string // a header the request must not carry
	}{
		{"without userid", []hpi.Option{hpi.WithoutHeader("userid")}, http.StatusUnauthorized, "userid"},
		{"without USERID, in any case", []hpi.Option{hpi.WithoutHeader("USERID")}, http.StatusUnauthorized, "userid"},
		{"without Authorization", []hpi.Option{hpi.WithoutHeader("Authorization")}, http.StatusUnauthorized, "Authorization"},
		{"without x-api-key", []hpi.Option{hpi.WithoutHeader("x-api-key")}, http.StatusForbidden, "x-api-key"},
		{"with a bearer the endpoint never issued", []hpi.Option{hpi.WithBearer("junk")}, http.StatusUnauthorized, ""},
		{"with a token of scopes that do not open the read", []hpi.Option{hpi.WithScopes([]string{"https://api.hip.digital.health.nz/fhir/pracrole:search"})}, http.StatusForbidden, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := ref.client.Read(ctx, id, tc.opts...)
			require.NoError(t, err)
			assert.Equal(t, tc.status, ex.Status, "body: %s", ex.Body)
			if tc.omitted != "" {
				assert.Empty(t, ex.Request.HeaderValue(tc.omitted))
			}
			_, err = hpi.ParseOutcome(ex.Body)
			assert.NoError(t, err, "a refusal carries an OperationOutcome")
		})
	}

	t.Run("a read-only token cannot update", func(t *testing.T) {
		read, err := ref.client.Read(ctx, id)
		require.NoError(t, err)
		role, err := hpi.ParseResource(read.Body)
		require.NoError(t, err)
		ex, err := ref.client.Update(ctx, id, role, hpi.IfMatch(1), hpi.WithScopes(ref.profile.HPI.ReadOnlyScopes))
		require.NoError(t, err)
		assert.Equal(t, http.StatusForbidden, ex.Status, "body: %s", ex.Body)
		again, err := ref.client.Update(ctx, id, role, hpi.IfMatch(1))
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, again.Status, "the configured scopes may; body: %s", again.Body)
	})
}

func TestRequestHeaders(t *testing.T) {
	role := hpi.Resource{"resourceType": "PractitionerRole"}
	cases := []struct {
		name     string
		weak     bool
		send     func(*hpi.Client) (*exchange.Exchange, error)
		method   string
		path     string
		ifMatch  string
		withBody bool
	}{
		{"read", false, func(c *hpi.Client) (*exchange.Exchange, error) { return c.Read(context.Background(), "R1/x") },
			http.MethodGet, "/fhir/PractitionerRole/R1%2Fx", "", false},
		{"create", false, func(c *hpi.Client) (*exchange.Exchange, error) { return c.Create(context.Background(), role) },
			http.MethodPost, "/fhir/PractitionerRole", "", true},
		{"update with the version", false, func(c *hpi.Client) (*exchange.Exchange, error) {
			return c.Update(context.Background(), "R1", role, hpi.IfMatch(3))
		}, http.MethodPut, "/fhir/PractitionerRole/R1", "3", true},
		{"update with a weak ETag", true, func(c *hpi.Client) (*exchange.Exchange, error) {
			return c.Update(context.Background(), "R1", role, hpi.IfMatch(3))
		}, http.MethodPut, "/fhir/PractitionerRole/R1", `W/"3"`, true},
		{"update without a version", true, func(c *hpi.Client) (*exchange.Exchange, error) {
			return c.Update(context.Background(), "R1", role)
		}, http.MethodPut, "/fhir/PractitionerRole/R1", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := startFake(t)
			_, err := tc.send(fake.client(tc.weak))
			require.NoError(t, err)
			got := fake.only(t)
			assert.Equal(t, tc.method, got.method)
			assert.Equal(t, tc.path, got.path)
			assert.Equal(t, "Bearer fake-token-1", got.header.Get("Authorization"))
			assert.Equal(t, "api-key-123", got.header.Get("x-api-key"))
			assert.Equal(t, "99ZZZS", got.header.Get("userid"))
			assert.Equal(t, "application/json", got.header.Get("Accept"))
			assert.Regexp(t, `^conformance-[0-9a-f]{24}$`, got.header.Get("X-Correlation-Id"))
			assert.Equal(t, tc.ifMatch, got.header.Get("If-Match"))
			// Mandatory on every request, a read too (D-HPI-24).
			assert.Equal(t, "application/json", got.header.Get("Content-Type"))
			if tc.withBody {
				assert.JSONEq(t, `{"resourceType":"PractitionerRole"}`, string(got.body))
			} else {
				assert.Empty(t, got.body)
			}
		})
	}
}

func TestABodyCanBeDeclaredAsAnotherMediaType(t *testing.T) {
	fake := startFake(t)
	_, err := fake.client(false).Create(context.Background(), hpi.Resource{"resourceType": "PractitionerRole"}, hpi.DeclaredAs("application/fhir+xml"))
	require.NoError(t, err)
	assert.Equal(t, "application/fhir+xml", fake.only(t).header.Get("Content-Type"))
}

func TestEveryRequestHasAFreshCorrelationID(t *testing.T) {
	fake := startFake(t)
	c := fake.client(false)
	seen := map[string]bool{}
	for range 5 {
		ex, err := c.Read(context.Background(), "R1")
		require.NoError(t, err)
		id := ex.Request.HeaderValue("X-Correlation-Id")
		assert.NotEmpty(t, id)
		assert.False(t, seen[id], "X-Correlation-Id %s was sent before", id)
		seen[id] = true
	}
	assert.Len(t, fake.requests(), 5)
	assert.Equal(t, 1, fake.tokenCalls(), "the token is fetched once and reused")
}

func TestWithBearerAndWithScopesChooseTheToken(t *testing.T) {
	fake := startFake(t)
	c := fake.client(false)
	ex, err := c.Read(context.Background(), "R1", hpi.WithBearer("given"))
	require.NoError(t, err)
	assert.Equal(t, "Bearer given", ex.Request.HeaderValue("Authorization"))
	assert.Zero(t, fake.tokenCalls(), "no token is asked for when the scenario gives one")

	ex, err = c.Read(context.Background(), "R1", hpi.WithScopes([]string{"read-only"}))
	require.NoError(t, err)
	assert.Equal(t, "Bearer fake-token-1", ex.Request.HeaderValue("Authorization"))
	ex, err = c.Read(context.Background(), "R1")
	require.NoError(t, err)
	assert.Equal(t, "Bearer fake-token-2", ex.Request.HeaderValue("Authorization"), "the configured scopes get their own token")
	assert.Equal(t, []string{"read-only", "read write"}, fake.scopesAsked())
}

// Bugs found by these tests, since fixed.

func TestWithoutHeaderOptionsCompose(t *testing.T) {
	fake := startFake(t)
	ex, err := fake.client(false).Read(context.Background(), "R1", hpi.WithoutHeader("userid"), hpi.WithoutHeader("x-api-key"))
	require.NoError(t, err)
	assert.Empty(t, ex.Request.HeaderValue("userid"))
	assert.Empty(t, ex.Request.HeaderValue("x-api-key"))
}

func TestWithoutAHeaderTheClientNeverSendsSendsNothing(t *testing.T) {
	fake := startFake(t)
	ex, err := fake.client(false).Read(context.Background(), "R1", hpi.WithoutHeader("user-id"))
	assert.Error(t, err, "as ers.WithoutHeader refuses an undocumented header")
	assert.Nil(t, ex)
	assert.Empty(t, fake.requests())
}

func TestNoRequestIsSentWithoutAToken(t *testing.T) {
	fake := startFake(t)
	red := redact.New()
	tokens := auth.New(fake.url+"/no-such-token-endpoint", "client", "secret", time.Second, red)
	c := hpi.New(exchange.NewClient(time.Second, red), tokens, hpi.Config{Base: fake.url + "/fhir"})
	ex, err := c.Read(context.Background(), "R1")
	require.Error(t, err)
	assert.Nil(t, ex)
	assert.Empty(t, fake.requests())
}

func TestParseVersion(t *testing.T) {
	cases := []struct {
		tag  string
		want int
		ok   bool
	}{
		{"3", 3, true},
		{`"3"`, 3, true},
		{`W/"3"`, 3, true},
		{" 3 ", 3, true},
		{` W/"12" `, 12, true},
		{"0", 0, true},
		{"abc", 0, false},
		{`W/""`, 0, false},
		{"", 0, false},
		{"3.5", 0, false},
		{`W/"abc"`, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.tag, func(t *testing.T) {
			v, err := hpi.ParseVersion(tc.tag)
			if !tc.ok {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "is not a version number")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, v)
		})
	}
}

func TestVersionOf(t *testing.T) {
	cases := []struct {
		name string
		etag string
		role hpi.Resource
		want int
		ok   bool
	}{
		{"from the ETag", `W/"4"`, hpi.Resource{"meta": map[string]any{"versionId": "9"}}, 4, true},
		{"from meta.versionId", "", hpi.Resource{"meta": map[string]any{"versionId": "9"}}, 9, true},
		{"a bad ETag", `W/"x"`, hpi.Resource{"meta": map[string]any{"versionId": "9"}}, 0, false},
		{"a bad versionId", "", hpi.Resource{"meta": map[string]any{"versionId": "nine"}}, 0, false},
		{"a versionId that is not a string", "", hpi.Resource{"meta": map[string]any{"versionId": 9.0}}, 0, false},
		{"neither", "", hpi.Resource{"id": "R1"}, 0, false},
		{"no role", "", nil, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := &exchange.Exchange{Header: http.Header{}}
			if tc.etag != "" {
				ex.Header.Set("ETag", tc.etag)
			}
			v, err := hpi.VersionOf(ex, tc.role)
			if !tc.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, v)
		})
	}
}

func TestCreatedID(t *testing.T) {
	cases := []struct {
		name, body, location, want string
		header                     string // where the location is; Location unless said
	}{
		{"from the body", `{"resourceType":"PractitionerRole","id":"R1-G"}`, "/fhir/PractitionerRole/R2-G", "R1-G", ""},
		{"from Location", `{}`, "/fhir/PractitionerRole/R2-G", "R2-G", ""},
		{"from an absolute Location", ``, "https://api.example.org/fhir/PractitionerRole/R2-G", "R2-G", ""},
		{"from Location with a version", `{"resourceType":"PractitionerRole"}`, "/fhir/PractitionerRole/R2-G/_history/3", "R2-G", ""},
		{"from Location with a trailing slash", `not json`, "/fhir/PractitionerRole/R2-G/", "R2-G", ""},
		{"from Location with a version and a trailing slash", ``, "/fhir/PractitionerRole/R2-G/_history/3/", "R2-G", ""},
		{"from Location when the body id is not a string", `{"id":42}`, "/fhir/PractitionerRole/R2-G", "R2-G", ""},
		{"from Content-Location, as a 204 may name it", ``, "/fhir/PractitionerRole/R3-G/_history/1", "R3-G", "Content-Location"},
		{"not from a location of something else", ``, "/fhir/metadata", "", ""},
		{"neither", `{"resourceType":"OperationOutcome"}`, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := &exchange.Exchange{Header: http.Header{}, Body: []byte(tc.body)}
			if tc.header == "" {
				tc.header = "Location"
			}
			if tc.location != "" {
				ex.Header.Set(tc.header, tc.location)
			}
			assert.Equal(t, tc.want, hpi.CreatedID(ex))
		})
	}
}

func TestParseOutcome(t *testing.T) {
	cases := []struct {
		name, body string
		ok         bool
	}{
		{"valid", `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"hpi-person-id invalid"}]}`, true},
		{"not an OperationOutcome", `{"resourceType":"PractitionerRole","issue":[{"severity":"error"}]}`, false},
		{"no resourceType", `{"issue":[{"severity":"error"}]}`, false},
		{"no issue", `{"resourceType":"OperationOutcome","issue":[]}`, false},
		{"not JSON", `<html>502</html>`, false},
		{"empty", ``, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := hpi.ParseOutcome([]byte(tc.body))
			if !tc.ok {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "expected an OperationOutcome with an issue")
				return
			}
			require.NoError(t, err)
			require.Len(t, o.Issue, 1)
			assert.Equal(t, "error", o.Issue[0].Severity)
			assert.Equal(t, "processing", o.Issue[0].Code)
		})
	}
}

func TestIssueTexts(t *testing.T) {
	cases := []struct {
		name, issue string
		want        []string
	}{
		{"diagnostics", `{"diagnostics":"hpi-person-id invalid"}`, []string{"hpi-person-id invalid"}},
		{"details text", `{"details":{"text":"Invalid id"}}`, []string{"Invalid id"}},
		{"coded", `{"details":{"coding":[{"system":"s","code":"EM07106","display":"Record version provided is out of date"}]}}`, []string{"Record version provided is out of date"}},
		{"all of them, in order, trimmed", `{"diagnostics":" a ","details":{"text":"b","coding":[{"display":"c"},{"display":"d"}]}}`, []string{"a", "b", "c", "d"}},
		{"blanks are left out", `{"diagnostics":"  ","details":{"text":"","coding":[{"code":"X"}]}}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := hpi.ParseOutcome([]byte(`{"resourceType":"OperationOutcome","issue":[` + tc.issue + `]}`))
			require.NoError(t, err)
			assert.Equal(t, tc.want, o.Issue[0].Texts())
		})
	}
}

func TestParseResource(t *testing.T) {
	r, err := hpi.ParseResource([]byte(`{"resourceType":"PractitionerRole","id":"R1"}`))
	require.NoError(t, err)
	assert.Equal(t, hpi.Resource{"resourceType": "PractitionerRole", "id": "R1"}, r)
	for _, body := range []string{`not json`, `[1]`, ``} {
		_, err := hpi.ParseResource([]byte(body))
		assert.Error(t, err, "%q", body)
	}
}

func TestRolePathAndRandomHex(t *testing.T) {
	assert.Equal(t, "/PractitionerRole/R1-G", hpi.RolePath("R1-G"))
	assert.Equal(t, "/PractitionerRole/..%2Fadmin", hpi.RolePath("../admin"))
	a, b := hpi.RandomHex(8), hpi.RandomHex(8)
	assert.Regexp(t, `^[0-9a-f]{16}$`, a)
	assert.NotEqual(t, a, b)
}

// reference is a reference server and an HPI client of it, set up as the
// reference profile says.
type reference struct {
	profile *profile.Profile
	client  *hpi.Client
}

func startReference(t *testing.T) reference {
	t.Helper()
	p, err := profile.Parse(profiles.Reference, "ref")
	require.NoError(t, err)
	h, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	red := redact.New(p.Secrets()...)
	c := hpi.New(exchange.NewClient(5*time.Second, red), hpi.ProfileTokens(p, srv.URL, red), hpi.ProfileConfig(p, srv.URL))
	return reference{profile: p, client: c}
}

// newRole is a role like fixtures/hpi/requests/new-role.json for the
// profile's n-th test practitioner, so that no two roles of a test collide.
func (r reference) newRole(n int) hpi.Resource {
	td := r.profile.HPI.TestData
	code := td.RoleCodes[0]
	return hpi.Resource{
		"resourceType": "PractitionerRole",
		"practitioner": map[string]any{"reference": "Practitioner/" + td.Practitioners[n]},
		"organization": map[string]any{"reference": "Organization/" + td.Organisation},
		"location":     []any{map[string]any{"reference": "Location/" + td.Facility}},
		"code": []any{map[string]any{
			"coding": []any{map[string]any{"system": code.System, "code": code.Code, "display": code.Display}},
		}},
		"period":  map[string]any{"start": "2020-01-01"},
		"telecom": []any{map[string]any{"system": "phone", "value": "6449999999", "use": "work", "rank": 1}},
	}
}

// create adds the n-th role, which must succeed, and returns its id.
func (r reference) create(t *testing.T, n int) string {
	t.Helper()
	ex, err := r.client.Create(context.Background(), r.newRole(n))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, ex.Status, "body: %s", ex.Body)
	id := hpi.CreatedID(ex)
	require.NotEmpty(t, id)
	return id
}

// fake is a target that issues numbered tokens and records every FHIR request.
type fake struct {
	url    string
	mu     sync.Mutex
	scopes []string
	got    []recorded
}

type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

func startFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.scopes = append(f.scopes, r.FormValue("scope"))
		n := len(f.scopes)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "fake-token-" + strconv.Itoa(n), "token_type": "Bearer", "expires_in": 3600})
	})
	mux.HandleFunc("/fhir/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.got = append(f.got, recorded{method: r.Method, path: r.URL.EscapedPath(), header: r.Header.Clone(), body: body})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"resourceType":"PractitionerRole","id":"R1"}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// client is an HPI client of the fake, with the reference profile's userid.
func (f *fake) client(weakETag bool) *hpi.Client {
	red := redact.New()
	tokens := auth.New(f.url+"/token", "client", "secret", time.Second, red)
	return hpi.New(exchange.NewClient(time.Second, red), tokens, hpi.Config{
		Base: f.url + "/fhir", APIKey: "api-key-123", UserID: "99ZZZS", Scopes: []string{"read", "write"}, WeakETag: weakETag,
	})
}

func (f *fake) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.got...)
}

func (f *fake) only(t *testing.T) recorded {
	t.Helper()
	got := f.requests()
	require.Len(t, got, 1)
	return got[0]
}

func (f *fake) tokenCalls() int { return len(f.scopesAsked()) }

func (f *fake) scopesAsked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.scopes...)
}
