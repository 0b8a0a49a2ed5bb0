package controls

import (
	"regexp"
	"slices"
	"strings"
)

// Framework names a framework that a crosswalk maps ISO/IEC 42001 to. The
// zero value, [FrameworkUnspecified], stands for every framework in
// [Catalog.MappingsFrom].
type Framework string

// The frameworks of the built-in crosswalks.
const (
	FrameworkUnspecified Framework = ""
	// FrameworkNISTAIRMF is the NIST AI Risk Management Framework 1.0 (NIST
	// AI 100-1). Targets are subcategory ids such as "GV1.6" or "MS2.4".
	FrameworkNISTAIRMF Framework = "nist-ai-rmf"
	// FrameworkEUAIAct is the EU AI Act, Regulation (EU) 2024/1689, in the
	// numbering of the Official Journal. Targets are references such as
	// "Art. 12", "Art. 26(6)", "Art. 17(1)(m)" or "Annex IV §2(d)".
	FrameworkEUAIAct Framework = "eu-ai-act"
)

// Basis says how well founded a [Mapping] is: official, backed by a
// secondary crosswalk, or derived. The zero value, [BasisUnspecified], is
// not used by the built-in crosswalks.
type Basis string

// Bases of a mapping, from strongest to weakest.
const (
	BasisUnspecified Basis = ""
	// BasisOfficial marks a mapping taken from a crosswalk published by the
	// body that owns one of the two frameworks (for the NIST AI RMF, the
	// NIST AI RMF to ISO/IEC 42001 crosswalk hosted by NIST).
	BasisOfficial Basis = "official"
	// BasisSecondary marks a derived mapping that a published secondary
	// crosswalk also makes; [Mapping.Source] names it.
	BasisSecondary Basis = "secondary"
	// BasisDerived marks a mapping derived by aimskit from the texts of the
	// two frameworks. It is not a published mapping; verify it before
	// relying on it for legal purposes.
	BasisDerived Basis = "derived"
)

// Mapping is one row of a crosswalk: an ISO/IEC 42001 control or clause
// that serves a requirement of another framework.
//
// Mapping is a plain value.
type Mapping struct {
	// From is the Annex A control or the clause, e.g. "iso42001:A.6.2.8"
	// or "iso42001:6.1.3".
	From ID `json:"from"`
	// Framework is the framework mapped to.
	Framework Framework `json:"framework"`
	// To is the requirement of the framework, in the form the framework
	// documents: a NIST AI RMF subcategory ("MS2.4") or an EU AI Act
	// reference ("Art. 26(6)").
	To string `json:"to"`
	// Basis says whether the mapping is official, backed by a secondary
	// crosswalk, or derived.
	Basis Basis `json:"basis"`
	// Source names where the mapping comes from.
	Source string `json:"source"`
	// Note explains the mapping in a few words, where that helps.
	Note string `json:"note,omitempty"`
}

// Mappings returns every mapping of the catalogue's crosswalks: clauses 4
// to 10 to the NIST AI RMF, Annex A to the NIST AI RMF, and Annex A to the
// EU AI Act, each in the order of the standard.
func (c *Catalog) Mappings() []Mapping { return slices.Clone(c.mappings) }

// MappingsFrom returns the mappings of the control or clause id to the
// framework fw, or to every framework when fw is [FrameworkUnspecified].
// It answers "which NIST AI RMF subcategories does A.6.2.8 support?".
func (c *Catalog) MappingsFrom(id ID, fw Framework) []Mapping {
	var out []Mapping
	for _, m := range c.mappings {
		if m.From == id && (fw == FrameworkUnspecified || m.Framework == fw) {
			out = append(out, m)
		}
	}
	return out
}

// MappingsTo returns the mappings to the requirement to of the framework
// fw, clauses first, then controls, each in the order of the standard. It
// answers "which controls serve EU AI
// Act Art. 12?".
//
// References are matched as a hierarchy: asking for "Art. 26" also finds
// mappings to "Art. 26(5)" and "Art. 26(6)", and asking for "Art. 26(6)"
// also finds mappings to the whole of "Art. 26"; "Art. 1" does not match
// "Art. 12". Asking for a NIST category such as "GV1" finds the mappings
// to its subcategories. The spelling of to is normalised first: NIST
// subcategories may be written "GOVERN 1.6", "GV-1.6" or "gv1.6"; EU AI
// Act articles "Article 12", "Art 12" or "art. 12". A reference that is
// still not of one of the forms above only matches exactly.
func (c *Catalog) MappingsTo(fw Framework, to string) []Mapping {
	q := normalizeTarget(fw, to)
	if q == "" {
		return nil
	}
	hierarchical := wellFormedTarget(fw, q)
	var out []Mapping
	for _, m := range c.mappings {
		if m.Framework != fw {
			continue
		}
		if m.To == q || hierarchical && (contains(q, m.To) || contains(m.To, q)) {
			out = append(out, m)
		}
	}
	return out
}

var (
	nistRefRE = regexp.MustCompile(`^(GV|MP|MS|MG)[1-9][0-9]?(\.[1-9][0-9]?)?$`)
	euRefRE   = regexp.MustCompile(`^(Art\. [1-9][0-9]{0,2}[a-z]?(\([1-9][0-9]{0,2}[a-z]?\))?(\([a-z]{1,4}\))*|Annex [IVXL]+( §[1-9][0-9]?(\([a-z]\))?| [1-9][0-9]?(\([a-z]\))?)?)$`)
)

// wellFormedTarget reports whether s is a reference of fw in the form the
// crosswalk data uses: a NIST AI RMF category or subcategory ("GV1",
// "MS2.4"), or an EU AI Act article, paragraph or point ("Art. 17(1)(m)")
// or annex section ("Annex IV §2(d)", "Annex III 8(b)").
func wellFormedTarget(fw Framework, s string) bool {
	switch fw {
	case FrameworkNISTAIRMF:
		return nistRefRE.MatchString(s)
	case FrameworkEUAIAct:
		return euRefRE.MatchString(s)
	}
	return false
}

// contains reports whether ref lies within outer: they are equal, or ref
// continues outer after a boundary that is not a letter or digit.
func contains(outer, ref string) bool {
	if !strings.HasPrefix(ref, outer) {
		return false
	}
	if len(ref) == len(outer) {
		return true
	}
	b := ref[len(outer)]
	return !(b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z')
}

var nistFunctions = []struct{ long, short string }{
	{"GOVERN", "GV"}, {"MAP", "MP"}, {"MEASURE", "MS"}, {"MANAGE", "MG"},
}

// normalizeTarget brings a reference of fw into the form the crosswalk data
// uses.
func normalizeTarget(fw Framework, s string) string {
	s = strings.Join(strings.Fields(s), " ")
	switch fw {
	case FrameworkNISTAIRMF:
		u := strings.ToUpper(s)
		for _, f := range nistFunctions {
			for _, p := range []string{f.long, f.short} {
				if rest, ok := strings.CutPrefix(u, p); ok && rest != "" && (rest[0] == ' ' || rest[0] == '-' || rest[0] >= '0' && rest[0] <= '9') {
					rest = strings.TrimLeft(rest, " -")
					return f.short + rest
				}
			}
		}
		return u
	case FrameworkEUAIAct:
		l := strings.ToLower(s)
		for _, p := range []string{"article", "art.", "art"} {
			if strings.HasPrefix(l, p) {
				rest := strings.TrimLeft(s[len(p):], " .")
				if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
					return "Art. " + rest
				}
			}
		}
		if strings.HasPrefix(l, "annex ") {
			num, rest, _ := strings.Cut(s[len("annex "):], " ")
			if rest != "" {
				rest = " " + rest
			}
			return "Annex " + strings.ToUpper(num) + rest
		}
		return s
	}
	return s
}

// builtinMappings builds the rows of the built-in crosswalks: clauses to the
// NIST AI RMF, Annex A to the NIST AI RMF, then Annex A to the EU AI Act,
// each in the order of the standard.
func builtinMappings() []Mapping {
	var out []Mapping
	for _, r := range nistClauses {
		for _, to := range r.to {
			out = append(out, Mapping{From: r.from, Framework: FrameworkNISTAIRMF, To: to, Basis: BasisOfficial, Source: sourceNIST})
		}
	}
	for _, r := range nistAnnexA {
		for _, to := range r.to {
			out = append(out, Mapping{From: r.from, Framework: FrameworkNISTAIRMF, To: to, Basis: BasisOfficial, Source: sourceNIST, Note: nistNotes[[2]string{string(r.from), to}]})
		}
	}
	for _, r := range euAnnexA {
		for _, x := range r.rows {
			b := BasisSecondary
			if x.source == sourceDerived {
				b = BasisDerived
			}
			out = append(out, Mapping{From: r.from, Framework: FrameworkEUAIAct, To: x.to, Basis: b, Source: x.source, Note: x.note})
		}
	}
	return out
}
