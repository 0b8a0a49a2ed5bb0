package document

// Approval records who approved a document, or a part of it, and when:
// the approval of a Statement of Applicability, of a risk treatment plan
// (ISO/IEC 42001 6.1.3), of an impact assessment (ISO/IEC 42005 5.11), of
// the AI policy (5.2) or of a management-system record (7.5.2). Each
// document kind's JSON Schema says which fields it allows and requires.
//
// The zero value means not approved. Approval is a plain value, safe to
// copy.
type Approval struct {
	// Approver is the person, management role or body that approved.
	Approver string `json:"approver"`
	// Role is the approver's role, e.g. "Chief Risk Officer".
	Role string `json:"role,omitempty"`
	// Date is the day of approval.
	Date Date `json:"date,omitzero"`
	// Note records conditions or remarks.
	Note string `json:"note,omitempty"`
}

// IsZero reports whether no approval is recorded.
func (a Approval) IsZero() bool { return a == Approval{} }

// String describes the approval in words for a reader: "not approved"
// for the zero value, otherwise "approved", followed by " by " and the
// approver (with the role in parentheses) and " on " and the date, where
// they are given.
func (a Approval) String() string {
	if a.IsZero() {
		return "not approved"
	}
	t := "approved"
	if a.Approver != "" {
		t += " by " + a.Approver
		if a.Role != "" {
			t += " (" + a.Role + ")"
		}
	}
	if !a.Date.IsZero() {
		t += " on " + a.Date.String()
	}
	return t
}
