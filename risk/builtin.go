package risk

import "github.com/aimskit/aimskit/document"

// Names of the criteria that [Builtin] returns. Each is at version
// [BuiltinVersion].
const (
	Builtin3x3 = "aimskit-3x3"
	Builtin4x4 = "aimskit-4x4"
	Builtin5x5 = "aimskit-5x5"
)

// BuiltinVersion is the version of every built-in criteria set. A change
// to a built-in matrix, scale or appetite gets a new version, so that
// assessments that pin the old one keep their ratings.
const BuiltinVersion = "1"

// Builtin returns a copy of the built-in criteria with the given name, and
// whether there are such criteria. The built-in sets are:
//
//   - aimskit-3x3: likelihood unlikely, possible, likely; consequence
//     minor, moderate, major; levels low, medium, high; appetite low.
//   - aimskit-4x4: likelihood rare, unlikely, likely, almost-certain;
//     consequence minor, moderate, major, severe; levels low, medium,
//     high, critical; appetite medium.
//   - aimskit-5x5: likelihood rare, unlikely, possible, likely,
//     almost-certain; consequence negligible, minor, moderate, major,
//     severe; levels low, medium, high, critical; appetite medium. The
//     matrix bands the product of the ranks: up to 4 low, 5 to 9 medium,
//     10 to 16 high, 20 and above critical.
//
// An assessment uses them by name and version ("aimskit-5x5", version
// "1"), or copies one as a starting point for criteria of its own.
func Builtin(name string) (Criteria, bool) {
	switch name {
	case Builtin3x3:
		return builtin3x3(), true
	case Builtin4x4:
		return builtin4x4(), true
	case Builtin5x5:
		return builtin5x5(), true
	}
	return Criteria{}, false
}

// BuiltinCriteria returns copies of the built-in criteria, smallest
// matrix first.
func BuiltinCriteria() []Criteria {
	return []Criteria{builtin3x3(), builtin4x4(), builtin5x5()}
}

// Level descriptions shared by the built-in sets.
const (
	descLow      = "Acceptable: manage through routine procedures and monitoring."
	descMedium   = "Tolerable: treat where practicable, monitor and review at each assessment."
	descHigh     = "Not acceptable without treatment or a formal acceptance by designated management."
	descCritical = "Not acceptable: treat before deployment or stop the activity; acceptance only by top management."
)

// fourLevels returns the level bands of the 4x4 and 5x5 sets.
func fourLevels() []Level {
	return []Level{
		{Name: "low", Description: descLow},
		{Name: "medium", Description: descMedium},
		{Name: "high", Description: descHigh},
		{Name: "critical", Description: descCritical},
	}
}

func criteriaHeader() document.Header {
	return document.Header{APIVersion: document.APIVersion, Kind: KindCriteria}
}

// Every builtin function returns newly allocated slices, so callers may
// change the result freely.

func builtin3x3() Criteria {
	return Criteria{
		Header:      criteriaHeader(),
		Name:        Builtin3x3,
		Version:     BuiltinVersion,
		Description: "A simple 3x3 matrix for low-stakes AI systems and first assessments.",
		Likelihood: []ScaleValue{
			{Name: "unlikely", Description: "Not expected over the life of the system, but possible."},
			{Name: "possible", Description: "Could occur a few times over the life of the system."},
			{Name: "likely", Description: "Expected to occur, possibly repeatedly."},
		},
		Consequence: []ScaleValue{
			{Name: "minor", Description: "Small, short-lived and easily reversed effects on the organisation, people or society."},
			{Name: "moderate", Description: "Noticeable harm to some people or to the organisation, reversible with effort."},
			{Name: "major", Description: "Serious, lasting or widespread harm, or harm to fundamental rights, health or safety."},
		},
		Levels: []Level{
			{Name: "low", Description: descLow},
			{Name: "medium", Description: descHigh},
			{Name: "high", Description: "Not acceptable: treat before deployment or stop the activity."},
		},
		Matrix: [][]int{
			{1, 1, 2},
			{1, 2, 3},
			{2, 3, 3},
		},
		Appetite: "low",
	}
}

func builtin4x4() Criteria {
	return Criteria{
		Header:      criteriaHeader(),
		Name:        Builtin4x4,
		Version:     BuiltinVersion,
		Description: "A 4x4 matrix with four level bands for most AI systems.",
		Likelihood: []ScaleValue{
			{Name: "rare", Description: "Could occur only in exceptional circumstances."},
			{Name: "unlikely", Description: "Not expected, but could occur over the life of the system."},
			{Name: "likely", Description: "Expected to occur at some point, possibly more than once."},
			{Name: "almost-certain", Description: "Expected to occur regularly in normal operation."},
		},
		Consequence: []ScaleValue{
			{Name: "minor", Description: "Small, short-lived and easily reversed effects."},
			{Name: "moderate", Description: "Noticeable harm to some people or to the organisation, reversible with effort."},
			{Name: "major", Description: "Serious harm to people, groups or the organisation, hard to reverse."},
			{Name: "severe", Description: "Irreversible or widespread harm, harm to fundamental rights, health or safety, or regulatory breach."},
		},
		Levels: fourLevels(),
		Matrix: [][]int{
			{1, 1, 2, 2},
			{1, 2, 2, 3},
			{2, 2, 3, 4},
			{2, 3, 4, 4},
		},
		Appetite: "medium",
	}
}

func builtin5x5() Criteria {
	return Criteria{
		Header:      criteriaHeader(),
		Name:        Builtin5x5,
		Version:     BuiltinVersion,
		Description: "A 5x5 matrix with four level bands for high-risk AI systems; the bands follow the product of the ranks.",
		Likelihood: []ScaleValue{
			{Name: "rare", Description: "Could occur only in exceptional circumstances (less than once in ten years)."},
			{Name: "unlikely", Description: "Could occur, but not expected (about once in ten years)."},
			{Name: "possible", Description: "Might occur over the life of the system (about once in three years)."},
			{Name: "likely", Description: "Will probably occur (about once a year)."},
			{Name: "almost-certain", Description: "Expected to occur in normal operation (several times a year or more)."},
		},
		Consequence: []ScaleValue{
			{Name: "negligible", Description: "No noticeable effect on people, society or the organisation."},
			{Name: "minor", Description: "Small, short-lived effects on a few people; easily reversed."},
			{Name: "moderate", Description: "Noticeable harm to some people or to the organisation; reversible with effort."},
			{Name: "major", Description: "Serious harm to individuals or groups, or to the organisation; hard to reverse."},
			{Name: "severe", Description: "Irreversible or widespread harm, harm to fundamental rights, health or safety, or a serious regulatory breach."},
		},
		Levels: fourLevels(),
		Matrix: [][]int{
			{1, 1, 1, 1, 2},
			{1, 1, 2, 2, 3},
			{1, 2, 2, 3, 3},
			{1, 2, 3, 3, 4},
			{2, 3, 3, 4, 4},
		},
		Appetite: "medium",
	}
}
