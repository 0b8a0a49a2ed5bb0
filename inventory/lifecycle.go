package inventory

import (
	"fmt"
	"slices"

	"github.com/aimskit/aimskit/document"
)

// Stage is an ISO/IEC 22989 AI system life-cycle stage.
type Stage string

// The ISO/IEC 22989 life-cycle stages, in order.
const (
	StageUnspecified            Stage = ""
	StageInception              Stage = "inception"
	StageDesignAndDevelopment   Stage = "design-and-development"
	StageVerificationValidation Stage = "verification-and-validation"
	StageDeployment             Stage = "deployment"
	StageOperationMonitoring    Stage = "operation-and-monitoring"
	StageContinuousValidation   Stage = "continuous-validation"
	StageReEvaluation           Stage = "re-evaluation"
	StageRetirement             Stage = "retirement"
)

// Stages returns the life-cycle stages in order.
func Stages() []Stage {
	return []Stage{
		StageInception, StageDesignAndDevelopment, StageVerificationValidation, StageDeployment,
		StageOperationMonitoring, StageContinuousValidation, StageReEvaluation, StageRetirement,
	}
}

// Valid reports whether s is one of the defined stages.
func (s Stage) Valid() bool { return slices.Contains(Stages(), s) }

// transitions is the allowed stage graph. Stages may repeat (22989 presents
// an example model), so some edges go back; every stage but retirement may
// move to retirement.
var transitions = map[Stage][]Stage{
	StageInception:              {StageDesignAndDevelopment, StageRetirement},
	StageDesignAndDevelopment:   {StageVerificationValidation, StageInception, StageRetirement},
	StageVerificationValidation: {StageDeployment, StageDesignAndDevelopment, StageRetirement},
	StageDeployment:             {StageOperationMonitoring, StageVerificationValidation, StageRetirement},
	StageOperationMonitoring:    {StageContinuousValidation, StageReEvaluation, StageRetirement},
	StageContinuousValidation:   {StageOperationMonitoring, StageReEvaluation, StageRetirement},
	StageReEvaluation:           {StageDesignAndDevelopment, StageVerificationValidation, StageOperationMonitoring, StageRetirement},
	StageRetirement:             nil,
}

// Transition is one allowed move between life-cycle stages.
type Transition struct {
	From Stage `json:"from"`
	To   Stage `json:"to"`
}

// String returns "from -> to".
func (t Transition) String() string { return fmt.Sprintf("%s -> %s", t.From, t.To) }

// Transitions returns every allowed transition, in stage order. The list is
// a new slice on every call.
func Transitions() []Transition {
	var out []Transition
	for _, from := range Stages() {
		for _, to := range transitions[from] {
			out = append(out, Transition{from, to})
		}
	}
	return out
}

// Next returns the stages s may move to.
func (s Stage) Next() []Stage { return slices.Clone(transitions[s]) }

// CanTransition reports whether a system may move from one stage to another.
func CanTransition(from, to Stage) bool { return slices.Contains(transitions[from], to) }

// Status is the operational status of a system, independent of its stage:
// a deployed system may be suspended by a monitor and resumed later.
type Status string

// Operational statuses.
const (
	StatusUnspecified Status = ""
	StatusActive      Status = "active"
	StatusSuspended   Status = "suspended"
	StatusRetired     Status = "retired"
)

// Lifecycle is where a system stands in its life cycle.
type Lifecycle struct {
	// Stage is the current ISO/IEC 22989 stage.
	Stage Stage `json:"stage"`
	// Status is the operational status; empty means active.
	Status Status `json:"status,omitempty"`
	// History records past stage changes, oldest first.
	History []StageChange `json:"history,omitempty"`
}

// StageChange records one move between stages.
type StageChange struct {
	From Stage         `json:"from"`
	To   Stage         `json:"to"`
	Date document.Date `json:"date"`
	// By is who applied the change.
	By string `json:"by,omitempty"`
	// Decision is the id of the gate decision that allowed it, if any.
	Decision string `json:"decision,omitempty"`
	// Models are the models, as "name@version", that the move released:
	// the models of the system when the move was applied.
	Models []string `json:"models,omitempty"`
}

// EffectiveStatus returns the status, with the empty status read as active.
func (l Lifecycle) EffectiveStatus() Status {
	if l.Status == StatusUnspecified {
		return StatusActive
	}
	return l.Status
}

// Validate reports problems with the stage, the status and the history.
func (l Lifecycle) Validate() error {
	var e document.Error
	if !l.Stage.Valid() {
		if l.Stage == StageUnspecified {
			e.Add("/stage", "is required")
		} else {
			e.Add("/stage", "unknown stage %q", l.Stage)
		}
	}
	switch l.Status {
	case StatusUnspecified, StatusActive, StatusSuspended:
		if l.Stage == StageRetirement && l.Status == StatusSuspended {
			e.Add("/status", "a system in retirement cannot be suspended")
		}
	case StatusRetired:
		if l.Stage != StageRetirement {
			e.Add("/status", "is retired, but the stage is %q, not retirement", l.Stage)
		}
	default:
		e.Add("/status", "unknown status %q (want active, suspended or retired)", l.Status)
	}
	for i, h := range l.History {
		ptr := document.Pointer("history", i)
		if !CanTransition(h.From, h.To) {
			e.Add(ptr, "transition %s is not allowed", Transition{h.From, h.To})
		}
		if h.Date.IsZero() {
			e.Add(ptr+"/date", "is required")
		}
		if i > 0 {
			prev := l.History[i-1]
			if h.From != prev.To {
				e.Add(ptr+"/from", "is %q, but the previous change moved to %q", h.From, prev.To)
			}
			if h.Date.Before(prev.Date) {
				e.Add(ptr+"/date", "%s is before the previous change (%s)", h.Date, prev.Date)
			}
		}
	}
	if n := len(l.History); n > 0 && l.Stage.Valid() && l.History[n-1].To != l.Stage {
		e.Add("/stage", "is %q, but the last history entry moved to %q", l.Stage, l.History[n-1].To)
	}
	return e.Err()
}
