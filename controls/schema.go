package controls

import (
	_ "embed"
	"slices"

	"github.com/aimskit/aimskit/document"
)

//go:embed schema/statementofapplicability.schema.json
var soaSchema []byte

// SchemaID is the "$id" of the [StatementOfApplicability] JSON Schema.
const SchemaID = "https://aimskit.dev/schemas/v1alpha1/statementofapplicability.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of the
// StatementOfApplicability document kind. The caller owns the returned
// slice.
func Schema() []byte { return slices.Clone(soaSchema) }

// DocumentTypes returns the document kinds this package defines, for a
// [document.Decoder]. Each call returns fresh values.
func DocumentTypes() []document.Type {
	return []document.Type{{
		Kind:   KindStatementOfApplicability,
		Schema: Schema(),
		New:    func() document.Validator { return new(StatementOfApplicability) },
	}}
}
