package inventory

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aimskit/aimskit/document"
)

// Basis says where a classification comes from.
type Basis string

// Bases.
const (
	BasisUnspecified Basis = ""
	// BasisDerived: derived by [Classify] from the system's facts.
	BasisDerived Basis = "derived"
	// BasisStated: stated in the document, with no facts to derive it
	// from ("stated, not derived").
	BasisStated Basis = "stated"
)

// Rule is one rule of the EU AI Act considered for a system: whether it
// applies, and why.
type Rule struct {
	// Article is the provision, e.g. "Art. 5(1)(f)" or "Annex III 5(b)".
	Article string `json:"article"`
	// Applies reports whether the rule applies to the system.
	Applies bool `json:"applies"`
	// Reason says why it applies or not, in terms of the facts.
	Reason string `json:"reason"`
}

// String returns the rule as one line: "applies" or "not applied", the
// article and the reason.
func (r Rule) String() string {
	verdict := "not applied"
	if r.Applies {
		verdict = "applies"
	}
	return verdict + "  " + r.Article + ": " + r.Reason
}

// Derivation is the chain from facts to classification to obligations:
// what [Classify] returns and [System.Explain] shows. The zero value is
// an empty derivation. It is a plain value, safe to copy read-only.
type Derivation struct {
	// Basis says whether the classification was derived or stated.
	Basis Basis `json:"basis"`
	// Classification is the classification; its Transparency lists the
	// Art. 50 paragraphs the facts trigger.
	Classification Classification `json:"classification"`
	// AnnexIII lists every Annex III point of the use, where
	// Classification.AnnexIII holds the first.
	AnnexIII []string `json:"annexIII,omitempty"`
	// Reason says in a sentence why the system has its category.
	Reason string `json:"reason"`
	// Obligations are the obligations of the organisation's roles.
	Obligations Obligations `json:"obligations"`
	// Rules are the rules considered, in order: Art. 5, Art. 6, Art. 51,
	// Art. 50, then the obligations whose scope turns on the facts.
	Rules []Rule `json:"rules"`
}

// Triggers returns the Art. 50 paragraphs that apply, e.g. "50(3)".
func (d Derivation) Triggers() []string { return slices.Clone(d.Classification.Transparency) }

// Rule returns the first rule considered for article, and whether there
// is one.
func (d Derivation) Rule(article string) (Rule, bool) {
	for _, r := range d.Rules {
		if r.Article == article {
			return r, true
		}
	}
	return Rule{}, false
}

// annexIIIUse names the use of each Annex III point.
var annexIIIUse = map[string]string{
	"1(a)": "remote biometric identification",
	"1(b)": "biometric categorisation by sensitive or protected attributes",
	"1(c)": "emotion recognition",
	"2(a)": "safety component of critical infrastructure",
	"3(a)": "access, admission or assignment to education",
	"3(b)": "evaluating learning outcomes",
	"3(c)": "assessing the level of education a person gets",
	"3(d)": "monitoring prohibited behaviour during tests",
	"4(a)": "recruitment and selection",
	"4(b)": "decisions on work relationships, task allocation and performance",
	"5(a)": "eligibility for public assistance, benefits or healthcare",
	"5(b)": "creditworthiness and credit scoring",
	"5(c)": "risk assessment and pricing in life and health insurance",
	"5(d)": "evaluating emergency calls, dispatch and triage",
	"6(a)": "risk of a person becoming a victim of crime",
	"6(b)": "polygraphs and similar tools in law enforcement",
	"6(c)": "reliability of evidence",
	"6(d)": "risk of offending, not solely from profiling",
	"6(e)": "profiling in criminal investigations",
	"7(a)": "polygraphs and similar tools in migration",
	"7(b)": "security, irregular-migration or health risk of persons entering",
	"7(c)": "examining asylum, visa and residence applications",
	"7(d)": "detecting, recognising or identifying persons in migration",
	"8(a)": "assisting judicial authorities",
	"8(b)": "influencing elections or voting behaviour",
}

var derogationGround = map[string]string{
	"a": "a narrow procedural task",
	"b": "improving the result of a completed human activity",
	"c": "detecting decision patterns without replacing human assessment",
	"d": "a preparatory task",
}

// classifier holds the state of one derivation.
type classifier struct {
	f          Facts
	rules      rules
	prohibited []string // Art. 5 points, in order
	reasons    map[string]string
	points     []string
}

func (k *classifier) rule(applies bool, article, format string, args ...any) string {
	reason := fmt.Sprintf(format, args...)
	k.rules = append(k.rules, Rule{Article: article, Applies: applies, Reason: reason})
	return reason
}

func (k *classifier) ban(point, article, format string, args ...any) {
	reason := k.rule(true, article, format, args...)
	k.prohibited = append(k.prohibited, point)
	k.reasons[point] = reason
}

func (k *classifier) point(p string) {
	if !slices.Contains(k.points, p) {
		k.points = append(k.points, p)
	}
}

// Classify derives the EU AI Act classification of a system from its
// facts: the category (prohibited, high-risk, Annex III derogation,
// general-purpose AI model with or without systemic risk, or minimal),
// the Art. 50 transparency duties, and the obligations of the roles in
// f.Roles. Every rule considered is listed with its article, whether it
// applies and why, including those that do not apply. It is a pure
// function of f.
//
// Art. 5 prohibitions win over everything; an Annex III use is high-risk
// unless a documented Art. 6(3) derogation holds, which it never does for
// a system that profiles natural persons; a general-purpose AI model has
// systemic risk above 10^25 FLOP of training compute (Art. 51(2)) or when
// designated (Art. 51(1)(b)). Facts are not validated: call
// [Facts.Validate] for that.
func Classify(f Facts) Derivation {
	k := &classifier{f: f, reasons: make(map[string]string)}
	k.points = slices.DeleteFunc(slices.Clone(f.AnnexIII), func(p string) bool { return AnnexIIIArea(p) == 0 })
	k.article5()
	annexI := k.article6()
	systemic := k.article51()
	triggers := k.article50()

	c := Classification{
		PublicAuthority: f.PublicAuthority, PublicService: f.PublicService, PlacedOnMarket: f.PlacedOnMarket,
		Profiling: f.Has(CapabilityProfiling), Transparency: triggers,
	}
	d := Derivation{Basis: BasisDerived}
	derogated := len(k.points) > 0 && f.Derogation != nil && !c.Profiling && !annexI
	highRisk := annexI || (len(k.points) > 0 && !derogated)
	switch {
	case len(k.prohibited) > 0:
		c.Category, c.ProhibitedPractice = CategoryProhibited, k.prohibited[0]
		d.Reason = k.reasons[k.prohibited[0]]
	case highRisk:
		c.Category = CategoryHighRisk
		if annexI {
			c.AnnexI = f.AnnexI.Legislation
		}
		d.Reason = k.highRiskReason(annexI)
	case f.GeneralPurposeModel && systemic != "":
		c.Category = CategoryGPAISystemic
		d.Reason = systemic
	case f.GeneralPurposeModel:
		c.Category = CategoryGPAI
		d.Reason = "a general-purpose AI model without systemic risk (Art. 51): the duties of Art. 53 apply to its provider"
	case derogated:
		c.Category = CategoryDerogated
		dg := *f.Derogation
		c.Derogation = &dg
		d.Reason = fmt.Sprintf("Annex III %s is not high-risk under the Art. 6(3) derogation: %s (point (%s))",
			k.points[0], derogationGround[dg.Ground], dg.Ground)
	default:
		c.Category = CategoryMinimal
		d.Reason = "no rule of Art. 5, 6 or 51 applies: minimal risk"
		if len(triggers) > 0 {
			d.Reason += ", with the transparency duties of Art. " + strings.Join(triggers, ", ")
		}
	}
	if c.Category == CategoryHighRisk || c.Category == CategoryDerogated {
		if len(k.points) > 0 {
			c.AnnexIII = k.points[0]
			d.AnnexIII = slices.Clone(k.points)
		}
	}
	decides := f.Has(CapabilityDecisions)
	sc := scope{c: c, points: d.AnnexIII, roles: f.Roles, decisions: &decides, openSource: f.OpenSource}
	d.Obligations = sc.derive(&k.rules)
	d.Classification = c
	d.Rules = k.rules
	return d
}

// article5 considers each prohibited practice of Art. 5(1) with its
// exceptions, and the ban added by Regulation (EU) 2026/1744.
func (k *classifier) article5() {
	f := k.f
	check := func(c Capability, point, article, yes, no string) {
		if f.Has(c) {
			k.ban(point, article, "%s", yes)
		} else {
			k.rule(false, article, "%s", no)
		}
	}
	check(CapabilityManipulation, "a", "Art. 5(1)(a)",
		"subliminal, manipulative or deceptive techniques that distort behaviour and cause significant harm are prohibited by Art. 5(1)(a)",
		"the system uses no subliminal, manipulative or deceptive techniques")
	check(CapabilityExploitsVulnerabilities, "b", "Art. 5(1)(b)",
		"exploiting the vulnerabilities of age, disability or a social or economic situation is prohibited by Art. 5(1)(b)",
		"the system exploits no vulnerabilities of age, disability or a social or economic situation")
	check(CapabilitySocialScoring, "c", "Art. 5(1)(c)",
		"social scoring that leads to detrimental or unjustified treatment is prohibited by Art. 5(1)(c)",
		"the system does no social scoring")
	switch {
	case !f.Has(CapabilityCrimePrediction):
		k.rule(false, "Art. 5(1)(d)", "the system does not assess the risk that a person commits a criminal offence")
	case f.Excepted(ExceptionHumanAssessment):
		k.rule(false, "Art. 5(1)(d)", "the crime-risk assessment supports a human assessment based on objective and verifiable facts, which Art. 5(1)(d) excepts")
		if f.In(ContextLawEnforcement) {
			k.point("6(d)")
		}
	default:
		k.ban("d", "Art. 5(1)(d)", "predicting criminal offences solely from profiling or personality traits is prohibited by Art. 5(1)(d) unless it supports a human assessment based on objective facts")
	}
	check(CapabilityFacialScraping, "e", "Art. 5(1)(e)",
		"building facial-recognition databases by untargeted scraping of facial images is prohibited by Art. 5(1)(e)",
		"the system does not scrape facial images")
	where := ""
	switch {
	case f.In(ContextWorkplace):
		where = "the workplace"
	case f.In(ContextEducation):
		where = "education"
	}
	switch {
	case !f.Has(CapabilityEmotionRecognition):
		k.rule(false, "Art. 5(1)(f)", "the system does not recognise emotions")
	case where == "":
		k.rule(false, "Art. 5(1)(f)", "emotion recognition outside the workplace and education is not prohibited (it is high-risk under Annex III 1(c))")
		k.point("1(c)")
	case f.Excepted(ExceptionMedical) || f.Excepted(ExceptionSafety):
		k.rule(false, "Art. 5(1)(f)", "emotion recognition in %s is for medical or safety reasons, which Art. 5(1)(f) excepts", where)
		k.point("1(c)")
	default:
		k.ban("f", "Art. 5(1)(f)", "emotion recognition in %s is prohibited by Art. 5(1)(f) unless for medical or safety reasons", where)
	}
	switch {
	case !f.Has(CapabilitySensitiveCategorisation):
		k.rule(false, "Art. 5(1)(g)", "the system infers no race, political opinions, trade-union membership, beliefs, sex life or sexual orientation from biometric data")
	case f.Excepted(ExceptionLawfulLabelling):
		k.rule(false, "Art. 5(1)(g)", "labelling or filtering lawfully acquired biometric data sets, or categorisation in law enforcement, is excepted from Art. 5(1)(g)")
		k.point("1(b)")
	default:
		k.ban("g", "Art. 5(1)(g)", "biometric categorisation that infers race, political opinions, trade-union membership, beliefs, sex life or sexual orientation is prohibited by Art. 5(1)(g)")
	}
	switch {
	case !f.Has(CapabilityRealTimeBiometricID):
		k.rule(false, "Art. 5(1)(h)", "the system does no real-time remote biometric identification")
	case !f.In(ContextLawEnforcement) || !f.In(ContextPubliclyAccessible):
		k.rule(false, "Art. 5(1)(h)", "real-time remote biometric identification is prohibited only for law enforcement in publicly accessible spaces")
		k.point("1(a)")
	case f.Excepted(ExceptionLawEnforcementAuthorised):
		k.rule(false, "Art. 5(1)(h)", "the use is authorised for one of the objectives of Art. 5(1)(h)(i)–(iii) under Art. 5(2)–(3)")
		k.point("1(a)")
	default:
		k.ban("h", "Art. 5(1)(h)", "real-time remote biometric identification in publicly accessible spaces for law enforcement is prohibited by Art. 5(1)(h) unless authorised for a victim search, an imminent threat or a serious-crime suspect")
	}
	check(CapabilityIntimateImagery, "ncii", "Art. 5(1) (2026/1744)",
		"generating non-consensual intimate imagery or child sexual abuse material without adequate safeguards is prohibited from 2 Dec 2026 (Art. 5 as amended by Regulation (EU) 2026/1744)",
		"the system does not generate non-consensual intimate imagery or child sexual abuse material")
}

// article6 considers Art. 6(1) (Annex I), the Annex III points of
// Art. 6(2) and the Art. 6(3) derogation. It reports whether Art. 6(1)
// applies.
func (k *classifier) article6() bool {
	f := k.f
	annexI := false
	switch a := f.AnnexI; {
	case a == nil:
		k.rule(false, "Art. 6(1)", "the system is not, and is no safety component of, a product under the Union harmonisation legislation of Annex I")
	case !a.ThirdPartyAssessment:
		k.rule(false, "Art. 6(1)", "the Annex I product (%s) needs no third-party conformity assessment", a.Legislation)
	default:
		annexI = true
		k.rule(true, "Art. 6(1)", "a product under Annex I (%s), or its safety component, that needs third-party conformity assessment is high-risk", a.Legislation)
	}
	if f.Has(CapabilityEmotionRecognition) && !slices.Contains(k.prohibited, "f") {
		k.point("1(c)")
	}
	if f.Has(CapabilityBiometricCategorisation) {
		k.point("1(b)")
	}
	if f.Has(CapabilityRemoteBiometricID) {
		k.point("1(a)")
	}
	if f.Has(CapabilitySafetyComponent) && f.In(ContextCriticalInfrastructure) {
		k.point("2(a)")
	}
	if f.Has(CapabilityBiometricVerification) && !slices.Contains(k.points, "1(a)") {
		k.rule(false, "Annex III 1(a)", "biometric verification that only confirms a person is who they claim to be is excluded from Annex III 1(a)")
	}
	if len(k.points) == 0 {
		k.rule(false, "Art. 6(2)", "the system is intended for no use listed in Annex III")
	}
	for _, p := range k.points {
		k.rule(true, "Annex III "+p, "%s is a high-risk use listed in Annex III %s (Art. 6(2))", capitalise(annexIIIUse[p]), p)
	}
	switch d := f.Derogation; {
	case len(k.points) == 0 && d != nil:
		k.rule(false, "Art. 6(3)", "a derogation is documented, but there is no Annex III use to derogate from")
	case len(k.points) == 0:
	case d == nil:
		k.rule(false, "Art. 6(3)", "no derogation is documented: the Annex III use is high-risk")
	case f.Has(CapabilityProfiling):
		k.rule(false, "Art. 6(3)", "the derogation (ground (%s)) is refused: an Annex III system that profiles natural persons is always high-risk", d.Ground)
	case annexI:
		k.rule(false, "Art. 6(3)", "the derogation covers Annex III uses only: the system is high-risk under Art. 6(1)")
	default:
		k.rule(true, "Art. 6(3)", "no significant risk: %s (point (%s)), documented as Art. 6(4) requires", derogationGround[d.Ground], d.Ground)
	}
	return annexI
}

func (k *classifier) highRiskReason(annexI bool) string {
	f := k.f
	if annexI {
		return fmt.Sprintf("a product under Annex I (%s) that needs third-party conformity assessment is high-risk (Art. 6(1))", f.AnnexI.Legislation)
	}
	p := k.points[0]
	reason := fmt.Sprintf("%s is high-risk under Annex III %s (Art. 6(2))", annexIIIUse[p], p)
	if f.Derogation != nil && f.Has(CapabilityProfiling) {
		reason += ", and the Art. 6(3) derogation is refused because the system profiles natural persons"
	}
	return reason
}

// article51 considers whether a general-purpose AI model has systemic
// risk, and returns why when it has.
func (k *classifier) article51() string {
	f := k.f
	if !f.GeneralPurposeModel {
		k.rule(false, "Art. 51", "the system is not a general-purpose AI model")
		return ""
	}
	k.rule(true, "Art. 53", "a general-purpose AI model: its provider owes the duties of Art. 53")
	var why string
	flop := strconv.FormatFloat(f.TrainingComputeFLOP, 'g', -1, 64)
	switch {
	case f.TrainingComputeFLOP > SystemicRiskFLOP:
		why = k.rule(true, "Art. 51(2)", "training compute of %s FLOP exceeds 10^25: high-impact capabilities are presumed, so the model has systemic risk (Art. 51(1)(a))", flop)
	case f.TrainingComputeFLOP > 0:
		k.rule(false, "Art. 51(2)", "training compute of %s FLOP does not exceed 10^25: no presumption of high-impact capabilities", flop)
	default:
		k.rule(false, "Art. 51(2)", "no training compute is given: no presumption of high-impact capabilities")
	}
	if f.SystemicRiskDesignated {
		r := k.rule(true, "Art. 51(1)(b)", "the Commission designated the model as having systemic risk")
		if why == "" {
			why = r
		}
	} else {
		k.rule(false, "Art. 51(1)(b)", "the Commission has not designated the model")
	}
	return why
}

// article50 considers the transparency duties and returns the paragraphs
// that apply.
func (k *classifier) article50() []string {
	f := k.f
	var out []string
	le := f.Excepted(ExceptionLawEnforcementAuthorised)
	const leReason = "a use authorised by law to detect, prevent, investigate or prosecute criminal offences is excepted"
	switch {
	case !f.Has(CapabilityInteractsWithPersons):
		k.rule(false, "Art. 50(1)", "the system does not interact directly with natural persons")
	case f.Excepted(ExceptionObvious):
		k.rule(false, "Art. 50(1)", "it is obvious to a reasonably well-informed person that they interact with an AI system")
	case le:
		k.rule(false, "Art. 50(1)", "%s", leReason)
	default:
		out = append(out, "50(1)")
		k.rule(true, "Art. 50(1)", "the system interacts with natural persons: its provider tells them they are dealing with an AI system")
	}
	generates := f.Has(CapabilitySyntheticContent) || f.Has(CapabilityDeepFake) || f.Has(CapabilityPublicInterestText) || f.Has(CapabilityIntimateImagery)
	switch {
	case !generates:
		k.rule(false, "Art. 50(2)", "the system generates no synthetic image, audio, video or text")
	case f.Excepted(ExceptionStandardEditing):
		k.rule(false, "Art. 50(2)", "the system only assists standard editing or does not substantially alter the input")
	case le:
		k.rule(false, "Art. 50(2)", "%s", leReason)
	default:
		out = append(out, "50(2)")
		k.rule(true, "Art. 50(2)", "the system generates synthetic content: its provider marks the output as machine-readable and detectable as AI-generated")
	}
	biometric := f.Has(CapabilityEmotionRecognition) || f.Has(CapabilityBiometricCategorisation) || f.Has(CapabilitySensitiveCategorisation)
	switch {
	case !biometric:
		k.rule(false, "Art. 50(3)", "the system does no emotion recognition or biometric categorisation")
	case le:
		k.rule(false, "Art. 50(3)", "%s", leReason)
	default:
		out = append(out, "50(3)")
		k.rule(true, "Art. 50(3)", "the system recognises emotions or categorises people by biometric data: its deployer informs the people exposed")
	}
	deepFake, text := f.Has(CapabilityDeepFake), f.Has(CapabilityPublicInterestText) && !f.Excepted(ExceptionEditorialControl)
	switch {
	case !deepFake && !f.Has(CapabilityPublicInterestText):
		k.rule(false, "Art. 50(4)", "the system makes no deep fakes and no text published to inform the public")
	case le:
		k.rule(false, "Art. 50(4)", "%s", leReason)
	case !deepFake && !text:
		k.rule(false, "Art. 50(4)", "the generated text is under human review or editorial control, with editorial responsibility")
	case deepFake && f.Excepted(ExceptionArtistic):
		out = append(out, "50(4)")
		k.rule(true, "Art. 50(4)", "a deep fake in an evidently artistic, creative, satirical or fictional work: its deployer discloses it in a way that does not hamper the work")
	case deepFake:
		out = append(out, "50(4)")
		k.rule(true, "Art. 50(4)", "the system makes deep fakes: its deployer discloses that the content is artificially generated or manipulated")
	default:
		out = append(out, "50(4)")
		k.rule(true, "Art. 50(4)", "the system generates text published to inform the public without editorial control: its deployer discloses it")
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Contradictions compares a stated classification with the derivation d
// and returns, as a [*document.Error] with pointers relative to the
// classification, every point where they disagree: the category, the
// Art. 5 practice, the Annex III point, and each Art. 50 duty stated but
// not triggered or triggered but not stated. Each problem names both the
// stated value and the derived one with its reason. It returns nil when
// nothing is stated or nothing contradicts.
func (d Derivation) Contradictions(stated Classification) error {
	var e document.Error
	if stated.Category == CategoryUnspecified {
		return nil
	}
	c := d.Classification
	switch {
	case stated.Category != c.Category:
		e.Add("/category", "stated %s, but %s", stated.Category, d.Reason)
	case c.Category == CategoryProhibited && stated.ProhibitedPractice != c.ProhibitedPractice:
		e.Add("/prohibitedPractice", "stated Art. 5(1)(%s), but %s", stated.ProhibitedPractice, d.Reason)
	case stated.AnnexIII != "" && !slices.Contains(d.AnnexIII, stated.AnnexIII):
		e.Add("/annexIII", "stated Annex III %s, but the facts give %s", stated.AnnexIII, pointsText(d.AnnexIII))
	}
	for _, p := range c.Transparency {
		if !slices.Contains(stated.Transparency, p) {
			r, _ := d.Rule("Art. " + p)
			e.Add("/transparency", "states no Art. %s duty, but %s (Art. %s)", p, r.Reason, p)
		}
	}
	for i, p := range stated.Transparency {
		if !slices.Contains(c.Transparency, p) {
			r, _ := d.Rule("Art. " + p)
			e.Add(document.Pointer("transparency", i), "stated Art. %s, but the facts trigger no Art. %s duty: %s", p, p, r.Reason)
		}
	}
	return e.Err()
}

func pointsText(points []string) string {
	if len(points) == 0 {
		return "no Annex III point"
	}
	return "Annex III " + strings.Join(points, ", ")
}

// statedDerivation explains a classification stated without facts.
func statedDerivation(c Classification, roles []OperatorRole) Derivation {
	var points []string
	if c.annexIIIOK() {
		points = []string{c.AnnexIII}
	}
	why := rules{{Article: statedArticle(c), Applies: true,
		Reason: "stated, not derived: the document states the classification and gives no facts to derive it from"}}
	d := Derivation{Basis: BasisStated, Classification: c.Clone(), AnnexIII: points,
		Reason: "stated, not derived: " + c.String()}
	d.Obligations = scope{c: c, points: points, roles: roles}.derive(&why)
	d.Rules = why
	return d
}

func statedArticle(c Classification) string {
	switch c.Category {
	case CategoryProhibited:
		return "Art. 5(1)"
	case CategoryHighRisk:
		if c.AnnexIII != "" {
			return "Annex III " + c.AnnexIII
		}
		return "Art. 6(1)"
	case CategoryDerogated:
		return "Art. 6(3)"
	case CategoryGPAI, CategoryGPAISystemic:
		return "Art. 51"
	}
	return "Art. 6"
}
