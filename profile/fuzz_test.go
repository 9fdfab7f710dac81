package profile

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds the profile loader arbitrary YAML: it must answer with a
// profile or an error, never panic or hang.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../profiles/*.yaml")
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("target: http://127.0.0.1:1\ntimeout: 1s\nhpi:\n  pacing: {perSecond: .nan}\n"))
	f.Add([]byte("&a [*a, *a, *a, *a, *a, *a, *a, *a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml")
		if err == nil && p == nil {
			t.Fatal("no profile and no error")
		}
	})
}
