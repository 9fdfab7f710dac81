package harness

import (
	"fmt"
	"regexp"
	"strings"
)

// tagTerm is one term of a godog tag filter: a tag, or ~ and a tag.
var tagTerm = regexp.MustCompile(`^~?@?[^\s,&~@][^\s,&~]*$`)

// checkTags refuses a tag filter godog would misread: its parser panics on
// an empty term ("@a &&", "@a ,, @b") and matches everything on a bare "~".
// It runs before anything starts, containers included.
func checkTags(filter string) error {
	if strings.TrimSpace(filter) == "" {
		return nil
	}
	for _, group := range strings.Split(filter, "&&") {
		for _, term := range strings.Split(group, ",") {
			if !tagTerm.MatchString(strings.TrimSpace(term)) {
				return fmt.Errorf("--tags %q: %q is not a tag: write tags as @name, joined by && (and) or , (or), each may start with ~ (not)", filter, strings.TrimSpace(term))
			}
		}
	}
	return nil
}
