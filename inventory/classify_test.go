package inventory_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

type (
	caps []inventory.Capability
	ctxs []inventory.Context
	excs []inventory.Exception
)

const (
	prohibited = inventory.CategoryProhibited
	highRisk   = inventory.CategoryHighRisk
	derogated  = inventory.CategoryDerogated
	minimal    = inventory.CategoryMinimal
	gpai       = inventory.CategoryGPAI
	systemic   = inventory.CategoryGPAISystemic
)

var bothRoles = []inventory.OperatorRole{inventory.OperatorProvider, inventory.OperatorDeployer}

// annexIII returns facts of a system intended for the Annex III point p
// that makes or assists decisions about natural persons.
func annexIII(p string) inventory.Facts {
	return inventory.Facts{AnnexIII: []string{p}, Capabilities: caps{inventory.CapabilityDecisions}}
}

func derogation(ground string) *inventory.Derogation {
	return &inventory.Derogation{Ground: ground, Assessment: "documented assessment of no significant risk"}
}

// TestClassify holds the rules of the EU AI Act (Regulation (EU)
// 2024/1689 as amended by Regulation (EU) 2026/1744), each case written
// from the text of the article its name cites: the derived category, the
// Art. 50 triggers, the rules that apply and at least one rule reported
// as not applying.
func TestClassify(t *testing.T) {
	tests := []struct {
		name         string
		facts        inventory.Facts
		wantCategory inventory.Category
		wantPoint    string   // Art. 5(1) point or first Annex III point
		wantTriggers []string // Art. 50 paragraphs
		wantApplies  []string // articles of rules that apply
		wantNot      []string // articles of rules reported as not applying
	}{
		// Art. 5(1): prohibited practices and their exceptions.
		{name: "Art. 5(1)(a) manipulative techniques", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityManipulation}},
			wantCategory: prohibited, wantPoint: "a", wantApplies: []string{"Art. 5(1)(a)"}, wantNot: []string{"Art. 5(1)(b)", "Art. 4"}},
		{name: "Art. 5(1)(b) exploiting vulnerabilities of children", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityExploitsVulnerabilities}},
			wantCategory: prohibited, wantPoint: "b", wantApplies: []string{"Art. 5(1)(b)"}, wantNot: []string{"Art. 5(1)(a)"}},
		{name: "Art. 5(1)(c) social scoring", facts: inventory.Facts{Capabilities: caps{inventory.CapabilitySocialScoring}, PublicAuthority: true},
			wantCategory: prohibited, wantPoint: "c", wantApplies: []string{"Art. 5(1)(c)"}, wantNot: []string{"Art. 5(1)(d)"}},
		{name: "Art. 5(1)(d) predicting offences solely from profiling",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityCrimePrediction, inventory.CapabilityProfiling}, Contexts: ctxs{inventory.ContextLawEnforcement}},
			wantCategory: prohibited, wantPoint: "d", wantApplies: []string{"Art. 5(1)(d)"}, wantNot: []string{"Art. 5(1)(e)"}},
		{name: "Art. 5(1)(d) exception: supporting a human assessment on objective facts is Annex III 6(d)",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilityCrimePrediction}, Contexts: ctxs{inventory.ContextLawEnforcement},
				Exceptions: excs{inventory.ExceptionHumanAssessment}, PublicAuthority: true},
			wantCategory: highRisk, wantPoint: "6(d)", wantApplies: []string{"Annex III 6(d)", "Art. 27"}, wantNot: []string{"Art. 5(1)(d)"}},
		{name: "Art. 5(1)(e) untargeted scraping of facial images", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityFacialScraping}},
			wantCategory: prohibited, wantPoint: "e", wantApplies: []string{"Art. 5(1)(e)"}, wantNot: []string{"Art. 5(1)(f)"}},
		{name: "Art. 5(1)(f) emotion recognition of call-centre employees",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextWorkplace}},
			wantCategory: prohibited, wantPoint: "f", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Art. 5(1)(f)"}, wantNot: []string{"Art. 5(1)(g)"}},
		{name: "Art. 5(1)(f) emotion recognition of pupils",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextEducation}},
			wantCategory: prohibited, wantPoint: "f", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Art. 5(1)(f)"}, wantNot: []string{"Art. 5(1)(h)"}},
		{name: "Art. 5(1)(f) exception: driver fatigue detection for safety reasons is Annex III 1(c)",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextWorkplace},
				Exceptions: excs{inventory.ExceptionSafety}},
			wantCategory: highRisk, wantPoint: "1(c)", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Annex III 1(c)", "Art. 50(3)"}, wantNot: []string{"Art. 5(1)(f)"}},
		{name: "Art. 5(1)(f) exception: medical reasons in education",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextEducation},
				Exceptions: excs{inventory.ExceptionMedical}},
			wantCategory: highRisk, wantPoint: "1(c)", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Annex III 1(c)"}, wantNot: []string{"Art. 5(1)(f)"}},
		{name: "Art. 5(1)(g) inferring sexual orientation from faces",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilitySensitiveCategorisation}},
			wantCategory: prohibited, wantPoint: "g", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Art. 5(1)(g)"}, wantNot: []string{"Art. 5(1)(f)"}},
		{name: "Art. 5(1)(g) exception: labelling lawfully acquired data sets is Annex III 1(b)",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilitySensitiveCategorisation},
				Exceptions: excs{inventory.ExceptionLawfulLabelling}},
			wantCategory: highRisk, wantPoint: "1(b)", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Annex III 1(b)"}, wantNot: []string{"Art. 5(1)(g)"}},
		{name: "Art. 5(1)(h) real-time identification in a public square by the police",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilityRealTimeBiometricID},
				Contexts: ctxs{inventory.ContextLawEnforcement, inventory.ContextPubliclyAccessible}},
			wantCategory: prohibited, wantPoint: "h", wantApplies: []string{"Art. 5(1)(h)"}, wantNot: []string{"Art. 5(1)(g)"}},
		{name: "Art. 5(1)(h)(i)-(iii) exception: authorised search for a missing child is Annex III 1(a)",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilityRealTimeBiometricID},
				Contexts:   ctxs{inventory.ContextLawEnforcement, inventory.ContextPubliclyAccessible},
				Exceptions: excs{inventory.ExceptionLawEnforcementAuthorised}},
			wantCategory: highRisk, wantPoint: "1(a)", wantApplies: []string{"Annex III 1(a)"}, wantNot: []string{"Art. 5(1)(h)"}},
		{name: "Art. 5(1)(h) does not reach real-time identification outside law enforcement: Annex III 1(a)",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityRealTimeBiometricID}, Contexts: ctxs{inventory.ContextPubliclyAccessible}},
			wantCategory: highRisk, wantPoint: "1(a)", wantApplies: []string{"Annex III 1(a)"}, wantNot: []string{"Art. 5(1)(h)"}},
		{name: "Art. 5 as amended by Regulation (EU) 2026/1744: nudifier",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityIntimateImagery}},
			wantCategory: prohibited, wantPoint: "ncii", wantTriggers: []string{"50(2)"}, wantApplies: []string{"Art. 5(1) (2026/1744)"}, wantNot: []string{"Art. 5(1)(a)"}},

		// Art. 6(2) and Annex III, point by point.
		{name: "Annex III 1(a) post remote biometric identification", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityRemoteBiometricID}},
			wantCategory: highRisk, wantPoint: "1(a)", wantApplies: []string{"Annex III 1(a)", "Art. 49(1)"}, wantNot: []string{"Art. 5(1)(h)"}},
		{name: "Annex III 1(a) excludes biometric verification", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityBiometricVerification}},
			wantCategory: minimal, wantApplies: []string{"Art. 4"}, wantNot: []string{"Annex III 1(a)", "Art. 6(2)"}},
		{name: "Annex III 1(b) biometric categorisation", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityBiometricCategorisation}},
			wantCategory: highRisk, wantPoint: "1(b)", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Annex III 1(b)", "Art. 50(3)"}, wantNot: []string{"Art. 5(1)(g)"}},
		{name: "Annex III 1(c) emotion recognition of customers", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}},
			wantCategory: highRisk, wantPoint: "1(c)", wantTriggers: []string{"50(3)"}, wantApplies: []string{"Annex III 1(c)", "Art. 50(3)"}, wantNot: []string{"Art. 5(1)(f)"}},
		{name: "Annex III 2(a) grid load-shedding controller: Art. 49(5), no Art. 26(11), no Art. 27",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilitySafetyComponent}, Contexts: ctxs{inventory.ContextCriticalInfrastructure},
				PublicService: true},
			wantCategory: highRisk, wantPoint: "2(a)", wantApplies: []string{"Annex III 2(a)", "Art. 49(5)"}, wantNot: []string{"Art. 26(11)", "Art. 27", "Art. 49(1)"}},
		{name: "Annex III 3(a) admission to education", facts: annexIII("3(a)"),
			wantCategory: highRisk, wantPoint: "3(a)", wantApplies: []string{"Annex III 3(a)", "Art. 26(11)"}, wantNot: []string{"Art. 27"}},
		{name: "Annex III 3(b) evaluating learning outcomes", facts: annexIII("3(b)"),
			wantCategory: highRisk, wantPoint: "3(b)", wantApplies: []string{"Annex III 3(b)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 3(c) assessing the level of education", facts: annexIII("3(c)"),
			wantCategory: highRisk, wantPoint: "3(c)", wantApplies: []string{"Annex III 3(c)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 3(d) proctoring tests", facts: annexIII("3(d)"),
			wantCategory: highRisk, wantPoint: "3(d)", wantApplies: []string{"Annex III 3(d)"}, wantNot: []string{"Art. 5(1)(f)"}},
		{name: "Annex III 4(a) CV screening", facts: annexIII("4(a)"),
			wantCategory: highRisk, wantPoint: "4(a)", wantApplies: []string{"Annex III 4(a)", "Art. 26(11)", "Art. 49(1)"}, wantNot: []string{"Art. 27"}},
		{name: "Annex III 4(b) task allocation by behaviour", facts: annexIII("4(b)"),
			wantCategory: highRisk, wantPoint: "4(b)", wantApplies: []string{"Annex III 4(b)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 5(a) eligibility for benefits, public body: Art. 27",
			facts:        inventory.Facts{AnnexIII: []string{"5(a)"}, Capabilities: caps{inventory.CapabilityDecisions}, PublicAuthority: true},
			wantCategory: highRisk, wantPoint: "5(a)", wantApplies: []string{"Annex III 5(a)", "Art. 27"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 5(b) credit scoring: Art. 27 for any deployer", facts: annexIII("5(b)"),
			wantCategory: highRisk, wantPoint: "5(b)", wantApplies: []string{"Annex III 5(b)", "Art. 27"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 5(c) life insurance pricing: Art. 27", facts: annexIII("5(c)"),
			wantCategory: highRisk, wantPoint: "5(c)", wantApplies: []string{"Annex III 5(c)", "Art. 27"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 5(d) emergency triage by a public service: Art. 27",
			facts:        inventory.Facts{AnnexIII: []string{"5(d)"}, Capabilities: caps{inventory.CapabilityDecisions}, PublicService: true},
			wantCategory: highRisk, wantPoint: "5(d)", wantApplies: []string{"Annex III 5(d)", "Art. 27"}, wantNot: []string{"Art. 6(1)"}},
		{name: "Annex III 6(a) risk of becoming a victim", facts: annexIII("6(a)"),
			wantCategory: highRisk, wantPoint: "6(a)", wantApplies: []string{"Annex III 6(a)"}, wantNot: []string{"Art. 5(1)(d)"}},
		{name: "Annex III 6(b) polygraphs in law enforcement", facts: annexIII("6(b)"),
			wantCategory: highRisk, wantPoint: "6(b)", wantApplies: []string{"Annex III 6(b)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 6(c) reliability of evidence", facts: annexIII("6(c)"),
			wantCategory: highRisk, wantPoint: "6(c)", wantApplies: []string{"Annex III 6(c)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 6(d) risk of reoffending", facts: annexIII("6(d)"),
			wantCategory: highRisk, wantPoint: "6(d)", wantApplies: []string{"Annex III 6(d)"}, wantNot: []string{"Art. 5(1)(d)"}},
		{name: "Annex III 6(e) profiling in investigations", facts: annexIII("6(e)"),
			wantCategory: highRisk, wantPoint: "6(e)", wantApplies: []string{"Annex III 6(e)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 7(a) polygraphs at the border", facts: annexIII("7(a)"),
			wantCategory: highRisk, wantPoint: "7(a)", wantApplies: []string{"Annex III 7(a)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 7(b) risk of persons entering", facts: annexIII("7(b)"),
			wantCategory: highRisk, wantPoint: "7(b)", wantApplies: []string{"Annex III 7(b)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 7(c) examining asylum applications", facts: annexIII("7(c)"),
			wantCategory: highRisk, wantPoint: "7(c)", wantApplies: []string{"Annex III 7(c)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 7(d) detecting persons in migration", facts: annexIII("7(d)"),
			wantCategory: highRisk, wantPoint: "7(d)", wantApplies: []string{"Annex III 7(d)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 8(a) assisting judicial authorities", facts: annexIII("8(a)"),
			wantCategory: highRisk, wantPoint: "8(a)", wantApplies: []string{"Annex III 8(a)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Annex III 8(b) influencing voting behaviour", facts: inventory.Facts{AnnexIII: []string{"8(b)"}, Contexts: ctxs{inventory.ContextElections}},
			wantCategory: highRisk, wantPoint: "8(b)", wantApplies: []string{"Annex III 8(b)"}, wantNot: []string{"Art. 26(11)"}},

		// Art. 6(1): Annex I products.
		{name: "Art. 6(1) safety component of a medical device with notified-body assessment",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilitySafetyComponent}, AnnexI: &inventory.AnnexIProduct{Legislation: "medical devices", ThirdPartyAssessment: true}},
			wantCategory: highRisk, wantApplies: []string{"Art. 6(1)", "Art. 19(1)"}, wantNot: []string{"Art. 49(1)", "Art. 27", "Art. 6(2)"}},
		{name: "Art. 6(1) not met without third-party conformity assessment",
			facts:        inventory.Facts{AnnexI: &inventory.AnnexIProduct{Legislation: "toys"}},
			wantCategory: minimal, wantApplies: []string{"Art. 4"}, wantNot: []string{"Art. 6(1)"}},

		// Art. 6(3): the derogation, with and without profiling.
		{name: "Art. 6(3)(d) preparatory task without profiling: derogated, Art. 6(4) and 49(2)",
			facts:        inventory.Facts{AnnexIII: []string{"4(a)"}, Derogation: derogation("d")},
			wantCategory: derogated, wantPoint: "4(a)", wantApplies: []string{"Art. 6(3)"}, wantNot: []string{"Art. 9–27"}},
		{name: "Art. 6(3) refused: a system that profiles is always high-risk",
			facts:        inventory.Facts{AnnexIII: []string{"4(a)"}, Derogation: derogation("a"), Capabilities: caps{inventory.CapabilityProfiling, inventory.CapabilityDecisions}},
			wantCategory: highRisk, wantPoint: "4(a)", wantApplies: []string{"Annex III 4(a)", "Art. 26(11)"}, wantNot: []string{"Art. 6(3)"}},
		{name: "Art. 6(3) derogation without an Annex III use",
			facts:        inventory.Facts{Derogation: derogation("b")},
			wantCategory: minimal, wantNot: []string{"Art. 6(3)", "Art. 6(2)"}},
		{name: "Art. 6(3) does not reach an Annex I product (Art. 6(1))",
			facts:        inventory.Facts{AnnexIII: []string{"5(d)"}, Derogation: derogation("c"), AnnexI: &inventory.AnnexIProduct{Legislation: "medical devices", ThirdPartyAssessment: true}},
			wantCategory: highRisk, wantPoint: "5(d)", wantApplies: []string{"Art. 6(1)", "Annex III 5(d)"}, wantNot: []string{"Art. 6(3)"}},

		// Art. 51: general-purpose AI models below and above 10^25 FLOP.
		{name: "Art. 51(2) model trained with 3e24 FLOP has no systemic risk",
			facts:        inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: 3e24},
			wantCategory: gpai, wantApplies: []string{"Art. 53"}, wantNot: []string{"Art. 51(2)", "Art. 55", "Art. 4"}},
		{name: "Art. 51(2) model trained with 5e25 FLOP is presumed to have systemic risk",
			facts:        inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: 5e25},
			wantCategory: systemic, wantApplies: []string{"Art. 51(2)", "Art. 53"}, wantNot: []string{"Art. 51(1)(b)"}},
		{name: "Art. 51(2) exactly 10^25 FLOP does not exceed the threshold",
			facts:        inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: 1e25},
			wantCategory: gpai, wantApplies: []string{"Art. 53"}, wantNot: []string{"Art. 51(2)"}},
		{name: "Art. 51(1)(b) designated by the Commission below the threshold",
			facts:        inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: 2e24, SystemicRiskDesignated: true},
			wantCategory: systemic, wantApplies: []string{"Art. 51(1)(b)"}, wantNot: []string{"Art. 51(2)"}},
		{name: "Art. 53(2) open-source model without systemic risk",
			facts:        inventory.Facts{GeneralPurposeModel: true, OpenSource: true},
			wantCategory: gpai, wantApplies: []string{"Art. 53"}, wantNot: []string{"Art. 53(1)(a)–(b)", "Art. 51(2)"}},
		{name: "Art. 53(2) open-source exemption does not cover systemic risk",
			facts:        inventory.Facts{GeneralPurposeModel: true, OpenSource: true, TrainingComputeFLOP: 2e25},
			wantCategory: systemic, wantApplies: []string{"Art. 53(1)(a)–(b)", "Art. 51(2)"}, wantNot: []string{"Art. 51(1)(b)"}},

		// Art. 50: transparency, paragraph by paragraph.
		{name: "Art. 50(1) customer-service chatbot", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityInteractsWithPersons}},
			wantCategory: minimal, wantTriggers: []string{"50(1)"}, wantApplies: []string{"Art. 50(1)", "Art. 4"}, wantNot: []string{"Art. 50(2)", "Art. 6(2)"}},
		{name: "Art. 50(1) does not apply where the interaction is obvious",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityInteractsWithPersons}, Exceptions: excs{inventory.ExceptionObvious}},
			wantCategory: minimal, wantNot: []string{"Art. 50(1)"}},
		{name: "Art. 50(2) image generator marks its output", facts: inventory.Facts{Capabilities: caps{inventory.CapabilitySyntheticContent}},
			wantCategory: minimal, wantTriggers: []string{"50(2)"}, wantApplies: []string{"Art. 50(2)"}, wantNot: []string{"Art. 50(4)"}},
		{name: "Art. 50(2) does not apply to standard editing",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilitySyntheticContent}, Exceptions: excs{inventory.ExceptionStandardEditing}},
			wantCategory: minimal, wantNot: []string{"Art. 50(2)"}},
		{name: "Art. 50(3) does not apply to emotion recognition authorised for law enforcement",
			facts: inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextLawEnforcement},
				Exceptions: excs{inventory.ExceptionLawEnforcementAuthorised}},
			wantCategory: highRisk, wantPoint: "1(c)", wantApplies: []string{"Annex III 1(c)"}, wantNot: []string{"Art. 50(3)"}},
		{name: "Art. 50(4) deep fakes are disclosed", facts: inventory.Facts{Capabilities: caps{inventory.CapabilityDeepFake}},
			wantCategory: minimal, wantTriggers: []string{"50(2)", "50(4)"}, wantApplies: []string{"Art. 50(2)", "Art. 50(4)"}, wantNot: []string{"Art. 50(1)"}},
		{name: "Art. 50(4) satire still discloses, in a limited way",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityDeepFake}, Exceptions: excs{inventory.ExceptionArtistic}},
			wantCategory: minimal, wantTriggers: []string{"50(2)", "50(4)"}, wantApplies: []string{"Art. 50(4)"}, wantNot: []string{"Art. 50(3)"}},
		{name: "Art. 50(4) public-interest text without editorial control",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityPublicInterestText}},
			wantCategory: minimal, wantTriggers: []string{"50(2)", "50(4)"}, wantApplies: []string{"Art. 50(4)"}, wantNot: []string{"Art. 50(3)"}},
		{name: "Art. 50(4) does not apply to text under editorial control",
			facts:        inventory.Facts{Capabilities: caps{inventory.CapabilityPublicInterestText}, Exceptions: excs{inventory.ExceptionEditorialControl}},
			wantCategory: minimal, wantTriggers: []string{"50(2)"}, wantApplies: []string{"Art. 50(2)"}, wantNot: []string{"Art. 50(4)"}},

		// Obligations scoped by the facts.
		{name: "Art. 4 AI literacy for a deployer of a minimal-risk system",
			facts:        inventory.Facts{Roles: []inventory.OperatorRole{inventory.OperatorDeployer}},
			wantCategory: minimal, wantApplies: []string{"Art. 4"}, wantNot: []string{"Art. 9–27"}},
		{name: "Art. 26(11) not owed when the high-risk system decides nothing about people",
			facts:        inventory.Facts{AnnexIII: []string{"3(b)"}},
			wantCategory: highRisk, wantPoint: "3(b)", wantApplies: []string{"Art. 26(6)"}, wantNot: []string{"Art. 26(11)"}},
		{name: "Art. 26 and Art. 27 not owed by a provider that does not deploy",
			facts:        inventory.Facts{AnnexIII: []string{"5(b)"}, Roles: []inventory.OperatorRole{inventory.OperatorProvider}},
			wantCategory: highRisk, wantPoint: "5(b)", wantApplies: []string{"Art. 49(1)", "Art. 19(1)"}, wantNot: []string{"Art. 26", "Art. 27"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.facts
			if f.Roles == nil {
				f.Roles = bothRoles
			}
			if err := f.Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			d := inventory.Classify(f)
			c := d.Classification
			if c.Category != tt.wantCategory {
				t.Errorf("Classify() category = %s (%s), want %s", c.Category, d.Reason, tt.wantCategory)
			}
			point := c.AnnexIII
			if c.Category == prohibited {
				point = c.ProhibitedPractice
			}
			if point != tt.wantPoint {
				t.Errorf("Classify() point = %q, want %q", point, tt.wantPoint)
			}
			if diff := cmp.Diff(tt.wantTriggers, d.Triggers()); diff != "" {
				t.Errorf("Classify() Art. 50 triggers (-want +got):\n%s", diff)
			}
			for _, a := range tt.wantApplies {
				if r, ok := d.Rule(a); !ok || !r.Applies {
					t.Errorf("Classify() rule %s = %+v, %v; want it to apply\nrules:\n%s", a, r, ok, rulesText(d))
				}
			}
			if len(tt.wantNot) == 0 {
				t.Fatal("the case names no rule that does not apply")
			}
			for _, a := range tt.wantNot {
				if r, ok := d.Rule(a); !ok || r.Applies {
					t.Errorf("Classify() rule %s = %+v, %v; want it reported as not applying\nrules:\n%s", a, r, ok, rulesText(d))
				}
			}
			if err := d.Classification.Validate(); err != nil {
				t.Errorf("derived classification does not validate: %v", err)
			}
			if diff := cmp.Diff(d.Obligations, inventory.Classify(f).Obligations); diff != "" {
				t.Errorf("Classify() is not deterministic (-first +second):\n%s", diff)
			}
		})
	}
}

func rulesText(d inventory.Derivation) string {
	var b strings.Builder
	for _, r := range d.Rules {
		b.WriteString("  " + r.String() + "\n")
	}
	return b.String()
}

// TestClassifyObligations checks the obligations that follow from the
// facts, with their articles.
func TestClassifyObligations(t *testing.T) {
	tests := []struct {
		name  string
		facts inventory.Facts
		want  []string
	}{
		{"Art. 49(5) and no Art. 26(11) for a grid controller (Annex III 2(a))",
			inventory.Facts{Capabilities: caps{inventory.CapabilitySafetyComponent}, Contexts: ctxs{inventory.ContextCriticalInfrastructure}, Roles: bothRoles},
			[]string{"Art. 4", "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 19(1)", "Art. 20", "Art. 43", "Art. 47", "Art. 48", "Art. 72", "Art. 73", "Art. 49(5)",
				"Art. 26(1)", "Art. 26(2)", "Art. 26(4)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)"}},
		{"Art. 26(11) and Art. 27 for a credit-scoring deployer (Annex III 5(b))",
			inventory.Facts{AnnexIII: []string{"5(b)"}, Capabilities: caps{inventory.CapabilityDecisions, inventory.CapabilityProfiling},
				Roles: []inventory.OperatorRole{inventory.OperatorDeployer}},
			[]string{"Art. 4", "Art. 26(1)", "Art. 26(2)", "Art. 26(4)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)", "Art. 26(11)", "Art. 27"}},
		{"Art. 50(3) for the deployer of emotion recognition (Annex III 1(c))",
			inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Roles: []inventory.OperatorRole{inventory.OperatorDeployer}},
			[]string{"Art. 4", "Art. 26(1)", "Art. 26(2)", "Art. 26(4)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)", "Art. 50(3)"}},
		{"Art. 55 for the provider of a model over 10^25 FLOP",
			inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: 4e25, Roles: []inventory.OperatorRole{inventory.OperatorProvider}},
			[]string{"Art. 53(1)(a)", "Art. 53(1)(b)", "Art. 53(1)(c)", "Art. 53(1)(d)", "Art. 52", "Art. 55(1)(a)", "Art. 55(1)(b)", "Art. 55(1)(c)", "Art. 55(1)(d)"}},
		{"Art. 5(1)(f) only, for emotion recognition in the workplace",
			inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextWorkplace}, Roles: bothRoles},
			[]string{"Art. 5(1)(f)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, inventory.Classify(tt.facts).Obligations.Articles()); diff != "" {
				t.Errorf("Classify() obligations (-want +got):\n%s", diff)
			}
		})
	}
}

// TestClassifyNudifierDate checks that the ban of Regulation (EU)
// 2026/1744 on non-consensual intimate imagery applies from 2 Dec 2026.
func TestClassifyNudifierDate(t *testing.T) {
	d := inventory.Classify(inventory.Facts{Capabilities: caps{inventory.CapabilityIntimateImagery}, Roles: bothRoles})
	want := inventory.Application{Amended: document.MustDate("2026-12-02")}
	if got := d.Obligations.List[0].Applies; got != want {
		t.Errorf("applies %+v, want %+v", got, want)
	}
}

// TestContradictions checks that a stated classification that the facts
// contradict is a problem naming both, for the most dangerous
// misstatements.
func TestContradictions(t *testing.T) {
	tests := []struct {
		name    string
		facts   inventory.Facts
		stated  inventory.Classification
		pointer string
		want    []string // substrings of the message
	}{
		{
			name:    "prohibited (Art. 5(1)(f)) stated as minimal",
			facts:   inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextWorkplace}},
			stated:  inventory.Classification{Category: minimal, Transparency: []string{"50(3)"}},
			pointer: "/category",
			want:    []string{"stated minimal, but emotion recognition in the workplace is prohibited by Art. 5(1)(f) unless for medical or safety reasons"},
		},
		{
			name:    "prohibited (Art. 5(1)(f)) stated as high-risk under Annex III 1(c)",
			facts:   inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}, Contexts: ctxs{inventory.ContextWorkplace}},
			stated:  inventory.Classification{Category: highRisk, AnnexIII: "1(c)", Transparency: []string{"50(3)"}},
			pointer: "/category",
			want:    []string{"stated high-risk", "prohibited by Art. 5(1)(f)"},
		},
		{
			name:    "prohibited (Art. 5(1)(c)) stated as another practice",
			facts:   inventory.Facts{Capabilities: caps{inventory.CapabilitySocialScoring}},
			stated:  inventory.Classification{Category: prohibited, ProhibitedPractice: "a"},
			pointer: "/prohibitedPractice",
			want:    []string{"stated Art. 5(1)(a)", "Art. 5(1)(c)"},
		},
		{
			name:    "high-risk (Annex III 4(a)) stated as minimal",
			facts:   annexIII("4(a)"),
			stated:  inventory.Classification{Category: minimal},
			pointer: "/category",
			want:    []string{"stated minimal, but recruitment and selection is high-risk under Annex III 4(a) (Art. 6(2))"},
		},
		{
			name:    "profiling with a derogation (Art. 6(3))",
			facts:   inventory.Facts{AnnexIII: []string{"5(b)"}, Capabilities: caps{inventory.CapabilityProfiling}, Derogation: derogation("d")},
			stated:  inventory.Classification{Category: derogated, AnnexIII: "5(b)", Derogation: derogation("d")},
			pointer: "/category",
			want:    []string{"stated annex-iii-derogation", "derogation is refused because the system profiles natural persons"},
		},
		{
			name:    "GPAI over 10^25 FLOP stated without systemic risk (Art. 51(2))",
			facts:   inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: 2e25},
			stated:  inventory.Classification{Category: gpai},
			pointer: "/category",
			want:    []string{"stated gpai-model, but training compute of 2e+25 FLOP exceeds 10^25"},
		},
		{
			name:    "Art. 50(1) capability with no transparency duty",
			facts:   inventory.Facts{Capabilities: caps{inventory.CapabilityInteractsWithPersons}},
			stated:  inventory.Classification{Category: minimal},
			pointer: "/transparency",
			want:    []string{"states no Art. 50(1) duty, but the system interacts with natural persons"},
		},
		{
			name:    "Art. 50(3) emotion recognition stated high-risk without its transparency duty",
			facts:   inventory.Facts{Capabilities: caps{inventory.CapabilityEmotionRecognition}},
			stated:  inventory.Classification{Category: highRisk, AnnexIII: "1(c)"},
			pointer: "/transparency",
			want:    []string{"states no Art. 50(3) duty", "its deployer informs the people exposed"},
		},
		{
			name:    "Art. 50 duty stated that the facts do not trigger",
			facts:   inventory.Facts{},
			stated:  inventory.Classification{Category: minimal, Transparency: []string{"50(2)"}},
			pointer: "/transparency/0",
			want:    []string{"stated Art. 50(2), but the facts trigger no Art. 50(2) duty"},
		},
		{
			name:    "Annex III point stated that the facts do not give",
			facts:   annexIII("4(a)"),
			stated:  inventory.Classification{Category: highRisk, AnnexIII: "4(b)"},
			pointer: "/annexIII",
			want:    []string{"stated Annex III 4(b), but the facts give Annex III 4(a)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.facts.Roles = bothRoles
			err := inventory.Classify(tt.facts).Contradictions(tt.stated)
			var de *document.Error
			if !errors.As(err, &de) {
				t.Fatalf("Contradictions() = %v, want a *document.Error", err)
			}
			i := slices.IndexFunc(de.Problems, func(p document.Problem) bool { return p.Pointer == tt.pointer })
			if i < 0 {
				t.Fatalf("Contradictions() = %v, want a problem at %s", err, tt.pointer)
			}
			for _, w := range tt.want {
				if !strings.Contains(de.Problems[i].Message, w) {
					t.Errorf("Contradictions() at %s = %q, want it to contain %q", tt.pointer, de.Problems[i].Message, w)
				}
			}
		})
	}
}

func TestNoContradiction(t *testing.T) {
	f := inventory.Facts{AnnexIII: []string{"5(b)"}, Capabilities: caps{inventory.CapabilityProfiling}, Roles: bothRoles}
	stated := inventory.Classification{Category: highRisk, AnnexIII: "5(b)", Profiling: true}
	if err := inventory.Classify(f).Contradictions(stated); err != nil {
		t.Errorf("Contradictions() = %v, want nil", err)
	}
	if err := inventory.Classify(f).Contradictions(inventory.Classification{}); err != nil {
		t.Errorf("Contradictions(nothing stated) = %v, want nil", err)
	}
}

func TestFactsValidate(t *testing.T) {
	tests := []struct {
		name  string
		facts inventory.Facts
		want  []string // pointers
	}{
		{"valid", inventory.Facts{Capabilities: caps{inventory.CapabilityProfiling}, AnnexIII: []string{"5(b)"}}, nil},
		{"unknown capability", inventory.Facts{Capabilities: caps{"mind-reading"}}, []string{"/capabilities/0"}},
		{"duplicate context", inventory.Facts{Contexts: ctxs{inventory.ContextWorkplace, inventory.ContextWorkplace}}, []string{"/contexts/1"}},
		{"unknown exception", inventory.Facts{Exceptions: excs{"because"}}, []string{"/exceptions/0"}},
		{"bad annex III point", inventory.Facts{AnnexIII: []string{"9(z)"}}, []string{"/annexIII/0"}},
		{"annex I without legislation", inventory.Facts{AnnexI: &inventory.AnnexIProduct{}}, []string{"/annexI/legislation"}},
		{"incomplete derogation", inventory.Facts{Derogation: &inventory.Derogation{Ground: "x"}}, []string{"/derogation/ground", "/derogation/assessment"}},
		{"negative compute", inventory.Facts{GeneralPurposeModel: true, TrainingComputeFLOP: -1}, []string{"/trainingComputeFLOP"}},
		{"compute of a system that is no model", inventory.Facts{TrainingComputeFLOP: 1e20}, []string{"/trainingComputeFLOP"}},
		{"designation of a system that is no model", inventory.Facts{SystemicRiskDesignated: true}, []string{"/systemicRiskDesignated"}},
		{"unknown role", inventory.Facts{Roles: []inventory.OperatorRole{"owner"}}, []string{"/roles/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var de *document.Error
			if err := tt.facts.Validate(); errors.As(err, &de) {
				for _, p := range de.Problems {
					got = append(got, p.Pointer)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() pointers (-want +got):\n%s", diff)
			}
		})
	}
}
