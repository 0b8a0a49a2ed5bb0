package inventory

import "testing"

func TestClassificationString(t *testing.T) {
	tests := []struct {
		name string
		c    Classification
		want string
	}{
		{"zero", Classification{}, "not classified"},
		{"prohibited", Classification{Category: CategoryProhibited, ProhibitedPractice: "c"}, "prohibited practice, Art. 5(1)(c)"},
		{"annex III", Classification{Category: CategoryHighRisk, AnnexIII: "5(b)", Transparency: []string{"50(1)"}}, "high-risk, Annex III 5(b); transparency Art. 50(1)"},
		{"annex I", Classification{Category: CategoryHighRisk, AnnexI: "medical devices"}, "high-risk, Annex I (medical devices)"},
		{"derogated", Classification{Category: CategoryDerogated, AnnexIII: "4(a)"}, "Annex III 4(a), not high-risk under Art. 6(3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.String(); got != tt.want {
				t.Errorf("Classification.String() = %q, want %q", got, tt.want)
			}
		})
	}
}
