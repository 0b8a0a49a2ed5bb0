package inventory

import (
	"math"
	"slices"
	"strings"

	"github.com/aimskit/aimskit/document"
)

// Facts are what a person who knows an AI system can answer about it
// without knowing the law: what it does, where, for what, who the
// organisation is toward it, and, for a general-purpose AI model, its
// training compute. [Classify] derives the EU AI Act classification, the
// Art. 50 duties and the obligations from them, and says article by
// article why.
//
// The zero value describes a system that does nothing the Act turns on:
// it classifies as minimal. Facts is a plain value; [Facts.Clone] gives
// an independent copy.
type Facts struct {
	// Capabilities are what the system does.
	Capabilities []Capability `json:"capabilities,omitempty"`
	// Contexts are where the system is used.
	Contexts []Context `json:"contexts,omitempty"`
	// Exceptions are the exceptions of the Act the use falls under, such
	// as the medical or safety reasons of Art. 5(1)(f).
	Exceptions []Exception `json:"exceptions,omitempty"`
	// AnnexIII are the Annex III points the system is intended for, e.g.
	// "5(b)". Emotion recognition, biometric categorisation, remote
	// biometric identification and safety components of critical
	// infrastructure add their points (1(c), 1(b), 1(a), 2(a)) by
	// themselves.
	AnnexIII []string `json:"annexIII,omitempty"`
	// AnnexI describes a product under the Union harmonisation legislation
	// of Annex I that the system is, or is a safety component of.
	AnnexI *AnnexIProduct `json:"annexI,omitempty"`
	// Roles are the organisation's operator roles toward the system; when
	// empty, those of /accountability/operatorRoles.
	Roles []OperatorRole `json:"roles,omitempty"`
	// PublicAuthority reports whether the deployer is a body governed by
	// public law.
	PublicAuthority bool `json:"publicAuthority,omitempty"`
	// PublicService reports whether the deployer is a private entity
	// providing public services.
	PublicService bool `json:"publicService,omitempty"`
	// Derogation is the documented Art. 6(3) assessment that an Annex III
	// system poses no significant risk, with its ground.
	Derogation *Derogation `json:"derogation,omitempty"`
	// GeneralPurposeModel reports whether this is a general-purpose AI
	// model (Art. 3(63)) rather than an AI system.
	GeneralPurposeModel bool `json:"generalPurposeModel,omitempty"`
	// TrainingComputeFLOP is the cumulative compute used to train a
	// general-purpose AI model, in floating-point operations; above 10^25
	// the model is presumed to have high-impact capabilities (Art. 51(2)).
	TrainingComputeFLOP float64 `json:"trainingComputeFLOP,omitempty"`
	// SystemicRiskDesignated reports whether the Commission designated the
	// model as having systemic risk (Art. 51(1)(b)).
	SystemicRiskDesignated bool `json:"systemicRiskDesignated,omitempty"`
	// OpenSource reports whether the model is released under a free and
	// open-source licence with its parameters public (Art. 53(2)).
	OpenSource bool `json:"openSource,omitempty"`
	// PlacedOnMarket is the date the system or model was placed on the
	// market or put into service, if it has been.
	PlacedOnMarket document.Date `json:"placedOnMarket,omitzero"`
}

// AnnexIProduct is a product under the Union harmonisation legislation of
// Annex I (Art. 6(1)).
type AnnexIProduct struct {
	// Legislation names the legislation, e.g. "medical devices" or
	// "machinery".
	Legislation string `json:"legislation"`
	// ThirdPartyAssessment reports whether the product needs a third-party
	// conformity assessment under that legislation; only then is the
	// system high-risk under Art. 6(1).
	ThirdPartyAssessment bool `json:"thirdPartyAssessment"`
}

// Capability is something an AI system does that the EU AI Act turns on.
type Capability string

// Capabilities.
const (
	CapabilityUnspecified Capability = ""
	// CapabilityManipulation deploys subliminal, purposefully
	// manipulative or deceptive techniques that materially distort
	// behaviour and cause significant harm (Art. 5(1)(a)).
	CapabilityManipulation Capability = "manipulative-techniques"
	// CapabilityExploitsVulnerabilities exploits vulnerabilities due to
	// age, disability or a social or economic situation (Art. 5(1)(b)).
	CapabilityExploitsVulnerabilities Capability = "exploits-vulnerabilities"
	// CapabilitySocialScoring scores persons by social behaviour or
	// personal characteristics, leading to detrimental treatment
	// (Art. 5(1)(c)).
	CapabilitySocialScoring Capability = "social-scoring"
	// CapabilityCrimePrediction assesses the risk that a person commits a
	// criminal offence from profiling or personality traits
	// (Art. 5(1)(d)).
	CapabilityCrimePrediction Capability = "crime-prediction"
	// CapabilityFacialScraping builds or expands facial-recognition
	// databases by untargeted scraping of facial images (Art. 5(1)(e)).
	CapabilityFacialScraping Capability = "facial-image-scraping"
	// CapabilityEmotionRecognition infers emotions or intentions of
	// natural persons from biometric data (Art. 5(1)(f), Annex III 1(c),
	// Art. 50(3)).
	CapabilityEmotionRecognition Capability = "emotion-recognition"
	// CapabilityBiometricCategorisation assigns persons to categories from
	// their biometric data (Annex III 1(b), Art. 50(3)).
	CapabilityBiometricCategorisation Capability = "biometric-categorisation"
	// CapabilitySensitiveCategorisation infers race, political opinions,
	// trade-union membership, religious or philosophical beliefs, sex life
	// or sexual orientation from biometric data (Art. 5(1)(g)).
	CapabilitySensitiveCategorisation Capability = "sensitive-biometric-categorisation"
	// CapabilityRemoteBiometricID identifies persons at a distance from
	// their biometric data after the fact (Annex III 1(a)).
	CapabilityRemoteBiometricID Capability = "remote-biometric-identification"
	// CapabilityRealTimeBiometricID identifies persons at a distance in
	// real time (Art. 5(1)(h), Annex III 1(a)).
	CapabilityRealTimeBiometricID Capability = "real-time-remote-biometric-identification"
	// CapabilityBiometricVerification only confirms that a person is who
	// they claim to be; it is excluded from Annex III 1(a).
	CapabilityBiometricVerification Capability = "biometric-verification"
	// CapabilityIntimateImagery generates or manipulates non-consensual
	// intimate imagery or child sexual abuse material as a reasonably
	// foreseeable outcome without adequate safeguards (Art. 5 as amended
	// by Regulation (EU) 2026/1744).
	CapabilityIntimateImagery Capability = "intimate-imagery"
	// CapabilityInteractsWithPersons interacts directly with natural
	// persons (Art. 50(1)).
	CapabilityInteractsWithPersons Capability = "interacts-with-persons"
	// CapabilitySyntheticContent generates or manipulates image, audio,
	// video or text (Art. 50(2)).
	CapabilitySyntheticContent Capability = "generates-synthetic-content"
	// CapabilityDeepFake generates or manipulates image, audio or video
	// that resembles existing persons, objects, places or events
	// (Art. 50(4)).
	CapabilityDeepFake Capability = "deep-fake"
	// CapabilityPublicInterestText generates or manipulates text published
	// to inform the public on matters of public interest (Art. 50(4)).
	CapabilityPublicInterestText Capability = "public-interest-text"
	// CapabilityProfiling profiles natural persons (Art. 6(3), GDPR
	// Art. 4(4)).
	CapabilityProfiling Capability = "profiling"
	// CapabilityDecisions makes, or assists in making, decisions about
	// natural persons (Art. 26(11)).
	CapabilityDecisions Capability = "decisions-about-persons"
	// CapabilitySafetyComponent is a safety component of a product or of
	// critical infrastructure (Art. 6(1), Annex III 2(a)).
	CapabilitySafetyComponent Capability = "safety-component"
)

// Capabilities returns the defined capabilities.
func Capabilities() []Capability {
	return []Capability{CapabilityManipulation, CapabilityExploitsVulnerabilities, CapabilitySocialScoring,
		CapabilityCrimePrediction, CapabilityFacialScraping, CapabilityEmotionRecognition,
		CapabilityBiometricCategorisation, CapabilitySensitiveCategorisation, CapabilityRemoteBiometricID,
		CapabilityRealTimeBiometricID, CapabilityBiometricVerification, CapabilityIntimateImagery,
		CapabilityInteractsWithPersons, CapabilitySyntheticContent, CapabilityDeepFake,
		CapabilityPublicInterestText, CapabilityProfiling, CapabilityDecisions, CapabilitySafetyComponent}
}

// Context is where an AI system is used.
type Context string

// Contexts.
const (
	ContextUnspecified            Context = ""
	ContextWorkplace              Context = "workplace"
	ContextEducation              Context = "education"
	ContextLawEnforcement         Context = "law-enforcement"
	ContextMigration              Context = "migration"
	ContextPublicServices         Context = "public-services"
	ContextCriticalInfrastructure Context = "critical-infrastructure"
	ContextPubliclyAccessible     Context = "publicly-accessible-space"
	ContextJustice                Context = "justice"
	ContextElections              Context = "elections"
)

// Contexts returns the defined contexts.
func Contexts() []Context {
	return []Context{ContextWorkplace, ContextEducation, ContextLawEnforcement, ContextMigration,
		ContextPublicServices, ContextCriticalInfrastructure, ContextPubliclyAccessible, ContextJustice, ContextElections}
}

// Exception is an exception of the EU AI Act that a use falls under.
type Exception string

// Exceptions.
const (
	ExceptionUnspecified Exception = ""
	// ExceptionMedical: emotion recognition for medical reasons
	// (Art. 5(1)(f)).
	ExceptionMedical Exception = "medical"
	// ExceptionSafety: emotion recognition for safety reasons
	// (Art. 5(1)(f)).
	ExceptionSafety Exception = "safety"
	// ExceptionHumanAssessment: a crime-risk assessment that supports a
	// human assessment based on objective and verifiable facts
	// (Art. 5(1)(d)).
	ExceptionHumanAssessment Exception = "supports-human-assessment"
	// ExceptionLawfulLabelling: labelling or filtering of lawfully
	// acquired biometric data sets, or categorisation in law enforcement
	// (Art. 5(1)(g)).
	ExceptionLawfulLabelling Exception = "lawful-labelling"
	// ExceptionLawEnforcementAuthorised: a use authorised by law for law
	// enforcement: one of the objectives of Art. 5(1)(h)(i)–(iii) with the
	// authorisation of Art. 5(2)–(3), and the law-enforcement carve-outs
	// of Art. 50.
	ExceptionLawEnforcementAuthorised Exception = "law-enforcement-authorised"
	// ExceptionObvious: it is obvious to a reasonably well-informed person
	// that they interact with an AI system (Art. 50(1)).
	ExceptionObvious Exception = "obvious-interaction"
	// ExceptionStandardEditing: the system only assists standard editing
	// or does not substantially alter the input (Art. 50(2)).
	ExceptionStandardEditing Exception = "standard-editing"
	// ExceptionEditorialControl: generated text is under human review or
	// editorial control with editorial responsibility (Art. 50(4)).
	ExceptionEditorialControl Exception = "editorial-control"
	// ExceptionArtistic: a deep fake is part of an evidently artistic,
	// creative, satirical or fictional work; disclosure is limited
	// (Art. 50(4)).
	ExceptionArtistic Exception = "artistic-work"
)

// Exceptions returns the defined exceptions.
func Exceptions() []Exception {
	return []Exception{ExceptionMedical, ExceptionSafety, ExceptionHumanAssessment, ExceptionLawfulLabelling,
		ExceptionLawEnforcementAuthorised, ExceptionObvious, ExceptionStandardEditing, ExceptionEditorialControl,
		ExceptionArtistic}
}

// SystemicRiskFLOP is the training compute above which a general-purpose
// AI model is presumed to have high-impact capabilities (Art. 51(2)).
const SystemicRiskFLOP = 1e25

// Has reports whether the facts list capability c.
func (f Facts) Has(c Capability) bool { return slices.Contains(f.Capabilities, c) }

// In reports whether the facts list context c.
func (f Facts) In(c Context) bool { return slices.Contains(f.Contexts, c) }

// Excepted reports whether the facts list exception x.
func (f Facts) Excepted(x Exception) bool { return slices.Contains(f.Exceptions, x) }

// Validate reports problems with the facts, with JSON pointers relative
// to the facts: unknown values, duplicates, a negative or non-finite
// compute, an incomplete derogation, an Annex I product without its
// legislation, and compute given for something that is not a
// general-purpose AI model.
func (f Facts) Validate() error {
	var e document.Error
	checkList(&e, "capabilities", f.Capabilities, Capabilities(), "capability")
	checkList(&e, "contexts", f.Contexts, Contexts(), "context")
	checkList(&e, "exceptions", f.Exceptions, Exceptions(), "exception")
	for i, p := range f.AnnexIII {
		if AnnexIIIArea(p) == 0 {
			e.Add(document.Pointer("annexIII", i), "%q is not an Annex III point (e.g. \"5(b)\")", p)
		} else if slices.Index(f.AnnexIII, p) < i {
			e.Add(document.Pointer("annexIII", i), "%s is listed twice", p)
		}
	}
	if f.AnnexI != nil && strings.TrimSpace(f.AnnexI.Legislation) == "" {
		e.Add("/annexI/legislation", "is required: name the Annex I Union harmonisation legislation (e.g. medical devices)")
	}
	for i, r := range f.Roles {
		if !validOperator(r) {
			e.Add(document.Pointer("roles", i), "unknown operator role %q", r)
		}
	}
	if d := f.Derogation; d != nil {
		if !slices.Contains(derogationGrounds, d.Ground) {
			e.Add("/derogation/ground", "is %q, want the Art. 6(3) point a, b, c or d", d.Ground)
		}
		if strings.TrimSpace(d.Assessment) == "" {
			e.Add("/derogation/assessment", "is required: document why the system poses no significant risk (Art. 6(4))")
		}
	}
	switch c := f.TrainingComputeFLOP; {
	case math.IsNaN(c) || math.IsInf(c, 0) || c < 0:
		e.Add("/trainingComputeFLOP", "must be a finite number of floating-point operations, not negative")
	case c > 0 && !f.GeneralPurposeModel:
		e.Add("/trainingComputeFLOP", "is given, but generalPurposeModel is false: the Art. 51(2) threshold applies to general-purpose AI models")
	}
	if f.SystemicRiskDesignated && !f.GeneralPurposeModel {
		e.Add("/systemicRiskDesignated", "is true, but generalPurposeModel is false: only a general-purpose AI model is designated (Art. 51(1)(b))")
	}
	return e.Err()
}

func checkList[T ~string](e *document.Error, field string, got, known []T, what string) {
	for i, v := range got {
		switch {
		case !slices.Contains(known, v):
			e.Add(document.Pointer(field, i), "unknown %s %q (want one of %s)", what, v, joinStrings(known))
		case slices.Index(got, v) < i:
			e.Add(document.Pointer(field, i), "%s is listed twice", v)
		}
	}
}

func joinStrings[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// Clone returns a deep copy of f.
func (f Facts) Clone() Facts {
	f.Capabilities = slices.Clone(f.Capabilities)
	f.Contexts = slices.Clone(f.Contexts)
	f.Exceptions = slices.Clone(f.Exceptions)
	f.AnnexIII = slices.Clone(f.AnnexIII)
	f.Roles = slices.Clone(f.Roles)
	if f.AnnexI != nil {
		a := *f.AnnexI
		f.AnnexI = &a
	}
	if f.Derogation != nil {
		d := *f.Derogation
		f.Derogation = &d
	}
	return f
}

// RecordKeeping is how long the organisation keeps the logs a system
// generates (EU AI Act Art. 12, 19(1) and 26(6)).
type RecordKeeping struct {
	// LogRetentionMonths is how many months logs are kept; a high-risk
	// system needs at least [MinLogRetentionMonths].
	LogRetentionMonths int `json:"logRetentionMonths"`
}

// MinLogRetentionMonths is the least retention of the logs of a high-risk
// system (Art. 19(1) for providers, Art. 26(6) for deployers).
const MinLogRetentionMonths = 6
