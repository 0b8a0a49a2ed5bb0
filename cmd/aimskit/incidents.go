package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aimskit/aimskit/governance"
)

// incidentRow is one incident with its EU AI Act Art. 73 reporting
// deadline, as aimskit incidents prints it.
type incidentRow struct {
	ID       string                    `json:"id"`
	System   string                    `json:"system"`
	Name     string                    `json:"systemName,omitempty"`
	Title    string                    `json:"title"`
	Type     governance.IncidentType   `json:"type"`
	Death    bool                      `json:"death,omitempty"`
	Aware    time.Time                 `json:"aware"`
	Status   governance.IncidentStatus `json:"status"`
	Deadline *time.Time                `json:"deadline,omitempty"`
	// Days is the reporting period in days (2, 10 or 15) and Article the
	// paragraph of Art. 73 that sets it.
	Days    int    `json:"days,omitempty"`
	Article string `json:"article,omitempty"`
	// Reported is when the first report was sent by the deadline.
	Reported *time.Time `json:"reported,omitempty"`
	// Overdue reports whether the deadline passed without a report.
	Overdue bool `json:"overdue"`
	// SecondsLeft is the time left to the deadline, negative once it
	// passed; omitted when the incident has no deadline or was reported
	// on time.
	SecondsLeft *int64 `json:"secondsLeft,omitempty"`
	// State says the above in words.
	State string `json:"state"`
}

// deadlineArticle names the paragraph of Art. 73 that sets a reporting
// period of the given number of days.
func deadlineArticle(days int) string {
	switch days {
	case 2:
		return "Art. 73(3)"
	case 10:
		return "Art. 73(4)"
	}
	return "Art. 73(2)"
}

// incidentStatus works out where the reporting of inc stands at now.
func incidentStatus(inc *governance.Incident, name string, now time.Time) incidentRow {
	row := incidentRow{ID: inc.ID, System: inc.System.String(), Name: name, Title: inc.Title, Type: inc.Type,
		Death: inc.Death, Aware: inc.Aware, Status: inc.Status}
	due, ok := inc.Deadline()
	if !ok {
		row.State = "no reporting deadline: not a serious incident"
		return row
	}
	row.Deadline = &due
	row.Days = int(due.Sub(inc.Aware) / (24 * time.Hour))
	row.Article = deadlineArticle(row.Days)
	for _, r := range inc.Reports {
		if !r.Date.IsZero() && !r.Date.After(due) && (row.Reported == nil || r.Date.Before(*row.Reported)) {
			d := r.Date
			row.Reported = &d
		}
	}
	row.Overdue = inc.Overdue(now)
	left := due.Sub(now)
	secs := int64(left / time.Second)
	switch {
	case row.Reported != nil:
		row.State = "reported on " + row.Reported.UTC().Format(time.DateOnly) + ", within the deadline"
	case row.Overdue:
		row.SecondsLeft = &secs
		row.State = "OVERDUE by " + humanDuration(-left)
	default:
		row.SecondsLeft = &secs
		row.State = humanDuration(left) + " left"
	}
	return row
}

// humanDuration writes d, which is not negative, in days and hours.
func humanDuration(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, hours)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", int(d/time.Minute))
}

func runIncidents(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("incidents", "[DIR]", stderr)
	format := fs.String("format", "text", "output format: text or json")
	date := fs.String("date", "", "judge the deadlines at noon UTC of this day (YYYY-MM-DD) instead of now")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "aimskit incidents: unknown format %q (want text or json)\n", *format)
		return exitError
	}
	now, ok := parseNow(*date, "incidents", stderr)
	if !ok {
		return exitError
	}
	f, code := load(ctx, "incidents", dir, stderr)
	if f == nil {
		return code
	}
	rows := make([]incidentRow, 0, len(f.Incidents))
	overdue := 0
	for _, inc := range f.Incidents {
		name := ""
		if s := f.System(inc.System); s != nil {
			name = s.Name
		}
		row := incidentStatus(inc, name, now)
		if row.Overdue {
			overdue++
		}
		rows = append(rows, row)
	}
	// Overdue first, then by deadline (the nearest first), then those
	// without one; by id within each.
	slices.SortStableFunc(rows, func(a, b incidentRow) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		switch {
		case a.Deadline != nil && b.Deadline == nil:
			return -1
		case a.Deadline == nil && b.Deadline != nil:
			return 1
		case a.Deadline != nil && !a.Deadline.Equal(*b.Deadline):
			return a.Deadline.Compare(*b.Deadline)
		}
		return strings.Compare(a.ID, b.ID)
	})
	if *format == "json" {
		if c := writeJSON(stdout, stderr, "incidents", rows); c != exitOK {
			return c
		}
	} else {
		writeIncidents(stdout, rows, now, overdue)
	}
	if overdue > 0 {
		return exitInvalid
	}
	return exitOK
}

func writeIncidents(w io.Writer, rows []incidentRow, now time.Time, overdue int) {
	fmt.Fprintf(w, "Incidents on %s: %d, %d overdue (EU AI Act Art. 73: report within 2, 10 or 15 days of awareness)\n",
		now.UTC().Format("2006-01-02 15:04 UTC"), len(rows), overdue)
	if len(rows) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\n  id\tsystem\ttype\taware\tdeadline\tstate")
	for _, r := range rows {
		system := r.Name
		if system == "" {
			system = r.System
		}
		deadline := "-"
		if r.Deadline != nil {
			deadline = fmt.Sprintf("%s (%d days, %s)", r.Deadline.UTC().Format("2006-01-02 15:04"), r.Days, r.Article)
		}
		kind := string(r.Type)
		if r.Death {
			kind += ", death"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", r.ID, system, kind, r.Aware.UTC().Format("2006-01-02 15:04"), deadline, r.State)
	}
	tw.Flush()
}
