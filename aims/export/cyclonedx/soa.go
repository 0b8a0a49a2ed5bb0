package cyclonedx

import (
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/controls"
)

// annexA returns the ISO/IEC 42001:2023 Annex A standard: identifiers,
// short titles and aimskit's one-line summaries, never the text of the
// standard. Each control's parent is its objective.
func annexA(cat *controls.Catalog) standard {
	s := standard{
		BOMRef:      StandardRef,
		Name:        "ISO/IEC 42001",
		Version:     "2023",
		Description: "Information technology - Artificial intelligence - Management system, Annex A reference controls",
		Owner:       "ISO/IEC JTC 1/SC 42",
	}
	for _, ob := range cat.Objectives() {
		r := requirement{BOMRef: string(ob.ID), Identifier: ob.ID.Ref(), Title: ob.Title, Parent: string(ob.Parent)}
		if ob.Summary != "" {
			r.Descriptions = []string{ob.Summary}
		}
		s.Requirements = append(s.Requirements, r)
	}
	for _, c := range cat.AnnexA() {
		s.Requirements = append(s.Requirements, controlRequirement(c))
	}
	return s
}

func controlRequirement(c controls.Control) requirement {
	r := requirement{BOMRef: string(c.ID), Identifier: c.ID.Ref(), Title: c.Title, Parent: string(c.Objective)}
	if c.Summary != "" {
		r.Descriptions = []string{c.Summary}
	}
	return r
}

// soa maps the Statement of Applicability to definitions and declarations.
// With a system given, entries stated for other systems only are left out.
func soa(f *aims.Snapshot, s *controls.StatementOfApplicability, system uuid.UUID, target string) (*definitions, *declarations) {
	cat, err := s.Catalog()
	if err != nil {
		cat = controls.ISO42001()
	}
	defs := &definitions{Standards: []standard{annexA(cat)}}
	var org []requirement
	for _, c := range cat.Controls() {
		if c.ID.Namespace() != controls.NamespaceISO42001 {
			org = append(org, controlRequirement(c))
		}
	}
	if len(org) > 0 {
		name := "Organisation AI controls"
		if ms := f.ManagementSystem; ms != nil {
			name = ms.Organization + " AI controls"
		}
		defs.Standards = append(defs.Standards, standard{
			BOMRef:       OrganizationStandardRef,
			Name:         name,
			Description:  "Controls the organisation defines in addition to ISO/IEC 42001 Annex A (6.1.3 d)",
			Requirements: org,
		})
	}

	decl := &declarations{}
	assessorRef := "aimskit:assessor:soa-approver"
	name := s.Approval.Approver
	if name == "" {
		name = "unapproved draft"
	}
	decl.Assessors = []assessor{{BOMRef: assessorRef, ThirdParty: false, Organization: &organization{Name: name}}}
	att := attestation{Summary: attestationSummary(s), Assessor: assessorRef}
	for _, en := range s.Entries {
		if system != uuid.Nil && len(en.Systems) > 0 && !slices.Contains(en.Systems, system) {
			continue
		}
		id := string(en.Control)
		cl := claim{
			BOMRef:    "aimskit:claim:" + id,
			Target:    target,
			Predicate: predicate(en),
			Reasoning: en.Justification.String(),
		}
		for i, ev := range en.Evidence {
			e := evidence{
				BOMRef:       "aimskit:evidence:" + id + ":" + strconv.Itoa(i),
				PropertyName: PropertyPrefix + "soa:evidence",
				Description:  ev.Description,
				Data:         []evidenceData{{Name: ev.Ref, Contents: &dataContents{URL: ev.Ref}}},
			}
			if !ev.Effective.IsZero() {
				e.Created = ev.Effective.String() + "T00:00:00Z"
			}
			decl.Evidence = append(decl.Evidence, e)
			cl.Evidence = append(cl.Evidence, e.BOMRef)
		}
		decl.Claims = append(decl.Claims, cl)
		m := attestationMap{Requirement: id, Claims: []string{cl.BOMRef}}
		if en.Applicability == controls.Applicable {
			m.Conformance = &conformance{Score: score(en.Status), Rationale: "implementation status: " + statusText(en.Status)}
		}
		att.Map = append(att.Map, m)
	}
	decl.Attestations = []attestation{att}
	return defs, decl
}

func attestationSummary(s *controls.StatementOfApplicability) string {
	var b strings.Builder
	b.WriteString("Statement of Applicability (ISO/IEC 42001 6.1.3 f), version ")
	b.WriteString(s.Version)
	b.WriteString(", " + s.Approval.String())
	return b.String()
}

func predicate(en controls.Entry) string {
	switch en.Applicability {
	case controls.Applicable:
		return en.Control.String() + " is applicable; implementation status: " + statusText(en.Status) + "; owner: " + en.Owner
	case controls.Excluded:
		return en.Control.String() + " is excluded"
	}
	return en.Control.String() + " is not decided"
}

func statusText(s controls.Status) string {
	if s == controls.StatusUnspecified {
		return "unspecified"
	}
	return string(s)
}

// score is the conformance score of an implementation status.
func score(s controls.Status) float64 {
	switch s {
	case controls.StatusImplemented:
		return 1
	case controls.StatusPartial:
		return 0.5
	}
	return 0
}
