package profile

import (
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// Secret is a value written in the profile or taken from an environment
// variable: `token: "abc"` or `token: {env: ERS_TOKEN}`. Its String method
// never shows the value.
type Secret struct {
	value   string
	env     string
	missing bool // env names a variable the environment lacks (Parse reports them all)
}

// Value returns the secret itself.
func (s Secret) Value() string { return s.value }

// String hides the value so a secret printed by mistake shows nothing.
func (s Secret) String() string {
	if s.env != "" {
		return "[secret from $" + s.env + "]"
	}
	return "[secret]"
}

// UnmarshalYAML accepts a plain string or a mapping {env: NAME}. An unset
// variable is not an error here: Parse names every missing one at once, so a
// user learns in one run all that must be exported.
func (s *Secret) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind == yaml.ScalarNode {
		return node.Decode(&s.value)
	}
	var ref struct {
		Env string `yaml:"env"`
	}
	if err := node.Decode(&ref); err != nil || ref.Env == "" {
		return fmt.Errorf("line %d: a secret is a string or {env: VARIABLE}", node.Line)
	}
	s.value, s.env = os.Getenv(ref.Env), ref.Env
	s.missing = s.value == ""
	return nil
}

// Duration is a time.Duration written as "10s" or "1m30s".
type Duration time.Duration

// Std returns the standard library duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(node *yaml.Node) error {
	var text string
	if err := node.Decode(&text); err != nil {
		return err
	}
	v, err := time.ParseDuration(text)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration such as 10s or 1m", node.Line, text)
	}
	*d = Duration(v)
	return nil
}
