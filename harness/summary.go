package harness

import "io"

// Summary writes the verdict `conformance run` prints after a run: the
// counts, each scenario that did not pass with its rules and reason, the
// requests sent and the seed. The Go entry point (conformancetest) fails a
// test with this text, so a vendor reads the same words in `go test` as on
// the command line.
func Summary(w io.Writer, o Outcome, verbose bool) { summarise(w, o, verbose) }
