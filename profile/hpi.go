package profile

import (
	"errors"
	"fmt"
	"time"
)

// HPI is the HPI part of a profile: where the FHIR API and its token
// endpoint are, the client's credentials, and the test IDs scenarios use.
type HPI struct {
	// URL is the FHIR API base: absolute, or a path joined to Target.
	URL string `yaml:"url"`
	// Auth is "oauth2" (the default: a bearer token and an x-api-key, as
	// behind the HPI's gateway) or "none" (a server without its gateway:
	// no token, no API key; the authentication scenarios are not judged).
	Auth string `yaml:"auth"`
	// TokenURL is the OAuth2 token endpoint: absolute, or a path joined to Target.
	TokenURL string `yaml:"tokenUrl"`
	// TokenAuth is how the client credentials go to the token endpoint:
	// "basic" (the default: an Authorization header) or "body" (form
	// fields), RFC 6749 2.3.1. It is never guessed by trying both.
	TokenAuth string `yaml:"tokenAuth"`
	// ClientID and ClientSecret are the OAuth2 client credentials.
	ClientID     string `yaml:"clientId"`
	ClientSecret Secret `yaml:"clientSecret"`
	// APIKey is sent as x-api-key.
	APIKey Secret `yaml:"apiKey"`
	// Scopes are asked for with every token the scenarios use.
	Scopes []string `yaml:"scopes"`
	// ReadOnlyScopes are asked for where a scenario needs a token that may not update.
	ReadOnlyScopes []string `yaml:"readOnlyScopes"`
	// UserID is sent in the userid header: who initiates the request.
	UserID string `yaml:"userid"`
	// IfMatch is how the version goes in If-Match: "version" (3, as the
	// general page documents) or "weak-etag" (W/"3", as FHIR writes it).
	IfMatch string `yaml:"ifMatch"`
	// Pacing caps the harness's request rate; zero sends as fast as it can.
	Pacing Rate `yaml:"pacing"`
	// Retry says how answers of 429 Too Many Requests are retried.
	Retry Retry `yaml:"retry"`
	// TestData are the IDs the target knows.
	TestData HPITestData `yaml:"testData"`
}

// Retry is a bounded exponential backoff.
type Retry struct {
	// Max is how many times one request is retried.
	Max int `yaml:"max"`
	// Initial is the first wait when the answer has no Retry-After.
	Initial Duration `yaml:"initial"`
	// MaxWait caps every wait, Retry-After included.
	MaxWait Duration `yaml:"maxWait"`
}

// HPITestData names records the target holds.
type HPITestData struct {
	// Practitioners are hpi-person-ids the scenarios create roles for; each
	// created role uses the next practitioner and role code, so roles made
	// by one run do not duplicate each other. The last practitioner and the
	// last role code are never used for a new role: they are the "other"
	// values of the scenarios that try to change them.
	Practitioners []string `yaml:"practitioners"`
	// Organisation is an hpi-organisation-id and Facility an hpi-facility-id.
	Organisation string `yaml:"organisation"`
	Facility     string `yaml:"facility"`
	// RoleCodes are PractitionerRole codes the target accepts (two or more).
	RoleCodes []RoleCode `yaml:"roleCodes"`
	// UnknownPractitioner is an hpi-person-id that is well formed but not on the HPI.
	UnknownPractitioner string `yaml:"unknownPractitioner"`
}

// RoleCode is a code of the practitioner-role-code value set.
type RoleCode struct {
	System  string `yaml:"system"`
	Code    string `yaml:"code"`
	Display string `yaml:"display"`
}

// Auth settings.
const (
	AuthOAuth2 = "oauth2"
	AuthNone   = "none"

	TokenAuthBasic = "basic"
	TokenAuthBody  = "body"
)

// If-Match formats.
const (
	IfMatchVersion  = "version"
	IfMatchWeakETag = "weak-etag"
)

// HPI defaults.
const (
	DefaultHPIPath   = "/fhir"
	DefaultTokenPath = "/oauth2/token"
	hpiScopeBase     = "https://api.hip.digital.health.nz/fhir/"
	maxRetries       = 10
)

func (h *HPI) applyDefaults() {
	if h.Auth == "" {
		h.Auth = AuthOAuth2
	}
	if h.TokenAuth == "" {
		h.TokenAuth = TokenAuthBasic
	}
	if h.URL == "" {
		h.URL = DefaultHPIPath
	}
	if h.TokenURL == "" {
		h.TokenURL = DefaultTokenPath
	}
	if h.Scopes == nil {
		h.Scopes = []string{hpiScopeBase + "pracrole:read", hpiScopeBase + "pracrole:write"}
	}
	if h.ReadOnlyScopes == nil {
		h.ReadOnlyScopes = []string{hpiScopeBase + "pracrole:read"}
	}
	if h.IfMatch == "" {
		h.IfMatch = IfMatchVersion
	}
	if h.Retry.Initial == 0 {
		h.Retry.Initial = Duration(time.Second)
	}
	if h.Retry.MaxWait == 0 {
		h.Retry.MaxWait = Duration(30 * time.Second)
	}
	if h.Pacing.PerSecond > 0 && h.Pacing.Burst == 0 {
		h.Pacing.Burst = 1
	}
	for i := range h.TestData.RoleCodes {
		if h.TestData.RoleCodes[i].System == "" {
			h.TestData.RoleCodes[i].System = "http://www.abs.gov.au/ausstats/abs@.nsf/mf/1220.0"
		}
	}
}

func (h *HPI) validate() error {
	for key, v := range map[string]string{"hpi.url": h.URL, "hpi.tokenUrl": h.TokenURL} {
		if err := checkEndpoint(key, v); err != nil {
			return err
		}
	}
	if err := h.validateAuth(); err != nil {
		return err
	}
	switch {
	case h.UserID == "":
		return errors.New("hpi.userid: the userid header value is required")
	case h.IfMatch != IfMatchVersion && h.IfMatch != IfMatchWeakETag:
		return fmt.Errorf("hpi.ifMatch: %q is neither %q nor %q", h.IfMatch, IfMatchVersion, IfMatchWeakETag)
	case h.Pacing.check("hpi.pacing") != nil:
		return h.Pacing.check("hpi.pacing")
	case h.Retry.Max < 0 || h.Retry.Max > maxRetries:
		return fmt.Errorf("hpi.retry.max: %d is outside [0, %d]", h.Retry.Max, maxRetries)
	case h.Retry.Initial < 0 || h.Retry.MaxWait < h.Retry.Initial:
		return errors.New("hpi.retry: initial must be positive and no more than maxWait")
	case h.Retry.MaxWait.Std() > MaxTimeout:
		return fmt.Errorf("hpi.retry.maxWait: %s is more than %s", h.Retry.MaxWait.Std(), MaxTimeout)
	}
	return h.TestData.validate()
}

// validateAuth: the gateway's credentials are needed unless auth is none.
func (h *HPI) validateAuth() error {
	switch {
	case h.Auth == AuthNone:
		return nil
	case h.Auth != AuthOAuth2:
		return fmt.Errorf("hpi.auth: %q is neither %q nor %q", h.Auth, AuthOAuth2, AuthNone)
	case h.TokenAuth != TokenAuthBasic && h.TokenAuth != TokenAuthBody:
		return fmt.Errorf("hpi.tokenAuth: %q is neither %q nor %q", h.TokenAuth, TokenAuthBasic, TokenAuthBody)
	case h.ClientID == "" || h.ClientSecret.Value() == "":
		return errors.New("hpi.clientId and hpi.clientSecret: the OAuth2 client credentials are required")
	case h.APIKey.Value() == "":
		return errors.New("hpi.apiKey: the API key is required")
	}
	return nil
}

func (d HPITestData) validate() error {
	switch {
	case len(d.Practitioners) < 2:
		return errors.New("hpi.testData.practitioners: two or more hpi-person-ids are required (the last is kept for the change-of-practitioner scenario)")
	case d.Organisation == "" && d.Facility == "":
		return errors.New("hpi.testData: an organisation or a facility is required")
	case len(d.RoleCodes) < 2:
		return errors.New("hpi.testData.roleCodes: two or more role codes are required (the last is kept for the change-of-code scenario)")
	case d.UnknownPractitioner == "":
		return errors.New("hpi.testData.unknownPractitioner: an hpi-person-id the target does not know is required")
	}
	for i, c := range d.RoleCodes {
		if c.Code == "" {
			return fmt.Errorf("hpi.testData.roleCodes[%d]: code is required", i)
		}
	}
	return nil
}

// HPIBaseURL is the FHIR API base for a target root URL.
func (p *Profile) HPIBaseURL(target string) string { return Resolve(p.HPI.URL, target) }

// HPITokenURL is the token endpoint for a target root URL.
func (p *Profile) HPITokenURL(target string) string { return Resolve(p.HPI.TokenURL, target) }
