package cyclonedx

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/inventory"
)

// SpecVersion is the CycloneDX specification version [Export] writes by
// default.
const SpecVersion = "1.6"

// SpecVersion17 is the CycloneDX 1.7 specification version. With
// [Options.SpecVersion] set to it, [Export] also writes citations: for each
// BOM field filled from a governance document, the document's file, the
// JSON pointer of the field in it and the document's SHA-256 digest.
const SpecVersion17 = "1.7"

// ToolRef is the bom-ref of the aimskit tool in metadata.tools of a
// CycloneDX 1.7 BOM, to which its citations are attributed.
const ToolRef = "aimskit:tool"

// PropertyPrefix starts the name of every property [Export] writes, after
// the CycloneDX property taxonomy convention of a namespace prefix.
const PropertyPrefix = "aimskit:"

// Standard identifiers used in definitions.standards. Requirement bom-refs
// are the control ids, e.g. "iso42001:A.7.4".
const (
	// StandardRef is the bom-ref of the ISO/IEC 42001:2023 Annex A
	// standard.
	StandardRef = "iso42001:2023"
	// OrganizationStandardRef is the bom-ref of the standard that holds
	// the organisation's own controls (6.1.3 d), when the Statement of
	// Applicability declares any.
	OrganizationStandardRef = "aimskit:organization-controls"
)

// ErrNoFolder is returned by [Export] when the folder is nil.
var ErrNoFolder = errors.New("cyclonedx: no folder")

// ErrUnsupportedSpec is returned by [Export] when [Options.SpecVersion] is
// neither [SpecVersion] nor [SpecVersion17].
var ErrUnsupportedSpec = errors.New("cyclonedx: unsupported specification version")

// Options configures [Export]. A nil *Options is the same as the zero
// value, which exports every AI system of the folder, stamped with the
// current time and a random serial number.
type Options struct {
	// System is the id of the one AI system to export. It then becomes
	// metadata.component. The zero UUID exports every AI system, as
	// components under a metadata component that stands for the AI
	// management system of the organisation.
	System uuid.UUID
	// Time returns the time written to metadata.timestamp (in UTC, to the
	// second). Nil means [time.Now].
	Time func() time.Time
	// SerialNumber returns the UUID of the serialNumber
	// ("urn:uuid:…"). Nil means [uuid.NewRandom]. Inject a fixed source for
	// reproducible output.
	SerialNumber func() (uuid.UUID, error)
	// SpecVersion is the CycloneDX version to write: [SpecVersion] (1.6)
	// or [SpecVersion17] (1.7). Empty means [SpecVersion].
	SpecVersion string
}

// Export returns f as a CycloneDX 1.6 JSON BOM, or 1.7 with citations when
// [Options.SpecVersion] asks for it (indented, with a final newline): the
// AI system as metadata.component, its models as
// machine-learning-model components with a model card, its datasets as
// data components, ISO/IEC 42001:2023 Annex A (and the organisation's own
// controls) in definitions.standards, and the Statement of Applicability as
// declarations: one claim per control, with its implementation status,
// justification and evidence, attested by the SoA's approver.
//
// The output is a deterministic function of f and the values the Options
// functions return. Export does not validate f: load it with [aims.Load]
// first. It returns an error wrapping [aims.ErrUnknownSystem] when
// Options.System is not in f, one matching [ErrUnsupportedSpec] for an
// unknown Options.SpecVersion, and the error of Options.SerialNumber as is.
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
	if o.SerialNumber == nil {
		o.SerialNumber = uuid.NewRandom
	}
	switch o.SpecVersion {
	case "":
		o.SpecVersion = SpecVersion
	case SpecVersion, SpecVersion17:
	default:
		return nil, fmt.Errorf("%w %q (want %s or %s)", ErrUnsupportedSpec, o.SpecVersion, SpecVersion, SpecVersion17)
	}
	systems := f.Systems
	if o.System != uuid.Nil {
		s := f.System(o.System)
		if s == nil {
			return nil, fmt.Errorf("cyclonedx: %w %s", aims.ErrUnknownSystem, o.System)
		}
		systems = []*inventory.System{s}
	}
	serial, err := o.SerialNumber()
	if err != nil {
		return nil, fmt.Errorf("cyclonedx: export: serial number: %w", err)
	}
	b := &bom{
		BOMFormat:    "CycloneDX",
		SpecVersion:  o.SpecVersion,
		SerialNumber: serial.URN(),
		Version:      1,
		Metadata: metadata{
			Timestamp: o.Time().UTC().Truncate(time.Second).Format(time.RFC3339),
			Tools:     &tools{Components: []component{{Type: "application", Name: "aimskit"}}},
		},
	}
	if o.System != uuid.Nil {
		sys := systems[0]
		b.Metadata.Component = systemComponent(sys)
		models, deps := resources(sys)
		b.Components = models
		b.Dependencies = deps
	} else {
		b.Metadata.Component = folderComponent(f)
		var dependsOn []string
		for _, sys := range systems {
			c := systemComponent(sys)
			b.Components = append(b.Components, c)
			dependsOn = append(dependsOn, c.BOMRef)
			rs, deps := resources(sys)
			b.Components = append(b.Components, rs...)
			b.Dependencies = append(b.Dependencies, deps...)
		}
		b.Dependencies = append([]dependency{{Ref: b.Metadata.Component.BOMRef, DependsOn: dependsOn}}, b.Dependencies...)
	}
	b.Metadata.Properties = documentProperties(f, systems)
	if f.SoA != nil {
		b.Definitions, b.Declarations = soa(f, f.SoA, o.System, b.Metadata.Component.BOMRef)
	} else {
		b.Definitions = &definitions{Standards: []standard{annexA(controls.ISO42001())}}
	}
	if o.SpecVersion == SpecVersion17 {
		b.Metadata.Tools.Components[0].BOMRef = ToolRef
		b.Citations = citations(f, b, systems, o.System)
	}
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cyclonedx: export: %w", err)
	}
	return append(out, '\n'), nil
}

func systemRef(sys *inventory.System) string { return "aimskit:system:" + sys.ID.String() }

func modelRef(sys *inventory.System, m inventory.Model) string {
	return "aimskit:system:" + sys.ID.String() + ":model:" + m.Name + "@" + m.Version
}

func datasetRef(sys *inventory.System, d inventory.Dataset) string {
	return "aimskit:system:" + sys.ID.String() + ":dataset:" + d.Name
}

func folderComponent(f *aims.Snapshot) component {
	c := component{Type: "application", BOMRef: "aimskit:aims", Name: "AI management system"}
	if ms := f.ManagementSystem; ms != nil {
		c.Name = ms.Organization + " AI management system"
		c.Version = ms.Version
		c.Supplier = &organization{Name: ms.Organization}
	}
	return c
}

func systemComponent(sys *inventory.System) component {
	c := component{
		Type:        "application",
		BOMRef:      systemRef(sys),
		Name:        sys.Name,
		Version:     sys.Version,
		Description: sys.Description,
	}
	c.Properties = props(
		"system:id", sys.ID.String(),
		"system:intendedPurpose", sys.Purpose.Intended,
		"system:lifecycleStage", string(sys.Lifecycle.Stage),
		"system:status", string(sys.Lifecycle.Status),
		"system:businessOwner", sys.Accountability.BusinessOwner.Name,
		"system:technicalLead", sys.Accountability.TechnicalLead.Name,
		"euaiact:category", string(sys.Classified().Category),
	)
	return c
}

// resources returns the model and dataset components of sys and the
// dependencies of the system and its models.
func resources(sys *inventory.System) ([]component, []dependency) {
	var cs []component
	var dataRefs []string
	for _, d := range sys.Resources.Datasets {
		dataRefs = append(dataRefs, datasetRef(sys, d))
	}
	sysDep := dependency{Ref: systemRef(sys)}
	var deps []dependency
	for _, m := range sys.Resources.Models {
		c := component{
			Type:    "machine-learning-model",
			BOMRef:  modelRef(sys, m),
			Name:    m.Name,
			Version: m.Version,
			Hashes:  hashes(m.Digest),
		}
		if m.Provider != "" {
			c.Supplier = &organization{Name: m.Provider}
		}
		if m.License != "" {
			c.Licenses = []licenseChoice{{License: license{Name: m.License}}}
		}
		c.Properties = props("model:origin", string(m.Origin), "model:kind", m.Kind)
		c.ModelCard = modelCardOf(sys, m, dataRefs)
		cs = append(cs, c)
		sysDep.DependsOn = append(sysDep.DependsOn, c.BOMRef)
		deps = append(deps, dependency{Ref: c.BOMRef, DependsOn: slices.Clone(dataRefs)})
	}
	for _, d := range sys.Resources.Datasets {
		c := component{
			Type:   "data",
			BOMRef: datasetRef(sys, d),
			Name:   d.Name,
			Hashes: hashes(d.Digest),
		}
		if d.License != "" {
			c.Licenses = []licenseChoice{{License: license{Name: d.License}}}
		}
		c.Properties = props("dataset:purpose", string(d.Purpose), "dataset:source", d.Source, "dataset:provenance", d.Provenance)
		cd := componentData{
			Type:        "dataset",
			Name:        d.Name,
			Description: datasetDescription(d),
			Governance:  governance(sys),
		}
		if d.PersonalData {
			cd.Classification = "personal data"
			cd.SensitiveData = slices.Clone(d.PersonalDataCategories)
		}
		c.Data = []componentData{cd}
		cs = append(cs, c)
		sysDep.DependsOn = append(sysDep.DependsOn, c.BOMRef)
	}
	return cs, append([]dependency{sysDep}, deps...)
}

func modelCardOf(sys *inventory.System, m inventory.Model, dataRefs []string) *modelCard {
	mc := &modelCard{}
	if m.Kind != "" || len(dataRefs) > 0 {
		mp := &modelParameters{ArchitectureFamily: m.Kind}
		for _, r := range dataRefs {
			mp.Datasets = append(mp.Datasets, datasetLink{Ref: r})
		}
		mc.ModelParameters = mp
	}
	p := sys.Purpose
	c := &considerations{Users: slices.Clone(p.Users)}
	if p.Intended != "" {
		c.UseCases = []string{p.Intended}
	}
	for _, mis := range p.ForeseeableMisuse {
		c.EthicalConsiderations = append(c.EthicalConsiderations, risk{
			Name:               "Foreseeable misuse: " + mis,
			MitigationStrategy: p.Oversight.Mechanism,
		})
	}
	for _, d := range sys.Resources.Datasets {
		for _, bias := range d.KnownBiases {
			c.TechnicalLimitations = append(c.TechnicalLimitations, "Known bias in dataset "+d.Name+": "+bias)
		}
	}
	for _, ap := range p.AffectedPersons {
		c.FairnessAssessments = append(c.FairnessAssessments, fairness{GroupAtRisk: ap})
	}
	mc.Considerations = c
	mc.Properties = props("system:autonomy", string(p.Autonomy))
	return mc
}

func datasetDescription(d inventory.Dataset) string {
	var parts []string
	if d.Purpose != "" {
		parts = append(parts, "Purpose: "+string(d.Purpose)+".")
	}
	if d.Source != "" {
		parts = append(parts, "Source: "+d.Source+".")
	}
	if d.Provenance != "" {
		parts = append(parts, "Provenance: "+d.Provenance+".")
	}
	return strings.Join(parts, " ")
}

// governance names the system's business owner as owner and its technical
// lead as steward of its data.
func governance(sys *inventory.System) *dataGovernance {
	a := sys.Accountability
	g := &dataGovernance{}
	if !a.BusinessOwner.IsZero() {
		g.Owners = []responsibleParty{{Contact: &contact{Name: a.BusinessOwner.Name, Email: a.BusinessOwner.Email}}}
	}
	if !a.TechnicalLead.IsZero() {
		g.Stewards = []responsibleParty{{Contact: &contact{Name: a.TechnicalLead.Name, Email: a.TechnicalLead.Email}}}
	}
	if len(g.Owners) == 0 && len(g.Stewards) == 0 {
		return nil
	}
	return g
}

// hashes converts an aimskit digest ("sha256:" and hex) to CycloneDX
// hashes.
func hashes(digest string) []hash {
	hex, ok := strings.CutPrefix(digest, "sha256:")
	if !ok || hex == "" {
		return nil
	}
	return []hash{{Alg: "SHA-256", Content: hex}}
}

// props returns properties from name/value pairs, prefixing names with
// [PropertyPrefix] and leaving out empty values.
func props(kv ...string) []property {
	var ps []property
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			ps = append(ps, property{Name: PropertyPrefix + kv[i], Value: kv[i+1]})
		}
	}
	return ps
}

// documentProperties records the file name and SHA-256 digest of each
// governance document the BOM is built from (ISO/IEC 42001 7.5.3).
func documentProperties(f *aims.Snapshot, systems []*inventory.System) []property {
	var docs []any
	for _, s := range systems {
		docs = append(docs, s)
		if ra := f.RiskAssessment(s.ID); ra != nil {
			docs = append(docs, ra)
		}
		if ia := f.ImpactAssessment(s.ID); ia != nil {
			docs = append(docs, ia)
		}
	}
	if f.SoA != nil {
		docs = append(docs, f.SoA)
	}
	var ps []property
	for _, d := range docs {
		if file, dg := f.File(d), f.Digest(d); file != "" && dg != "" {
			ps = append(ps, property{Name: PropertyPrefix + "document:" + file, Value: dg})
		}
	}
	return ps
}
