package governance_test

import (
	"fmt"
	"time"

	"github.com/aimskit/aimskit/governance"
)

// An incident's EU AI Act Art. 73 reporting deadline counts from the time
// the organisation became aware of it; the time is a parameter of
// Overdue, so the answer does not depend on the clock.
func ExampleIncident_Deadline() {
	inc := &governance.Incident{
		Type:  governance.IncidentCriticalInfrastructure,
		Aware: time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC),
	}
	due, ok := inc.Deadline()
	fmt.Println(due, ok)
	fmt.Println(inc.Overdue(time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)))
	fmt.Println(inc.Overdue(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	// Output:
	// 2026-11-22 08:30:00 +0000 UTC true
	// false
	// true
}

// A Nonconformity's status is derived from what the record holds, never
// typed in.
func ExampleNonconformity_Status() {
	var nc governance.Nonconformity
	fmt.Println(nc.Status())
	// Output:
	// open
}
