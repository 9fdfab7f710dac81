package evidence

import (
	"maps"
	"slices"
	"time"

	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
)

// FromExchange is an exchange of the step numbered step, every text masked.
func FromExchange(ex *exchange.Exchange, step int, red *redact.Redactor) Exchange {
	out := Exchange{
		Step: step, Sent: ex.Sent.UTC().Truncate(time.Millisecond), Received: ex.Received.UTC().Truncate(time.Millisecond), TargetDate: red.String(ex.Header.Get("Date")),
		Method: red.String(ex.Request.Method), URL: red.String(ex.Request.URL), RequestBody: red.String(string(ex.Request.Body)),
		Status: ex.Status, ResponseBody: red.String(string(ex.Body)), Retries: len(ex.Retries),
		RequestHeaders: []Header{}, ResponseHeaders: []Header{},
	}
	for _, h := range ex.Request.Header {
		out.RequestHeaders = append(out.RequestHeaders, Header{red.String(h.Name), red.String(h.Value)})
	}
	for _, name := range slices.Sorted(maps.Keys(ex.Header)) {
		for _, v := range ex.Header[name] {
			out.ResponseHeaders = append(out.ResponseHeaders, Header{red.String(name), red.String(v)})
		}
	}
	return out
}
