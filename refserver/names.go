package refserver

import (
	"fmt"
	"strings"
)

// parseNames reads a comma-separated list of mutant or choice names, each
// one known; what names the kind in the message.
func parseNames[T ~string](list, what string, known func(T) bool, all []T) ([]T, error) {
	var out []T
	for _, name := range strings.Split(list, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if !known(T(name)) {
			return nil, fmt.Errorf("unknown %s %q (known: %v)", what, name, all)
		}
		out = append(out, T(name))
	}
	return out, nil
}

// setOf makes a set of names, each one known.
func setOf[T ~string](names []T, what string, known func(T) bool) (map[T]bool, error) {
	set := map[T]bool{}
	for _, n := range names {
		if !known(n) {
			return nil, fmt.Errorf("unknown %s %q", what, n)
		}
		set[n] = true
	}
	return set, nil
}
