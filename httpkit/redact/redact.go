// Package redact keeps secrets (tokens, session keys, API keys) out of
// everything the harness prints, reports or attaches as evidence.
package redact

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Mask replaces every secret in text.
const Mask = "[REDACTED]"

// minSecretLen keeps short, common strings from being treated as secrets
// and blanking out unrelated text.
const minSecretLen = 6

// Redactor holds the secrets of one run. It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets map[string]*atomic.Int64 // every form of every secret, with how often it was masked
	names   map[string]string        // form → the name of its secret (a profile key, or a kind)
	// byPrefix finds the forms that begin at a place in a text by their
	// first minSecretLen bytes (every form has at least that many), longest
	// first: masking costs one lookup a byte, however many secrets a run has.
	byPrefix map[string][]string
	starts   [256]bool // the first bytes of the forms: most places are passed at a glance
	// quick has a bit set for the hash of each form's first minSecretLen
	// bytes: random tokens start with most letters, so starts alone
	// passes few places by, and the map is the slow part.
	quick   []uint64
	longest int
}

// New returns a redactor that knows the given secrets.
func New(secrets ...string) *Redactor {
	r := &Redactor{secrets: map[string]*atomic.Int64{}, names: map[string]string{}, byPrefix: map[string][]string{},
		quick: make([]uint64, quickBits/64)}
	r.AddNamed("", secrets...)
	return r
}

// Add registers more secrets, for instance a session key the target issued.
func (r *Redactor) Add(secrets ...string) { r.AddNamed("", secrets...) }

// AddNamed registers secrets under a name the evidence may show in their
// stead: the profile key they were written at, or what kind they are.
func (r *Redactor) AddNamed(name string, secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		s = strings.TrimSpace(s) // the trimmed form also masks a padded one
		if len(s) < minSecretLen {
			continue
		}
		for _, form := range escapedForms(s) {
			if r.secrets[form] == nil {
				r.secrets[form] = new(atomic.Int64)
				r.names[form] = name
				r.index(form)
			}
		}
	}
}

// index files a form under its first minSecretLen bytes, longest first.
func (r *Redactor) index(form string) {
	key := form[:minSecretLen]
	list := append(r.byPrefix[key], form)
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	r.byPrefix[key] = list
	r.starts[form[0]] = true
	h := prefixHash(form)
	r.quick[h/64] |= 1 << (h % 64)
	r.longest = max(r.longest, len(form))
}

// quickBits is the size of the quick filter: a thousand secrets' forms set
// about one bit in eighty.
const quickBits = 1 << 20

// prefixHash is FNV-1a of text's first minSecretLen bytes, in quickBits.
func prefixHash(text string) uint32 {
	h := uint32(2166136261)
	for i := range minSecretLen {
		h = (h ^ uint32(text[i])) * 16777619
	}
	return h % quickBits
}

// escapedForms are a secret as written raw, inside a JSON string (as Go
// escapes it, without Go's HTML escapes, and with "\/" as other encoders
// do), in XML text, URL-escaped in a path or a query (with upper- or
// lower-case hex), and in hex: the forms reports and transcripts give it;
// and each of those inside a JSON string.
func escapedForms(s string) []string {
	inJSON := jsonText(s)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	inPlainJSON := strings.TrimSuffix(plain.String(), "\n")
	inPlainJSON = inPlainJSON[1 : len(inPlainJSON)-1]
	var x strings.Builder
	_ = xml.EscapeText(&x, []byte(s))
	forms := []string{s}
	for _, f := range []string{
		inJSON, strings.ReplaceAll(inJSON, "/", `\/`), inPlainJSON, strings.ReplaceAll(inPlainJSON, "/", `\/`),
		x.String(), url.PathEscape(s), url.QueryEscape(s), lowerHex(url.PathEscape(s)), lowerHex(url.QueryEscape(s)),
		hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))),
	} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	// A message quoting a form (a body with \/, say) is JSON-escaped once
	// more where godog writes it into its cucumber report and event stream.
	for _, f := range forms[1:] {
		if again := jsonText(f); !slices.Contains(forms, again) {
			forms = append(forms, again)
		}
	}
	return forms
}

// jsonText is text inside a JSON string, as encoding/json writes it.
func jsonText(text string) string {
	js, _ := json.Marshal(text)
	return string(js[1 : len(js)-1])
}

// lowerHex writes the %XX escapes of a URL-escaped text in lower case, as
// some servers echo them.
func lowerHex(escaped string) string {
	b := []byte(escaped)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = toLower(b[i+1]), toLower(b[i+2])
		}
	}
	return string(b)
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// String returns text with every known secret masked: at each place, the
// longest secret that begins there.
func (r *Redactor) String(text string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var b strings.Builder
	done := 0 // text[:done] is written
	for i := 0; i+minSecretLen <= len(text); {
		var form string
		if r.starts[text[i]] {
			form = r.at(text[i:])
		}
		if form == "" {
			i++
			continue
		}
		r.secrets[form].Add(1)
		b.WriteString(text[done:i])
		b.WriteString(Mask)
		i += len(form)
		done = i
	}
	if done == 0 {
		return text
	}
	b.WriteString(text[done:])
	return b.String()
}

// at is the longest secret form text begins with, or "".
func (r *Redactor) at(text string) string {
	if h := prefixHash(text); r.quick[h/64]&(1<<(h%64)) == 0 {
		return ""
	}
	for _, form := range r.byPrefix[text[:minSecretLen]] {
		if strings.HasPrefix(text, form) {
			return form
		}
	}
	return ""
}

// SafeCut moves a cut at k in text back until it is inside no occurrence
// of a secret, so that text[:cut] and text[cut:] can be masked apart: a
// secret cut in two would be masked in neither half.
func (r *Redactor) SafeCut(text []byte, k int) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for moved := true; moved && k > 0; {
		moved = false
		from := max(0, k-r.longest+1)
		window := string(text[from:min(len(text), k+r.longest-1)]) // every secret across k lies in it
		for i := 0; from+i < k && i+minSecretLen <= len(window); i++ {
			if !r.starts[window[i]] {
				continue
			}
			if form := r.at(window[i:]); form != "" && from+i+len(form) > k {
				k, moved = from+i, true
				break
			}
		}
	}
	return k
}

// Longest is the length of the longest form of any secret.
func (r *Redactor) Longest() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.longest
}

// Masked names the secrets masked so far, with how many times each was:
// the evidence shows these names, never the values. Secrets added with no
// name are counted under "other secrets".
func (r *Redactor) Masked() map[string]int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := map[string]int64{}
	for form, n := range r.secrets {
		if c := n.Load(); c > 0 {
			name := r.names[form]
			if name == "" {
				name = "other secrets"
			}
			out[name] += c
		}
	}
	return out
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
