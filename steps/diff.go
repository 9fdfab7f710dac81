package steps

import (
	"strings"

	"github.com/google/go-cmp/cmp"
)

// difference shows how got differs from want, line by line (cmp's -want
// +got), below a failure's headline: two whole values would leave the
// reader to find it. What is compared stays the check's own business. cmp
// marks its output with random no-break spaces so that no one relies on
// its form; a message is read, and copied, so they become spaces.
func difference(want, got any, opts ...cmp.Option) string {
	d := strings.ReplaceAll(cmp.Diff(want, got, opts...), "\u00a0", " ")
	return "\n" + strings.TrimRight(d, "\n")
}
