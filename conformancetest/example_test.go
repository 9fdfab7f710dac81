package conformancetest_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/healthapi-conformance/conformance/conformancetest"
	"github.com/healthapi-conformance/conformance/refserver"
)

// A vendor's own test: the suite against their handler, in `go test`. The
// reference server stands in for the vendor's server here.
func ExampleTest() {
	testConformance := func(t *testing.T) { // in your package: func TestConformance(t *testing.T)
		server, err := refserver.New(refserver.Options{}) // your handler
		if err != nil {
			t.Fatal(err)
		}
		res := conformancetest.Test(t, conformancetest.Options{
			Handler: server,
			Profile: "testdata/my-target.yaml", // your test data; omit it for the reference profile's
			Tags:    "@hpi",
		})
		t.Logf("%d scenarios passed", len(res.With(conformancetest.Passed)))
	}
	_ = testConformance
}

// Run, outside a test: the reference server passes; a mutant of it that
// accepts a duplicate role fails the rules it breaks.
func ExampleRun() {
	for _, mutants := range [][]refserver.Mutant{nil, {refserver.HpiDuplicateAccepted}} {
		server, err := refserver.New(refserver.Options{Mutants: mutants})
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := conformancetest.Run(context.Background(), conformancetest.Options{Handler: server, Tags: "@hpi"})
		if err != nil {
			fmt.Println(err)
			return
		}
		var broken []string
		for _, s := range res.With(conformancetest.Failed) {
			broken = append(broken, s.Rules...)
		}
		slices.Sort(broken)
		fmt.Println("mutants:", mutants, "exit status:", res.Code, "rules failed:", slices.Compact(broken))
	}
	// Output:
	// mutants: [] exit status: 0 rules failed: []
	// mutants: [hpi-duplicate-accepted] exit status: 1 rules failed: [HPI-ADD-no-duplicate HPI-UPD-no-duplicate]
}
