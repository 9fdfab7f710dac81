package steps

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/healthapi-conformance/conformance/fixtures"
)

// Schemas in fixtures/ers/schemas, written from the spec pages they name.
const (
	schemaProfessionalSession = "ers/schemas/ProfessionalSession.schema.json"
	schemaOperationOutcome    = "ers/schemas/OperationOutcome.schema.json"
)

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

func compileSchemas() {
	c := jsonschema.NewCompiler()
	schemas = map[string]*jsonschema.Schema{}
	for _, path := range []string{schemaProfessionalSession, schemaOperationOutcome} {
		data, err := fixtures.FS.ReadFile(path)
		if err != nil {
			schemasErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err == nil {
			err = c.AddResource(path, doc)
		}
		if err == nil {
			schemas[path], err = c.Compile(path)
		}
		if err != nil {
			schemasErr = fmt.Errorf("fixtures/%s: %w", path, err)
			return
		}
	}
}

// validate checks a JSON body against one of the fixture schemas.
func validate(schema string, body []byte) error {
	schemasOnce.Do(compileSchemas)
	if schemasErr != nil {
		return schemasErr
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return violated("the body is not JSON (%v): %s", err, excerpt(body))
	}
	if err := schemas[schema].Validate(inst); err != nil {
		return violated("the body does not match fixtures/%s: %v", schema, err)
	}
	return nil
}
