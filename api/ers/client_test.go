package ers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/api/ers"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/profiles"
	"github.com/healthapi-conformance/conformance/refserver"
)

func TestCreateOpensASessionWhoseKeyAndTokenAreMasked(t *testing.T) {
	ref := startReference(t)
	for _, name := range []string{"clinician", "multi-org"} {
		t.Run(name, func(t *testing.T) {
			user := ref.profile.ERS.Users[name]
			ex, err := ref.client.Create(context.Background(), ers.CreateBody(user.Token.Value()))
			require.NoError(t, err)
			require.Equal(t, http.StatusCreated, ex.Status, "body: %s", ex.Body)

			s, err := ers.ParseSession(ex.Body)
			require.NoError(t, err)
			assert.NotEmpty(t, s.ID)
			assert.Equal(t, user.Identifier, s.User.Identifier)
			assert.True(t, ers.SamePermissions(s.User.Permissions, profilePermissions(user)),
				"listed %s", ers.PermissionsText(s.User.Permissions))
			assert.Nil(t, s.Permission, "no permission is selected on A001")
			assert.JSONEq(t, "null", string(s.Raw["permission"]))

			assert.Equal(t, redact.Mask, ref.redactor.String(s.ID), "the session key becomes a secret")
			assert.Equal(t, redact.Mask, ref.redactor.String(s.Token), "the session token becomes a secret")
			assert.NotContains(t, ex.Transcript(ref.redactor), s.ID)
		})
	}
}

func TestCreateRefusals(t *testing.T) {
	ref := startReference(t)
	clinician := ref.profile.ERS.Users["clinician"].Token.Value()
	cases := []struct {
		name   string
		body   []byte
		opts   []ers.Option
		status int
	}{
		{"without the ASID header", ers.CreateBody(clinician), []ers.Option{ers.WithoutHeader(ers.HeaderASID)}, http.StatusForbidden},
		{"with a token no smartcard issued", ers.CreateBody("AQIC5wM2LY4SfcxNOTAREALTOKEN=@AAJTSQACMDE=#"), nil, http.StatusForbidden},
		{"with an empty token", ers.CreateBody(""), nil, http.StatusUnprocessableEntity},
		{"with a body that is not JSON", []byte("not json"), nil, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := ref.client.Create(context.Background(), tc.body, tc.opts...)
			require.NoError(t, err)
			assert.Equal(t, tc.status, ex.Status, "body: %s", ex.Body)
		})
	}
}

func TestWithoutHeaderLeavesTheHeaderOut(t *testing.T) {
	ref := startReference(t)
	s := ref.open(t, "clinician")
	p := s.User.Permissions[0]
	cases := []struct {
		name, header string
		send         func(...ers.Option) (*exchange.Exchange, error)
	}{
		{"A001 without the ASID", ers.HeaderASID, func(o ...ers.Option) (*exchange.Exchange, error) {
			return ref.client.Create(context.Background(), ers.CreateBody(ref.profile.ERS.Users["clinician"].Token.Value()), o...)
		}},
		{"A002 without the ASID", ers.HeaderASID, func(o ...ers.Option) (*exchange.Exchange, error) {
			return ref.client.SelectRole(context.Background(), s.ID, s.SelectBody(&p), o...)
		}},
		{"A002 without the session key", ers.HeaderSessionKey, func(o ...ers.Option) (*exchange.Exchange, error) {
			return ref.client.SelectRole(context.Background(), s.ID, s.SelectBody(&p), o...)
		}},
		{"A003 without the session key", ers.HeaderSessionKey, func(o ...ers.Option) (*exchange.Exchange, error) {
			return ref.client.Close(context.Background(), s.ID, o...)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			with, err := tc.send()
			require.NoError(t, err)
			assert.NotEmpty(t, with.Request.HeaderValue(tc.header), "sent by default")

			without, err := tc.send(ers.WithoutHeader(tc.header))
			require.NoError(t, err)
			assert.Empty(t, without.Request.HeaderValue(tc.header), "left out of the request")
			assert.Len(t, without.Request.Header, len(with.Request.Header)-1, "only that header is left out")
			assert.Equal(t, http.StatusForbidden, without.Status, "body: %s", without.Body)
		})
	}
}

func TestWithoutAnUndocumentedHeaderSendsNothing(t *testing.T) {
	rec := startRecorder(t, http.StatusCreated, `{}`)
	c := ers.New(exchange.NewClient(time.Second, redact.New()), ers.Config{Base: rec.url, ASID: "200000000220"}, redact.New())
	for _, name := range []string{"Bogus", "Accept", "xapi_asid"} {
		t.Run(name, func(t *testing.T) {
			ex, err := c.Create(context.Background(), ers.CreateBody("token"), ers.WithoutHeader(name))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is not a documented e-RS header")
			assert.Nil(t, ex)
		})
	}
	assert.Zero(t, rec.count(), "no request is sent")
}

func TestSelectRoleAppliesAListedPermission(t *testing.T) {
	ref := startReference(t)
	for _, name := range []string{"clinician", "multi-org"} {
		t.Run(name, func(t *testing.T) {
			s := ref.open(t, name)
			for _, p := range s.User.Permissions {
				ex, err := ref.client.SelectRole(context.Background(), s.ID, s.SelectBody(&p))
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, ex.Status, "body: %s", ex.Body)
				got, err := ers.ParseSession(ex.Body)
				require.NoError(t, err)
				require.NotNil(t, got.Permission)
				assert.True(t, got.Permission.Same(p), "selected %s, got %s", p, got.Permission)
				assert.True(t, ers.SamePermissions(got.User.Permissions, s.User.Permissions))
			}
		})
	}
}

func TestSelectRoleRefusals(t *testing.T) {
	ref := startReference(t)
	s := ref.open(t, "multi-org")
	cases := []struct {
		name   string
		key    string
		body   []byte
		status int
	}{
		{"no permission", s.ID, s.SelectBody(nil), http.StatusUnprocessableEntity},
		{"a function held at another organisation", s.ID, s.SelectBody(&ers.Permission{BusinessFunction: "REFERRING_CLINICIAN", OrgIdentifier: "RCD"}), http.StatusForbidden},
		{"an undocumented function", s.ID, s.SelectBody(&ers.Permission{BusinessFunction: "JANITOR", OrgIdentifier: "R01"}), http.StatusUnprocessableEntity},
		{"a key never issued", ers.UnissuedKey(), s.SelectBody(&s.User.Permissions[0]), http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := ref.client.SelectRole(context.Background(), tc.key, tc.body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, ex.Status, "body: %s", ex.Body)
		})
	}
}

func TestCloseAnswers204ThenTheKeyIsRefused(t *testing.T) {
	ref := startReference(t)
	s := ref.open(t, "clinician")

	ex, err := ref.client.Close(context.Background(), s.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, ex.Status)
	assert.Empty(t, ex.Body)
	assert.Empty(t, ex.Request.Body, "A003 has no request body")
	assert.Empty(t, ex.Request.HeaderValue("Content-Type"), "no body, no Content-Type")

	again, err := ref.client.Close(context.Background(), s.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusGone, again.Status, "body: %s", again.Body)

	selected, err := ref.client.SelectRole(context.Background(), s.ID, s.SelectBody(&s.User.Permissions[0]))
	require.NoError(t, err)
	assert.Equal(t, http.StatusGone, selected.Status, "a closed session cannot select a role")
}

func TestRequestsAreSpeltAsTheConfigSays(t *testing.T) {
	renamed := map[string]string{ers.HeaderASID: "X-Gateway-Asid", ers.HeaderSessionKey: "X-Gateway-Session"}
	cases := []struct {
		name             string
		headers          map[string]string
		asid, sessionKey string // the names the server must see
		notAsid, notKey  string // the names it must not see
	}{
		{"documented spellings by default", nil, ers.HeaderASID, ers.HeaderSessionKey, "X-Gateway-Asid", "X-Gateway-Session"},
		{"renamed", renamed, "X-Gateway-Asid", "X-Gateway-Session", ers.HeaderASID, ers.HeaderSessionKey},
		{"only one renamed", map[string]string{ers.HeaderASID: "X-Gateway-Asid"}, "X-Gateway-Asid", ers.HeaderSessionKey, ers.HeaderASID, "X-Gateway-Session"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := startRecorder(t, http.StatusOK, `{}`)
			c := ers.New(exchange.NewClient(time.Second, redact.New()), ers.Config{Base: rec.url, ASID: "200000000220", Headers: tc.headers}, redact.New())
			_, err := c.SelectRole(context.Background(), "pro-xapi-session_a/b", []byte(`{}`))
			require.NoError(t, err)

			got := rec.last(t)
			assert.Equal(t, http.MethodPut, got.method)
			assert.Equal(t, "/v1/ProfessionalSession/pro-xapi-session_a%2Fb", got.path, "the key is escaped in the path")
			assert.Equal(t, "200000000220", got.header.Get(tc.asid))
			assert.Equal(t, "pro-xapi-session_a/b", got.header.Get(tc.sessionKey))
			assert.Empty(t, got.header.Get(tc.notAsid))
			assert.Empty(t, got.header.Get(tc.notKey))
			assert.Equal(t, "application/json", got.header.Get("Content-Type"))
			assert.Equal(t, "application/json", got.header.Get("Accept"))
		})
	}
}

func TestCreateIsSentToTheCollectionWithoutASessionKey(t *testing.T) {
	rec := startRecorder(t, http.StatusCreated, `{}`)
	c := ers.New(exchange.NewClient(time.Second, redact.New()), ers.Config{Base: rec.url, ASID: "200000000220"}, redact.New())
	body := ers.CreateBody("AQIC-token")
	_, err := c.Create(context.Background(), body)
	require.NoError(t, err)

	got := rec.last(t)
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, "/v1/ProfessionalSession", got.path)
	assert.Empty(t, got.header.Get(ers.HeaderSessionKey))
	assert.JSONEq(t, `{"typeInfo":"uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession","token":"AQIC-token"}`, string(got.body))
}

func TestSecretsAreLearntWhateverTheStatus(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		masked  []string
		visible []string
	}{
		{"a refusal that carries a session", http.StatusForbidden, `{"id":"pro-xapi-session_leaked","token":"token-leaked-123"}`, []string{"pro-xapi-session_leaked", "token-leaked-123"}, nil},
		{"values that are not strings", http.StatusCreated, `{"id":123456789,"token":{"value":"nested-secret"}}`, nil, []string{"123456789", "nested-secret"}},
		{"a body that is not an object", http.StatusOK, `["pro-xapi-session_in-a-list"]`, nil, []string{"pro-xapi-session_in-a-list"}},
		{"a body that is not JSON", http.StatusBadGateway, `pro-xapi-session_in-text`, nil, []string{"pro-xapi-session_in-text"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := startRecorder(t, tc.status, tc.body)
			red := redact.New()
			c := ers.New(exchange.NewClient(time.Second, red), ers.Config{Base: rec.url, ASID: "200000000220"}, red)
			ex, err := c.Create(context.Background(), ers.CreateBody("x"))
			require.NoError(t, err)
			assert.Equal(t, tc.status, ex.Status)
			for _, s := range tc.masked {
				assert.Equal(t, redact.Mask, red.String(s))
			}
			for _, s := range tc.visible {
				assert.Equal(t, s, red.String(s))
			}
		})
	}
}

func TestSamePermissions(t *testing.T) {
	a := ers.Permission{BusinessFunction: "REFERRING_CLINICIAN", OrgIdentifier: "R01", OrgName: "NHST_X3"}
	b := ers.Permission{BusinessFunction: "SERVICE_PROVIDER_ADMIN", OrgIdentifier: "RCD"}
	cases := []struct {
		name string
		x, y []ers.Permission
		same bool
	}{
		{"both empty", nil, []ers.Permission{}, true},
		{"same order", []ers.Permission{a, b}, []ers.Permission{a, b}, true},
		{"another order", []ers.Permission{a, b}, []ers.Permission{b, a}, true},
		{"orgName is not compared", []ers.Permission{a}, []ers.Permission{{BusinessFunction: a.BusinessFunction, OrgIdentifier: a.OrgIdentifier}}, true},
		{"one missing", []ers.Permission{a, b}, []ers.Permission{a}, false},
		{"another organisation", []ers.Permission{a}, []ers.Permission{{BusinessFunction: a.BusinessFunction, OrgIdentifier: "RCD"}}, false},
		{"another function", []ers.Permission{a}, []ers.Permission{{BusinessFunction: "SERVICE_DEFINER", OrgIdentifier: "R01"}}, false},
		{"a duplicate", []ers.Permission{a, a}, []ers.Permission{a}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.same, ers.SamePermissions(tc.x, tc.y))
			assert.Equal(t, tc.same, ers.SamePermissions(tc.y, tc.x), "symmetric")
		})
	}
}

func TestPermissionsTextIsSorted(t *testing.T) {
	ps := []ers.Permission{
		{BusinessFunction: "SERVICE_PROVIDER_ADMIN", OrgIdentifier: "RCD"},
		{BusinessFunction: "REFERRING_CLINICIAN", OrgIdentifier: "R01", OrgName: "NHST_X3"},
	}
	assert.Equal(t, "[REFERRING_CLINICIAN at R01; SERVICE_PROVIDER_ADMIN at RCD]", ers.PermissionsText(ps))
	assert.Equal(t, "[]", ers.PermissionsText(nil))
	assert.Equal(t, "REFERRING_CLINICIAN at R01", ps[1].String())
}

func TestParseSession(t *testing.T) {
	s, err := ers.ParseSession([]byte(`{"typeInfo":"t","id":"k","token":"tok","user":{"identifier":"555","permissions":[{"businessFunction":"BF","orgIdentifier":"R01","orgName":"N"}]},"permission":{"businessFunction":"BF","orgIdentifier":"R01"},"extra":[1]}`))
	require.NoError(t, err)
	assert.Equal(t, "k", s.ID)
	assert.Equal(t, "tok", s.Token)
	assert.Equal(t, "555", s.User.Identifier)
	assert.Equal(t, []ers.Permission{{BusinessFunction: "BF", OrgIdentifier: "R01", OrgName: "N"}}, s.User.Permissions)
	require.NotNil(t, s.Permission)
	assert.Equal(t, "BF at R01", s.Permission.String())
	assert.JSONEq(t, `[1]`, string(s.Raw["extra"]), "every field is kept raw")

	for _, body := range []string{`not json`, `["a list"]`, `"a string"`, ``} {
		_, err := ers.ParseSession([]byte(body))
		assert.Error(t, err, "%q", body)
	}
}

func TestParseSessionRefusesNull(t *testing.T) {
	_, err := ers.ParseSession([]byte(`null`))
	assert.Error(t, err)
}

func TestSelectBodyKeepsTheSessionAndSetsThePermission(t *testing.T) {
	s, err := ers.ParseSession([]byte(`{"typeInfo":"t","id":"k","token":"tok","user":{"identifier":"555","permissions":[]},"permission":{"businessFunction":"OLD","orgIdentifier":"X"}}`))
	require.NoError(t, err)
	p := ers.Permission{BusinessFunction: "BF", OrgIdentifier: "R01", OrgName: "N"}
	cases := []struct {
		name string
		p    *ers.Permission
		want string
	}{
		{"nil leaves the permission out", nil, `{"typeInfo":"t","id":"k","token":"tok","user":{"identifier":"555","permissions":[]}}`},
		{"a permission replaces the one sent", &p, `{"typeInfo":"t","id":"k","token":"tok","user":{"identifier":"555","permissions":[]},"permission":{"businessFunction":"BF","orgIdentifier":"R01","orgName":"N"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.JSONEq(t, tc.want, string(s.SelectBody(tc.p)))
		})
	}
	assert.Contains(t, s.Raw, "permission", "SelectBody does not change the session")
}

func TestCreateBodyHasOnlyATypeAndAToken(t *testing.T) {
	var body map[string]string
	require.NoError(t, json.Unmarshal(ers.CreateBody(`to"ken`), &body))
	assert.Equal(t, map[string]string{"typeInfo": "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession", "token": `to"ken`}, body)
}

func TestBusinessFunctions(t *testing.T) {
	functions, err := ers.BusinessFunctions()
	require.NoError(t, err)
	assert.Len(t, functions, 15)
	assert.Contains(t, functions, "REFERRING_CLINICIAN")
	assert.Contains(t, functions, "SERVICE_PROVIDER_ADMIN")
	assert.NotContains(t, functions, "JANITOR")
}

func TestUnissuedKeysHaveThePublishedFormAndDiffer(t *testing.T) {
	form := regexp.MustCompile(`^pro-xapi-session_[a-z2-7]{26}$`)
	a, b := ers.UnissuedKey(), ers.UnissuedKey()
	assert.Regexp(t, form, a)
	assert.Regexp(t, form, b)
	assert.NotEqual(t, a, b)
}

// reference is a reference server and an e-RS client of it, set up as the
// reference profile says.
type reference struct {
	profile  *profile.Profile
	client   *ers.Client
	redactor *redact.Redactor
}

func startReference(t *testing.T) reference {
	t.Helper()
	p, err := profile.Parse(profiles.Reference, "ref")
	require.NoError(t, err)
	h, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	red := redact.New()
	c := ers.New(exchange.NewClient(5*time.Second, red), ers.ProfileConfig(p, srv.URL), red)
	return reference{profile: p, client: c, redactor: red}
}

// open creates a session for a profile user, which must succeed.
func (r reference) open(t *testing.T, user string) *ers.Session {
	t.Helper()
	ex, err := r.client.Create(context.Background(), ers.CreateBody(r.profile.ERS.Users[user].Token.Value()))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, ex.Status, "body: %s", ex.Body)
	s, err := ers.ParseSession(ex.Body)
	require.NoError(t, err)
	require.NotEmpty(t, s.User.Permissions)
	return s
}

func profilePermissions(u profile.SmartcardUser) []ers.Permission {
	out := make([]ers.Permission, len(u.Permissions))
	for i, p := range u.Permissions {
		out[i] = ers.Permission{BusinessFunction: p.BusinessFunction, OrgIdentifier: p.OrgIdentifier}
	}
	return out
}

// recorder is a fake target that answers every request alike and keeps what it was sent.
type recorder struct {
	url string
	mu  sync.Mutex
	got []recorded
}

type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

func startRecorder(t *testing.T, status int, body string) *recorder {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.got = append(rec.got, recorded{method: r.Method, path: r.URL.EscapedPath(), header: r.Header.Clone(), body: data})
		rec.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	rec.url = srv.URL
	return rec
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.got, "the fake target received no request")
	return r.got[len(r.got)-1]
}

func TestWithASIDAndWithSessionKeyHeaderChangeOnlyThatHeader(t *testing.T) {
	ref := startReference(t)
	s := ref.open(t, "clinician")
	other := ref.open(t, "multi-org")
	ex, err := ref.client.Close(context.Background(), s.ID, ers.WithSessionKeyHeader(other.ID), ers.WithASID(ers.UnissuedASID))
	require.NoError(t, err)
	assert.Equal(t, other.ID, ex.Request.HeaderValue(ers.HeaderSessionKey))
	assert.Equal(t, ers.UnissuedASID, ex.Request.HeaderValue(ers.HeaderASID))
	assert.Contains(t, ex.Request.URL, "/v1/ProfessionalSession/"+s.ID, "the path still names the first session")
	assert.Equal(t, http.StatusForbidden, ex.Status, "body: %s", ex.Body)
}

func TestTokenOnlyBodyHasOnlyTheToken(t *testing.T) {
	assert.JSONEq(t, `{"token": "t"}`, string(ers.TokenOnlyBody("t")))
}
