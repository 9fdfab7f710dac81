package evidence

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): one entry per
// exchange, in the order the scenarios ran, each naming its scenario in its
// comment. Bodies are the masked texts of run.json.
type har struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Entries []harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Comment string `json:"comment,omitempty"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"` // ms
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment"`
}

type harRequest struct {
	Method      string     `json:"method"`
	URL         string     `json:"url"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []struct{} `json:"cookies"`
	Headers     []Header   `json:"headers"`
	QueryString []Header   `json:"queryString"`
	PostData    *harPost   `json:"postData,omitempty"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
}

type harPost struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []struct{} `json:"cookies"`
	Headers     []Header   `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// WriteHAR writes the run's exchanges as a HAR 1.2 log.
func WriteHAR(w io.Writer, run *Run) error {
	doc := har{Log: harLog{Version: "1.2", Creator: harCreator{Name: run.Tool.Name, Version: run.Tool.Version, Comment: run.Tool.Revision},
		Entries: []harEntry{}}}
	for _, s := range run.Scenarios {
		for _, ex := range s.Exchanges {
			doc.Log.Entries = append(doc.Log.Entries, harEntryOf(s, ex))
		}
	}
	return json.NewEncoder(w).Encode(doc) // compact, as WriteJSON writes run.json
}

func harEntryOf(s Scenario, ex Exchange) harEntry {
	ms := float64(ex.Received.Sub(ex.Sent).Microseconds()) / 1000
	if ex.Received.IsZero() {
		ms = 0
	}
	e := harEntry{
		StartedDateTime: ex.Sent.Format(stamp), Time: ms, Comment: s.ID + " " + s.Name,
		Request: harRequest{Method: ex.Method, URL: ex.URL, HTTPVersion: "HTTP/1.1", Cookies: []struct{}{},
			Headers: ex.RequestHeaders, QueryString: query(ex.URL), HeadersSize: -1, BodySize: len(ex.RequestBody)},
		Response: harResponse{Status: ex.Status, StatusText: http.StatusText(ex.Status), HTTPVersion: "HTTP/1.1", Cookies: []struct{}{},
			Headers: ex.ResponseHeaders, Content: harContent{Size: len(ex.ResponseBody), MimeType: header(ex.ResponseHeaders, "Content-Type"), Text: ex.ResponseBody},
			HeadersSize: -1, BodySize: len(ex.ResponseBody)},
		Timings: harTimings{Send: 0, Wait: ms, Receive: 0},
	}
	if ex.RequestBody != "" {
		e.Request.PostData = &harPost{MimeType: header(ex.RequestHeaders, "Content-Type"), Text: ex.RequestBody}
	}
	return e
}

// stamp is RFC 3339 with milliseconds, as HAR's dates are ISO 8601.
const stamp = "2006-01-02T15:04:05.000Z07:00"

func header(list []Header, name string) string {
	for _, h := range list {
		if http.CanonicalHeaderKey(h.Name) == http.CanonicalHeaderKey(name) {
			return h.Value
		}
	}
	return ""
}

func query(raw string) []Header {
	out := []Header{}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	q := u.Query()
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[k] {
			out = append(out, Header{k, v})
		}
	}
	return out
}
