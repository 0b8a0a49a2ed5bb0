package governance

import (
	_ "embed"
	"slices"

	"github.com/aimskit/aimskit/document"
)

var (
	//go:embed schema/managementsystem.schema.json
	managementSystemSchema []byte
	//go:embed schema/auditrecord.schema.json
	auditRecordSchema []byte
	//go:embed schema/managementreview.schema.json
	managementReviewSchema []byte
	//go:embed schema/nonconformity.schema.json
	nonconformitySchema []byte
	//go:embed schema/incident.schema.json
	incidentSchema []byte
)

// DocumentTypes returns the document kinds this package defines, each with
// a copy of its JSON Schema, for a [document.Decoder]: ManagementSystem,
// AuditRecord, ManagementReview, Nonconformity and Incident.
func DocumentTypes() []document.Type {
	return append(recordTypes(), incidentTypes()...)
}

// recordTypes returns the document kinds of the management-system records
// (ManagementSystem, AuditRecord, ManagementReview, Nonconformity), each
// with a copy of its JSON Schema, for a [document.Decoder].
func recordTypes() []document.Type {
	return []document.Type{
		{
			Kind:   KindManagementSystem,
			Schema: slices.Clone(managementSystemSchema),
			New:    func() document.Validator { return new(ManagementSystem) },
		},
		{
			Kind:   KindAuditRecord,
			Schema: slices.Clone(auditRecordSchema),
			New:    func() document.Validator { return new(AuditRecord) },
		},
		{
			Kind:   KindManagementReview,
			Schema: slices.Clone(managementReviewSchema),
			New:    func() document.Validator { return new(ManagementReview) },
		},
		{
			Kind:   KindNonconformity,
			Schema: slices.Clone(nonconformitySchema),
			New:    func() document.Validator { return new(Nonconformity) },
		},
	}
}

// incidentTypes returns the document kind of incidents with a copy of its
// JSON Schema, for a [document.Decoder].
func incidentTypes() []document.Type {
	return []document.Type{{
		Kind:   KindIncident,
		Schema: slices.Clone(incidentSchema),
		New:    func() document.Validator { return new(Incident) },
	}}
}
