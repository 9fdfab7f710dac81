// Package redact keeps secrets (tokens, session keys, API keys) out of
// everything the harness prints, reports or attaches as evidence.
package redact

import (
	"encoding/json"
	"encoding/xml"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Mask replaces every secret in text.
const Mask = "[REDACTED]"

// minSecretLen keeps short, common strings from being treated as secrets
// and blanking out unrelated text.
const minSecretLen = 6

// Redactor holds the secrets of one run. It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets map[string]bool
	sorted  []string // longest first, so a secret inside another is masked whole
}

// New returns a redactor that knows the given secrets.
func New(secrets ...string) *Redactor {
	r := &Redactor{secrets: map[string]bool{}}
	r.Add(secrets...)
	return r
}

// Add registers more secrets, for instance a session key the target issued.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		s = strings.TrimSpace(s) // the trimmed form also masks a padded one
		if len(s) < minSecretLen {
			continue
		}
		for _, form := range escapedForms(s) {
			if !r.secrets[form] {
				r.secrets[form] = true
				r.sorted = append(r.sorted, form)
			}
		}
	}
	sort.Slice(r.sorted, func(i, j int) bool { return len(r.sorted[i]) > len(r.sorted[j]) })
}

// escapedForms are a secret as written raw, inside a JSON string (as Go
// escapes it, and with "\/" as other encoders do), in XML text, and
// URL-escaped in a path or a query: the forms reports and transcripts give it.
func escapedForms(s string) []string {
	js, _ := json.Marshal(s)
	inJSON := string(js[1 : len(js)-1])
	var x strings.Builder
	_ = xml.EscapeText(&x, []byte(s))
	forms := []string{s}
	for _, f := range []string{inJSON, strings.ReplaceAll(inJSON, "/", `\/`), x.String(), url.PathEscape(s), url.QueryEscape(s)} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// String returns text with every known secret masked.
func (r *Redactor) String(text string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.sorted {
		text = strings.ReplaceAll(text, s, Mask)
	}
	return text
}

// Error returns an error whose message has every known secret masked.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	return redactedError{msg: r.String(err.Error()), cause: err}
}

type redactedError struct {
	msg   string
	cause error
}

func (e redactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is working (godog tells pending and skipped steps that way).
func (e redactedError) Unwrap() error { return e.cause }

// Cut shortens text to at most max bytes, cutting where a value ends (a
// quote, a space, a bracket), never inside one: text is often masked after
// it is cut, and a secret cut in two would be masked in neither half.
func Cut(text string, max int) (string, bool) {
	if len(text) <= max {
		return text, false
	}
	return text[:strings.LastIndexAny(text[:max], "\"' \n\t,:<>{}[]()")+1], true
}
