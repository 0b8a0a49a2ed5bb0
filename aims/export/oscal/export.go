package oscal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/inventory"
	riskpkg "github.com/aimskit/aimskit/risk"
)

// Version is the OSCAL version [Export] declares in metadata.oscal-version.
const Version = "1.1.3"

// Namespace is the ns of every property [Export] writes, and the name
// from which it derives its UUIDs.
const Namespace = "https://aimskit.dev/ns/oscal"

// DefaultAssessmentPlan is the import-ap href [Export] writes when
// [Options.AssessmentPlan] is empty. OSCAL requires assessment results to
// import an assessment plan; aimskit does not write one, so this URN only
// fills the required field and says that no plan is linked.
const DefaultAssessmentPlan = "urn:aimskit:assessment-plan:none"

// ErrNoFolder is returned by [Export] when the folder is nil.
var ErrNoFolder = errors.New("oscal: no folder")

// Options configures [Export]. A nil *Options is the same as the zero
// value: every AI system of the folder, the current time, and the
// [DefaultAssessmentPlan].
type Options struct {
	// System is the id of the one AI system whose risks and SoA entries
	// to export. The zero UUID exports every AI system.
	System uuid.UUID
	// Time returns the time of the assessment: metadata.last-modified,
	// the result's start, each observation's collected time, and the day
	// on which risks are evaluated (see [risk.Evaluate]). It is written in
	// UTC, to the second. Nil means [time.Now].
	Time func() time.Time
	// Title is metadata.title. Empty means "ISO/IEC 42001 assessment
	// results" followed by the organisation, when the folder names it.
	Title string
	// AssessmentPlan is the import-ap href, a URI reference to the
	// assessment plan. Empty means [DefaultAssessmentPlan].
	AssessmentPlan string
}

// Export returns f as OSCAL assessment results (JSON, indented, with a
// final newline; oscal-version [Version]) with one result that holds:
//
//   - reviewed-controls: the 38 Annex A controls of ISO/IEC 42001:2023;
//   - one finding per Annex A control, targeting the control (type
//     objective-id, target-id e.g. "A.6.2.4"): satisfied when the
//     Statement of Applicability marks it applicable and implemented with
//     evidence, or excludes it (then implementation-status not-applicable
//     with the justification as remarks); not-satisfied otherwise;
//   - one observation (method EXAMINE) per SoA entry, whose relevant
//     evidence points at back-matter resources: the SoA itself and the
//     entry's evidence references, with SHA-256 hashes where the folder
//     knows them ([aims.Snapshot.Digest]);
//   - one risk per risk of the risk assessments, closed when its residual
//     level is within the appetite of its criteria, deviation-approved
//     when it is above but validly accepted, open otherwise (see
//     [risk.Evaluate]).
//
// Every UUID is derived with [uuid.NewSHA1] from the [Namespace], the
// digests of the documents exported and the time, so the same folder and
// clock give byte-identical output.
//
// Export does not validate f: load it with [aims.Load] first. It returns
// an error wrapping [aims.ErrUnknownSystem] when Options.System is not in
// f, and the error of [risk.Evaluate] when a risk assessment cannot be
// evaluated.
func Export(f *aims.Snapshot, opts *Options) ([]byte, error) {
	if f == nil {
		return nil, ErrNoFolder
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Time == nil {
		o.Time = time.Now
	}
	if o.AssessmentPlan == "" {
		o.AssessmentPlan = DefaultAssessmentPlan
	}
	if o.Title == "" {
		o.Title = "ISO/IEC 42001 assessment results"
		if ms := f.ManagementSystem; ms != nil && ms.Organization != "" {
			o.Title += ": " + ms.Organization
		}
	}
	systems := f.Systems
	if o.System != uuid.Nil {
		s := f.System(o.System)
		if s == nil {
			return nil, fmt.Errorf("oscal: %w %s", aims.ErrUnknownSystem, o.System)
		}
		systems = []*inventory.System{s}
	}
	now := o.Time().UTC().Truncate(time.Second)
	e := &exporter{f: f, system: o.System, systems: systems, now: now, stamp: now.Format(time.RFC3339)}
	e.ns = e.namespace()

	res := result{
		UUID:        e.id("result"),
		Title:       "ISO/IEC 42001:2023 Annex A controls",
		Description: "Assessment of the Annex A controls against the Statement of Applicability, and of the AI risk register.",
		Start:       e.stamp,
	}
	annex := controls.ISO42001().AnnexA()
	sel := controlSelection{}
	for _, c := range annex {
		sel.IncludeControls = append(sel.IncludeControls, selectControl{ControlID: c.ID.Ref()})
	}
	res.ReviewedControls = reviewedControls{ControlSelections: []controlSelection{sel}}

	risks, byControl, err := e.risks()
	if err != nil {
		return nil, err
	}
	for _, c := range annex {
		obs, fd := e.control(c, byControl[string(c.ID)])
		if obs != nil {
			res.Observations = append(res.Observations, *obs)
		}
		res.Findings = append(res.Findings, fd)
	}
	res.Risks = risks

	md := metadata{
		Title:        line(o.Title),
		LastModified: e.stamp,
		Version:      "1",
		OSCALVersion: Version,
	}
	if s := f.SoA; s != nil {
		md.Version = line(s.Version)
		md.Props = append(md.Props, property{Name: "soa-version", Value: line(s.Version), NS: Namespace})
	}
	if o.System != uuid.Nil {
		md.Props = append(md.Props, property{Name: "ai-system", Value: o.System.String(), NS: Namespace})
	}
	doc := document{AssessmentResults: assessmentResults{
		UUID:     e.id("assessment-results"),
		Metadata: md,
		ImportAP: importAP{Href: o.AssessmentPlan},
		Results:  []result{res},
	}}
	if o.AssessmentPlan == DefaultAssessmentPlan {
		doc.AssessmentResults.ImportAP.Remarks = "No assessment plan is linked; the href is a placeholder for the field OSCAL requires."
	}
	if len(e.resources) > 0 {
		doc.AssessmentResults.BackMatter = &backMatter{Resources: e.resources}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("oscal: export: %w", err)
	}
	return append(out, '\n'), nil
}

type exporter struct {
	f       *aims.Snapshot
	system  uuid.UUID
	systems []*inventory.System
	now     time.Time
	stamp   string
	ns      uuid.UUID

	resources []resource
	byHref    map[string]string // href -> resource uuid
}

// namespace derives the UUID namespace of one export from the digests of
// the documents exported and the time.
func (e *exporter) namespace() uuid.UUID {
	root := uuid.NewSHA1(uuid.NameSpaceURL, []byte(Namespace))
	var b strings.Builder
	for _, d := range e.documents() {
		b.WriteString(e.f.Digest(d))
		b.WriteByte('\n')
	}
	b.WriteString(e.system.String())
	b.WriteByte('\n')
	b.WriteString(e.stamp)
	return uuid.NewSHA1(root, []byte(b.String()))
}

func (e *exporter) id(name string) string { return uuid.NewSHA1(e.ns, []byte(name)).String() }

// documents returns the governance documents the export reads.
func (e *exporter) documents() []any {
	var docs []any
	for _, s := range e.systems {
		docs = append(docs, s)
		if ra := e.f.RiskAssessment(s.ID); ra != nil {
			docs = append(docs, ra)
		}
		if ia := e.f.ImpactAssessment(s.ID); ia != nil {
			docs = append(docs, ia)
		}
	}
	if e.f.SoA != nil {
		docs = append(docs, e.f.SoA)
	}
	return docs
}

// concerns reports whether an SoA entry is about the exported systems.
func (e *exporter) concerns(en controls.Entry) bool {
	return e.system == uuid.Nil || len(en.Systems) == 0 || slices.Contains(en.Systems, e.system)
}

// control returns the observation (nil without an SoA entry) and the
// finding of one Annex A control.
func (e *exporter) control(c controls.Control, riskUUIDs []string) (*observation, finding) {
	id := string(c.ID)
	fd := finding{
		UUID:        e.id("finding/" + id),
		Title:       line(c.ID.Ref() + " " + c.Title),
		Description: line(c.Summary),
		Target:      target{Type: "objective-id", TargetID: c.ID.Ref(), Title: line(c.Title)},
	}
	if fd.Description == "" {
		fd.Description = fd.Title
	}
	for _, r := range riskUUIDs {
		fd.RelatedRisks = append(fd.RelatedRisks, relatedRisk{RiskUUID: r})
	}
	var en controls.Entry
	ok := false
	if e.f.SoA != nil {
		en, ok = e.f.SoA.Entry(c.ID)
	}
	switch {
	case !ok:
		fd.Target.Status = objectiveStatus{State: "not-satisfied", Reason: "fail", Remarks: "The Statement of Applicability has no entry for this control."}
		return nil, fd
	case !e.concerns(en):
		fd.Target.Status = objectiveStatus{State: "satisfied", Reason: "other", Remarks: "The Statement of Applicability states this control for other AI systems only."}
		fd.Target.ImplementationStatus = &implementationStatus{State: "not-applicable", Remarks: "Stated for other AI systems only."}
		return nil, fd
	}
	obs := e.observation(en)
	fd.RelatedObservations = []relatedObservation{{ObservationUUID: obs.UUID}}
	just := line(en.Justification.String())
	switch en.Applicability {
	case controls.Excluded:
		fd.Target.Status = objectiveStatus{State: "satisfied", Reason: "other", Remarks: "Excluded in the Statement of Applicability (ISO/IEC 42001 6.1.3)."}
		fd.Target.ImplementationStatus = &implementationStatus{State: "not-applicable", Remarks: just}
	case controls.Applicable:
		st := &implementationStatus{Remarks: just}
		switch en.Status {
		case controls.StatusImplemented:
			st.State = "implemented"
			if len(en.Evidence) > 0 {
				fd.Target.Status = objectiveStatus{State: "satisfied", Reason: "pass"}
			} else {
				fd.Target.Status = objectiveStatus{State: "not-satisfied", Reason: "other", Remarks: "Marked implemented, but no evidence is referenced."}
			}
		case controls.StatusPartial, controls.StatusPlanned:
			st.State = string(en.Status)
			fd.Target.Status = objectiveStatus{State: "not-satisfied", Reason: "fail", Remarks: "Implementation status: " + string(en.Status) + "."}
		default:
			st = nil
			fd.Target.Status = objectiveStatus{State: "not-satisfied", Reason: "fail", Remarks: "Implementation status: " + statusText(en.Status) + "."}
		}
		fd.Target.ImplementationStatus = st
	default:
		fd.Target.Status = objectiveStatus{State: "not-satisfied", Reason: "fail", Remarks: "Applicability is not decided in the Statement of Applicability."}
	}
	return &obs, fd
}

// observation records the examination of one SoA entry and its evidence.
func (e *exporter) observation(en controls.Entry) observation {
	id := string(en.Control)
	obs := observation{
		UUID:        e.id("observation/" + id),
		Title:       line("Statement of Applicability entry for " + en.Control.Ref()),
		Description: line(describe(en)),
		Methods:     []string{"EXAMINE"},
		Types:       []string{"control-objective"},
		Collected:   e.stamp,
		Props:       []property{{Name: "control", Value: id, NS: Namespace}},
	}
	if en.Owner != "" {
		obs.Props = append(obs.Props, property{Name: "control-owner", Value: line(en.Owner), NS: Namespace})
	}
	soa := e.f.SoA
	obs.RelevantEvidence = append(obs.RelevantEvidence, relevantEvidence{
		Href:        "#" + e.documentResource(soa, "Statement of Applicability "+soa.Version),
		Description: "Statement of Applicability (ISO/IEC 42001 6.1.3 f)",
	})
	for _, ev := range en.Evidence {
		d := ev.Description
		if d == "" {
			d = ev.Ref
		}
		if !ev.Effective.IsZero() {
			d += " (effective " + ev.Effective.String() + ")"
		}
		obs.RelevantEvidence = append(obs.RelevantEvidence, relevantEvidence{
			Href:        "#" + e.evidenceResource(ev.Ref),
			Description: line(d),
		})
	}
	return obs
}

// documentResource returns the uuid of the back-matter resource for a
// governance document of the folder, adding it on first use.
func (e *exporter) documentResource(doc any, title string) string {
	file := e.f.File(doc)
	return e.resource(file, line(title), e.f.Digest(doc), mediaType(file))
}

// evidenceResource returns the uuid of the back-matter resource for an
// evidence reference. A reference that names a document of the folder, by
// file name or id, carries that document's digest.
func (e *exporter) evidenceResource(ref string) string {
	digest := ""
	for _, d := range e.allDocuments() {
		if e.f.File(d) == ref || docID(d) == ref {
			digest = e.f.Digest(d)
			if e.f.File(d) == ref {
				break
			}
		}
	}
	return e.resource(ref, line(ref), digest, mediaType(ref))
}

func (e *exporter) resource(ref, title, digest, media string) string {
	href := hrefOf(ref)
	if u, ok := e.byHref[href]; ok {
		return u
	}
	if e.byHref == nil {
		e.byHref = make(map[string]string)
	}
	u := e.id("resource/" + href)
	e.byHref[href] = u
	rl := rlink{Href: href, MediaType: media}
	if hex, ok := strings.CutPrefix(digest, "sha256:"); ok && hex != "" {
		rl.Hashes = []hash{{Algorithm: "SHA-256", Value: hex}}
	}
	e.resources = append(e.resources, resource{
		UUID:   u,
		Title:  title,
		Props:  []property{{Name: "type", Value: "evidence"}},
		Rlinks: []rlink{rl},
	})
	return u
}

// allDocuments returns every document of the folder that has an id.
func (e *exporter) allDocuments() []any {
	var docs []any
	for _, s := range e.f.Systems {
		docs = append(docs, s)
	}
	for _, a := range e.f.RiskAssessments {
		docs = append(docs, a)
	}
	for _, a := range e.f.ImpactAssessments {
		docs = append(docs, a)
	}
	if e.f.SoA != nil {
		docs = append(docs, e.f.SoA)
	}
	if e.f.Policy != nil {
		docs = append(docs, e.f.Policy)
	}
	if e.f.ManagementSystem != nil {
		docs = append(docs, e.f.ManagementSystem)
	}
	for _, a := range e.f.Audits {
		docs = append(docs, a)
	}
	for _, r := range e.f.Reviews {
		docs = append(docs, r)
	}
	for _, n := range e.f.Nonconformities {
		docs = append(docs, n)
	}
	return docs
}

// docID returns the id of a document as written in it.
func docID(d any) string {
	switch d := d.(type) {
	case *inventory.System:
		return d.ID.String()
	case *riskpkg.Assessment:
		return d.ID.String()
	case *controls.StatementOfApplicability:
		return d.ID.String()
	case *aims.GatePolicy:
		return d.ID
	case *governance.ManagementSystem:
		return d.ID
	case *governance.AuditRecord:
		return d.ID
	case *governance.ManagementReview:
		return d.ID
	case *governance.Nonconformity:
		return d.ID
	}
	return ""
}

// risks returns the risks of the risk assessments of the exported systems,
// and the uuids of the risks whose treatment names each control.
func (e *exporter) risks() ([]risk, map[string][]string, error) {
	var out []risk
	byControl := make(map[string][]string)
	for _, s := range e.systems {
		a := e.f.RiskAssessment(s.ID)
		if a == nil {
			continue
		}
		e.documentResource(a, "Risk assessment: "+s.Name)
		c, ok := e.f.Criteria(a)
		var sum riskpkg.Summary
		if ok {
			var err error
			if sum, err = riskpkg.Evaluate(a, c, e.now); err != nil {
				return nil, nil, fmt.Errorf("oscal: export: risk assessment %s: %w", a.ID, err)
			}
		}
		for i, r := range a.Risks {
			rk := risk{
				UUID:        e.id("risk/" + a.ID.String() + "/" + r.ID),
				Title:       line(r.Title),
				Description: line(r.Description),
				Status:      "open",
				Props: []property{
					{Name: "risk-id", Value: line(r.ID), NS: Namespace},
					{Name: "ai-system", Value: s.ID.String(), NS: Namespace},
				},
			}
			if rk.Description == "" {
				rk.Description = rk.Title
			}
			if ok {
				res := sum.Results[i]
				rk.Statement = line(fmt.Sprintf("Inherent level %s, residual level %s; the appetite of criteria %s is %s.",
					res.Inherent.Name, res.Residual.Name, c.String(), c.Appetite))
				switch {
				case !res.AboveAppetite:
					rk.Status = "closed"
				case res.Accepted:
					rk.Status = "deviation-approved"
				}
				rk.Props = append(rk.Props,
					property{Name: "inherent-level", Value: res.Inherent.Name, NS: Namespace},
					property{Name: "residual-level", Value: res.Residual.Name, NS: Namespace})
			} else {
				rk.Statement = "Not evaluated: the risk criteria of the assessment were not found."
			}
			for _, ctl := range r.Treatment.Controls {
				byControl[string(ctl)] = append(byControl[string(ctl)], rk.UUID)
			}
			out = append(out, rk)
		}
	}
	return out, byControl, nil
}

func describe(en controls.Entry) string {
	switch en.Applicability {
	case controls.Applicable:
		return en.Control.String() + " is applicable; implementation status " + statusText(en.Status) + "; " + fmt.Sprint(len(en.Evidence)) + " evidence reference(s)."
	case controls.Excluded:
		return en.Control.String() + " is excluded: " + en.Justification.String()
	}
	return en.Control.String() + " is not decided."
}

func statusText(s controls.Status) string {
	if s == controls.StatusUnspecified {
		return "unspecified"
	}
	return string(s)
}

// line collapses white space, as OSCAL strings may not hold line breaks or
// leading and trailing space.
func line(s string) string { return strings.Join(strings.Fields(s), " ") }

// hrefOf makes a reference usable as a URI reference, escaping it as a
// path when it is not one already.
func hrefOf(ref string) string {
	if _, err := url.Parse(ref); err == nil && !strings.ContainsAny(ref, " \t\r\n") {
		return ref
	}
	return (&url.URL{Path: ref}).EscapedPath()
}

func mediaType(name string) string {
	switch path.Ext(name) {
	case ".yaml", ".yml":
		return "application/yaml"
	case ".json":
		return "application/json"
	case ".md":
		return "text/markdown"
	case ".pdf":
		return "application/pdf"
	}
	return ""
}
