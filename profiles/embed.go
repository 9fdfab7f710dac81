// Package profiles holds the example target profiles shipped with the harness.
package profiles

import _ "embed"

// Reference is the profile of the embedded reference server.
//
//go:embed reference.yaml
var Reference []byte
