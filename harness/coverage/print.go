package coverage

import (
	"fmt"
	"io"
	"strings"

	"github.com/healthapi-conformance/conformance/catalogue"
)

// Print writes a line per page, each unaccounted statement under its page,
// and the closing line:
// "coverage: S statements, T tested, N not tested, U unaccounted".
func (r Report) Print(w io.Writer) {
	for _, p := range r.Pages {
		fmt.Fprintf(w, "%s: %s\n", p.Page, p.Counts().summary())
		if p.Missing {
			fmt.Fprintf(w, "  unaccounted: the page has no inventory in catalogue/statements/\n")
		}
		for _, e := range p.Entries {
			if e.Unaccounted != "" {
				fmt.Fprintf(w, "  unaccounted %s (line %s): %s\n", e.ID, e.Lines, e.Unaccounted)
			}
		}
	}
	t := r.Total()
	fmt.Fprintf(w, "coverage: %d statements, %d tested, %d not tested, %d unaccounted\n",
		t.Statements, t.Tested, t.NotTested, t.Unaccounted)
}

func (c Counts) summary() string {
	s := fmt.Sprintf("%d statements, %d tested, %d not tested", c.Statements, c.Tested, c.NotTested)
	if kinds := c.kinds(); kinds != "" {
		s += " (" + kinds + ")"
	}
	if c.Unaccounted > 0 {
		s += fmt.Sprintf(", %d unaccounted", c.Unaccounted)
	}
	return s
}

// kinds is "2 client-obligation, 1 freedom", in catalogue.Kinds order.
func (c Counts) kinds() string {
	var parts []string
	for _, k := range catalogue.Kinds {
		if n := c.ByKind[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	return strings.Join(parts, ", ")
}
