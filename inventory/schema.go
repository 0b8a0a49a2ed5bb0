package inventory

import (
	_ "embed"
	"slices"

	"github.com/aimskit/aimskit/document"
)

//go:embed schema/aisystem.schema.json
var systemSchema []byte

// SchemaID is the "$id" of the [System] JSON Schema.
const SchemaID = "https://aimskit.dev/schemas/v1alpha1/aisystem.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of the AISystem document
// kind. The caller owns the returned slice.
func Schema() []byte { return slices.Clone(systemSchema) }

// DocumentTypes returns the document kinds this package defines, for a
// [document.Decoder].
func DocumentTypes() []document.Type {
	return []document.Type{{
		Kind:   KindSystem,
		Schema: Schema(),
		New:    func() document.Validator { return new(System) },
	}}
}
