package cyclonedx

import (
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// citer collects the citations of a CycloneDX 1.7 BOM: one per
// governance document field, listing the BOM fields filled from it.
type citer struct {
	f     *aims.Snapshot
	stamp string
	index map[string]int
	out   []citation
}

// add cites the field of doc at the pointer made of tokens as the source of
// the BOM field at bomPointer.
func (c *citer) add(doc any, bomPointer string, tokens ...any) {
	file := c.f.File(doc)
	if file == "" {
		return
	}
	src := file + "#" + document.Pointer(tokens...)
	if i, ok := c.index[src]; ok {
		c.out[i].Pointers = append(c.out[i].Pointers, bomPointer)
		return
	}
	note := "governance document " + src
	if dg := c.f.Digest(doc); dg != "" {
		note += " (" + dg + ")"
	}
	c.index[src] = len(c.out)
	c.out = append(c.out, citation{Pointers: []string{bomPointer}, Timestamp: c.stamp, AttributedTo: ToolRef, Note: note})
}

type resourceAt struct {
	sys *inventory.System
	i   int
}

// citations returns, for each governance document field the BOM b was
// built from, a citation of the BOM fields it filled.
func citations(f *aims.Snapshot, b *bom, systems []*inventory.System, system uuid.UUID) []citation {
	c := &citer{f: f, stamp: b.Metadata.Timestamp, index: make(map[string]int)}
	bySystem := make(map[string]*inventory.System)
	models := make(map[string]resourceAt)
	datasets := make(map[string]resourceAt)
	for _, s := range systems {
		bySystem[systemRef(s)] = s
		for i, m := range s.Resources.Models {
			models[modelRef(s, m)] = resourceAt{s, i}
		}
		for i, d := range s.Resources.Datasets {
			datasets[datasetRef(s, d)] = resourceAt{s, i}
		}
	}
	comp := func(at string, k component) {
		if s := bySystem[k.BOMRef]; s != nil {
			c.system(at, k, s)
		} else if r, ok := models[k.BOMRef]; ok {
			c.model(at, k, r.sys, r.i)
		} else if r, ok := datasets[k.BOMRef]; ok {
			c.dataset(at, k, r.sys, r.i)
		} else if ms := f.ManagementSystem; ms != nil && k.BOMRef == folderComponent(f).BOMRef {
			c.add(ms, "/metadata/component/name", "organization")
			if k.Version != "" {
				c.add(ms, "/metadata/component/version", "version")
			}
			c.add(ms, "/metadata/component/supplier/name", "organization")
		}
	}
	comp("/metadata/component", b.Metadata.Component)
	for i, k := range b.Components {
		comp(document.Pointer("components", i), k)
	}
	if f.SoA != nil && b.Declarations != nil {
		c.soa(b.Declarations, system)
	}
	return c.out
}

// systemProps names the field of the AI system document behind each of
// the system component's properties.
var systemProps = map[string][]any{
	"system:id":              {"id"},
	"system:intendedPurpose": {"purpose", "intended"},
	"system:lifecycleStage":  {"lifecycle", "stage"},
	"system:status":          {"lifecycle", "status"},
	"system:businessOwner":   {"accountability", "businessOwner", "name"},
	"system:technicalLead":   {"accountability", "technicalLead", "name"},
}

func (c *citer) system(at string, k component, s *inventory.System) {
	c.add(s, at+"/name", "name")
	if k.Version != "" {
		c.add(s, at+"/version", "version")
	}
	if k.Description != "" {
		c.add(s, at+"/description", "description")
	}
	for i, p := range k.Properties {
		name := strings.TrimPrefix(p.Name, PropertyPrefix)
		ptr := document.Pointer("properties", i, "value")
		if src, ok := systemProps[name]; ok {
			c.add(s, at+ptr, src...)
		} else if name == "euaiact:category" {
			// The category is derived from the facts when there are
			// any, and stated otherwise (inventory.System.Classified).
			if s.Facts != nil {
				c.add(s, at+ptr, "facts")
			} else {
				c.add(s, at+ptr, "classification", "category")
			}
		}
	}
}

func (c *citer) model(at string, k component, s *inventory.System, j int) {
	m := []any{"resources", "models", j}
	field := func(bomField string, tokens ...any) { c.add(s, at+bomField, append(m[:3:3], tokens...)...) }
	field("/name", "name")
	if k.Version != "" {
		field("/version", "version")
	}
	if len(k.Hashes) > 0 {
		field("/hashes/0/content", "digest")
	}
	if k.Supplier != nil {
		field("/supplier/name", "provider")
	}
	if len(k.Licenses) > 0 {
		field("/licenses/0/license/name", "license")
	}
	for i, p := range k.Properties {
		field(document.Pointer("properties", i, "value"), strings.TrimPrefix(p.Name, PropertyPrefix+"model:"))
	}
	mc := k.ModelCard
	if mc == nil {
		return
	}
	at += "/modelCard"
	if mp := mc.ModelParameters; mp != nil {
		if mp.ArchitectureFamily != "" {
			c.add(s, at+"/modelParameters/architectureFamily", "resources", "models", j, "kind")
		}
		for i := range mp.Datasets {
			c.add(s, at+document.Pointer("modelParameters", "datasets", i, "ref"), "resources", "datasets", i, "name")
		}
	}
	if cs := mc.Considerations; cs != nil {
		for i := range cs.Users {
			c.add(s, at+document.Pointer("considerations", "users", i), "purpose", "users", i)
		}
		if len(cs.UseCases) > 0 {
			c.add(s, at+"/considerations/useCases/0", "purpose", "intended")
		}
		n := 0
		for d, ds := range s.Resources.Datasets {
			for b := range ds.KnownBiases {
				c.add(s, at+document.Pointer("considerations", "technicalLimitations", n), "resources", "datasets", d, "knownBiases", b)
				n++
			}
		}
		for i, e := range cs.EthicalConsiderations {
			c.add(s, at+document.Pointer("considerations", "ethicalConsiderations", i, "name"), "purpose", "foreseeableMisuse", i)
			if e.MitigationStrategy != "" {
				c.add(s, at+document.Pointer("considerations", "ethicalConsiderations", i, "mitigationStrategy"), "purpose", "oversight", "mechanism")
			}
		}
		for i := range cs.FairnessAssessments {
			c.add(s, at+document.Pointer("considerations", "fairnessAssessments", i, "groupAtRisk"), "purpose", "affectedPersons", i)
		}
	}
	if len(mc.Properties) > 0 {
		c.add(s, at+"/properties/0/value", "purpose", "autonomy")
	}
}

func (c *citer) dataset(at string, k component, s *inventory.System, j int) {
	ds := []any{"resources", "datasets", j}
	field := func(bomField string, tokens ...any) { c.add(s, at+bomField, append(ds[:3:3], tokens...)...) }
	field("/name", "name")
	if len(k.Hashes) > 0 {
		field("/hashes/0/content", "digest")
	}
	if len(k.Licenses) > 0 {
		field("/licenses/0/license/name", "license")
	}
	for i, p := range k.Properties {
		field(document.Pointer("properties", i, "value"), strings.TrimPrefix(p.Name, PropertyPrefix+"dataset:"))
	}
	if len(k.Data) == 0 {
		return
	}
	d := k.Data[0]
	field("/data/0/name", "name")
	src := s.Resources.Datasets[j]
	for _, x := range []struct {
		name string
		set  bool
	}{{"purpose", src.Purpose != ""}, {"source", src.Source != ""}, {"provenance", src.Provenance != ""}} {
		if x.set {
			field("/data/0/description", x.name)
		}
	}
	if d.Classification != "" {
		field("/data/0/classification", "personalData")
	}
	for i := range d.SensitiveData {
		field(document.Pointer("data", 0, "sensitiveData", i), "personalDataCategories", i)
	}
	if g := d.Governance; g != nil {
		if len(g.Owners) > 0 {
			c.add(s, at+"/data/0/governance/owners/0/contact", "accountability", "businessOwner")
		}
		if len(g.Stewards) > 0 {
			c.add(s, at+"/data/0/governance/stewards/0/contact", "accountability", "technicalLead")
		}
	}
}

// soa cites the Statement of Applicability entries behind the assessor,
// claims, evidence and attestation map of the declarations, which soa
// wrote in the order of the entries it included.
func (c *citer) soa(decl *declarations, system uuid.UUID) {
	s := c.f.SoA
	var entries []int
	for j, en := range s.Entries {
		if system != uuid.Nil && len(en.Systems) > 0 && !slices.Contains(en.Systems, system) {
			continue
		}
		entries = append(entries, j)
	}
	if s.Approval.Approver != "" && len(decl.Assessors) > 0 {
		c.add(s, "/declarations/assessors/0/organization/name", "approval", "approver")
	}
	ev := 0
	for i, j := range entries {
		if i >= len(decl.Claims) {
			break
		}
		en := s.Entries[j]
		c.add(s, document.Pointer("declarations", "claims", i, "predicate"), "entries", j)
		if decl.Claims[i].Reasoning != "" {
			c.add(s, document.Pointer("declarations", "claims", i, "reasoning"), "entries", j, "justification")
		}
		for n, e := range en.Evidence {
			c.add(s, document.Pointer("declarations", "evidence", ev, "data", 0, "contents", "url"), "entries", j, "evidence", n, "ref")
			if e.Description != "" {
				c.add(s, document.Pointer("declarations", "evidence", ev, "description"), "entries", j, "evidence", n, "description")
			}
			ev++
		}
		if len(decl.Attestations) > 0 && i < len(decl.Attestations[0].Map) && decl.Attestations[0].Map[i].Conformance != nil {
			c.add(s, document.Pointer("declarations", "attestations", 0, "map", i, "conformance"), "entries", j, "status")
		}
	}
}
