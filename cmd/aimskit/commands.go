package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/inventory"
)

func writeJSON(w, stderr io.Writer, name string, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "aimskit %s: %v\n", name, err)
		return exitError
	}
	return exitOK
}

func runSoA(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("soa", "[DIR]", stderr)
	format := fs.String("format", "md", "output format: md, csv or json")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	if *format != "md" && *format != "csv" && *format != "json" {
		fmt.Fprintf(stderr, "aimskit soa: unknown format %q (want md, csv or json)\n", *format)
		return exitError
	}
	f, code := load(ctx, "soa", dir, stderr)
	if f == nil {
		return code
	}
	if f.SoA == nil {
		fmt.Fprintf(stderr, "aimskit soa: %s holds no StatementOfApplicability\n", dir)
		return exitInvalid
	}
	var err error
	switch *format {
	case "md":
		err = f.SoA.WriteMarkdown(stdout)
	case "csv":
		err = f.SoA.WriteCSV(stdout)
	case "json":
		return writeJSON(stdout, stderr, "soa", f.SoA)
	}
	if err != nil {
		fmt.Fprintf(stderr, "aimskit soa: %v\n", err)
		return exitError
	}
	return exitOK
}

func runReadiness(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("readiness", "[DIR]", stderr)
	format := fs.String("format", "text", "output format: text or json")
	date := fs.String("date", "", "report for this day (YYYY-MM-DD) instead of today")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	now, ok := parseNow(*date, "readiness", stderr)
	if !ok {
		return exitError
	}
	f, code := load(ctx, "readiness", dir, stderr)
	if f == nil {
		return code
	}
	r := f.Readiness(now)
	if *format == "json" {
		return writeJSON(stdout, stderr, "readiness", r)
	}
	fmt.Fprintf(stdout, "Readiness on %s: %d%% (%d of %d items met)\n", r.Date, r.Score, r.Met, r.Total)
	gaps := r.Gaps()
	if len(gaps) == 0 {
		fmt.Fprintln(stdout, "No gaps: every clause and control has current documented information.")
		return exitOK
	}
	fmt.Fprintf(stdout, "\n%d gaps:\n", len(gaps))
	for _, g := range gaps {
		where := ""
		if g.File != "" {
			where = " (" + displayPath(dir, g.File) + ")"
		}
		fmt.Fprintf(stdout, "  %-18s %s%s\n", strings.TrimPrefix(g.ID, "iso42001:"), g.Missing, where)
	}
	return exitOK
}

// parseNow returns the time a command evaluates at: noon UTC of date, or
// the current time when date is empty.
func parseNow(date, name string, stderr io.Writer) (time.Time, bool) {
	if date == "" {
		return time.Now(), true
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit %s: --date %q is not of the form YYYY-MM-DD\n", name, date)
		return time.Time{}, false
	}
	return t.Add(12 * time.Hour), true
}

// factFlag collects --fact name=value flags.
type factFlag aims.Facts

func (f factFlag) String() string { return "" }

func (f factFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want name=value, got %q", s)
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return fmt.Errorf("fact %s: %q is not a number", name, value)
	}
	f[name] = v
	return nil
}

func runGate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gate", "--system ID --to STAGE [DIR]", stderr)
	system := fs.String("system", "", "id (or exact name) of the AI system")
	to := fs.String("to", "", "stage to move to, e.g. deployment")
	format := fs.String("format", "text", "output format: text or json")
	date := fs.String("date", "", "evaluate on this day (YYYY-MM-DD) instead of now")
	facts := factFlag{}
	fs.Var(facts, "fact", "a measured fact name=value (repeatable), e.g. --fact accuracy=0.93")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	if *system == "" || *to == "" {
		fmt.Fprintln(stderr, "aimskit gate: --system and --to are required")
		fs.Usage()
		return exitError
	}
	stage := inventory.Stage(*to)
	if !stage.Valid() {
		fmt.Fprintf(stderr, "aimskit gate: unknown stage %q (want one of %v)\n", *to, inventory.Stages())
		return exitError
	}
	now, ok := parseNow(*date, "gate", stderr)
	if !ok {
		return exitError
	}
	f, code := load(ctx, "gate", dir, stderr)
	if f == nil {
		return exitError // could not decide
	}
	id, err := uuid.Parse(*system)
	if err != nil {
		for _, s := range f.Systems {
			if s.Name == *system {
				id = s.ID
			}
		}
	}
	g, err := aims.NewGate(f, &aims.GateOptions{Clock: func() time.Time { return now }})
	if err != nil {
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError
	}
	d, err := g.Evaluate(ctx, id, stage, aims.Facts(facts))
	if err != nil {
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError
	}
	if *format == "json" {
		if c := writeJSON(stdout, stderr, "gate", d); c != exitOK {
			return c
		}
	} else {
		writeDecision(stdout, d)
	}
	if !d.Allowed() {
		return exitInvalid
	}
	return exitOK
}

func writeDecision(w io.Writer, d aims.Decision) {
	fmt.Fprintf(w, "%s: %s -> %s: %s\n", d.SystemName, d.From, d.To, strings.ToUpper(string(d.Verdict)))
	for _, c := range d.Checks {
		mark := map[aims.CheckOutcome]string{aims.OutcomePass: "pass", aims.OutcomeFail: "FAIL", aims.OutcomeNotApplicable: "n/a"}[c.Outcome]
		if c.Outcome == aims.OutcomeFail && c.Severity == aims.SeverityWarn {
			mark = "warn"
		}
		if c.Waiver != nil {
			mark = "waived"
		}
		ids := strings.Join(append(append([]string(nil), c.Controls...), c.Clauses...), ", ")
		fmt.Fprintf(w, "  %-6s %-28s %s", mark, c.Check, c.Message)
		if ids != "" {
			fmt.Fprintf(w, " [%s]", ids)
		}
		if c.Waiver != nil {
			fmt.Fprintf(w, " (waived by %s until %s: %s)", c.Waiver.Approver, c.Waiver.Expires, c.Waiver.Reason)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "decision %s, policy %s\n", d.ID, d.PolicyRevision)
}
