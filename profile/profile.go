// Package profile reads a target profile: where the target is, how long to
// wait for it, how to authenticate, and the test data the scenarios need
// (e-RS smartcard users; HPI client credentials and test IDs). Each API has
// its own section; a profile may leave one out. Secrets may be written in
// the file or named as environment variables.
package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Profile is a parsed, validated target profile.
type Profile struct {
	// Name says which target this is, for reports.
	Name string `yaml:"name"`
	// Target is the base URL of the server; empty means the container below
	// if there is one, else the embedded reference server.
	Target string `yaml:"target"`
	// Container describes a target started from an image.
	Container *Container `yaml:"container"`
	// Timeout bounds every request to the target.
	Timeout Duration `yaml:"timeout"`
	// ERS holds the e-RS settings and test data; nil when the target has no e-RS API.
	ERS *ERS `yaml:"ers"`
	// HPI holds the HPI settings and test data; nil when the target has no HPI API.
	HPI *HPI `yaml:"hpi"`
	// ReferenceServer configures the embedded reference server, when it is the target.
	ReferenceServer ReferenceServer `yaml:"referenceServer"`
	// AllowInsecure lets credentials travel over plain http to a host that
	// is not this machine; without it such a run ends before any request.
	AllowInsecure bool `yaml:"allowInsecure"`
	// TLS names the authorities trusted for the target and the client
	// certificate shown to it.
	TLS TLS `yaml:"tls"`
	// Assurance is what the compliance test report names of the tester
	// (hpi/onboarding-and-compliance-testing.md, Compliance testing, 1).
	Assurance *Assurance `yaml:"assurance"`
}

// Assurance holds the tester details the compliance test report asks for;
// the test script version, start and end come from the run itself.
type Assurance struct {
	Organisation       string   `yaml:"organisation"`       // a. Organisation Name
	Application        string   `yaml:"application"`        // b. Application name ...
	ApplicationVersion string   `yaml:"applicationVersion"` // b. ... and version
	IGVersion          string   `yaml:"igVersion"`          // c. HPI IG Version
	FHIRVersion        string   `yaml:"fhirVersion"`        // e. FHIR release version
	Tester             string   `yaml:"tester"`             // g. Tester name ...
	Contact            string   `yaml:"contact"`            // g. ... and contact details
	Interactions       []string `yaml:"interactions"`       // h. List of interactions included in your integration
}

// ReferenceServer says how the embedded reference server behaves.
type ReferenceServer struct {
	// UsagePlan limits HPI requests per API key, as the HPI's plans do.
	UsagePlan Rate `yaml:"usagePlan"`
}

// Rate is a request rate with a burst; a zero Rate means no limit.
type Rate struct {
	PerSecond float64 `yaml:"perSecond"`
	Burst     int     `yaml:"burst"`
}

// check bounds a rate: 0 (none), or a number of requests per second a run
// can keep; NaN and infinities are no rates.
func (r Rate) check(key string) error {
	switch {
	case math.IsNaN(r.PerSecond) || math.IsInf(r.PerSecond, 0):
		return fmt.Errorf("%s.perSecond: %v is not a number of requests per second", key, r.PerSecond)
	case r.PerSecond != 0 && (r.PerSecond < minRate || r.PerSecond > maxRate):
		return fmt.Errorf("%s.perSecond: %v is outside [%v, %v] (0 sets no limit)", key, r.PerSecond, minRate, maxRate)
	case r.Burst < 0 || r.Burst > int(maxRate):
		return fmt.Errorf("%s.burst: %d is outside [0, %d]", key, r.Burst, int(maxRate))
	}
	return nil
}

// ERS is the e-RS part of a profile.
type ERS struct {
	// URL is the e-RS API base: absolute, or a path joined to Target.
	URL string `yaml:"url"`
	// ASID is the Accredited System ID sent as XAPI_ASID.
	ASID string `yaml:"asid"`
	// Headers names the e-RS headers as the target spells them.
	Headers ERSHeaders `yaml:"headers"`
	// Users are the smartcard users the scenarios sign in as, by the name the features use.
	Users map[string]SmartcardUser `yaml:"users"`
}

// ERSHeaders are the header names the e-RS pages document.
type ERSHeaders struct {
	ASID       string `yaml:"asid"`
	SessionKey string `yaml:"sessionKey"`
}

// SmartcardUser is a test user with a smartcard token and known permissions.
type SmartcardUser struct {
	Token       Secret       `yaml:"token"`
	Identifier  string       `yaml:"identifier"`
	Permissions []Permission `yaml:"permissions"`
}

// Permission is a business function at an organisation.
type Permission struct {
	BusinessFunction string `yaml:"businessFunction"`
	OrgIdentifier    string `yaml:"orgIdentifier"`
}

// Defaults for settings a profile may leave out.
const (
	DefaultTimeout       = 10 * time.Second
	DefaultERSPath       = "/ers-api"
	DefaultASIDHeader    = "XAPI_ASID"
	DefaultSessionHeader = "HTTP_X_SESSION_KEY"
	MaxTimeout           = 5 * time.Minute // per request; --timeout too
	maxRate              = 1000.0          // requests per second, for pacing and usage plans
	minRate              = 0.01            // one request a 100 s: slower is a typo
)

// MaxSize bounds a profile file: a profile is a page of YAML.
const MaxSize = 1 << 20

// Load reads and validates the profile at path. Only a regular file of at
// most MaxSize is read: /dev/zero would grow without end, a pipe could hang.
func Load(path string) (*Profile, error) {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("profile: %w", err)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("profile %s: not a regular file", path)
	case info.Size() > MaxSize:
		return nil, fmt.Errorf("profile %s: %d bytes, more than a profile's %d", path, info.Size(), MaxSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p, err := Parse(data, path)
	if err == nil && p.Container != nil {
		p.Container.resolve(filepath.Dir(path))
	}
	return p, err
}

// Parse reads and validates a profile; source names it in error messages.
func Parse(data []byte, source string) (*Profile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt key is an error, not a silent default
	var p Profile
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("profile %s: the file is empty", source)
		}
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	if p.ERS == nil && p.HPI == nil {
		return nil, fmt.Errorf("profile %s: neither an ers nor an hpi section: nothing to test", source)
	}
	if err := p.missingEnv(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	p.applyDefaults()
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	if err := p.shortSecrets(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	if err := p.TLS.load(filepath.Dir(source)); err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	return &p, nil
}

func (p *Profile) applyDefaults() {
	if p.Timeout == 0 {
		p.Timeout = Duration(DefaultTimeout)
	}
	if p.ERS != nil {
		p.ERS.applyDefaults()
	}
	if p.HPI != nil {
		p.HPI.applyDefaults()
	}
	if p.Container != nil {
		p.Container.applyDefaults()
	}
}

func (e *ERS) applyDefaults() {
	if e.URL == "" {
		e.URL = DefaultERSPath
	}
	if e.Headers.ASID == "" {
		e.Headers.ASID = DefaultASIDHeader
	}
	if e.Headers.SessionKey == "" {
		e.Headers.SessionKey = DefaultSessionHeader
	}
}

func (p *Profile) validate() error {
	if p.Target != "" {
		if err := CheckBaseURL(p.Target); err != nil {
			return fmt.Errorf("target: %w", err)
		}
	}
	if t := p.Timeout.Std(); t <= 0 || t > MaxTimeout {
		return fmt.Errorf("timeout: %s is outside (0, %s]", t, MaxTimeout)
	}
	if p.Container != nil {
		if err := p.Container.validate(); err != nil {
			return err
		}
		if p.Target != "" && p.Container.Used() {
			return errors.New("target and container: a profile names a URL or a container, not both")
		}
	}
	if err := p.ReferenceServer.UsagePlan.check("referenceServer.usagePlan"); err != nil {
		return err
	}
	if r := p.ReferenceServer.UsagePlan; r.PerSecond < 0 || r.Burst < 0 {
		return errors.New("referenceServer.usagePlan: perSecond and burst cannot be negative")
	}
	if p.HPI != nil {
		if err := p.HPI.validate(); err != nil {
			return err
		}
	}
	if p.ERS == nil {
		return nil
	}
	if err := checkEndpoint("ers.url", p.ERS.URL); err != nil {
		return err
	}
	if p.ERS.ASID == "" {
		return errors.New("ers.asid: the Accredited System ID is required")
	}
	return p.validateUsers()
}

// checkEndpoint accepts an absolute http(s) URL or a path joined to the target.
func checkEndpoint(key, v string) error {
	if strings.Contains(v, "://") {
		if err := CheckBaseURL(v); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	} else if !strings.HasPrefix(v, "/") {
		return fmt.Errorf("%s: %q is neither an absolute URL nor a path starting with /", key, v)
	}
	return nil
}

// Resolve resolves an endpoint setting (an absolute URL, or a path) against the target root URL.
func Resolve(v, target string) string {
	if strings.Contains(v, "://") {
		return strings.TrimSuffix(v, "/")
	}
	return strings.TrimSuffix(target, "/") + v
}

func (p *Profile) validateUsers() error {
	if len(p.ERS.Users) == 0 {
		return errors.New("ers.users: at least one smartcard user is required")
	}
	for _, name := range p.UserNames() {
		u := p.ERS.Users[name]
		if u.Token.Value() == "" {
			return fmt.Errorf("ers.users.%s.token: a smartcard token is required", name)
		}
		for i, perm := range u.Permissions {
			if perm.BusinessFunction == "" || perm.OrgIdentifier == "" {
				return fmt.Errorf("ers.users.%s.permissions[%d]: businessFunction and orgIdentifier are required", name, i)
			}
		}
	}
	return nil
}

// CheckBaseURL accepts an http(s) URL with a host.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.User != nil { // said without the URL, which holds the password
		return errors.New("a URL with user information (user:password@) is refused: credentials go in the profile's secret fields")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL with a host", raw)
	}
	return nil
}

// UserNames lists the smartcard user names, sorted.
func (p *Profile) UserNames() []string {
	if p.ERS == nil {
		return nil
	}
	names := make([]string, 0, len(p.ERS.Users))
	for n := range p.ERS.Users {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Secrets lists every secret value in the profile, for redaction: the
// smartcard tokens, the HPI client secret and API key, and the container
// env values taken from the environment (one written in the profile is no
// secret).
func (p *Profile) Secrets() []string {
	var out []string
	for _, n := range p.NamedSecrets() {
		out = append(out, n.Value)
	}
	return out
}

// namedSecret is a secret and the profile key it is written at.
type namedSecret struct {
	key    string
	secret Secret
}

// NamedSecret is a secret's value and the profile key it is written at.
type NamedSecret struct{ Key, Value string }

// NamedSecrets lists the values Secrets lists, each with its profile key,
// so that evidence can say what was masked without saying it.
func (p *Profile) NamedSecrets() []NamedSecret {
	var out []NamedSecret
	for _, n := range p.namedSecrets() {
		if n.secret.Value() != "" && !(strings.HasPrefix(n.key, "container.env.") && n.secret.env == "") {
			out = append(out, NamedSecret{n.key, n.secret.Value()})
		}
	}
	return out
}

// namedSecrets lists the profile's secrets with their keys, in the order of
// the profile's sections.
func (p *Profile) namedSecrets() []namedSecret {
	var out []namedSecret
	for _, name := range p.UserNames() {
		out = append(out, namedSecret{"ers.users." + name + ".token", p.ERS.Users[name].Token})
	}
	if p.HPI != nil {
		out = append(out, namedSecret{"hpi.clientSecret", p.HPI.ClientSecret}, namedSecret{"hpi.apiKey", p.HPI.APIKey})
	}
	if p.Container != nil {
		for _, k := range slices.Sorted(maps.Keys(p.Container.Env)) {
			out = append(out, namedSecret{"container.env." + k, p.Container.Env[k]})
		}
	}
	return out
}

// MinSecret is the shortest secret the profile takes: a shorter one could
// not be masked without masking ordinary text too (httpkit/redact).
const MinSecret = 6

// shortSecrets refuses a secret too short to be masked in the outputs.
func (p *Profile) shortSecrets() error {
	for _, n := range p.namedSecrets() {
		if strings.HasPrefix(n.key, "container.env.") && n.secret.env == "" {
			continue // a value written in the profile is no secret (see Secrets)
		}
		if v := strings.TrimSpace(n.secret.Value()); v != "" && len(v) < MinSecret {
			return fmt.Errorf("%s: a secret of %d characters is too short to be masked in reports (at least %d)", n.key, len(v), MinSecret)
		}
	}
	return nil
}

// missingEnv names, in one message, every environment variable the profile
// takes a secret from and the environment lacks, with the keys that need them.
func (p *Profile) missingEnv() error {
	var vars, keys []string
	for _, n := range p.namedSecrets() {
		if n.secret.missing {
			if !slices.Contains(vars, n.secret.env) {
				vars = append(vars, n.secret.env)
			}
			keys = append(keys, n.key)
		}
	}
	if len(vars) == 0 {
		return nil
	}
	noun := "profile key"
	if len(keys) > 1 {
		noun = "profile keys"
	}
	return fmt.Errorf("the environment lacks %s (%s %s): set each variable (an empty one counts as unset), or write the value in the profile",
		strings.Join(vars, ", "), noun, strings.Join(keys, ", "))
}

// ERSBaseURL is the e-RS API base for a target root URL.
func (p *Profile) ERSBaseURL(target string) string { return Resolve(p.ERS.URL, target) }
