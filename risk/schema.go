package risk

import (
	_ "embed"
	"slices"

	"github.com/aimskit/aimskit/document"
)

var (
	//go:embed schema/riskassessment.schema.json
	assessmentSchema []byte
	//go:embed schema/riskcriteria.schema.json
	criteriaSchema []byte
)

// Schema ids of the document kinds of this package.
const (
	// AssessmentSchemaID is the "$id" of the [Assessment] JSON Schema.
	AssessmentSchemaID = "https://aimskit.dev/schemas/v1alpha1/riskassessment.schema.json"
	// CriteriaSchemaID is the "$id" of the [Criteria] JSON Schema.
	CriteriaSchemaID = "https://aimskit.dev/schemas/v1alpha1/riskcriteria.schema.json"
)

// AssessmentSchema returns the JSON Schema (draft 2020-12) of the
// RiskAssessment document kind. It is self-contained: inline criteria are
// described by a copy of the RiskCriteria schema in its "$defs". The
// caller owns the returned slice.
func AssessmentSchema() []byte { return slices.Clone(assessmentSchema) }

// CriteriaSchema returns the JSON Schema (draft 2020-12) of the
// RiskCriteria document kind. The caller owns the returned slice.
func CriteriaSchema() []byte { return slices.Clone(criteriaSchema) }

// DocumentTypes returns the document kinds this package defines,
// RiskAssessment and RiskCriteria, for a [document.Decoder].
func DocumentTypes() []document.Type {
	return []document.Type{
		{Kind: KindAssessment, Schema: AssessmentSchema(), New: func() document.Validator { return new(Assessment) }},
		{Kind: KindCriteria, Schema: CriteriaSchema(), New: func() document.Validator { return new(Criteria) }},
	}
}
