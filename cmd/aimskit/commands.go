package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
	"github.com/aimskit/aimskit/aims/evidence/timestamp"
	"github.com/aimskit/aimskit/aims/report"
	"github.com/aimskit/aimskit/document"
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
		err = report.WriteSoAMarkdown(stdout, f.SoA)
	case "csv":
		err = report.WriteSoACSV(stdout, f.SoA)
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
	defer writeStated(stdout, dir, r.Stated)
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

// writeStated lists the AI systems whose EU AI Act classification is
// stated, not derived from facts.
func writeStated(w io.Writer, dir string, stated []aims.StatedClassification) {
	if len(stated) == 0 {
		return
	}
	fmt.Fprintf(w, "\nEU AI Act classification stated, not derived, for %d AI %s (describe them under facts; aimskit inventory --explain shows the reasoning):\n",
		len(stated), map[bool]string{true: "system", false: "systems"}[len(stated) == 1])
	for _, s := range stated {
		fmt.Fprintf(w, "  %s: %s, stated, not derived (%s)\n", s.Name, s.Category, displayPath(dir, s.File))
	}
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

func runGate(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	fs := newFlags("gate", "--system ID --to STAGE [--apply --actor NAME] [DIR]", stderr)
	system := fs.String("system", "", "id (or exact name) of the AI system")
	to := fs.String("to", "", "stage to move to, e.g. deployment")
	format := fs.String("format", "text", "output format: text, json, sarif (SARIF 2.1.0 for code scanning) or junit (JUnit XML, one test case per check)")
	date := fs.String("date", "", "evaluate the documents as of this day (YYYY-MM-DD); the decision is still made and recorded now")
	attest := fs.String("attest", "", "append a signed in-toto/DSSE attestation of the decision to this .intoto.jsonl bundle (needs --key)")
	keyFile := fs.String("key", "", "Ed25519 private key (PEM) for --attest and for the checkpoints of --log")
	logFile := fs.String("log", "", "append the decision's evidence record, and with --apply the stage change's, to this hash-linked log")
	tsa := fs.String("tsa", "", "URL of an RFC 3161 time-stamping authority that time-stamps each signed checkpoint of --log (needs --key); kept in LOG.timestamps. Nothing is contacted without it")
	apply := fs.Bool("apply", false, "when the decision allows, move the system in the folder: set lifecycle.stage and append the move to lifecycle.history of its YAML file, changing no other line (a JSON file is refused)")
	actor := fs.String("actor", "", "who applies the move, for --apply (required with it)")
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
	if *apply && strings.TrimSpace(*actor) == "" {
		fmt.Fprintln(stderr, "aimskit gate: --apply needs --actor: who applies the move")
		return exitError
	}
	if *apply && *date != "" {
		fmt.Fprintln(stderr, "aimskit gate: --apply cannot be used with --date: a move is applied on a decision about the documents as they are now")
		return exitError
	}
	if *actor != "" && !*apply {
		fmt.Fprintln(stderr, "aimskit gate: --actor is for --apply")
		return exitError
	}
	stage := inventory.Stage(*to)
	if !stage.Valid() {
		fmt.Fprintf(stderr, "aimskit gate: unknown stage %q (want one of %v)\n", *to, inventory.Stages())
		return exitError
	}
	evalAt, ok := parseNow(*date, "gate", stderr)
	if !ok {
		return exitError
	}
	// The problems of the folder are printed, but only those of the
	// documents of the system, or of documents every gate reads, stop
	// this gate: the gate denies a system with problems of its own, and
	// refuses to decide over a folder whose shared documents have some.
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "aimskit gate: %s is not a folder\n", dir)
		return exitError
	}
	f, err := aims.Load(ctx, os.DirFS(dir))
	var de *document.Error
	switch {
	case errors.As(err, &de):
		for _, p := range de.Problems {
			p.File = displayPath(dir, p.File)
			fmt.Fprintln(stderr, p.String())
		}
	case err != nil:
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError // could not decide
	}
	id, err := findSystem(f, *system)
	if err != nil {
		if u, perr := uuid.Parse(*system); perr == nil && len(f.SystemProblems(u)) > 0 {
			fmt.Fprintf(stderr, "aimskit gate: the inventory entry of AI system %s did not load: see its problems above\n", u)
			return exitError
		}
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError
	}
	if *attest != "" && *keyFile == "" {
		fmt.Fprintln(stderr, "aimskit gate: --attest needs --key")
		return exitError
	}
	var target *applyTarget
	if *apply {
		// Refuse before deciding what could not be applied.
		if target, err = newApplyTarget(dir, f, err, id, stage, *actor); err != nil {
			fmt.Fprintf(stderr, "aimskit gate: --apply: %v\n", err)
			return exitError
		}
	}
	// --date sets only the day the documents are evaluated at: the
	// decision and its evidence record are made now.
	opts := &aims.GateOptions{}
	if *date != "" {
		opts.EvaluationTime = func() time.Time { return evalAt }
	}
	var signer *evidence.Ed25519Signer
	var priv ed25519.PrivateKey
	if *keyFile != "" {
		if signer, priv, err = readPrivateKey(*keyFile); err != nil {
			fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
			return exitError
		}
	}
	if *tsa != "" && (*logFile == "" || priv == nil) {
		fmt.Fprintln(stderr, "aimskit gate: --tsa needs --log and --key: it time-stamps the log's signed checkpoints")
		return exitError
	}
	if *logFile != "" {
		lo := &evidence.FileOptions{}
		if priv != nil {
			if lo.Signer, err = evidence.NewNoteSigner(defaultOrigin, priv); err != nil {
				fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
				return exitError
			}
		}
		if *tsa != "" {
			lo.Timestamper = &timestamp.Client{URL: *tsa}
			lo.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
		}
		log, err := evidence.OpenFile(*logFile, lo)
		if err != nil {
			fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
			return exitError
		}
		defer func() {
			// The decision's record is in the log; a failure here means
			// that it may not be covered by a signed checkpoint.
			if err := log.Close(ctx); err != nil {
				fmt.Fprintf(stderr, "aimskit gate: the evidence log was not closed cleanly: %v\n", err)
				code = exitError
			}
		}()
		opts.Evidence = log
	}
	g, err := aims.NewGate(f, opts)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError
	}
	d, err := g.Evaluate(ctx, id, stage, aims.Facts(facts))
	if err != nil && d.ID == uuid.Nil {
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError
	}
	evErr := err
	if *attest != "" {
		if err := writeAttestation(ctx, *attest, signer, d, f.System(d.System)); err != nil {
			evErr = errors.Join(evErr, err)
		}
	}
	if c := writeGate(stdout, stderr, *format, dir, f, d); c != exitOK {
		return c
	}
	if evErr != nil {
		fmt.Fprintf(stderr, "aimskit gate: %v\n", evErr)
		return exitError
	}
	if !d.Allowed() {
		return exitInvalid
	}
	if target != nil {
		file, err := target.apply(ctx, g, d)
		if err != nil {
			fmt.Fprintf(stderr, "aimskit gate: --apply: %v\n", err)
			return exitError
		}
		msg := fmt.Sprintf("applied: %s is now at %s in %s (by %s)\n", d.SystemName, d.To, file, *actor)
		if machineFormat(*format) {
			fmt.Fprint(stderr, msg)
		} else {
			fmt.Fprint(stdout, msg)
		}
	}
	return exitOK
}

// writeGate writes a decision in format: json, sarif, junit, or text for
// any other.
func writeGate(stdout, stderr io.Writer, format, dir string, f *aims.Snapshot, d aims.Decision) int {
	switch format {
	case "json":
		return writeJSON(stdout, stderr, "gate", d)
	case "sarif":
		return writeGateSARIF(stdout, stderr, dir, f, d)
	case "junit":
		return writeGateJUnit(stdout, stderr, d)
	}
	writeDecision(stdout, d)
	return exitOK
}

// machineFormat reports whether a format is for tools, whose output
// nothing else may be mixed into.
func machineFormat(format string) bool {
	return format == "json" || format == "sarif" || format == "junit"
}

// writeAttestation appends the signed decision to an .intoto.jsonl bundle.
func writeAttestation(ctx context.Context, path string, signer evidence.Signer, d aims.Decision, sys *inventory.System) error {
	env, err := aims.Attest(ctx, signer, d, sys)
	if err != nil {
		return err
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if err := attest.WriteBundle(file, env); err != nil {
		file.Close()
		return err
	}
	if err := file.Sync(); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

func writeDecision(w io.Writer, d aims.Decision) {
	fmt.Fprintf(w, "%s: %s -> %s: %s\n", d.SystemName, d.From, d.To, strings.ToUpper(string(d.Verdict)))
	for _, c := range d.Checks {
		mark := map[aims.CheckOutcome]string{aims.OutcomePass: "pass", aims.OutcomeFail: "FAIL", aims.OutcomeNotApplicable: "n/a",
			aims.OutcomeWaived: "waived"}[c.Outcome]
		if c.Outcome == aims.OutcomeFail && c.Severity == aims.SeverityWarn {
			mark = "warn"
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
