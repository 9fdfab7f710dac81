package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"runtime/debug"
	"strings"
)

// Version is the harness's version; Revision its VCS revision, stamped by
// the Makefile's builds (-ldflags -X), since `go run` and builds with
// -buildvcs=false record none.
var (
	Version  = "0.14.0"
	Revision = ""
)

// ThisTool names the harness, its version and revision: the stamped
// revision, else the one Go recorded, else "revision unknown".
func ThisTool() Tool {
	rev := Revision
	if info, ok := debug.ReadBuildInfo(); ok && rev == "" {
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += "-dirty"
		}
	}
	if rev == "" {
		rev = "revision unknown"
	}
	return Tool{Name: "conformance", Version: Version, Revision: rev}
}

// FeaturesSHA256 is the hex SHA-256 of the feature files of fsys: each, in
// path order, preceded by its path and length.
func FeaturesSHA256(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}
