package inventory

import "strings"

// String describes the classification in words for a reader, e.g.
// "high-risk, Annex III 5(b); transparency Art. 50(1)" or "prohibited
// practice, Art. 5(1)(c)"; the zero value is "not classified". It names
// what the document says and does not check it: call
// [Classification.Validate] for that.
func (c Classification) String() string {
	var parts []string
	switch c.Category {
	case CategoryProhibited:
		parts = append(parts, "prohibited practice, Art. 5(1)("+c.ProhibitedPractice+")")
	case CategoryHighRisk:
		if c.AnnexIII != "" {
			parts = append(parts, "high-risk, Annex III "+c.AnnexIII)
		} else {
			parts = append(parts, "high-risk, Annex I ("+c.AnnexI+")")
		}
	case CategoryDerogated:
		parts = append(parts, "Annex III "+c.AnnexIII+", not high-risk under Art. 6(3)")
	case CategoryUnspecified:
		parts = append(parts, "not classified")
	default:
		parts = append(parts, string(c.Category))
	}
	if len(c.Transparency) > 0 {
		parts = append(parts, "transparency Art. "+strings.Join(c.Transparency, ", "))
	}
	return strings.Join(parts, "; ")
}
