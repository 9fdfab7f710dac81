package steps

import (
	"testing"

	messages "github.com/cucumber/messages/go/v21"
	"github.com/stretchr/testify/require"

	"github.com/healthapi-conformance/conformance/api/ers"
	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/profiles"
)

// The helpers the package's tests share.

// referenceWorld is a scenario's World whose Env has the reference profile
// and no clients: enough for the steps' pure helpers.
func referenceWorld(t *testing.T) World {
	t.Helper()
	p, err := profile.Parse(profiles.Reference, "ref")
	require.NoError(t, err)
	return NewWorld(&Env{Profile: p})
}

// pickleTable is a data table as godog hands it to a step.
func pickleTable(rows ...[]string) *messages.PickleTable {
	t := &messages.PickleTable{}
	for _, r := range rows {
		row := &messages.PickleTableRow{}
		for _, v := range r {
			row.Cells = append(row.Cells, &messages.PickleTableCell{Value: v})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// outcomeOf is an OperationOutcome with the issues given as JSON objects.
func outcomeOf(t *testing.T, issues ...string) hpi.Outcome {
	t.Helper()
	body := `{"resourceType":"OperationOutcome","issue":[`
	for i, is := range issues {
		if i > 0 {
			body += ","
		}
		body += is
	}
	o, err := hpi.ParseOutcome([]byte(body + "]}"))
	require.NoError(t, err)
	return o
}

// sessionWith is an opened session listing these permissions.
func sessionWith(perms ...ers.Permission) *ers.Session {
	s := &ers.Session{ID: "pro-xapi-session_test"}
	s.User.Permissions = perms
	return s
}

func perm(function, org string) ers.Permission {
	return ers.Permission{BusinessFunction: function, OrgIdentifier: org, OrgName: "name of " + org}
}

// step is one registration: a phrase and the method that implements it.
type step struct{ expr, fn any }

// recorder is a Registrar that keeps what it is given.
type recorder struct{ steps []step }

func (r *recorder) Step(expr, fn any) { r.steps = append(r.steps, step{expr, fn}) }

func registered(w World) []step {
	var r recorder
	w.Register(&r)
	return r.steps
}
