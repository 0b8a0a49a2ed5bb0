package impact

import (
	_ "embed"
	"slices"

	"github.com/aimskit/aimskit/document"
)

//go:embed schema/impactassessment.schema.json
var assessmentSchema []byte

// SchemaID is the "$id" of the [Assessment] JSON Schema.
const SchemaID = "https://aimskit.dev/schemas/v1alpha1/impactassessment.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of the ImpactAssessment
// document kind. The caller owns the returned slice.
func Schema() []byte { return slices.Clone(assessmentSchema) }

// DocumentTypes returns the document kinds this package defines, for a
// [document.Decoder].
func DocumentTypes() []document.Type {
	return []document.Type{{
		Kind:   KindAssessment,
		Schema: Schema(),
		New:    func() document.Validator { return new(Assessment) },
	}}
}
