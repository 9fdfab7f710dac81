package suite

import "github.com/healthapi-conformance/conformance/features"

// partSize bounds the scenarios of one godog run. godog cannot be stopped,
// and keeps every result of a run in memory until it ends: in parts of at
// most partSize scenarios (whole files; a larger file is a part alone), an
// interrupted run ends with its part, and each part's results are freed.
const partSize = 500

// part is one godog run: whole feature files.
type part struct {
	paths     []string
	scenarios []features.Scenario
	from      int // the recorder's count when the part began
}

// split cuts the selected scenarios, in file order, into parts of whole
// files; with none given, the run is one part of paths.
func split(selected []features.Scenario, paths []string, size int) []part {
	if len(selected) == 0 {
		return []part{{paths: paths}}
	}
	var parts []part
	var cur part
	for i, s := range selected {
		newFile := i == 0 || s.URI != selected[i-1].URI
		if newFile && len(cur.scenarios) >= size {
			parts = append(parts, cur)
			cur = part{}
		}
		if newFile {
			cur.paths = append(cur.paths, s.URI)
		}
		cur.scenarios = append(cur.scenarios, s)
	}
	return append(parts, cur)
}
