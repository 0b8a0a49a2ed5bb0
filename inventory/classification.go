package inventory

import (
	"slices"
	"strings"

	"github.com/aimskit/aimskit/document"
)

// Category is the EU AI Act risk category of an AI system or model.
type Category string

// EU AI Act categories. Transparency duties (Art. 50) are not a category:
// they come on top of any category and are listed in
// [Classification.Transparency].
const (
	// CategoryUnspecified means the system has not been classified yet.
	CategoryUnspecified Category = ""
	// CategoryProhibited is a prohibited practice under Art. 5.
	CategoryProhibited Category = "prohibited"
	// CategoryHighRisk is high-risk under Art. 6(1) (Annex I) or 6(2)
	// (Annex III).
	CategoryHighRisk Category = "high-risk"
	// CategoryDerogated is an Annex III use that the provider documented as
	// not high-risk under the Art. 6(3) derogation.
	CategoryDerogated Category = "annex-iii-derogation"
	// CategoryMinimal has no duties under the Act beyond any Art. 50
	// transparency duties.
	CategoryMinimal Category = "minimal"
	// CategoryGPAI is a general-purpose AI model (Art. 3(63), Art. 53).
	CategoryGPAI Category = "gpai-model"
	// CategoryGPAISystemic is a general-purpose AI model with systemic risk
	// (Art. 51, Art. 55).
	CategoryGPAISystemic Category = "gpai-model-systemic-risk"
)

// Categories returns the defined categories, without the unspecified one.
func Categories() []Category {
	return []Category{CategoryProhibited, CategoryHighRisk, CategoryDerogated, CategoryMinimal, CategoryGPAI, CategoryGPAISystemic}
}

// Classification is the EU AI Act (Regulation (EU) 2024/1689)
// classification of a system, with the facts that decide which
// obligations follow. [Derive] turns it into obligations.
type Classification struct {
	// Category is the risk category.
	Category Category `json:"category"`
	// ProhibitedPractice is the Art. 5(1) point, "a" to "h", or "ncii" for
	// the ban on non-consensual intimate imagery and CSAM added by
	// Regulation (EU) 2026/1744. Required for CategoryProhibited.
	ProhibitedPractice string `json:"prohibitedPractice,omitempty"`
	// AnnexI names the Union harmonisation legislation of Annex I under
	// which the system is, or is a safety component of, a product that
	// needs third-party conformity assessment (Art. 6(1)), e.g. "medical
	// devices".
	AnnexI string `json:"annexI,omitempty"`
	// AnnexIII is the Annex III point, e.g. "5(b)" (Art. 6(2)).
	AnnexIII string `json:"annexIII,omitempty"`
	// Derogation documents the Art. 6(3) ground for a CategoryDerogated
	// system.
	Derogation *Derogation `json:"derogation,omitempty"`
	// Profiling reports whether the system profiles natural persons; an
	// Annex III system that does is always high-risk.
	Profiling bool `json:"profiling,omitempty"`
	// Transparency lists the Art. 50 paragraphs that apply: "50(1)" to
	// "50(4)".
	Transparency []string `json:"transparency,omitempty"`
	// PublicAuthority reports whether the deployer is a body governed by
	// public law.
	PublicAuthority bool `json:"publicAuthority,omitempty"`
	// PublicService reports whether the deployer is a private entity
	// providing public services.
	PublicService bool `json:"publicService,omitempty"`
	// PlacedOnMarket is the date the system or model was placed on the
	// market or put into service, if it has been.
	PlacedOnMarket document.Date `json:"placedOnMarket,omitzero"`
	// Rationale explains the classification for reviewers.
	Rationale string `json:"rationale,omitempty"`
}

// Derogation is the documented Art. 6(3) assessment of an Annex III system
// that is not high-risk.
type Derogation struct {
	// Ground is the Art. 6(3) point: "a" narrow procedural task, "b"
	// improves a completed human activity, "c" detects patterns without
	// replacing human assessment, "d" preparatory task.
	Ground string `json:"ground"`
	// Assessment is the documented assessment (Art. 6(4)).
	Assessment string `json:"assessment"`
	// AssessedBy and Date record who assessed it and when.
	AssessedBy string        `json:"assessedBy,omitempty"`
	Date       document.Date `json:"date,omitzero"`
}

// annexIII lists the Annex III points (area number and letter).
var annexIII = []string{
	"1(a)", "1(b)", "1(c)",
	"2(a)",
	"3(a)", "3(b)", "3(c)", "3(d)",
	"4(a)", "4(b)",
	"5(a)", "5(b)", "5(c)", "5(d)",
	"6(a)", "6(b)", "6(c)", "6(d)", "6(e)",
	"7(a)", "7(b)", "7(c)", "7(d)",
	"8(a)", "8(b)",
}

// AnnexIIIArea returns the area number of an Annex III point ("5(b)" is
// area 5), or 0 when the point is not in Annex III.
func AnnexIIIArea(point string) int {
	if !slices.Contains(annexIII, point) {
		return 0
	}
	return int(point[0] - '0')
}

var (
	prohibitedPoints   = []string{"a", "b", "c", "d", "e", "f", "g", "h", "ncii"}
	derogationGrounds  = []string{"a", "b", "c", "d"}
	transparencyPoints = []string{"50(1)", "50(2)", "50(3)", "50(4)"}
)

// Validate reports problems with the classification: unknown values, and
// facts missing or contradicting the category.
func (c Classification) Validate() error {
	var e document.Error
	switch c.Category {
	case CategoryUnspecified:
		e.Add("/category", "is required: classify the system under the EU AI Act (one of %s)", joinCategories())
		return e.Err()
	case CategoryProhibited:
		if !slices.Contains(prohibitedPoints, c.ProhibitedPractice) {
			e.Add("/prohibitedPractice", "is %q, want the Art. 5(1) point a to h, or ncii", c.ProhibitedPractice)
		}
	case CategoryHighRisk:
		if c.AnnexI == "" && c.AnnexIII == "" {
			e.Add("/category", "is high-risk, but neither annexI nor annexIII says why")
		}
		if c.Derogation != nil {
			e.Add("/derogation", "is set, but a high-risk system has no Art. 6(3) derogation")
		}
	case CategoryDerogated:
		if c.AnnexIII == "" {
			e.Add("/annexIII", "is required: the derogation applies to an Annex III use")
		}
		if c.Profiling {
			e.Add("/profiling", "an Annex III system that profiles natural persons is always high-risk (Art. 6(3))")
		}
		switch d := c.Derogation; {
		case d == nil:
			e.Add("/derogation", "is required: document the Art. 6(3) ground and assessment (Art. 6(4))")
		default:
			if !slices.Contains(derogationGrounds, d.Ground) {
				e.Add("/derogation/ground", "is %q, want the Art. 6(3) point a, b, c or d", d.Ground)
			}
			if strings.TrimSpace(d.Assessment) == "" {
				e.Add("/derogation/assessment", "is required (Art. 6(4))")
			}
		}
	case CategoryMinimal, CategoryGPAI, CategoryGPAISystemic:
		if c.annexIIIOK() {
			e.Add("/annexIII", "is set, but the category is %s: an Annex III use is high-risk or derogated", c.Category)
		}
	default:
		e.Add("/category", "unknown category %q (want one of %s)", c.Category, joinCategories())
	}
	if c.AnnexIII != "" && !c.annexIIIOK() {
		e.Add("/annexIII", "%q is not an Annex III point (e.g. \"5(b)\")", c.AnnexIII)
	}
	if c.Category != CategoryProhibited && c.ProhibitedPractice != "" {
		e.Add("/prohibitedPractice", "is set, but the category is %s", c.Category)
	}
	if c.Category != CategoryDerogated && c.Category != CategoryHighRisk && c.Derogation != nil {
		e.Add("/derogation", "is set, but the category is %s", c.Category)
	}
	for i, p := range c.Transparency {
		if !slices.Contains(transparencyPoints, p) {
			e.Add(document.Pointer("transparency", i), "%q is not an Art. 50 paragraph with duties (50(1) to 50(4))", p)
		}
	}
	return e.Err()
}

func (c Classification) annexIIIOK() bool { return AnnexIIIArea(c.AnnexIII) != 0 }

func joinCategories() string {
	var b strings.Builder
	for i, c := range Categories() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(c))
	}
	return b.String()
}

// Clone returns a deep copy of c.
func (c Classification) Clone() Classification {
	c.Transparency = slices.Clone(c.Transparency)
	if c.Derogation != nil {
		d := *c.Derogation
		c.Derogation = &d
	}
	return c
}
