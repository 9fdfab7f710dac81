package mutation

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/catalogue"
)

// The suite kills every catalogued mutant, each only through scenarios of
// the rules it breaks; every rule is proven; the unmutated server passes.
func TestKillRateIsComplete(t *testing.T) {
	cat, err := catalogue.Load()
	require.NoError(t, err)
	report := Run(context.Background(), cat, 2*runtime.NumCPU())
	var out bytes.Buffer
	report.Print(&out)
	t.Log("\n" + out.String())
	assert.True(t, report.OK(), "see the report above")
	assert.Equal(t, len(report.Results), report.Killed())
	assert.Empty(t, report.Unproven)
	assert.Empty(t, report.Baseline.Failed)
}
