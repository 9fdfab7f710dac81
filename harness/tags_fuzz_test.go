package harness

import (
	"strings"
	"testing"
)

// FuzzTags: any --tags value is accepted or refused with a message, never a
// panic; an accepted one has no empty term (which panics godog's parser)
// and no bare ~ (which godog reads as match-all).
func FuzzTags(f *testing.F) {
	for _, seed := range []string{"@ers", "@ers && ~@slow", "@ers,@hpi", "@ers &&", "&& &&", "@ers ,, @hpi", "~", "~@", "@rule:HPI-UPD-stale-version"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		if checkTags(filter) != nil || strings.TrimSpace(filter) == "" {
			return
		}
		for _, group := range strings.Split(filter, "&&") {
			for _, term := range strings.Split(group, ",") {
				term = strings.TrimPrefix(strings.TrimSpace(term), "~")
				if strings.Trim(term, "@") == "" {
					t.Fatalf("accepted %q, which has an empty term", filter)
				}
			}
		}
		matchTags(filter, []string{"@ers", "@rule:X"})
	})
}
