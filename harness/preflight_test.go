package harness

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/profiles"
	"github.com/healthapi-conformance/conformance/refserver"
)

// The reference profile's secrets, as profiles/reference.yaml writes them.
const (
	refAPIKey         = `"refserver-api-key-5b2d9a"`
	refClientSecret   = `"refserver-client-secret-7c1f0e"`
	refClinicianToken = `"AQIC5wM2LY4Sfcyw62EbAOsRpdfbGYUOyvkfZ4M6U7W52lM=@AAJTSQACMDE=#"`
)

// refTarget serves a reference server, its handler wrapped, and returns its URL.
func refTarget(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	srv, err := refserver.New(refserver.Options{})
	require.NoError(t, err)
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// assertNoScenarioRan checks that the run ended in the pre-flight.
func assertNoScenarioRan(t *testing.T, code int, out string) {
	t.Helper()
	assert.Equal(t, ExitUsage, code, out)
	assert.NotContains(t, out, "passed", "no scenario ran")
}

func TestAWrongAPIKeyEndsTheRunNamingHpiApiKey(t *testing.T) {
	prof := referenceProfileWith(t, refAPIKey, `"a-key-nobody-issued-91c3"`)
	code, out := run(t, Config{ProfilePath: prof})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "conformance: hpi.apiKey: an authorised read (GET http://127.0.0.1:")
	assert.Contains(t, out, "was answered 403 Forbidden")
	assert.NotContains(t, out, "a-key-nobody-issued-91c3", "the key is a secret")
}

func TestAWrongClientSecretEndsTheRunNamingTheCredentials(t *testing.T) {
	prof := referenceProfileWith(t, refClientSecret, `"not-the-client-secret-55a0"`)
	code, out := run(t, Config{ProfilePath: prof, Tags: "@hpi"})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "conformance: hpi.clientId/hpi.clientSecret: the token endpoint")
	assert.Contains(t, out, "refused the client credentials: 401 invalid_client")
	assert.NotContains(t, out, "not-the-client-secret-55a0")
}

func TestAWrongSmartcardTokenEndsTheRunNamingTheUser(t *testing.T) {
	prof := referenceProfileWith(t, refClinicianToken, `"AQIC5wM2LY4SfczNOTISSUEDTOANYONE=@AAJTSQACMDE=#"`)
	code, out := run(t, Config{ProfilePath: prof})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "conformance: ers.users.clinician.token: A001 (POST http://127.0.0.1:")
	assert.Contains(t, out, "refused the smartcard token of user clinician: answered 403 Forbidden")
	assert.NotContains(t, out, "NOTISSUEDTOANYONE")
}

// The e-RS pre-flight closes each session it opens, at once: before any
// scenario, each user's A001 is followed by an A003 that the target accepts.
func TestTheSmartcardCheckClosesItsSessions(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	target := refTarget(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if strings.Contains(r.URL.Path, "/ProfessionalSession") {
				mu.Lock()
				seen = append(seen, r.Method+" "+strconv.Itoa(rec.Code))
				mu.Unlock()
			}
			maps.Copy(w.Header(), rec.Header())
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		})
	})
	code, out := run(t, Config{Target: target, Tags: "@rule:ERS-A003-no-body"})
	require.Equal(t, ExitPassed, code, out)
	mu.Lock()
	defer mu.Unlock()
	require.Greater(t, len(seen), 5)
	assert.Equal(t, []string{"POST 201", "DELETE 204", "POST 201", "DELETE 204"}, seen[1:5],
		"after the probe (%s): clinician's session opened and closed, then multi-org's", seen[0])
}

func TestAPoolTooSmallForTheScenariosEndsTheRunNamingTheTestData(t *testing.T) {
	prof := vendorSizedPool(t)
	code, out := run(t, Config{ProfilePath: prof})
	assertNoScenarioRan(t, code, out)
	n := hpiScenarios(t, "")
	assert.Contains(t, out, "conformance: hpi.testData.practitioners and hpi.testData.roleCodes: 3 practitioners and 2 role codes give (3-1) x (2-1) = 2 (practitioner, role code) pairs")
	assert.Contains(t, out, "create up to "+strconv.Itoa(n)+" roles")
	assert.Contains(t, out, fmt.Sprintf("%d pairs short; add %d practitioners, or %d role codes", n-2, n-2, (n+1)/2-1))

	// The same pool suffices for a run of two HPI scenarios.
	code, out = run(t, Config{ProfilePath: prof, Tags: "@rule:HPI-UPD-current-version"})
	assert.Equal(t, ExitPassed, code, out)
}

// vendorSizedPool is the reference profile with profiles/vendor-example.yaml's test data.
func vendorSizedPool(t *testing.T) string {
	t.Helper()
	text := string(profiles.Reference)
	start := strings.Index(text, "    practitioners: [")
	end := strings.Index(text, "    # From the published example")
	codes := strings.Index(text, "    roleCodes:")
	codesEnd := strings.Index(text, "    unknownPractitioner:")
	require.True(t, start > 0 && end > start && codes > end && codesEnd > codes)
	text = text[:start] + "    practitioners: [91ZZAA, 91ZZAB, 91ZZAC]\n" + text[end:codes] +
		"    roleCodes: [{code: \"253111\"}, {code: \"542114\"}]\n" + text[codesEnd:]
	return writeFile(t, text)
}

// The bound the pre-flight demands is enough: with exactly one pair for each
// HPI scenario (two practitioners, one code per scenario and one kept out),
// every HPI scenario passes against a reference server that starts empty;
// one pair fewer is refused before any scenario runs. (A reused pair fails a
// scenario only when the two roles overlap, so this does not prove the bound
// holds: TestNoHPIScenarioCreatesTwoRoles does.)
func TestOnePairForEachHPIScenarioIsEnough(t *testing.T) {
	n := hpiScenarios(t, "")
	pool := func(pairs int) string {
		var codes []string
		for i := range pairs + 1 {
			codes = append(codes, fmt.Sprintf(`{code: "9%05d"}`, i))
		}
		return writeFile(t, strings.Replace(replacePool(t), "CODES", strings.Join(codes, ", "), 1))
	}
	code, out := run(t, Config{ProfilePath: pool(n), Tags: "@hpi", Seed: 1})
	assert.Equal(t, ExitPassed, code, out)
	code, out = run(t, Config{ProfilePath: pool(n - 1), Tags: "@hpi"})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "1 pair short; add 1 practitioner, or 1 role code")
}

// replacePool is the reference profile with two practitioners and role codes to fill in (CODES).
func replacePool(t *testing.T) string {
	t.Helper()
	text := readFile(t, vendorSizedPool(t))
	text = strings.Replace(text, "[91ZZAA, 91ZZAB, 91ZZAC]", "[91ZZAA, 91ZZAB]", 1)
	return strings.Replace(text, `[{code: "253111"}, {code: "542114"}]`, "[CODES]", 1)
}

// checkTestData counts one role for each HPI scenario: no scenario, with its
// Background, has two steps that create a role with a pair of its own (the
// phrases of steps/hpi_given.go and hpi_when.go that call nextRole).
func TestNoHPIScenarioCreatesTwoRoles(t *testing.T) {
	creates := regexp.MustCompile(`^(Given|When|And|But|\*) the system (has created|adds) a PractitionerRole\b`)
	paths, err := fs.Glob(features.FS, "hpi/*.feature")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	found := 0
	for _, path := range paths {
		data, err := fs.ReadFile(features.FS, path)
		require.NoError(t, err)
		background, scenario, name := 0, 0, ""
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "Background:"):
				name = "Background"
			case strings.HasPrefix(line, "Scenario"):
				name, scenario = line, 0
			case creates.MatchString(line) && name == "Background":
				background++
			case creates.MatchString(line):
				scenario++
			default:
				continue
			}
			found++
			assert.LessOrEqual(t, background+scenario, 1, "%s: %s creates more than one role", path, name)
		}
	}
	assert.Greater(t, found, 10, "the phrases that create roles are found")
}

func TestTheReferenceProfileHasPairsForTheWholeSuite(t *testing.T) {
	prof, err := profile.Parse(profiles.Reference, "reference")
	require.NoError(t, err)
	sel, err := selectScenarios(features.FS, "", picker{})
	require.NoError(t, err)
	assert.Greater(t, sel.hpi, 50)
	assert.Greater(t, sel.ers, 20)
	assert.NoError(t, checkTestData(prof.HPI, sel))
	assert.Equal(t, map[string]int{"location": 1, "organization": 1, "organization+location": 1},
		codelessRoles(prof.HPI.TestData, sel.hpiSteps), "the minimal adds, and the role created without a code")
}

func TestTwoMissingVariablesAreNamedInOneMessage(t *testing.T) {
	prof := referenceProfileWith(t, refClinicianToken, "{env: TEST_UNSET_CLINICIAN_TOKEN}", refAPIKey, "{env: TEST_UNSET_HPI_API_KEY}")
	code, out := run(t, Config{ProfilePath: prof})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "the environment lacks TEST_UNSET_CLINICIAN_TOKEN, TEST_UNSET_HPI_API_KEY (profile keys ers.users.clinician.token, hpi.apiKey)")
}

// A token endpoint that names fewer scopes than were asked for fails the
// run naming hpi.scopes, before any scenario is blamed for the missing scope.
func TestATokenGrantedFewerScopesNamesHpiScopes(t *testing.T) {
	target := refTarget(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/oauth2/token" {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			var body map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			body["scope"] = "https://api.hip.digital.health.nz/fhir/pracrole:read" // as if write were not the client's
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(body)
		})
	})
	code, out := run(t, Config{Target: target, Tags: "@hpi"})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, `conformance: hpi.scopes: the token endpoint granted "https://api.hip.digital.health.nz/fhir/pracrole:read", not https://api.hip.digital.health.nz/fhir/pracrole:write`)
}

func TestAScopeTheClientMayNotHaveNamesHpiScopes(t *testing.T) {
	prof := referenceProfileWith(t, "    - https://api.hip.digital.health.nz/fhir/pracrole:write\n",
		"    - https://api.hip.digital.health.nz/fhir/pracrole:write\n    - https://api.hip.digital.health.nz/fhir/practitioner:admin\n")
	code, out := run(t, Config{ProfilePath: prof, Tags: "@hpi"})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "conformance: hpi.scopes: the token endpoint")
	assert.Contains(t, out, "refused the scopes asked for: 400 invalid_scope")
}

// A token from another endpoint than the API's own is refused by the API
// (401): the credentials, or the token endpoint, are the profile's fault.
func TestATokenTheAPIRefusesNamesTheCredentials(t *testing.T) {
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"foreign-token-3f9a","token_type":"Bearer","expires_in":3600}`))
	}))
	t.Cleanup(foreign.Close)
	prof := referenceProfileWith(t, `target: ""`, "target: "+refTarget(t, nil), "tokenUrl: /oauth2/token", "tokenUrl: "+foreign.URL+"/token")
	code, out := run(t, Config{ProfilePath: prof, Tags: "@hpi"})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "conformance: hpi.clientId/hpi.clientSecret: an authorised read (GET ")
	assert.Contains(t, out, "was answered 401 Unauthorized")
	assert.NotContains(t, out, "foreign-token-3f9a", "an issued token is a secret")
}

// --target cannot move an absolute endpoint; one on another host ends the
// run before any request, so no secret travels there.
func TestAnAbsoluteEndpointOnAnotherHostThanTargetEndsTheRun(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	t.Cleanup(other.Close)
	prof := referenceProfileWith(t, "tokenUrl: /oauth2/token", "tokenUrl: "+other.URL+"/oauth2/token")
	target := refTarget(t, nil)
	code, out := run(t, Config{ProfilePath: prof, Target: target, Tags: "@hpi"})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "conformance: hpi.tokenUrl: "+other.URL+"/oauth2/token is an absolute URL, which --target does not override, and it is not on the target "+target)
	assert.Contains(t, out, "write the endpoint as a path (/oauth2/token)")
	assert.Zero(t, elsewhere.Load(), "no request went to the host --target did not name")

	// Whatever the tags select: a scenario's tags are no promise about the
	// API its steps use, and the profile's clients are all built.
	code, out = run(t, Config{ProfilePath: prof, Target: target, Tags: "@ers"})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, "conformance: hpi.tokenUrl: ")
	assert.Zero(t, elsewhere.Load())
}

func TestAnAbsoluteEndpointOnTheTargetHostIsUsedWithAWarning(t *testing.T) {
	target := refTarget(t, nil)
	prof := referenceProfileWith(t, "url: /fhir", "url: "+target+"/fhir")
	code, out := run(t, Config{ProfilePath: prof, Target: target, Tags: "@rule:HPI-UPD-current-version"})
	assert.Equal(t, ExitPassed, code, out)
	assert.Contains(t, out, "conformance: warning: hpi.url is an absolute URL ("+target+"/fhir), which --target does not override: it is used as written")
}

func TestSameHost(t *testing.T) {
	for pair, same := range map[[2]string]bool{
		{"https://a.example.org/fhir", "https://A.example.org"}:     true,
		{"https://a.example.org:443/fhir", "https://a.example.org"}: true,
		{"http://a.example.org/fhir", "https://a.example.org"}:      false,
		{"https://auth.example.org/token", "https://a.example.org"}: false,
		{"http://127.0.0.1:8080/x", "http://127.0.0.1:8081"}:        false,
	} {
		assert.Equal(t, same, sameHost(pair[0], pair[1]), "%v", pair)
	}
}

// matchTags counts what godog runs: the same filter run for real selects as many scenarios.
func TestMatchTagsSelectsWhatGodogRuns(t *testing.T) {
	for _, tags := range []string{
		"@hpi&&~@rule:HPI-UPD-current-version,@rule:ERS-A003-no-body",
		"~@hpi&&@rule:ERS-A003-no-body,@rule:ERS-A001-token-recognised",
	} {
		sel, err := selectScenarios(features.FS, tags, picker{})
		require.NoError(t, err)
		res, err := Execute(t.Context(), Config{Tags: tags, Format: "progress", Stdout: &strings.Builder{}})
		require.NoError(t, err, tags)
		assert.Equal(t, len(res.Scenarios), sel.ers+sel.hpi, tags)
	}
	assert.True(t, matchTags("", []string{"@hpi"}))
	assert.True(t, matchTags("~@ers", []string{"@hpi"}))
	assert.False(t, matchTags("@ers&&@hpi", []string{"@hpi"}))
	assert.True(t, matchTags("@ers,@hpi", []string{"@hpi"}))
}

func hpiScenarios(t *testing.T, tags string) int {
	t.Helper()
	sel, err := selectScenarios(features.FS, tags, picker{})
	require.NoError(t, err)
	return sel.hpi
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profile.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// Credentials stay off plain http to another machine unless the profile
// says allowInsecure; then the run says so. (Checked on the function: no
// test may send anything to another machine.)
func TestPlainHTTPToAnotherMachineNeedsAllowInsecure(t *testing.T) {
	prof, err := profile.Parse(profiles.Reference, "ref")
	require.NoError(t, err)
	var stderr strings.Builder
	err = checkSchemes(Config{Stderr: &stderr}, prof, "http://hpi.test.example.org")
	assert.ErrorContains(t, err, "ers.url: http://hpi.test.example.org/ers-api is plain http to another machine")

	prof.AllowInsecure = true
	require.NoError(t, checkSchemes(Config{Stderr: &stderr}, prof, "http://hpi.test.example.org"))
	assert.Contains(t, stderr.String(), "warning: hpi.tokenUrl is plain http (http://hpi.test.example.org/oauth2/token)")

	stderr.Reset()
	prof.AllowInsecure = false
	for _, local := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2", "https://hpi.test.example.org"} {
		assert.NoError(t, checkSchemes(Config{Stderr: &stderr}, prof, local), local)
	}
	assert.Empty(t, stderr.String())
}

// codelessFeature repeats n times each scenario that creates a role without
// a role code: such roles differ only by practitioner.
func codelessFeature(n int) string {
	var b strings.Builder
	b.WriteString("@hpi @source:hpi/add-practitionerrole.md\nFeature: Roles without a role code\n")
	for i := range n {
		fmt.Fprintf(&b, `
  @rule:HPI-ADD-minimum
  Scenario: Facility only %[1]d
    When the system adds a PractitionerRole with only a practitioner and a facility
    Then the response status is 201 Created

  @rule:HPI-ADD-minimum
  Scenario: Organisation only %[1]d
    When the system adds a PractitionerRole with only a practitioner and an organisation
    Then the response status is 201 Created

  @rule:HPI-UPD-code-required
  Scenario: No code %[1]d
    Given the system has created a PractitionerRole, with code removed
    And the system has read the role's current version
    When the system adds the contact point "email" "reception@example.org" with rank 3
    Then the response status is 200 OK
`, i)
	}
	return b.String()
}

// Roles without a role code take practitioners of their own, shape by
// shape: as many of each as there are practitioners pass, in any order;
// one more is refused before any scenario runs, naming the practitioners.
func TestRolesWithoutACodeEachHaveAPractitioner(t *testing.T) {
	prof, err := profile.Parse(profiles.Reference, "reference")
	require.NoError(t, err)
	np := len(prof.HPI.TestData.Practitioners) - 1
	dir := t.TempDir()
	write := func(n int) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "hpi"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "hpi", "codeless.feature"), []byte(codelessFeature(n)), 0o644))
	}
	write(np)
	code, out := run(t, Config{FeaturesDir: dir, Seed: 7})
	assert.Equal(t, ExitPassed, code, out)
	assert.Contains(t, out, fmt.Sprintf("%d passed", 3*np))

	write(np + 1)
	code, out = run(t, Config{FeaturesDir: dir})
	assertNoScenarioRan(t, code, out)
	assert.Contains(t, out, fmt.Sprintf("hpi.testData.practitioners: %d practitioners give %d practitioners for roles without a role code", np+1, np))
	assert.Contains(t, out, "add 1 practitioner")
}

// Roles cannot be deleted: a second run against one long-lived target
// reuses the pairs of the first. Its first creates are refused as
// duplicates, and the scenarios are not judged, saying why; none fails.
func TestAPairUsedByAnEarlierRunIsNotBlamedOnTheTarget(t *testing.T) {
	target := refTarget(t, nil)
	pool := writeFile(t, strings.Replace(replacePool(t), "CODES", `{code: "900001"}, {code: "900002"}`, 1)) // one pair
	cfg := Config{Target: target, ProfilePath: pool, Tags: "@compliance:HPI-PR-Add-2"}
	code, out := run(t, cfg)
	require.Equal(t, ExitPassed, code, out)

	code, out = run(t, cfg)
	assert.Equal(t, ExitNotJudged, code, out)
	assert.Contains(t, out, "0 failed, 1 not judged")
	assert.Contains(t, out, "the target refused the scenario's first role as a duplicate")
	assert.Contains(t, out, "practitioner 91ZZAA, role code 900001")
}
