package suite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/colors"
	"github.com/cucumber/godog/formatters"

	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

// Every formatter godog writes through is one of ours, registered once: it
// builds godog's own formatter on a writer that masks secrets, so nothing a
// report holds (step errors included) escapes unmasked, while the steps are
// registered as they are and godog names their real functions and files.
var kinds = []string{"pretty", "progress", "junit", "cucumber", "events"}

// extensions name each kind's file in a message's example.
var extensions = map[string]string{"pretty": ".txt", "progress": ".txt", "junit": ".xml", "cucumber": ".json", "events": ".ndjson"}

const maskedPrefix = "masked-"

func init() {
	for _, kind := range kinds {
		inner := godog.FindFmt(kind)
		godog.Format(maskedPrefix+kind, "godog's "+kind+", with secrets masked", func(suiteName string, _ io.Writer) formatters.Formatter {
			w, order := runs.writer(suiteName, kind)
			if order != nil { // scenarios run concurrently
				return newOrdered(inner(displayName, w), order)
			}
			return inner(displayName, w)
		})
	}
}

// displayName is the suite's name in the reports.
const displayName = "conformance"

// runs finds each run's writers by the suite name godog passes on, which
// is unique to the run: runs may go on at once (the mutation check does).
var runs = &registry{}

type registry struct {
	next atomic.Int64
	all  sync.Map // suite name → *outputs
}

func (r *registry) add(o *outputs) string {
	name := displayName + "#" + strconv.FormatInt(r.next.Add(1), 10)
	r.all.Store(name, o)
	return name
}

// writer is the next destination of a kind, and the order a concurrent part's calls are passed on in.
func (r *registry) writer(suiteName, kind string) (io.Writer, []string) {
	o, ok := r.all.Load(suiteName)
	if !ok {
		return io.Discard, nil // not one of our runs
	}
	return o.(*outputs).take(kind)
}

// outputs are one run's formatter destinations, in the order of its
// --format list. A run is made of godog runs, one per part: each part is
// handed the same destinations (base).
type outputs struct {
	mu       sync.Mutex
	base     map[string][]io.Writer
	byKind   map[string][]io.Writer // the destinations this part has not yet taken
	closers  []*maskWriter
	godog    string      // the format list godog is given
	junit    []io.Writer // written by us, from the outcomes
	cucumber []*cucumberOut
	events   []*eventsOut
	order    []string // a concurrent part's items in file order (ordered.go); nil when sequential
}

// formatter is one entry of a format list: a kind, and the file it writes, if not the output.
type formatter struct{ kind, path string }

// CheckFormat refuses a format list the run could not use: an unknown
// formatter, or two writing to the output, which would interleave there.
// It touches no file.
func CheckFormat(format string) error {
	_, err := parseFormat(format)
	return err
}

func parseFormat(format string) ([]formatter, error) {
	if format == "" {
		format = "pretty" // as Run takes it
	}
	var out []formatter
	var toOutput []string
	for _, f := range strings.Split(format, ",") {
		kind, path, _ := strings.Cut(strings.TrimSpace(f), ":")
		if godog.FindFmt(kind) == nil || strings.HasPrefix(kind, maskedPrefix) {
			return nil, fmt.Errorf("--format %q: unknown formatter %q (one of %s)", format, kind, strings.Join(kinds, ", "))
		}
		if path == "" {
			toOutput = append(toOutput, kind)
		}
		out = append(out, formatter{kind, path})
	}
	if len(toOutput) > 1 {
		return nil, fmt.Errorf("--format %q: %s and %s would all write to standard output, one into the other: give all but one a file, e.g. %s:reports/%s%s",
			format, strings.Join(toOutput[:len(toOutput)-1], ", "), toOutput[len(toOutput)-1], toOutput[1], toOutput[1], extensions[toOutput[1]])
	}
	return out, nil
}

// ProbeFormatFiles checks that every file of a format list can be written,
// making its folder, before the run starts a target or sends a request: a
// file that does not exist yet is removed again.
func ProbeFormatFiles(format string) error {
	list, err := parseFormat(format)
	if err != nil {
		return err
	}
	for _, f := range list {
		if f.path == "" {
			continue
		}
		_, statErr := os.Stat(f.path)
		file, err := createIn(f, os.O_WRONLY|os.O_CREATE)
		if err != nil {
			return err
		}
		file.Close()
		if errors.Is(statErr, os.ErrNotExist) {
			os.Remove(f.path)
		}
	}
	return nil
}

// openOutputs parses a format list ("pretty,junit:out/report.xml") and
// opens its destinations: a file (its folder made) or out, which keeps
// pretty's and progress's colours when colour is set.
func openOutputs(format string, out io.Writer, red *redact.Redactor, colour bool) (*outputs, error) {
	list, err := parseFormat(format)
	if err != nil {
		return nil, err
	}
	o := &outputs{base: map[string][]io.Writer{}}
	var names []string
	for _, f := range list {
		kind := f.kind
		m := &maskWriter{dst: out, red: red}
		if f.path != "" {
			file, err := createIn(f, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
			if err != nil {
				o.close()
				return nil, err
			}
			m.dst, m.file = file, file
		}
		o.closers = append(o.closers, m)
		switch kind {
		case "junit": // godog's junit knows two outcomes; ours three
			o.junit = append(o.junit, m)
			continue
		case "cucumber": // no colours to strip: Uncolored writes a rune at a time
			c := &cucumberOut{out: m}
			o.cucumber = append(o.cucumber, c)
			o.base[kind] = append(o.base[kind], c)
		case "events":
			e := &eventsOut{out: m, k: -1}
			o.events = append(o.events, e)
			o.base[kind] = append(o.base[kind], e)
		default:
			if colour && f.path == "" {
				o.base[kind] = append(o.base[kind], m)
			} else {
				o.base[kind] = append(o.base[kind], colors.Uncolored(m))
			}
		}
		names = append(names, maskedPrefix+kind)
	}
	if len(names) == 0 {
		names = []string{maskedPrefix + "progress"} // godog needs one; it writes nowhere
	}
	o.godog = strings.Join(names, ",")
	return o, nil
}

// attaches says whether a report shows the exchanges attached to steps.
func (o *outputs) attaches() bool { return len(o.cucumber)+len(o.events) > 0 }

// startPart hands the destinations out afresh, for the next godog run;
// order is its items' order when its scenarios run concurrently.
func (o *outputs) startPart(order []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.byKind = maps.Clone(o.base)
	o.order = order
}

// endPart writes a part's cucumber report and events, with their
// outcomes: res in file order, ran in the order the scenarios ran. A
// cucumber report is left as godog wrote it when every scenario of the part
// was judged.
func (o *outputs) endPart(res, ran []Scenario, judged bool) error {
	for _, c := range o.cucumber {
		if err := c.endPart(res, judged); err != nil {
			return err
		}
	}
	for _, e := range o.events {
		if err := e.endPart(ran); err != nil {
			return err
		}
	}
	return nil
}

// finish writes the reports that need every outcome: res in file order,
// ran in the order the scenarios ran; dir is the features' folder.
func (o *outputs) finish(res, ran []Scenario, dir string, run []Property) error {
	for _, w := range o.junit {
		if err := writeJUnit(w, res, dir, run); err != nil {
			return err
		}
	}
	for _, c := range o.cucumber {
		if err := c.finish(); err != nil {
			return err
		}
	}
	for _, e := range o.events {
		if err := e.finish(ran); err != nil {
			return err
		}
	}
	return nil
}

// createIn opens a formatter's file with flags, its folder made; the error
// names the formatter and the file, with the system's reason.
func createIn(f formatter, flags int) (*os.File, error) {
	fail := func(err error) error {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named once, below
		}
		return fmt.Errorf("--format %s:%s: the %s report cannot be written to %s: %w", f.kind, f.path, f.kind, f.path, err)
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return nil, fail(err)
	}
	file, err := os.OpenFile(f.path, flags, 0o644)
	if err != nil {
		return nil, fail(err)
	}
	return file, nil
}

// take hands out the next destination of a kind, with the part's order.
func (o *outputs) take(kind string) (io.Writer, []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	list := o.byKind[kind]
	if len(list) == 0 {
		return io.Discard, o.order
	}
	o.byKind[kind] = list[1:]
	return list[0], o.order
}

// close flushes every destination and closes the files; the first error wins.
func (o *outputs) close() error {
	var first error
	for _, m := range o.closers {
		if err := m.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// maskWriter masks secrets line by line: a secret holds no newline, so no
// secret is split between two writes of the masked text.
type maskWriter struct {
	dst  io.Writer
	file *os.File // the report file the run opened, if dst is one
	red  *redact.Redactor
	buf  []byte
	err  error
}

// maxPending bounds a line kept waiting for its end.
const maxPending = 1 << 20

func (m *maskWriter) Write(p []byte) (int, error) {
	n := len(p)
	if len(m.buf) == 0 { // whole lines go out from p itself: a large report is not copied
		i := bytes.LastIndexByte(p, '\n') + 1
		m.writeLines(p[:i])
		p = p[i:]
	}
	m.buf = append(m.buf, p...)
	if i := bytes.LastIndexByte(p, '\n'); i >= 0 { // only p is new: the held bytes have no newline
		m.flush(len(m.buf) - len(p) + i + 1)
	} else if len(m.buf) > maxPending {
		// A line too long to wait for: flush all but a tail that could
		// begin a secret, cutting outside any secret the buffer holds.
		m.flush(m.red.SafeCut(m.buf, len(m.buf)-max(m.red.Longest()-1, 0)))
	}
	return n, nil
}

// flush writes the first n bytes held.
func (m *maskWriter) flush(n int) {
	m.writeLines(m.buf[:n])
	m.buf = append(m.buf[:0], m.buf[n:]...)
}

// writeLines writes text masked a line at a time.
func (m *maskWriter) writeLines(text []byte) {
	for len(text) > 0 && m.err == nil {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line = text[:i+1]
		}
		_, m.err = io.WriteString(m.dst, m.red.String(string(line)))
		text = text[len(line):]
	}
}

// Close writes what is left and closes a file destination.
func (m *maskWriter) Close() error {
	m.flush(len(m.buf))
	if m.file != nil {
		if err := m.file.Close(); err != nil && m.err == nil {
			m.err = err
		}
	}
	return m.err
}
