package inventory

import (
	"slices"

	"github.com/aimskit/aimskit/document"
)

// Obligation is one EU AI Act duty that follows from a system's
// classification and the organisation's operator role.
type Obligation struct {
	// Article is the provision, e.g. "Art. 9" or "Art. 50(1)".
	Article string `json:"article"`
	// Title is a short title of the duty, in our own words.
	Title string `json:"title"`
	// Role is the operator role that carries the duty.
	Role OperatorRole `json:"role"`
	// Applies gives the dates from which the duty applies.
	Applies Application `json:"applies"`
}

// Application gives the date from which an obligation applies, both as
// Regulation (EU) 2024/1689 first set it and as amended by Regulation (EU)
// 2026/1744 (the Digital Omnibus on AI). A zero Original means the duty
// did not exist before the amendment.
type Application struct {
	Original document.Date `json:"original,omitzero"`
	Amended  document.Date `json:"amended"`
}

// AppliesOn reports whether the obligation applies on date d under the
// amended timeline (the law in force).
func (o Obligation) AppliesOn(d document.Date) bool { return !d.Before(o.Applies.Amended) }

// Obligations is what [Derive] works out for one system.
type Obligations struct {
	// Prohibited reports whether the system is a prohibited practice
	// (Art. 5): it may not be placed on the market, put into service or
	// used, and no obligation makes it compliant.
	Prohibited bool `json:"prohibited"`
	// HighRisk reports whether the system is high-risk (Art. 6).
	HighRisk bool `json:"highRisk"`
	// FRIARequired reports whether the deployer must carry out a
	// fundamental rights impact assessment before first use (Art. 27).
	FRIARequired bool `json:"friaRequired"`
	// List holds the obligations, grouped by role in the order the roles
	// were given, and by article within a role.
	List []Obligation `json:"obligations"`
}

// Articles returns the distinct articles of the obligations, in order.
func (o Obligations) Articles() []string {
	var out []string
	for _, ob := range o.List {
		if !slices.Contains(out, ob.Article) {
			out = append(out, ob.Article)
		}
	}
	return out
}

// Key dates of Regulation (EU) 2024/1689 (Art. 113) and of its amendment by
// Regulation (EU) 2026/1744.
var (
	dateProhibitions   = document.Date{Year: 2025, Month: 2, Day: 2}
	dateGPAI           = document.Date{Year: 2025, Month: 8, Day: 2}
	dateGeneral        = document.Date{Year: 2026, Month: 8, Day: 2}
	dateAnnexI         = document.Date{Year: 2027, Month: 8, Day: 2}
	dateAnnexIIIAmend  = document.Date{Year: 2027, Month: 12, Day: 2}
	dateAnnexIAmend    = document.Date{Year: 2028, Month: 8, Day: 2}
	dateOmnibusDec2026 = document.Date{Year: 2026, Month: 12, Day: 2}
	dateLegacyGPAI     = document.Date{Year: 2027, Month: 8, Day: 2}
)

type duty struct {
	article, title string
}

var (
	providerHighRisk = []duty{
		{"Art. 9", "Risk management system"},
		{"Art. 10", "Data and data governance"},
		{"Art. 11", "Technical documentation (Annex IV)"},
		{"Art. 12", "Automatic event logging"},
		{"Art. 13", "Transparency and instructions for use to deployers"},
		{"Art. 14", "Human oversight by design"},
		{"Art. 15", "Accuracy, robustness and cybersecurity"},
		{"Art. 16", "Provider duties"},
		{"Art. 17", "Quality management system"},
		{"Art. 18", "Keep documentation for 10 years"},
		{"Art. 19", "Keep automatically generated logs at least 6 months"},
		{"Art. 20", "Corrective actions and duty of information"},
		{"Art. 43", "Conformity assessment"},
		{"Art. 47", "EU declaration of conformity"},
		{"Art. 48", "CE marking"},
		{"Art. 49", "Registration"},
		{"Art. 72", "Post-market monitoring"},
		{"Art. 73", "Reporting of serious incidents"},
	}
	deployerHighRisk = []duty{
		{"Art. 26(1)", "Use according to the instructions for use"},
		{"Art. 26(2)", "Assign human oversight to competent people"},
		{"Art. 26(4)", "Relevant and representative input data"},
		{"Art. 26(5)", "Monitor operation, suspend and report risks and serious incidents"},
		{"Art. 26(6)", "Keep logs at least 6 months"},
		{"Art. 26(7)", "Inform workers before workplace use"},
		{"Art. 26(11)", "Inform people subject to decisions"},
	}
	importerHighRisk    = []duty{{"Art. 23", "Importer duties"}}
	distributorHighRisk = []duty{{"Art. 24", "Distributor duties"}}
	authRepHighRisk     = []duty{{"Art. 22", "Authorised representative duties"}}
	manufacturerAnnexI  = []duty{{"Art. 25(3)", "Product manufacturer carries the provider duties"}}
)

// Derive works out the EU AI Act obligations of an organisation that plays
// the given operator roles toward a system with classification c. It is a
// pure function of its inputs.
//
// Duties that fall on every provider and deployer whatever the system
// (such as Art. 4 AI literacy) are not listed. Each obligation carries its
// date of application under the original and the amended timeline; legacy
// cases that depend on c.PlacedOnMarket (GPAI models placed on the market
// before 2 Aug 2025, Art. 50(2) systems before 2 Aug 2026) get their later
// dates.
func Derive(c Classification, roles []OperatorRole) Obligations {
	var out Obligations
	hrOriginal, hrAmended := dateGeneral, dateAnnexIIIAmend
	if c.AnnexIII == "" && c.AnnexI != "" {
		hrOriginal, hrAmended = dateAnnexI, dateAnnexIAmend
	}
	add := func(role OperatorRole, orig, amended document.Date, duties ...duty) {
		for _, d := range duties {
			out.List = append(out.List, Obligation{Article: d.article, Title: d.title, Role: role, Applies: Application{orig, amended}})
		}
	}
	switch c.Category {
	case CategoryProhibited:
		out.Prohibited = true
		orig, amended := dateProhibitions, dateProhibitions
		if c.ProhibitedPractice == "ncii" {
			orig, amended = document.Date{}, dateOmnibusDec2026
		}
		article := "Art. 5(1)"
		if c.ProhibitedPractice != "" && c.ProhibitedPractice != "ncii" {
			article = "Art. 5(1)(" + c.ProhibitedPractice + ")"
		}
		for _, r := range roles {
			add(r, orig, amended, duty{article, "Prohibited practice: do not place on the market, put into service or use"})
		}
		return out
	case CategoryHighRisk:
		out.HighRisk = true
		out.FRIARequired = friaRequired(c, roles)
		for _, r := range roles {
			switch r {
			case OperatorProvider:
				add(r, hrOriginal, hrAmended, providerHighRisk...)
			case OperatorDeployer:
				add(r, hrOriginal, hrAmended, deployerHighRisk...)
				if c.PublicAuthority {
					add(r, hrOriginal, hrAmended, duty{"Art. 26(8)", "Public-authority deployers register the use (Art. 49)"})
				}
				if out.FRIARequired {
					add(r, dateGeneral, dateAnnexIIIAmend, duty{"Art. 27", "Fundamental rights impact assessment before first use"})
				}
			case OperatorImporter:
				add(r, hrOriginal, hrAmended, importerHighRisk...)
			case OperatorDistributor:
				add(r, hrOriginal, hrAmended, distributorHighRisk...)
			case OperatorAuthorisedRepresentative:
				add(r, hrOriginal, hrAmended, authRepHighRisk...)
			case OperatorProductManufacturer:
				if c.AnnexI != "" {
					add(r, hrOriginal, hrAmended, manufacturerAnnexI...)
					add(r, hrOriginal, hrAmended, providerHighRisk...)
				}
			}
		}
	case CategoryDerogated:
		if slices.Contains(roles, OperatorProvider) {
			add(OperatorProvider, dateGeneral, dateAnnexIIIAmend,
				duty{"Art. 6(4)", "Document the assessment that the Annex III system is not high-risk"},
				duty{"Art. 49(2)", "Register the system before placing it on the market"})
		}
	case CategoryGPAI, CategoryGPAISystemic:
		if slices.Contains(roles, OperatorProvider) {
			orig, amended := dateGPAI, dateGPAI
			if !c.PlacedOnMarket.IsZero() && c.PlacedOnMarket.Before(dateGPAI) {
				orig, amended = dateLegacyGPAI, dateLegacyGPAI
			}
			add(OperatorProvider, orig, amended,
				duty{"Art. 53(1)(a)", "Technical documentation of the model (Annex XI)"},
				duty{"Art. 53(1)(b)", "Information for downstream providers (Annex XII)"},
				duty{"Art. 53(1)(c)", "Copyright-compliance policy"},
				duty{"Art. 53(1)(d)", "Public summary of training content"})
			if c.Category == CategoryGPAISystemic {
				add(OperatorProvider, orig, amended,
					duty{"Art. 52", "Notify the Commission of systemic risk"},
					duty{"Art. 55(1)(a)", "Model evaluation including adversarial testing"},
					duty{"Art. 55(1)(b)", "Assess and mitigate systemic risks"},
					duty{"Art. 55(1)(c)", "Track and report serious incidents to the AI Office"},
					duty{"Art. 55(1)(d)", "Cybersecurity of the model and its infrastructure"})
			}
		}
		if slices.Contains(roles, OperatorAuthorisedRepresentative) {
			add(OperatorAuthorisedRepresentative, dateGPAI, dateGPAI, duty{"Art. 54", "Authorised representative of a third-country GPAI provider"})
		}
	}
	out.List = append(out.List, transparency(c, roles)...)
	return out
}

// friaRequired applies Art. 27(1): deployers of Annex III systems (except
// area 2) that are public bodies or private entities providing public
// services, and deployers of 5(b) and 5(c) systems.
func friaRequired(c Classification, roles []OperatorRole) bool {
	if !slices.Contains(roles, OperatorDeployer) {
		return false
	}
	area := AnnexIIIArea(c.AnnexIII)
	if area == 0 || area == 2 {
		return false
	}
	return c.PublicAuthority || c.PublicService || c.AnnexIII == "5(b)" || c.AnnexIII == "5(c)"
}

func transparency(c Classification, roles []OperatorRole) []Obligation {
	var out []Obligation
	for _, p := range c.Transparency {
		var role OperatorRole
		var title string
		switch p {
		case "50(1)":
			role, title = OperatorProvider, "Tell people they are interacting with an AI system"
		case "50(2)":
			role, title = OperatorProvider, "Mark synthetic output as machine-readable and detectable"
		case "50(3)":
			role, title = OperatorDeployer, "Inform people exposed to emotion recognition or biometric categorisation"
		case "50(4)":
			role, title = OperatorDeployer, "Disclose deep fakes and AI-generated text published to inform the public"
		default:
			continue
		}
		if !slices.Contains(roles, role) {
			continue
		}
		app := Application{dateGeneral, dateGeneral}
		if p == "50(2)" && !c.PlacedOnMarket.IsZero() && c.PlacedOnMarket.Before(dateGeneral) {
			app.Amended = dateOmnibusDec2026
		}
		out = append(out, Obligation{Article: "Art. " + p, Title: title, Role: role, Applies: app})
	}
	return out
}

// Obligations derives the obligations of s from its classification and
// the organisation's operator roles; see [Derive].
func (s *System) Obligations() Obligations {
	return Derive(s.Classification, s.Accountability.OperatorRoles)
}
