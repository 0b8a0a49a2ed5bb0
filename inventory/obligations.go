package inventory

import (
	"fmt"
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
		{"Art. 19(1)", "Keep automatically generated logs at least 6 months"},
		{"Art. 20", "Corrective actions and duty of information"},
		{"Art. 43", "Conformity assessment"},
		{"Art. 47", "EU declaration of conformity"},
		{"Art. 48", "CE marking"},
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
	}
	importerHighRisk    = []duty{{"Art. 23", "Importer duties"}}
	distributorHighRisk = []duty{{"Art. 24", "Distributor duties"}}
	authRepHighRisk     = []duty{{"Art. 22", "Authorised representative duties"}}
	manufacturerAnnexI  = []duty{{"Art. 25(3)", "Product manufacturer carries the provider duties"}}
)

// Derive works out the EU AI Act obligations of an organisation that plays
// the given operator roles toward a system with classification c. It is a
// pure function of its inputs. [Classify] does the same from a system's
// facts, and scopes the obligations that turn on facts a classification
// does not hold.
//
// Every provider and deployer of an AI system owes Art. 4 AI literacy,
// except of a prohibited system (which may not be used) and of a
// general-purpose AI model (a model, not a system). Art. 26(11) is listed
// for deployers of Annex III systems outside area 2: a classification
// does not say whether the system decides about natural persons, and
// Annex III uses outside critical infrastructure do. Registration is
// Art. 49(1) for providers of Annex III systems, Art. 49(5) (national)
// for point 2, and none under Art. 49 for an Annex I product. Each
// obligation carries its date of application under the original and the
// amended timeline; legacy cases that depend on c.PlacedOnMarket (GPAI
// models placed on the market before 2 Aug 2025, Art. 50(2) systems
// before 2 Aug 2026) get their later dates.
func Derive(c Classification, roles []OperatorRole) Obligations {
	var points []string
	if c.annexIIIOK() {
		points = []string{c.AnnexIII}
	}
	return scope{c: c, points: points, roles: roles}.derive(nil)
}

// scope is what the obligations turn on: a classification, all Annex III
// points of the use, the roles, and facts a classification does not hold.
type scope struct {
	c      Classification
	points []string
	roles  []OperatorRole
	// decisions reports whether the system makes or assists decisions
	// about natural persons; nil when unknown (a stated classification).
	decisions  *bool
	openSource bool
}

// rules collects the obligation rules considered, for an explanation.
type rules []Rule

func (r *rules) add(applies bool, article, format string, args ...any) {
	if r == nil {
		return
	}
	*r = append(*r, Rule{Article: article, Applies: applies, Reason: fmt.Sprintf(format, args...)})
}

func (sc scope) has(role OperatorRole) bool { return slices.Contains(sc.roles, role) }

// areas returns whether some point is outside area 2 and whether some is
// in area 2.
func (sc scope) areas() (other, area2 bool) {
	for _, p := range sc.points {
		if AnnexIIIArea(p) == 2 {
			area2 = true
		} else if AnnexIIIArea(p) != 0 {
			other = true
		}
	}
	return other, area2
}

func (sc scope) derive(why *rules) Obligations {
	var out Obligations
	c, roles := sc.c, sc.roles
	hrOriginal, hrAmended := dateGeneral, dateAnnexIIIAmend
	if len(sc.points) == 0 && c.AnnexI != "" {
		hrOriginal, hrAmended = dateAnnexI, dateAnnexIAmend
	}
	add := func(role OperatorRole, orig, amended document.Date, duties ...duty) {
		for _, d := range duties {
			out.List = append(out.List, Obligation{Article: d.article, Title: d.title, Role: role, Applies: Application{orig, amended}})
		}
	}
	if c.Category == CategoryProhibited {
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
		why.add(false, "Art. 4", "no AI literacy duty: a prohibited system may not be used at all")
		return out
	}
	gpai := c.Category == CategoryGPAI || c.Category == CategoryGPAISystemic
	literacy := false
	for _, r := range roles {
		if !gpai && (r == OperatorProvider || r == OperatorDeployer) {
			add(r, dateProhibitions, dateProhibitions, duty{"Art. 4", literacyTitle})
			literacy = true
		}
	}
	switch {
	case gpai:
		why.add(false, "Art. 4", "AI literacy is owed by providers and deployers of AI systems; a general-purpose AI model is not one until it is built into a system")
	case literacy:
		why.add(true, "Art. 4", "every provider and deployer takes measures to support the AI literacy of its staff (wording as amended by Regulation (EU) 2026/1744)")
	default:
		why.add(false, "Art. 4", "the organisation is neither provider nor deployer of the system")
	}
	other, area2 := sc.areas()
	switch c.Category {
	case CategoryHighRisk:
		out.HighRisk = true
		out.FRIARequired = sc.friaRequired()
		decides := other || (len(sc.points) == 0 && c.AnnexI == "")
		if sc.decisions != nil {
			decides = *sc.decisions
		}
		for _, r := range roles {
			switch r {
			case OperatorProvider:
				add(r, hrOriginal, hrAmended, providerHighRisk...)
				switch {
				case other:
					add(r, hrOriginal, hrAmended, duty{"Art. 49(1)", "Register the system in the EU database before placing it on the market"})
				case area2:
					add(r, hrOriginal, hrAmended, duty{"Art. 49(5)", "Register the critical-infrastructure system at national level"})
				}
			case OperatorDeployer:
				add(r, hrOriginal, hrAmended, deployerHighRisk...)
				if decides {
					add(r, hrOriginal, hrAmended, duty{"Art. 26(11)", "Inform natural persons subject to decisions the system makes or assists"})
				}
				if c.PublicAuthority {
					if other {
						add(r, hrOriginal, hrAmended, duty{"Art. 26(8)", "Public-authority deployers register the use in the EU database (Art. 49(3))"})
					} else {
						add(r, hrOriginal, hrAmended, duty{"Art. 26(8)", "Public-authority deployers register the use at national level (Art. 49(5))"})
					}
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
		sc.explainHighRisk(why, other, area2, decides, out.FRIARequired)
	case CategoryDerogated:
		if sc.has(OperatorProvider) {
			add(OperatorProvider, dateGeneral, dateAnnexIIIAmend,
				duty{"Art. 6(4)", "Document the assessment that the Annex III system is not high-risk"},
				duty{"Art. 49(2)", "Register the system before placing it on the market"})
		}
		why.add(false, "Art. 9–27", "no high-risk requirements: the Annex III system is not high-risk under Art. 6(3)")
	case CategoryGPAI, CategoryGPAISystemic:
		if sc.has(OperatorProvider) {
			orig, amended := dateGPAI, dateGPAI
			if !c.PlacedOnMarket.IsZero() && c.PlacedOnMarket.Before(dateGPAI) {
				orig, amended = dateLegacyGPAI, dateLegacyGPAI
			}
			exempt := sc.openSource && c.Category == CategoryGPAI
			if !exempt {
				add(OperatorProvider, orig, amended,
					duty{"Art. 53(1)(a)", "Technical documentation of the model (Annex XI)"},
					duty{"Art. 53(1)(b)", "Information for downstream providers (Annex XII)"})
			}
			add(OperatorProvider, orig, amended,
				duty{"Art. 53(1)(c)", "Copyright-compliance policy"},
				duty{"Art. 53(1)(d)", "Public summary of training content"})
			switch {
			case exempt:
				why.add(false, "Art. 53(1)(a)–(b)", "an open-source model without systemic risk is exempt from the documentation duties (Art. 53(2))")
			case sc.openSource:
				why.add(true, "Art. 53(1)(a)–(b)", "the open-source exemption of Art. 53(2) does not cover a model with systemic risk")
			}
			if c.Category == CategoryGPAISystemic {
				add(OperatorProvider, orig, amended,
					duty{"Art. 52", "Notify the Commission of systemic risk"},
					duty{"Art. 55(1)(a)", "Model evaluation including adversarial testing"},
					duty{"Art. 55(1)(b)", "Assess and mitigate systemic risks"},
					duty{"Art. 55(1)(c)", "Track and report serious incidents to the AI Office"},
					duty{"Art. 55(1)(d)", "Cybersecurity of the model and its infrastructure"})
			} else {
				why.add(false, "Art. 55", "no systemic-risk duties: the model has no systemic risk")
			}
		}
		if sc.has(OperatorAuthorisedRepresentative) {
			add(OperatorAuthorisedRepresentative, dateGPAI, dateGPAI, duty{"Art. 54", "Authorised representative of a third-country GPAI provider"})
		}
	default:
		why.add(false, "Art. 9–27", "no high-risk requirements: the system is not high-risk")
	}
	out.List = append(out.List, transparency(c, roles)...)
	return out
}

// literacyTitle is Art. 4 in the wording of Regulation (EU) 2026/1744,
// which made the duty one to take measures.
const literacyTitle = "Take measures to support the AI literacy of staff and others who operate or use the system"

// explainHighRisk adds the rules about the scoped high-risk obligations.
func (sc scope) explainHighRisk(why *rules, other, area2, decides, fria bool) {
	if why == nil {
		return
	}
	if sc.has(OperatorProvider) {
		switch {
		case other:
			why.add(true, "Art. 49(1)", "the provider registers an Annex III system in the EU database")
			if area2 {
				why.add(true, "Art. 49(5)", "its Annex III point 2 use is also registered at national level")
			}
		case area2:
			why.add(true, "Art. 49(5)", "an Annex III point 2 (critical infrastructure) system is registered at national level")
			why.add(false, "Art. 49(1)", "the EU database registration of Art. 49(1) excludes Annex III point 2 (Art. 49(5))")
		default:
			why.add(false, "Art. 49(1)", "registration under Art. 49(1) covers Annex III systems; an Annex I product is registered under its own legislation")
		}
		why.add(true, "Art. 19(1)", "the provider keeps the automatically generated logs at least 6 months")
	}
	if !sc.has(OperatorDeployer) {
		why.add(false, "Art. 26", "the organisation is not a deployer of the system")
		why.add(false, "Art. 27", "no FRIA: the FRIA is owed by deployers")
		return
	}
	why.add(true, "Art. 26(6)", "the deployer keeps the logs under its control at least 6 months")
	switch {
	case decides && sc.decisions == nil:
		why.add(true, "Art. 26(11)", "an Annex III use outside critical infrastructure decides about natural persons (add facts to say otherwise)")
	case decides:
		why.add(true, "Art. 26(11)", "the system makes or assists decisions about natural persons, who are informed")
	default:
		why.add(false, "Art. 26(11)", "the system makes no decisions about natural persons")
	}
	switch {
	case fria:
		why.add(true, "Art. 27", "FRIA before first use: %s", sc.friaReason())
	case len(sc.points) == 0:
		why.add(false, "Art. 27", "no FRIA: Art. 27 covers Annex III systems, and this one is high-risk under Annex I only")
	case area2 && !other:
		why.add(false, "Art. 27", "no FRIA: Annex III point 2 (critical infrastructure) is excluded from Art. 27(1)")
	default:
		why.add(false, "Art. 27", "no FRIA: the deployer is neither a public body nor a provider of public services, and the use is not Annex III 5(b) or 5(c)")
	}
}

// friaRequired applies Art. 27(1): deployers of Annex III systems (except
// area 2) that are public bodies or private entities providing public
// services, and deployers of 5(b) and 5(c) systems.
func (sc scope) friaRequired() bool {
	if !sc.has(OperatorDeployer) {
		return false
	}
	for _, p := range sc.points {
		area := AnnexIIIArea(p)
		if area == 0 || area == 2 {
			continue
		}
		if sc.c.PublicAuthority || sc.c.PublicService || p == "5(b)" || p == "5(c)" {
			return true
		}
	}
	return false
}

func (sc scope) friaReason() string {
	for _, p := range sc.points {
		if p == "5(b)" || p == "5(c)" {
			return "the deployer of an Annex III " + p + " system"
		}
	}
	if sc.c.PublicAuthority {
		return "a public-authority deployer of an Annex III system"
	}
	return "a deployer providing public services with an Annex III system"
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

// Obligations derives the obligations of s: from its facts when it has
// them ([Classify]), else from its stated classification and the
// organisation's operator roles ([Derive]).
func (s *System) Obligations() Obligations {
	if s.Facts == nil {
		return Derive(s.Classification, s.Accountability.OperatorRoles)
	}
	return s.Explain().Obligations
}
