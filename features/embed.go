// Package features embeds the Gherkin feature files, so a vendor needs only
// the conformance binary and a profile.
package features

import "embed"

// FS holds every feature file, one folder per API.
//
//go:embed ers hpi
var FS embed.FS
