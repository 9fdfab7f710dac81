package evidence

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The files of a bundle, besides the cucumber and junit reports the run's
// formatters write into it.
const (
	RunFile        = "run.json"
	HARFile        = "exchanges.har"
	RedactionsFile = "redactions.json"
	ReportFile     = "report.html"
	CucumberFile   = "cucumber.json"
	JUnitFile      = "junit.xml"
	SumsFile       = "SHA256SUMS"
)

// Prepare makes dir for a bundle: a new folder, or an empty one, so that
// no earlier evidence is overwritten or mixed in.
func Prepare(dir string) error {
	if err := Check(dir); err != nil {
		return err
	}
	return os.MkdirAll(dir, 0o755)
}

// Check says, writing nothing, whether Prepare would take dir.
func Check(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("--evidence %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("--evidence %s: the folder is not empty; name a new one, so that no earlier evidence is overwritten", dir)
	}
	return nil
}

// Redactions is redactions.json: what was masked, by profile key or kind.
type Redactions struct {
	Mask   string           `json:"mask"`
	Masked map[string]int64 `json:"masked"` // occurrences, by profile key or kind; never a value
}

// WriteJSON writes v as dir/name: compact, since indenting run.json costs
// a fifth of writing the bundle, and every JSON tool shows it indented.
func WriteJSON(dir, name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), append(data, '\n'), 0o644)
}

// WriteFile writes dir/name with write.
func WriteFile(dir, name string, write func(io.Writer) error) error {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = write(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Seal writes SHA256SUMS over every other file of dir, in the format
// `sha256sum -c` reads.
func Seal(dir string) error {
	names, err := files(dir)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, name := range names {
		sum, err := fileSum(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, name)
	}
	return os.WriteFile(filepath.Join(dir, SumsFile), []byte(b.String()), 0o644)
}

// Verify checks a sealed bundle: every file listed has its sum, and no
// file is missing from the list or from the folder. The error names the file.
func Verify(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, SumsFile))
	if err != nil {
		return fmt.Errorf("%s: %w", SumsFile, err)
	}
	listed := map[string]string{}
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 || name == "" || strings.ContainsAny(name, "/\\") {
			return fmt.Errorf("%s line %d: not \"<sha256>  <file>\"", SumsFile, i+1)
		}
		listed[name] = sum
	}
	names, err := files(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		want, ok := listed[name]
		if !ok {
			return fmt.Errorf("%s: in the folder, but not in %s", name, SumsFile)
		}
		got, err := fileSum(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if got != want {
			return fmt.Errorf("%s: changed since the run (SHA-256 %s, %s says %s)", name, got, SumsFile, want)
		}
		delete(listed, name)
	}
	for name := range listed {
		return fmt.Errorf("%s: listed in %s, but missing", name, SumsFile)
	}
	return nil
}

// files lists the regular files of dir but SHA256SUMS, sorted; a folder or
// link inside a bundle is refused, since sha256sum would not cover it.
func files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		switch {
		case e.Name() == SumsFile:
		case !e.Type().IsRegular():
			return nil, fmt.Errorf("%s: not a regular file; a bundle holds files only", e.Name())
		default:
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
