package controls

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// nistSubcategories are the 72 subcategories of NIST AI RMF 1.0.
var nistSubcategories = []string{
	"GV1.1", "GV1.2", "GV1.3", "GV1.4", "GV1.5", "GV1.6", "GV1.7", "GV2.1", "GV2.2", "GV2.3",
	"GV3.1", "GV3.2", "GV4.1", "GV4.2", "GV4.3", "GV5.1", "GV5.2", "GV6.1", "GV6.2", "MP1.1",
	"MP1.2", "MP1.3", "MP1.4", "MP1.5", "MP1.6", "MP2.1", "MP2.2", "MP2.3", "MP3.1", "MP3.2",
	"MP3.3", "MP3.4", "MP3.5", "MP4.1", "MP4.2", "MP5.1", "MP5.2", "MS1.1", "MS1.2", "MS1.3",
	"MS2.1", "MS2.2", "MS2.3", "MS2.4", "MS2.5", "MS2.6", "MS2.7", "MS2.8", "MS2.9",
	"MS2.10", "MS2.11", "MS2.12", "MS2.13", "MS3.1", "MS3.2", "MS3.3", "MS4.1", "MS4.2",
	"MS4.3", "MG1.1", "MG1.2", "MG1.3", "MG1.4", "MG2.1", "MG2.2", "MG2.3", "MG2.4", "MG3.1",
	"MG3.2", "MG4.1", "MG4.2", "MG4.3",
}

// TestCrosswalkData checks every row of the built-in crosswalks: it points
// at an existing control or clause, at an existing NIST AI RMF
// subcategory or a well-formed EU AI Act reference, and says where it
// comes from.
func TestCrosswalkData(t *testing.T) {
	if got, want := len(nistSubcategories), 72; got != want {
		t.Fatalf("len(nistSubcategories) = %d, want %d", got, want)
	}
	cat := ISO42001()
	type key struct {
		from ID
		fw   Framework
		to   string
	}
	seen := make(map[key]bool)
	for i, m := range cat.Mappings() {
		_, isControl := cat.Lookup(m.From)
		_, isClause := cat.LookupClause(m.From)
		switch m.Framework {
		case FrameworkNISTAIRMF:
			if !isControl && !isClause {
				t.Errorf("row %d: from %s is neither a control nor a clause", i, m.From)
			}
			if !slices.Contains(nistSubcategories, m.To) {
				t.Errorf("row %d (%s): %q is not a NIST AI RMF subcategory", i, m.From, m.To)
			}
			if m.Basis != BasisOfficial || m.Source != sourceNIST {
				t.Errorf("row %d (%s → %s): basis, source = %q, %q, want official NIST crosswalk", i, m.From, m.To, m.Basis, m.Source)
			}
		case FrameworkEUAIAct:
			if !isControl {
				t.Errorf("row %d: from %s is not an Annex A control", i, m.From)
			}
			if !wellFormedTarget(FrameworkEUAIAct, m.To) {
				t.Errorf("row %d (%s): %q is not a well-formed EU AI Act reference", i, m.From, m.To)
			}
			switch {
			case m.Basis == BasisDerived && m.Source == sourceDerived:
			case m.Basis == BasisSecondary && (m.Source == sourceKVeriAI || m.Source == sourceThomasMore):
			default:
				t.Errorf("row %d (%s → %s): basis %q does not fit source %q", i, m.From, m.To, m.Basis, m.Source)
			}
			if m.Note == "" {
				t.Errorf("row %d (%s → %s): no note", i, m.From, m.To)
			}
		default:
			t.Errorf("row %d: unknown framework %q", i, m.Framework)
		}
		k := key{m.From, m.Framework, m.To}
		if seen[k] {
			t.Errorf("row %d: %s → %s %s is listed twice", i, m.From, m.Framework, m.To)
		}
		seen[k] = true
	}
	for _, c := range cat.AnnexA() {
		for _, fw := range []Framework{FrameworkNISTAIRMF, FrameworkEUAIAct} {
			if len(cat.MappingsFrom(c.ID, fw)) == 0 {
				t.Errorf("%s has no mapping to %s", c.ID, fw)
			}
		}
	}
}

// TestNISTSubcategoriesWithoutControl checks the transcription against the
// list, in the reference, of subcategories that no Annex A control maps to.
func TestNISTSubcategoriesWithoutControl(t *testing.T) {
	want := []string{"GV1.3", "GV1.4", "GV1.5", "GV2.2", "GV2.3", "MP1.3", "MP1.5", "MS1.1", "MS3.1", "MG1.2", "MG1.3", "MG2.3"}
	cat := ISO42001()
	var got []string
	for _, sub := range nistSubcategories {
		found := false
		for _, m := range cat.MappingsTo(FrameworkNISTAIRMF, sub) {
			if _, ok := cat.Lookup(m.From); ok {
				found = true
			}
		}
		if !found {
			got = append(got, sub)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subcategories without an Annex A control (-want +got):\n%s", diff)
	}
}

func TestMappingsFrom(t *testing.T) {
	tests := []struct {
		name string
		from ID
		fw   Framework
		want []string
	}{
		{"A.6.2.8 to NIST", "iso42001:A.6.2.8", FrameworkNISTAIRMF, []string{"MS2.4", "MS2.6", "MS3.2"}},
		{"A.6.2.8 to EU", "iso42001:A.6.2.8", FrameworkEUAIAct, []string{"Art. 12", "Art. 19", "Art. 26(6)"}},
		{"A.7.4 to NIST", "iso42001:A.7.4", FrameworkNISTAIRMF, []string{"MP2.3", "MS2.3"}},
		{"A.7.4 to EU", "iso42001:A.7.4", FrameworkEUAIAct, []string{"Art. 10(3)", "Art. 10(4)"}},
		{"A.2.2 to NIST", "iso42001:A.2.2", FrameworkNISTAIRMF, []string{"GV1.1", "GV1.2", "MP4.1"}},
		{"A.3.3 to NIST", "iso42001:A.3.3", FrameworkNISTAIRMF, []string{"MG2.2"}},
		{"A.3.3 to EU", "iso42001:A.3.3", FrameworkEUAIAct, []string{"Art. 87", "Art. 26(5)"}},
		{"A.8.4 to NIST", "iso42001:A.8.4", FrameworkNISTAIRMF, []string{"GV4.3", "MS2.1", "MS3.3"}},
		{"A.8.4 to EU", "iso42001:A.8.4", FrameworkEUAIAct, []string{"Art. 73", "Art. 26(5)", "Art. 55(1)(c)", "Art. 20"}},
		{"A.10.2 to NIST", "iso42001:A.10.2", FrameworkNISTAIRMF, []string{"GV6.1", "GV6.2", "MG3.1"}},
		{"A.10.2 to EU", "iso42001:A.10.2", FrameworkEUAIAct, []string{"Art. 25"}},
		{"A.4.6 to NIST", "iso42001:A.4.6", FrameworkNISTAIRMF, []string{"GV1.6", "GV3.1", "GV3.2", "MP1.2", "MP2.1", "MP3.4"}},
		{"A.6.2.2 to EU", "iso42001:A.6.2.2", FrameworkEUAIAct, []string{"Art. 8", "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Annex IV §2(b)"}},
		{"clause 6.1.3 to NIST", "iso42001:6.1.3", FrameworkNISTAIRMF, []string{"GV1.3", "GV1.4", "MG1.2", "MG1.3", "MG2.3"}},
		{"clause 9.3.3 to NIST", "iso42001:9.3.3", FrameworkNISTAIRMF, []string{"GV2.3", "MG1.2", "MG4.2"}},
		{"clause with no mapping", "iso42001:4.2", FrameworkNISTAIRMF, nil},
		{"clause to EU", "iso42001:6.1.3", FrameworkEUAIAct, nil},
		{"unknown", "iso42001:A.99", FrameworkNISTAIRMF, nil},
		{"organisation control", "org:SEC-01", FrameworkNISTAIRMF, nil},
	}
	cat := ISO42001()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := targets(cat.MappingsFrom(tt.from, tt.fw))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MappingsFrom(%s, %s) (-want +got):\n%s", tt.from, tt.fw, diff)
			}
		})
	}
}

func TestMappingsFromAllFrameworks(t *testing.T) {
	got := targets(ISO42001().MappingsFrom("iso42001:A.6.2.8", FrameworkUnspecified))
	want := []string{"MS2.4", "MS2.6", "MS3.2", "Art. 12", "Art. 19", "Art. 26(6)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MappingsFrom(A.6.2.8, all) (-want +got):\n%s", diff)
	}
}

func TestMappingsTo(t *testing.T) {
	tests := []struct {
		name string
		fw   Framework
		to   string
		want []ID
	}{
		{"NIST MS3.2", FrameworkNISTAIRMF, "MS3.2", []ID{"iso42001:10.1", "iso42001:A.6.2.6", "iso42001:A.6.2.8"}},
		{"NIST GV6.1", FrameworkNISTAIRMF, "GV6.1", []ID{"iso42001:A.10.2", "iso42001:A.10.3"}},
		{"NIST MG2.2", FrameworkNISTAIRMF, "MG2.2", []ID{"iso42001:7.1", "iso42001:10.1", "iso42001:A.3.3", "iso42001:A.6.1.2", "iso42001:A.6.1.3", "iso42001:A.6.2.4", "iso42001:A.6.2.6", "iso42001:A.7.2"}},
		{"NIST GV2.2 has clauses only", FrameworkNISTAIRMF, "GV2.2", []ID{"iso42001:7.2"}},
		{"NIST long form", FrameworkNISTAIRMF, "MEASURE 2.4", []ID{"iso42001:9.1", "iso42001:A.6.2.6", "iso42001:A.6.2.8"}},
		{"NIST hyphenated lower case", FrameworkNISTAIRMF, "ms-2.4", []ID{"iso42001:9.1", "iso42001:A.6.2.6", "iso42001:A.6.2.8"}},
		{"NIST category", FrameworkNISTAIRMF, "GV6", []ID{"iso42001:A.10.2", "iso42001:A.10.3"}},
		{"NIST MS2.1 is not MS2.10", FrameworkNISTAIRMF, "MS2.1", []ID{"iso42001:A.4.2", "iso42001:A.6.2.4", "iso42001:A.6.2.7", "iso42001:A.8.4"}},
		{"EU Art. 12", FrameworkEUAIAct, "Art. 12", []ID{"iso42001:A.6.2.2", "iso42001:A.6.2.8"}},
		{"EU Article 12", FrameworkEUAIAct, "Article 12", []ID{"iso42001:A.6.2.2", "iso42001:A.6.2.8"}},
		{"EU Art. 73", FrameworkEUAIAct, "art 73", []ID{"iso42001:A.8.4"}},
		{"EU Art. 26(6) and whole Art. 26", FrameworkEUAIAct, "Art. 26(6)", []ID{"iso42001:A.6.2.8", "iso42001:A.9.3", "iso42001:A.10.4"}},
		{"EU Art. 25 and its paragraphs", FrameworkEUAIAct, "Art. 25", []ID{"iso42001:A.9.4", "iso42001:A.10.2", "iso42001:A.10.3"}},
		{"EU Art. 10", FrameworkEUAIAct, "Art. 10", []ID{"iso42001:A.2.3", "iso42001:A.4.3", "iso42001:A.5.4", "iso42001:A.6.2.2", "iso42001:A.7.2", "iso42001:A.7.3", "iso42001:A.7.4", "iso42001:A.7.5", "iso42001:A.7.6"}},
		{"EU Art. 4 is not Art. 4a", FrameworkEUAIAct, "Art. 4", []ID{"iso42001:A.2.2", "iso42001:A.4.6", "iso42001:A.9.2"}},
		{"EU Art. 4a", FrameworkEUAIAct, "Art. 4a", []ID{"iso42001:A.2.3"}},
		{"EU Annex IV section", FrameworkEUAIAct, "annex iv §2(d)", []ID{"iso42001:A.4.2", "iso42001:A.4.3", "iso42001:A.4.5", "iso42001:A.6.2.3", "iso42001:A.6.2.7", "iso42001:A.7.5"}},
		{"EU Art. 1 is not Art. 12", FrameworkEUAIAct, "Art. 1", nil},
		{"EU malformed matches nothing", FrameworkEUAIAct, "Art", nil},
		{"empty", FrameworkEUAIAct, "  ", nil},
		{"wrong framework", FrameworkNISTAIRMF, "Art. 12", nil},
		{"unspecified framework", FrameworkUnspecified, "MS2.4", nil},
	}
	cat := ISO42001()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := froms(cat.MappingsTo(tt.fw, tt.to))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MappingsTo(%s, %q) (-want +got):\n%s", tt.fw, tt.to, diff)
			}
		})
	}
}

// TestCrosswalkBothWays checks that every mapping found from a control is
// found again from its target, and the other way round.
func TestCrosswalkBothWays(t *testing.T) {
	cat := ISO42001()
	for _, m := range cat.Mappings() {
		if !slices.Contains(cat.MappingsTo(m.Framework, m.To), m) {
			t.Errorf("MappingsTo(%s, %q) misses %s", m.Framework, m.To, m.From)
		}
		if !slices.Contains(cat.MappingsFrom(m.From, m.Framework), m) {
			t.Errorf("MappingsFrom(%s, %s) misses %q", m.From, m.Framework, m.To)
		}
	}
}

func TestMappingNotes(t *testing.T) {
	cat := ISO42001()
	for _, tt := range []struct {
		from ID
		to   string
	}{{"iso42001:A.3.2", "GV3.2"}, {"iso42001:A.10.4", "MP1.4"}} {
		ms := cat.MappingsFrom(tt.from, FrameworkNISTAIRMF)
		i := slices.IndexFunc(ms, func(m Mapping) bool { return m.To == tt.to })
		if i < 0 || ms[i].Note == "" {
			t.Errorf("mapping %s → %s has no note on the crosswalk misprint", tt.from, tt.to)
		}
	}
}

func targets(ms []Mapping) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.To)
	}
	return out
}

// froms returns the distinct From ids of ms, in order.
func froms(ms []Mapping) []ID {
	var out []ID
	for _, m := range ms {
		if !slices.Contains(out, m.From) {
			out = append(out, m.From)
		}
	}
	return out
}
