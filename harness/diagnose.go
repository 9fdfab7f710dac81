package harness

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/healthapi-conformance/conformance/catalogue"
	"github.com/healthapi-conformance/conformance/features"
	"github.com/healthapi-conformance/conformance/harness/suite"
)

// maxDetailLines bounds the difference printed under a failure; the junit
// and cucumber reports hold the whole message.
const maxDetailLines = 40

// rules is the catalogue the diagnoses quote, read once, when a failure needs it.
var rules = sync.OnceValues(catalogue.Load)

// diagnose prints under a failure what finds the broken rule without a
// report: the rest of the reason (the difference the Then found), each
// rule's sentence with its page and section, and, verbose, the exchanges
// the failing step judged (masked transcripts).
func diagnose(w io.Writer, s suite.Scenario, verbose bool) {
	printIndented(w, "      ", bounded(details(s.Reason)))
	cat, err := rules()
	for _, id := range features.RuleIDs(s.Tags) {
		if r, ok := cat.Rule(id); err == nil && ok {
			fmt.Fprintf(w, "      %s: %s\n        (%s, %s)\n", id, r.Text, r.Source, r.Section)
		}
	}
	if !verbose {
		return
	}
	for _, t := range s.Judged {
		fmt.Fprintln(w, "      the exchange the failing step judged:")
		printIndented(w, "        ", strings.Split(strings.TrimRight(t, "\n"), "\n"))
	}
}

// headline is a reason's first line: the sentence saying what was found.
func headline(reason string) string {
	first, _, _ := strings.Cut(reason, "\n")
	return first
}

// details is what a reason says below its headline: a difference, line by line.
func details(reason string) string {
	_, rest, _ := strings.Cut(reason, "\n")
	return rest
}

// bounded is text's lines, at most maxDetailLines of them, each kept to a
// reasonable length.
func bounded(text string) []string {
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	if len(lines) > maxDetailLines {
		lines = append(lines[:maxDetailLines], fmt.Sprintf("… %d more lines in the junit and cucumber reports", len(lines)-maxDetailLines))
	}
	for i, l := range lines {
		lines[i] = shortened(l)
	}
	return lines
}

func printIndented(w io.Writer, indent string, lines []string) {
	for _, l := range lines {
		fmt.Fprintf(w, "%s%s\n", indent, l)
	}
}
