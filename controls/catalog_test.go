package controls

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
)

// annexATable is ISO/IEC 42001:2023 Annex A as listed in the reference
// (objectives, sub-objectives and controls, with their levels), in order.
var annexATable = []struct{ id, title, level string }{
	{"A.2", "Policies related to AI", "control objective"},
	{"A.2.2", "AI policy", "control"},
	{"A.2.3", "Alignment with other organizational policies", "control"},
	{"A.2.4", "Review of the AI policy", "control"},
	{"A.3", "Internal organization", "control objective"},
	{"A.3.2", "AI roles and responsibilities", "control"},
	{"A.3.3", "Reporting of concerns", "control"},
	{"A.4", "Resources for AI systems", "control objective"},
	{"A.4.2", "Resource documentation", "control"},
	{"A.4.3", "Data resources", "control"},
	{"A.4.4", "Tooling resources", "control"},
	{"A.4.5", "System and computing resources", "control"},
	{"A.4.6", "Human resources", "control"},
	{"A.5", "Assessing impacts of AI systems", "control objective"},
	{"A.5.2", "AI system impact assessment process", "control"},
	{"A.5.3", "Documentation of AI system impact assessments", "control"},
	{"A.5.4", "Assessing AI system impact on individuals or groups of individuals", "control"},
	{"A.5.5", "Assessing societal impacts of AI systems", "control"},
	{"A.6", "AI system life cycle", "control objective"},
	{"A.6.1", "Management guidance for AI system development", "sub-objective (grouping)"},
	{"A.6.1.2", "Objectives for responsible development of AI system", "control"},
	{"A.6.1.3", "Processes for responsible AI system design and development", "control"},
	{"A.6.2", "AI system life cycle", "sub-objective (grouping)"},
	{"A.6.2.2", "AI system requirements and specification", "control"},
	{"A.6.2.3", "Documentation of AI system design and development", "control"},
	{"A.6.2.4", "AI system verification and validation", "control"},
	{"A.6.2.5", "AI system deployment", "control"},
	{"A.6.2.6", "AI system operation and monitoring", "control"},
	{"A.6.2.7", "AI system technical documentation", "control"},
	{"A.6.2.8", "AI system recording of event logs", "control"},
	{"A.7", "Data for AI systems", "control objective"},
	{"A.7.2", "Data for development and enhancement of AI system", "control"},
	{"A.7.3", "Acquisition of data", "control"},
	{"A.7.4", "Quality of data for AI systems", "control"},
	{"A.7.5", "Data provenance", "control"},
	{"A.7.6", "Data preparation", "control"},
	{"A.8", "Information for interested parties of AI systems", "control objective"},
	{"A.8.2", "System documentation and information for users", "control"},
	{"A.8.3", "External reporting", "control"},
	{"A.8.4", "Communication of incidents", "control"},
	{"A.8.5", "Information for interested parties", "control"},
	{"A.9", "Use of AI systems", "control objective"},
	{"A.9.2", "Processes for responsible use of AI systems", "control"},
	{"A.9.3", "Objectives for responsible use of AI system", "control"},
	{"A.9.4", "Intended use of the AI system", "control"},
	{"A.10", "Third-party and customer relationships", "control objective"},
	{"A.10.2", "Allocating responsibilities", "control"},
	{"A.10.3", "Suppliers", "control"},
	{"A.10.4", "Customers", "control"},
}

// clauseTable is clauses 4 to 10 of ISO/IEC 42001:2023 as listed in the
// reference, in order.
var clauseTable = []struct{ id, title string }{
	{"4", "Context of the organization"},
	{"4.1", "Understanding the organization and its context"},
	{"4.2", "Understanding the needs and expectations of interested parties"},
	{"4.3", "Determining the scope of the AI management system"},
	{"4.4", "AI management system"},
	{"5", "Leadership"},
	{"5.1", "Leadership and commitment"},
	{"5.2", "AI policy"},
	{"5.3", "Roles, responsibilities and authorities"},
	{"6", "Planning"},
	{"6.1", "Actions to address risks and opportunities"},
	{"6.1.1", "General"},
	{"6.1.2", "AI risk assessment"},
	{"6.1.3", "AI risk treatment"},
	{"6.1.4", "AI system impact assessment"},
	{"6.2", "AI objectives and planning to achieve them"},
	{"6.3", "Planning of changes"},
	{"7", "Support"},
	{"7.1", "Resources"},
	{"7.2", "Competence"},
	{"7.3", "Awareness"},
	{"7.4", "Communication"},
	{"7.5", "Documented information"},
	{"7.5.1", "General"},
	{"7.5.2", "Creating and updating documented information"},
	{"7.5.3", "Control of documented information"},
	{"8", "Operation"},
	{"8.1", "Operational planning and control"},
	{"8.2", "AI risk assessment"},
	{"8.3", "AI risk treatment"},
	{"8.4", "AI system impact assessment"},
	{"9", "Performance evaluation"},
	{"9.1", "Monitoring, measurement, analysis and evaluation"},
	{"9.2", "Internal audit"},
	{"9.2.1", "General"},
	{"9.2.2", "Internal audit programme"},
	{"9.3", "Management review"},
	{"9.3.1", "General"},
	{"9.3.2", "Management review inputs"},
	{"9.3.3", "Management review results"},
	{"10", "Improvement"},
	{"10.1", "Continual improvement"},
	{"10.2", "Nonconformity and corrective action"},
}

func TestAnnexAMatchesReference(t *testing.T) {
	cat := ISO42001()
	type row struct{ ID, Title, Level string }
	var want []row
	for _, r := range annexATable {
		want = append(want, row{"iso42001:" + r.id, r.title, r.level})
	}
	var got []row
	for _, o := range cat.Objectives() {
		level := "control objective"
		if o.Parent != "" {
			level = "sub-objective (grouping)"
		}
		got = append(got, row{string(o.ID), o.Title, level})
		for _, c := range cat.Controls() {
			if c.Objective == o.ID {
				got = append(got, row{string(c.ID), c.Title, "control"})
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Annex A mismatch (-want +got):\n%s", diff)
	}
}

func TestAnnexACounts(t *testing.T) {
	cat := ISO42001()
	if got, want := len(cat.AnnexA()), 38; got != want {
		t.Errorf("len(AnnexA()) = %d, want %d", got, want)
	}
	if got, want := len(cat.Controls()), 38; got != want {
		t.Errorf("len(Controls()) = %d, want %d", got, want)
	}
	top := 0
	objectives := make(map[ID]bool)
	for _, o := range cat.Objectives() {
		objectives[o.ID] = true
		if o.Parent == "" {
			top++
		}
	}
	if got, want := top, 9; got != want {
		t.Errorf("top-level objectives = %d, want %d", got, want)
	}
	for _, c := range cat.Controls() {
		if !objectives[c.Objective] {
			t.Errorf("control %s: objective %q is not in Objectives()", c.ID, c.Objective)
		}
		if strings.TrimSpace(c.Summary) == "" {
			t.Errorf("control %s has no summary", c.ID)
		}
		if _, err := ParseID(string(c.ID)); err != nil {
			t.Errorf("control id: %v", err)
		}
	}
}

func TestClausesMatchReference(t *testing.T) {
	type row struct{ ID, Title string }
	var want []row
	for _, r := range clauseTable {
		want = append(want, row{"iso42001:" + r.id, r.title})
	}
	var got []row
	parents := make(map[ID]bool)
	for _, c := range ISO42001().Clauses() {
		got = append(got, row{string(c.ID), c.Title})
		if c.Parent != "" && !parents[c.Parent] {
			t.Errorf("clause %s: parent %s does not come before it", c.ID, c.Parent)
		}
		if want := strings.TrimSuffix(string(c.ID), "."+lastPart(c.ID.Ref())); c.Parent != "" && string(c.Parent) != want {
			t.Errorf("clause %s: parent = %s, want %s", c.ID, c.Parent, want)
		}
		if strings.TrimSpace(c.Summary) == "" {
			t.Errorf("clause %s has no summary", c.ID)
		}
		parents[c.ID] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("clauses mismatch (-want +got):\n%s", diff)
	}
}

func lastPart(ref string) string {
	i := strings.LastIndexByte(ref, '.')
	return ref[i+1:]
}

func TestLookup(t *testing.T) {
	cat := ISO42001()
	tests := []struct {
		name   string
		id     ID
		want   string
		wantOK bool
	}{
		{"control", "iso42001:A.6.2.8", "AI system recording of event logs", true},
		{"first control", "iso42001:A.2.2", "AI policy", true},
		{"last control", "iso42001:A.10.4", "Customers", true},
		{"objective is not a control", "iso42001:A.6.2", "", false},
		{"clause is not a control", "iso42001:6.1.3", "", false},
		{"no namespace", "A.6.2.8", "", false},
		{"unknown", "iso42001:A.11.1", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := cat.Lookup(tt.id)
			if c.Title != tt.want || ok != tt.wantOK {
				t.Errorf("Lookup(%q) = %q, %v, want %q, %v", tt.id, c.Title, ok, tt.want, tt.wantOK)
			}
		})
	}
	cl, ok := cat.LookupClause("iso42001:6.1.3")
	if !ok || cl.Title != "AI risk treatment" || cl.Parent != "iso42001:6.1" {
		t.Errorf("LookupClause(6.1.3) = %+v, %v", cl, ok)
	}
	if _, ok := cat.LookupClause("iso42001:A.2.2"); ok {
		t.Errorf("LookupClause(A.2.2) found a clause")
	}
}

func TestCatalogReturnsCopies(t *testing.T) {
	cat := ISO42001()
	cs := cat.Controls()
	cs[0].Title = "changed"
	os := cat.Objectives()
	os[0].Title = "changed"
	cls := cat.Clauses()
	cls[0].Title = "changed"
	ms := cat.Mappings()
	ms[0].To = "changed"
	if c, _ := cat.Lookup("iso42001:A.2.2"); c.Title != "AI policy" {
		t.Errorf("Lookup after changing Controls() = %q, want %q", c.Title, "AI policy")
	}
	if got := cat.Objectives()[0].Title; got != "Policies related to AI" {
		t.Errorf("Objectives()[0].Title = %q after change", got)
	}
	if got := cat.Clauses()[0].Title; got != "Context of the organization" {
		t.Errorf("Clauses()[0].Title = %q after change", got)
	}
	if got := cat.Mappings()[0].To; got == "changed" {
		t.Errorf("Mappings()[0].To changed through a returned slice")
	}
	if got := ISO42001().Controls()[0].Title; got != "AI policy" {
		t.Errorf("a new catalogue sees the change: %q", got)
	}
}

func TestZeroCatalog(t *testing.T) {
	var cat Catalog
	if _, ok := cat.Lookup("iso42001:A.2.2"); ok {
		t.Errorf("zero Catalog: Lookup found a control")
	}
	if got := cat.Controls(); len(got) != 0 {
		t.Errorf("zero Catalog: Controls() = %v", got)
	}
	if got := cat.MappingsTo(FrameworkEUAIAct, "Art. 12"); len(got) != 0 {
		t.Errorf("zero Catalog: MappingsTo = %v", got)
	}
}

func TestNewCatalog(t *testing.T) {
	org := []Control{
		{ID: "org:SEC-01", Title: "Secrets kept out of prompts", Objective: "iso42001:A.6.2"},
		{ID: "acme:PRIV-7", Title: "Prompt logs purged after 30 days"},
	}
	cat, err := NewCatalog(org)
	if err != nil {
		t.Fatalf("NewCatalog: %v", err)
	}
	org[0].Title = "changed"
	if got, want := len(cat.Controls()), 40; got != want {
		t.Errorf("len(Controls()) = %d, want %d", got, want)
	}
	if got, want := len(cat.AnnexA()), 38; got != want {
		t.Errorf("len(AnnexA()) = %d, want %d", got, want)
	}
	c, ok := cat.Lookup("org:SEC-01")
	if !ok || c.Title != "Secrets kept out of prompts" {
		t.Errorf("Lookup(org:SEC-01) = %+v, %v; want the control as given", c, ok)
	}
	if got := cat.Controls()[39].ID; got != "acme:PRIV-7" {
		t.Errorf("last control = %s, want acme:PRIV-7", got)
	}
}

func TestNewCatalogErrors(t *testing.T) {
	tests := []struct {
		name string
		org  []Control
		want []document.Problem
	}{
		{
			name: "collides with iso42001 namespace",
			org:  []Control{{ID: "iso42001:A.7.4", Title: "Our data quality"}},
			want: []document.Problem{{Pointer: "/0/id", Message: "iso42001:A.7.4 is in the namespace iso42001, which is reserved for ISO/IEC 42001; use another, e.g. org:"}},
		},
		{
			name: "new id in iso42001 namespace",
			org:  []Control{{ID: "iso42001:X.1", Title: "Ours"}},
			want: []document.Problem{{Pointer: "/0/id", Message: "iso42001:X.1 is in the namespace iso42001, which is reserved for ISO/IEC 42001; use another, e.g. org:"}},
		},
		{
			name: "duplicate",
			org:  []Control{{ID: "org:A", Title: "A"}, {ID: "org:B", Title: "B"}, {ID: "org:A", Title: "A again"}},
			want: []document.Problem{{Pointer: "/2/id", Message: "org:A is defined twice (first at /0)"}},
		},
		{
			name: "bad id and no title",
			org:  []Control{{ID: "SEC 01"}},
			want: []document.Problem{
				{Pointer: "/0/id", Message: `"SEC 01" is not a control id (want namespace:ref, e.g. org:SEC-01)`},
				{Pointer: "/0/title", Message: "is required for organisation control SEC 01"},
			},
		},
		{
			name: "objective is a control",
			org:  []Control{{ID: "org:A", Title: "A", Objective: "iso42001:A.7.4"}},
			want: []document.Problem{{Pointer: "/0/objective", Message: "iso42001:A.7.4 is not an Annex A control objective (e.g. iso42001:A.7)"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := NewCatalog(tt.org)
			if cat != nil {
				t.Errorf("NewCatalog returned a catalogue with the error")
			}
			if diff := cmp.Diff(tt.want, documenttest.Problems(t, err)); diff != "" {
				t.Errorf("NewCatalog problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		in      string
		wantNS  string
		wantRef string
		wantErr bool
	}{
		{"iso42001:A.6.2.8", "iso42001", "A.6.2.8", false},
		{"iso42001:6.1.3", "iso42001", "6.1.3", false},
		{"org:SEC-01", "org", "SEC-01", false},
		{"my-org2:x_y.z", "my-org2", "x_y.z", false},
		{"A.6.2.8", "", "", true},
		{"", "", "", true},
		{":A.1", "", "", true},
		{"iso42001:", "", "", true},
		{"ISO42001:A.1", "", "", true},
		{"1org:A", "", "", true},
		{"org:-A", "", "", true},
		{"org:A B", "", "", true},
		{"org:A:B", "", "", true},
		{"org:" + strings.Repeat("a", 64), "org", strings.Repeat("a", 64), false},
		{"org:" + strings.Repeat("a", 65), "", "", true},
		{strings.Repeat("a", 33) + ":A", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			id, err := ParseID(tt.in)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("ParseID(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalidID) {
					t.Errorf("ParseID(%q) error %v does not match ErrInvalidID", tt.in, err)
				}
				return
			}
			if ns, ref := id.Split(); ns != tt.wantNS || ref != tt.wantRef {
				t.Errorf("ParseID(%q).Split() = %q, %q, want %q, %q", tt.in, ns, ref, tt.wantNS, tt.wantRef)
			}
			if id.Namespace() != tt.wantNS || id.Ref() != tt.wantRef || id.String() != tt.in {
				t.Errorf("ParseID(%q): Namespace, Ref, String = %q, %q, %q", tt.in, id.Namespace(), id.Ref(), id.String())
			}
		})
	}
}

func TestIDSplitWithoutNamespace(t *testing.T) {
	ns, ref := ID("A.7.4").Split()
	if ns != "" || ref != "A.7.4" {
		t.Errorf(`ID("A.7.4").Split() = %q, %q, want "", "A.7.4"`, ns, ref)
	}
}
