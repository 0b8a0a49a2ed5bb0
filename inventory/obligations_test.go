package inventory_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

func TestDerive(t *testing.T) {
	deployer := []inventory.OperatorRole{inventory.OperatorDeployer}
	provider := []inventory.OperatorRole{inventory.OperatorProvider}
	tests := []struct {
		name           string
		class          inventory.Classification
		roles          []inventory.OperatorRole
		wantProhibited bool
		wantHighRisk   bool
		wantFRIA       bool
		wantArticles   []string
	}{
		{
			name:         "annex III 4(a) recruitment screening, private deployer",
			class:        inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "4(a)"},
			roles:        deployer,
			wantHighRisk: true,
			wantArticles: []string{"Art. 4", "Art. 26(1)", "Art. 26(2)", "Art. 26(4)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)", "Art. 26(11)"},
		},
		{
			name:         "annex III 5(b) credit scoring, private deployer",
			class:        inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)"},
			roles:        deployer,
			wantHighRisk: true,
			wantFRIA:     true,
			wantArticles: []string{"Art. 4", "Art. 26(1)", "Art. 26(2)", "Art. 26(4)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)", "Art. 26(11)", "Art. 27"},
		},
		{
			name:         "annex III 4(a) deployed by a public authority",
			class:        inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "4(a)", PublicAuthority: true},
			roles:        deployer,
			wantHighRisk: true,
			wantFRIA:     true,
			wantArticles: []string{"Art. 4", "Art. 26(1)", "Art. 26(2)", "Art. 26(4)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)", "Art. 26(11)", "Art. 26(8)", "Art. 27"},
		},
		{
			// Art. 26(11) is for systems that decide about natural persons,
			// which a critical-infrastructure system does not.
			name:         "annex III 2(a) critical infrastructure is exempt from the FRIA and Art. 26(11)",
			class:        inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "2(a)", PublicAuthority: true},
			roles:        deployer,
			wantHighRisk: true,
			wantArticles: []string{"Art. 4", "Art. 26(1)", "Art. 26(2)", "Art. 26(4)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)", "Art. 26(8)"},
		},
		{
			name:         "annex III 5(b) provider only has no FRIA",
			class:        inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)"},
			roles:        provider,
			wantHighRisk: true,
			wantArticles: []string{"Art. 4", "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 19(1)", "Art. 20", "Art. 43", "Art. 47", "Art. 48", "Art. 72", "Art. 73", "Art. 49(1)"},
		},
		{
			name:         "art. 50(1) chatbot",
			class:        inventory.Classification{Category: inventory.CategoryMinimal, Transparency: []string{"50(1)"}},
			roles:        provider,
			wantArticles: []string{"Art. 4", "Art. 50(1)"},
		},
		{
			name:           "art. 5 social scoring",
			class:          inventory.Classification{Category: inventory.CategoryProhibited, ProhibitedPractice: "c"},
			roles:          deployer,
			wantProhibited: true,
			wantArticles:   []string{"Art. 5(1)(c)"},
		},
		{
			name:         "art. 6(3) derogation",
			class:        inventory.Classification{Category: inventory.CategoryDerogated, AnnexIII: "4(a)", Derogation: &inventory.Derogation{Ground: "d", Assessment: "x"}},
			roles:        provider,
			wantArticles: []string{"Art. 4", "Art. 6(4)", "Art. 49(2)"},
		},
		{
			name:         "gpai model with systemic risk",
			class:        inventory.Classification{Category: inventory.CategoryGPAISystemic},
			roles:        provider,
			wantArticles: []string{"Art. 53(1)(a)", "Art. 53(1)(b)", "Art. 53(1)(c)", "Art. 53(1)(d)", "Art. 52", "Art. 55(1)(a)", "Art. 55(1)(b)", "Art. 55(1)(c)", "Art. 55(1)(d)"},
		},
		{
			name:         "minimal without transparency duties: AI literacy only (Art. 4)",
			class:        inventory.Classification{Category: inventory.CategoryMinimal},
			roles:        provider,
			wantArticles: []string{"Art. 4"},
		},
		{
			name:         "annex I product: no Art. 49(1) registration",
			class:        inventory.Classification{Category: inventory.CategoryHighRisk, AnnexI: "medical devices"},
			roles:        provider,
			wantHighRisk: true,
			wantArticles: []string{"Art. 4", "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 19(1)", "Art. 20", "Art. 43", "Art. 47", "Art. 48", "Art. 72", "Art. 73"},
		},
		{
			name:         "annex III 2(a) provider registers nationally (Art. 49(5))",
			class:        inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "2(a)"},
			roles:        provider,
			wantHighRisk: true,
			wantArticles: []string{"Art. 4", "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 19(1)", "Art. 20", "Art. 43", "Art. 47", "Art. 48", "Art. 72", "Art. 73", "Art. 49(5)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inventory.Derive(tt.class, tt.roles)
			if got.Prohibited != tt.wantProhibited || got.HighRisk != tt.wantHighRisk || got.FRIARequired != tt.wantFRIA {
				t.Errorf("Derive() prohibited, high-risk, FRIA = %v, %v, %v; want %v, %v, %v",
					got.Prohibited, got.HighRisk, got.FRIARequired, tt.wantProhibited, tt.wantHighRisk, tt.wantFRIA)
			}
			if diff := cmp.Diff(tt.wantArticles, got.Articles()); diff != "" {
				t.Errorf("Derive() articles mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeriveChatbotIsTransparencyOnly(t *testing.T) {
	got := inventory.Derive(inventory.Classification{Category: inventory.CategoryMinimal, Transparency: []string{"50(1)"}},
		[]inventory.OperatorRole{inventory.OperatorProvider, inventory.OperatorDeployer})
	for _, o := range got.List {
		// Art. 4 AI literacy is owed by every provider and deployer.
		if !slices.Contains([]string{"Art. 50(1)", "Art. 4"}, o.Article) {
			t.Errorf("Derive() lists %s (%s); want only transparency duties and AI literacy", o.Article, o.Title)
		}
	}
	if len(got.List) != 3 {
		t.Errorf("Derive() = %d obligations, want 3 (Art. 4 for each role, Art. 50(1))", len(got.List))
	}
}

func TestDeriveApplicationDates(t *testing.T) {
	d := document.MustDate
	tests := []struct {
		name         string
		class        inventory.Classification
		article      string
		wantOriginal document.Date
		wantAmended  document.Date
	}{
		{"annex III high-risk moved to Dec 2027",
			inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)"}, "Art. 9", d("2026-08-02"), d("2027-12-02")},
		{"annex I high-risk moved to Aug 2028",
			inventory.Classification{Category: inventory.CategoryHighRisk, AnnexI: "medical devices"}, "Art. 9", d("2027-08-02"), d("2028-08-02")},
		{"art. 50(1) unchanged",
			inventory.Classification{Category: inventory.CategoryMinimal, Transparency: []string{"50(1)"}}, "Art. 50(1)", d("2026-08-02"), d("2026-08-02")},
		{"art. 50(2) legacy system gets Dec 2026",
			inventory.Classification{Category: inventory.CategoryMinimal, Transparency: []string{"50(2)"}, PlacedOnMarket: d("2026-03-01")}, "Art. 50(2)", d("2026-08-02"), d("2026-12-02")},
		{"gpai model",
			inventory.Classification{Category: inventory.CategoryGPAI}, "Art. 53(1)(a)", d("2025-08-02"), d("2025-08-02")},
		{"legacy gpai model gets Aug 2027",
			inventory.Classification{Category: inventory.CategoryGPAI, PlacedOnMarket: d("2025-01-10")}, "Art. 53(1)(a)", d("2027-08-02"), d("2027-08-02")},
		{"AI literacy applies since Feb 2025 (Art. 4, as amended)",
			inventory.Classification{Category: inventory.CategoryMinimal}, "Art. 4", d("2025-02-02"), d("2025-02-02")},
		{"annex III registration moved to Dec 2027 (Art. 49(1))",
			inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "4(a)"}, "Art. 49(1)", d("2026-08-02"), d("2027-12-02")},
		{"log retention of annex I products moved to Aug 2028 (Art. 19(1))",
			inventory.Classification{Category: inventory.CategoryHighRisk, AnnexI: "machinery"}, "Art. 19(1)", d("2027-08-02"), d("2028-08-02")},
		{"prohibition applies since Feb 2025",
			inventory.Classification{Category: inventory.CategoryProhibited, ProhibitedPractice: "a"}, "Art. 5(1)(a)", d("2025-02-02"), d("2025-02-02")},
		{"nudifier ban is new in Dec 2026",
			inventory.Classification{Category: inventory.CategoryProhibited, ProhibitedPractice: "ncii"}, "Art. 5(1)", document.Date{}, d("2026-12-02")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inventory.Derive(tt.class, []inventory.OperatorRole{inventory.OperatorProvider})
			i := slices.IndexFunc(got.List, func(o inventory.Obligation) bool { return o.Article == tt.article })
			if i < 0 {
				t.Fatalf("Derive() has no %s; articles %v", tt.article, got.Articles())
			}
			want := inventory.Application{Original: tt.wantOriginal, Amended: tt.wantAmended}
			if got.List[i].Applies != want {
				t.Errorf("%s applies %+v, want %+v", tt.article, got.List[i].Applies, want)
			}
		})
	}
}

func TestObligationAppliesOn(t *testing.T) {
	o := inventory.Derive(inventory.Classification{Category: inventory.CategoryHighRisk, AnnexIII: "5(b)"},
		[]inventory.OperatorRole{inventory.OperatorProvider}).List[1] // Art. 9, after Art. 4
	if o.Article != "Art. 9" {
		t.Fatalf("List[1] = %s, want Art. 9", o.Article)
	}
	for _, tt := range []struct {
		date string
		want bool
	}{{"2026-11-28", false}, {"2027-12-01", false}, {"2027-12-02", true}, {"2030-01-01", true}} {
		if got := o.AppliesOn(document.MustDate(tt.date)); got != tt.want {
			t.Errorf("AppliesOn(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}
