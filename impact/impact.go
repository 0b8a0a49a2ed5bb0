package impact

import "slices"

// Impact is one actual or reasonably foreseeable impact of the system, a
// benefit or a harm (ISO/IEC 42005 6.8), with the measures that address
// it and what remains after them (6.9).
type Impact struct {
	// ID identifies the impact within its assessment, e.g. "I-01". Risks
	// and the FRIA refer to it.
	ID string `json:"id"`
	// Description says what happens to whom.
	Description string `json:"description"`
	// Area is the area of the impact.
	Area Area `json:"area"`
	// Charter lists the articles of the EU Charter of Fundamental Rights
	// concerned (1 to 50), e.g. 21 for non-discrimination or 8 for the
	// protection of personal data; required for [AreaFundamentalRights].
	Charter []int `json:"charter,omitempty"`
	// Effect tells a benefit from a harm.
	Effect Effect `json:"effect"`
	// Affected are the names of the interested parties affected (see
	// [Party]); at least one.
	Affected []string `json:"affected"`
	// Severity is how severe the harm is, or how large the benefit,
	// before measures.
	Severity Severity `json:"severity"`
	// Likelihood is how likely the impact is, before measures.
	Likelihood Likelihood `json:"likelihood"`
	// Scale is how many people are affected.
	Scale Scale `json:"scale"`
	// Reversibility is how far the impact can be undone.
	Reversibility Reversibility `json:"reversibility"`
	// Duration is how long the impact lasts.
	Duration Duration `json:"duration"`
	// Measures are the measures that address the impact (6.9); a harm of
	// medium severity or more needs at least one.
	Measures []string `json:"measures,omitempty"`
	// Residual is the impact that remains after the measures.
	Residual *Residual `json:"residual,omitempty"`
}

// Residual is the impact that remains after the measures.
type Residual struct {
	// Severity is the severity after the measures; it is not above the
	// severity before them.
	Severity Severity `json:"severity"`
	// Likelihood is the likelihood after the measures.
	Likelihood Likelihood `json:"likelihood"`
	// Description says what remains.
	Description string `json:"description,omitempty"`
}

// Area is the area of an impact: the areas of ISO/IEC 42001 B.5.4 for
// individuals and groups and of B.5.5 for society, and the fundamental
// rights of the EU Charter.
type Area string

// Impact areas.
const (
	AreaUnspecified Area = ""

	// Individuals and groups of individuals (B.5.4).
	AreaFairness       Area = "fairness"
	AreaAccountability Area = "accountability"
	AreaTransparency   Area = "transparency-and-explainability"
	AreaPrivacy        Area = "security-and-privacy"
	AreaSafety         Area = "safety-and-health"
	AreaFinancial      Area = "financial"
	AreaAccessibility  Area = "accessibility"
	AreaHumanRights    Area = "human-rights"

	// Society (B.5.5).
	AreaEnvironment  Area = "environment"
	AreaEconomy      Area = "economy"
	AreaGovernment   Area = "government-and-democracy"
	AreaPublicHealth Area = "public-health-and-safety"
	AreaCulture      Area = "culture-and-norms"

	// AreaFundamentalRights is an impact on a right of the EU Charter of
	// Fundamental Rights (EU AI Act Art. 27), named in [Impact.Charter].
	AreaFundamentalRights Area = "fundamental-rights"
)

// Areas returns the impact areas, without the unspecified one: those for
// individuals and groups, then those for society, then fundamental rights.
func Areas() []Area {
	return []Area{AreaFairness, AreaAccountability, AreaTransparency, AreaPrivacy, AreaSafety, AreaFinancial,
		AreaAccessibility, AreaHumanRights, AreaEnvironment, AreaEconomy, AreaGovernment, AreaPublicHealth,
		AreaCulture, AreaFundamentalRights}
}

// Societal reports whether a is an area of impacts on society (B.5.5).
func (a Area) Societal() bool {
	return a == AreaEnvironment || a == AreaEconomy || a == AreaGovernment || a == AreaPublicHealth || a == AreaCulture
}

// Effect tells a benefit from a harm.
type Effect string

// Effects.
const (
	EffectUnspecified Effect = ""
	EffectBenefit     Effect = "benefit"
	EffectHarm        Effect = "harm"
)

// Severity is how severe a harm is (or how large a benefit), from
// negligible to critical.
type Severity string

// Severities, lowest first.
const (
	SeverityUnspecified Severity = ""
	SeverityNegligible  Severity = "negligible"
	SeverityLow         Severity = "low"
	SeverityMedium      Severity = "medium"
	SeverityHigh        Severity = "high"
	SeverityCritical    Severity = "critical"
)

// Severities returns the severities, lowest first.
func Severities() []Severity {
	return []Severity{SeverityNegligible, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
}

// Rank returns the 1-based rank of s (negligible is 1), or 0 when s is
// not a defined severity.
func (s Severity) Rank() int { return slices.Index(Severities(), s) + 1 }

// Likelihood is how likely an impact is.
type Likelihood string

// Likelihoods, lowest first.
const (
	LikelihoodUnspecified   Likelihood = ""
	LikelihoodRare          Likelihood = "rare"
	LikelihoodUnlikely      Likelihood = "unlikely"
	LikelihoodPossible      Likelihood = "possible"
	LikelihoodLikely        Likelihood = "likely"
	LikelihoodAlmostCertain Likelihood = "almost-certain"
)

// Likelihoods returns the likelihoods, lowest first.
func Likelihoods() []Likelihood {
	return []Likelihood{LikelihoodRare, LikelihoodUnlikely, LikelihoodPossible, LikelihoodLikely, LikelihoodAlmostCertain}
}

// Scale is how many people an impact reaches.
type Scale string

// Scales, smallest first.
const (
	ScaleUnspecified Scale = ""
	// ScaleIndividual: single people, case by case.
	ScaleIndividual Scale = "individual"
	// ScaleGroup: a group or a community.
	ScaleGroup Scale = "group"
	// ScaleWidespread: a large part of the population, or many groups.
	ScaleWidespread Scale = "widespread"
)

// Reversibility is how far an impact can be undone.
type Reversibility string

// Reversibilities.
const (
	ReversibilityUnspecified Reversibility = ""
	Reversible               Reversibility = "reversible"
	HardToReverse            Reversibility = "hard-to-reverse"
	Irreversible             Reversibility = "irreversible"
)

// Duration is how long an impact lasts.
type Duration string

// Durations, shortest first.
const (
	DurationUnspecified Duration = ""
	DurationTemporary   Duration = "temporary"
	DurationLongTerm    Duration = "long-term"
	DurationPermanent   Duration = "permanent"
)

// Level is the impact level of a harm or of a whole assessment, from low
// to very high; [Impact.Level] and [Assessment.Level] derive it.
type Level string

// Impact levels, lowest first.
const (
	LevelUnspecified Level = ""
	LevelLow         Level = "low"
	LevelMedium      Level = "medium"
	LevelHigh        Level = "high"
	LevelVeryHigh    Level = "very-high"
)

// Levels returns the impact levels, lowest first.
func Levels() []Level { return []Level{LevelLow, LevelMedium, LevelHigh, LevelVeryHigh} }

// Rank returns the 1-based rank of l (low is 1), or 0 when l is not a
// defined level.
func (l Level) Rank() int { return slices.Index(Levels(), l) + 1 }

func levelOfRank(r int) Level {
	ls := Levels()
	return ls[min(max(r, 1), len(ls))-1]
}

// Level derives the impact level of one harm by the documented rule below,
// from its values before measures. A benefit, or a harm whose severity is
// not a defined [Severity], has no level ([LevelUnspecified]).
//
// The rule:
//
//  1. Start from the severity: negligible or low gives low, medium gives
//     medium, high gives high, critical gives very high.
//  2. Raise one level if the harm is irreversible or permanent.
//  3. Raise one level if it is widespread, or if an affected party
//     includes vulnerable people or minors.
//  4. Lower one level if it is rare.
//  5. Keep the result between low and very high.
//
// The affected parties are looked up in parties by name; pass
// [Assessment.Parties].
func (im *Impact) Level(parties []Party) Level {
	if im.Effect != EffectHarm {
		return LevelUnspecified
	}
	r := 0
	switch im.Severity {
	case SeverityNegligible, SeverityLow:
		r = 1
	case SeverityMedium:
		r = 2
	case SeverityHigh:
		r = 3
	case SeverityCritical:
		r = 4
	default:
		return LevelUnspecified
	}
	if im.Reversibility == Irreversible || im.Duration == DurationPermanent {
		r++
	}
	if im.Scale == ScaleWidespread || affectsVulnerable(im.Affected, parties) {
		r++
	}
	if im.Likelihood == LikelihoodRare {
		r--
	}
	return levelOfRank(r)
}

func affectsVulnerable(names []string, parties []Party) bool {
	for _, p := range parties {
		if (p.Vulnerable || p.Minors) && slices.Contains(names, p.Name) {
			return true
		}
	}
	return false
}

// Level derives the overall impact level of a: the highest level of its
// harms ([Impact.Level]), or low when it records no harm. It is the
// documented rule by which the assessment's thresholds classify the use
// ([Assessment.Use]).
func (a *Assessment) Level() Level {
	best := 1
	for i := range a.Impacts {
		if r := a.Impacts[i].Level(a.Parties).Rank(); r > best {
			best = r
		}
	}
	return levelOfRank(best)
}

// Thresholds are the organisation's thresholds for sensitive and
// restricted uses (ISO/IEC 42005 5.7): from which overall impact level a
// use is sensitive (it needs closer scrutiny and approval) or restricted
// (it may go ahead only by an explicit decision of top management, if at
// all), and in words which uses the organisation treats as such.
type Thresholds struct {
	// Sensitive is the lowest overall impact level at which a use is
	// sensitive.
	Sensitive Level `json:"sensitive"`
	// Restricted is the lowest overall impact level at which a use is
	// restricted; it must be above Sensitive. Unset means no level makes
	// a use restricted.
	Restricted Level `json:"restricted,omitempty"`
	// SensitiveUses and RestrictedUses describe, in words, the uses the
	// organisation treats as sensitive or restricted whatever their level,
	// e.g. "decisions on access to essential private services".
	SensitiveUses  []string `json:"sensitiveUses,omitempty"`
	RestrictedUses []string `json:"restrictedUses,omitempty"`
	// Designation is the assessor's judgement against those descriptions:
	// the use is at least this class. Unset means standard.
	Designation Use `json:"designation,omitempty"`
}

// Use is how an organisation classifies a use of an AI system against
// its thresholds.
type Use string

// Use classes, lowest first.
const (
	UseUnspecified Use = ""
	UseStandard    Use = "standard"
	UseSensitive   Use = "sensitive"
	UseRestricted  Use = "restricted"
)

func (u Use) rank() int {
	switch u {
	case UseSensitive:
		return 2
	case UseRestricted:
		return 3
	}
	return 1
}

// Use classifies the use the assessment covers: restricted if the overall
// impact level ([Assessment.Level]) reaches the restricted threshold,
// sensitive if it reaches the sensitive threshold, standard otherwise;
// and never below the assessor's [Thresholds.Designation].
func (a *Assessment) Use() Use {
	t := a.Thresholds
	lvl := a.Level().Rank()
	u := UseStandard
	switch {
	case t.Restricted.Rank() > 0 && lvl >= t.Restricted.Rank():
		u = UseRestricted
	case t.Sensitive.Rank() > 0 && lvl >= t.Sensitive.Rank():
		u = UseSensitive
	}
	if t.Designation.rank() > u.rank() {
		u = t.Designation
	}
	return u
}
