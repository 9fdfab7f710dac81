package harness

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTagFiltersGodogWouldMisreadAreRefused(t *testing.T) {
	for filter, ok := range map[string]bool{
		"":                                  true,
		"@ers":                              true,
		"@ers && ~@rule:ERS-A003-no-body":   true,
		"@rule:ERS-A002-200-ok,@rule:X-1-y": true,
		"@hpi&&~@ers":                       true,
		"@ers &&":                           false, // godog panics
		"&& &&":                             false,
		"@ers ,, @hpi":                      false,
		"~":                                 false, // godog matches everything
		"@ers @hpi":                         false,
		"@":                                 false,
	} {
		err := checkTags(filter)
		if ok {
			assert.NoError(t, err, filter)
		} else {
			assert.ErrorContains(t, err, "is not a tag", filter)
		}
	}
}
