package impact

import (
	"fmt"
	"slices"
	"time"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

// Reason is one reason why an impact assessment is due for review.
type Reason struct {
	// Trigger is the review trigger the reason falls under; it is
	// [TriggerUnspecified] when the assessment is not about the system
	// given.
	Trigger Trigger `json:"trigger"`
	// Message says what changed, e.g. "model credit-gbm is at version
	// 3.3.0 in the inventory, but version 3.2.0 was assessed".
	Message string `json:"message"`
}

// String returns "trigger: message".
func (r Reason) String() string {
	if r.Trigger == TriggerUnspecified {
		return r.Message
	}
	return string(r.Trigger) + ": " + r.Message
}

// ReviewDue reports whether the impact assessment a of the system sys is
// due for review on the day of now (its date in its location), and why
// (ISO/IEC 42001 8.4: at planned intervals and on significant change;
// EU AI Act Art. 27(2): when an FRIA element changes). It is a pure,
// deterministic function; the reasons come in the order below.
//
// It compares a with the inventory entry and reports:
//   - [TriggerModelChange]: a model assessed that the inventory lists at
//     another version or no longer lists, and a model in the inventory
//     that was not assessed;
//   - [TriggerNewDataSource]: a data set in the inventory that was not
//     assessed;
//   - [TriggerNewCountry]: a country of use in the inventory that was not
//     assessed;
//   - [TriggerNewUse]: a group of users in the inventory that was not
//     assessed;
//   - [TriggerPeriodic]: the next review date ([Review.Next]) is today or
//     earlier.
//
// These changes are reported whether or not [Review.Triggers] lists them:
// each is a significant change in the sense of 8.4. Incidents cannot be
// seen in the inventory and are left to the caller. If sys is nil or is
// not the system a assesses, the review is due with a reason of trigger
// [TriggerUnspecified].
func ReviewDue(a *Assessment, sys *inventory.System, now time.Time) (due bool, reasons []Reason) {
	add := func(t Trigger, format string, args ...any) {
		reasons = append(reasons, Reason{Trigger: t, Message: fmt.Sprintf(format, args...)})
	}
	switch {
	case a == nil:
		add(TriggerUnspecified, "there is no impact assessment")
		return true, reasons
	case sys == nil:
		add(TriggerUnspecified, "AI system %s is not in the inventory", a.System)
		return true, reasons
	case sys.ID != a.System:
		add(TriggerUnspecified, "the assessment is of AI system %s, not of %s (%s)", a.System, sys.ID, sys.Name)
		return true, reasons
	}
	inv := sys.Resources.Models
	for _, m := range a.Models {
		switch i := slices.IndexFunc(inv, func(im inventory.Model) bool { return im.Name == m.Name }); {
		case i < 0:
			add(TriggerModelChange, "model %s %s was assessed, but the inventory no longer lists it", m.Name, m.Version)
		case !slices.ContainsFunc(inv, func(im inventory.Model) bool { return im.Name == m.Name && im.Version == m.Version }):
			add(TriggerModelChange, "model %s is at version %s in the inventory, but version %s was assessed", m.Name, inv[i].Version, m.Version)
		}
	}
	for _, im := range inv {
		if !slices.ContainsFunc(a.Models, func(m Model) bool { return m.Name == im.Name }) {
			add(TriggerModelChange, "model %s %s is in the inventory, but was not assessed", im.Name, im.Version)
		}
	}
	for _, d := range sys.Resources.Datasets {
		if !slices.ContainsFunc(a.Data.Datasets, func(ad Dataset) bool { return ad.Name == d.Name }) {
			add(TriggerNewDataSource, "data set %s is in the inventory, but was not assessed", d.Name)
		}
	}
	for _, c := range sys.Purpose.Context.Countries {
		if !slices.Contains(a.Deployment.Countries, c) {
			add(TriggerNewCountry, "the system is used in %s, which was not assessed", c)
		}
	}
	for _, u := range sys.Purpose.Users {
		if !slices.Contains(a.Deployment.Users, u) {
			add(TriggerNewUse, "the system is used by %s, who were not assessed as users", u)
		}
	}
	if today := document.DateOf(now); !a.Review.Next.IsZero() && !today.Before(a.Review.Next) {
		add(TriggerPeriodic, "the next review was planned for %s", a.Review.Next)
	}
	return len(reasons) > 0, reasons
}
