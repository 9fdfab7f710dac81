package steps

import (
	"errors"
	"fmt"
)

// Violation is what a Then step finds when the target breaks the rule its
// scenario checks. Every other error of a step (a set-up the target
// refused, a transport fault, test data the profile lacks, a feature the
// steps cannot read) leaves the scenario not judged.
type Violation struct{ msg string }

func (v *Violation) Error() string { return v.msg }

// violated makes a Violation; %w keeps a cause inspectable.
func violated(format string, args ...any) error {
	return &Violation{msg: fmt.Errorf(format, args...).Error()}
}

// IsViolation says whether err is a Then step's finding against the target.
func IsViolation(err error) bool {
	var v *Violation
	return errors.As(err, &v)
}
