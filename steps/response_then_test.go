package steps

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/healthapi-conformance/conformance/httpkit/exchange"
)

func TestStatuses(t *testing.T) {
	cases := []struct {
		list string
		want []int
	}{
		{"403, 404 or 422", []int{403, 404, 422}},
		{"422", []int{422}},
		{"401 or 403", []int{401, 403}},
		{"400,422", []int{400, 422}},
		{"", nil},
		{"4 or 40", nil},
		{"or", nil},
		{"403, 404 or 42", nil},
		{"403 or 4o4", nil},
		{"4222", nil},
	}
	for _, tc := range cases {
		t.Run(tc.list, func(t *testing.T) {
			got, err := statuses(tc.list)
			assert.Equal(t, tc.want, got)
			if tc.want == nil {
				assert.Error(t, err)
				assert.False(t, IsViolation(err), "a mistyped list is the feature's fault")
			}
		})
	}
}

func TestRefusal(t *testing.T) {
	allowed := []int{403, 404, 422}
	cases := []struct {
		name   string
		status int
		says   []string // nil: the status is allowed
	}{
		{"an allowed status", 404, nil},
		{"another allowed status", 422, nil},
		{"accepted with 200", 200, []string{"one of 403, 404, 422", "the target accepted it: 200 OK", `body: {"ok":true}`}},
		{"accepted with 201", 201, []string{"accepted it: 201 Created"}},
		{"a redirect", 302, []string{"the target answered 302 Found"}},
		{"another refusal", 400, []string{"the target answered 400 Bad Request"}},
		{"a server error", 500, []string{"the target answered 500 Internal Server Error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := refusal(allowed, tc.status, []byte(`{"ok":true}`))
			if tc.says == nil {
				assert.NoError(t, err)
				return
			}
			if assert.Error(t, err) {
				for _, s := range tc.says {
					assert.Contains(t, err.Error(), s)
				}
				if tc.status >= 300 {
					assert.NotContains(t, err.Error(), "accepted")
				}
			}
		})
	}
}

func TestResponseSteps(t *testing.T) {
	w := NewWorld(&Env{})
	assert.ErrorIs(t, w.statusIs(200), errNoAnswer, "no answer yet")
	assert.ErrorIs(t, w.refusedWith("403"), errNoAnswer)

	_ = w.keep(&exchange.Exchange{Status: http.StatusNotFound, Header: http.Header{}, Body: []byte("gone")}, nil)
	assert.NoError(t, w.statusIs(404))
	assert.ErrorContains(t, w.statusIs(200), "expected status 200 OK, got 404 Not Found; body: gone")
	assert.NoError(t, w.refusedWith("403, 404 or 422"))
	assert.Error(t, w.refusedWith("403 or 422"))
	assert.NoError(t, w.refused4xx())
	assert.ErrorContains(t, w.noBody(), "expected no body, got 4 bytes")

	_ = w.keep(&exchange.Exchange{Status: http.StatusNoContent, Header: http.Header{"Content-Length": {"12"}}}, nil)
	assert.ErrorContains(t, w.refused4xx(), "answered 204")
	assert.ErrorContains(t, w.noBody(), "declares Content-Length: 12")
}
