package document

import "testing"

func TestApprovalString(t *testing.T) {
	d := Date{Year: 2026, Month: 3, Day: 2}
	tests := []struct {
		name string
		a    Approval
		want string
	}{
		{"zero", Approval{}, "not approved"},
		{"approver and date", Approval{Approver: "AI steering committee", Date: d}, "approved by AI steering committee on 2026-03-02"},
		{"role", Approval{Approver: "J. Doe", Role: "Chief Risk Officer", Date: d}, "approved by J. Doe (Chief Risk Officer) on 2026-03-02"},
		{"date only", Approval{Date: d}, "approved on 2026-03-02"},
		{"note only", Approval{Note: "subject to review"}, "approved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Errorf("Approval.String() = %q, want %q", got, tt.want)
			}
			if got, want := tt.a.IsZero(), tt.name == "zero"; got != want {
				t.Errorf("Approval.IsZero() = %v, want %v", got, want)
			}
		})
	}
}
