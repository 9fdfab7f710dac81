package steps

import (
	"regexp"
	"sync"
)

var phrases sync.Map // expression → *regexp.Regexp

// phrase compiles a step expression once per process: godog would compile
// a string again for every scenario.
func phrase(expr string) *regexp.Regexp {
	if re, ok := phrases.Load(expr); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := phrases.LoadOrStore(expr, regexp.MustCompile(expr))
	return re.(*regexp.Regexp)
}
