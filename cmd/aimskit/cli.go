package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/internal/suggest"
	"github.com/aimskit/aimskit/inventory"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1
	exitError   = 2
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"init", "scaffold a governance folder to fill in", runInit},
		{"validate", "check every document in a governance folder", runValidate},
		{"inventory", "print the AI systems with their EU AI Act classification and obligations (--explain SYSTEM: the reasoning)", runInventory},
		{"soa", "print the Statement of Applicability as Markdown, CSV or JSON", runSoA},
		{"readiness", "report per clause and control which documented information is missing", runReadiness},
		{"incidents", "list incidents with their EU AI Act Art. 73 reporting deadline; exit 1 when one is overdue", runIncidents},
		{"gate", "evaluate a life-cycle gate for one AI system", runGate},
		{"report", "write a self-contained HTML report with risk heat maps", runReport},
		{"export", "export as CycloneDX 1.6 or 1.7 (export cyclonedx [--spec 1.7]), OSCAL assessment results (export oscal), SPDX 3.0.1 with the AI profile (export spdx), the crosswalks as an OSCAL mapping-collection (export crosswalk) or EU AI Act Annex IV documentation (export annex-iv)", runExport},
		{"evidence", "evidence verify|prove|check|verify-attestation|timestamp|prune|bundle: verify a log, a segmented log or an auditor's bundle, prove inclusion or consistency, check a proof, verify a release's attestations, time-stamp, prune, bundle a period for an auditor", runEvidence},
		{"keygen", "create an Ed25519 key pair for attestations and log checkpoints", runKeygen},
		{"witness", "witness serve|key: cosign the checkpoints of evidence logs (C2SP tlog-witness), print a witness's key", runWitness},
		{"schema", "print the JSON Schema of a document kind", runSchema},
		{"version", "print the version of aimskit", runVersion},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitError
	}
	if isHelp(args[0]) || args[0] == "help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if slices.ContainsFunc(args[1:], isHelp) {
				// Help that was asked for goes to standard output.
				stderr = stdout
			}
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	names := make([]string, 0, len(commands()))
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if s, ok := suggest.Closest(args[0], names); ok {
		fmt.Fprintf(stderr, "aimskit: unknown command %q; did you mean %s?\n\n", args[0], s)
	} else {
		fmt.Fprintf(stderr, "aimskit: unknown command %q\n\n", args[0])
	}
	usage(stderr)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "aimskit: an ISO/IEC 42001 AI management system as code")
	fmt.Fprintln(w, "\nUsage:\n\n  aimskit <command> [flags] [DIR]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nDIR is the governance folder and defaults to the current directory.")
	fmt.Fprintln(w, `Run "aimskit <command> -h" for the flags of a command.`)
}

func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: aimskit %s [flags] %s\n", name, args)
		if hasFlags(fs) {
			fmt.Fprintln(stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses flags and returns the folder argument, or an exit code
// when parsing ended the command.
func parse(fs *flag.FlagSet, args []string) (dir string, code int, done bool) {
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", exitOK, true
		}
		return "", exitError, true
	}
	switch fs.NArg() {
	case 0:
		return ".", 0, false
	case 1:
		return fs.Arg(0), 0, false
	}
	fmt.Fprintf(fs.Output(), "aimskit %s: too many arguments: %s\n", fs.Name(), strings.Join(fs.Args(), " "))
	fs.Usage()
	return "", exitError, true
}

// load loads a folder and prints its problems to stderr. It returns the
// folder, or nil with the exit code.
func load(ctx context.Context, name, dir string, stderr io.Writer) (*aims.Snapshot, int) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "aimskit %s: %s is not a folder\n", name, dir)
		return nil, exitError
	}
	f, err := aims.Load(ctx, os.DirFS(dir))
	var de *document.Error
	switch {
	case errors.As(err, &de):
		for _, p := range de.Problems {
			p.File = displayPath(dir, p.File)
			fmt.Fprintln(stderr, p.String())
		}
		return nil, exitInvalid
	case errors.Is(err, aims.ErrNoDocuments):
		fmt.Fprintf(stderr, "aimskit %s: no aimskit documents in %s\n", name, dir)
		return nil, exitInvalid
	case err != nil:
		fmt.Fprintf(stderr, "aimskit %s: %v\n", name, err)
		return nil, exitError
	}
	return f, exitOK
}

func displayPath(dir, file string) string {
	if file == "" || dir == "." {
		return file
	}
	return strings.TrimSuffix(dir, "/") + "/" + file
}

func runInventory(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inventory", "[--explain SYSTEM] [DIR]", stderr)
	format := fs.String("format", "text", "output format: text or json")
	explain := fs.String("explain", "", "explain the EU AI Act classification of this AI system (id or exact name): from facts to classification to obligations, one line per rule with its article, including the rules that did not apply")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "aimskit inventory: unknown format %q (want text or json)\n", *format)
		return exitError
	}
	f, code := load(ctx, "inventory", dir, stderr)
	if f == nil {
		return code
	}
	if *explain != "" {
		id, err := findSystem(f, *explain)
		if err != nil {
			fmt.Fprintf(stderr, "aimskit inventory: %v\n", err)
			return exitError
		}
		sys := f.System(id)
		d := sys.Explain()
		if *format == "json" {
			return writeJSON(stdout, stderr, "inventory", explanation{ID: sys.ID.String(), Name: sys.Name, Derivation: d})
		}
		writeExplanation(stdout, sys, d)
		return exitOK
	}
	systems := append([]*inventory.System(nil), f.Systems...)
	sort.SliceStable(systems, func(i, j int) bool { return systems[i].Name < systems[j].Name })
	if *format == "json" {
		return writeInventoryJSON(stdout, stderr, systems)
	}
	writeInventoryText(stdout, systems)
	return exitOK
}

type inventoryRow struct {
	ID             string                   `json:"id"`
	Name           string                   `json:"name"`
	Stage          inventory.Stage          `json:"stage"`
	Status         inventory.Status         `json:"status"`
	Classification inventory.Classification `json:"classification"`
	// Basis says whether the classification is derived from facts or
	// stated, not derived.
	Basis       inventory.Basis       `json:"basis"`
	Obligations inventory.Obligations `json:"obligations"`
}

func writeInventoryJSON(stdout, stderr io.Writer, systems []*inventory.System) int {
	rows := make([]inventoryRow, 0, len(systems))
	for _, s := range systems {
		d := s.Explain()
		rows = append(rows, inventoryRow{
			ID: s.ID.String(), Name: s.Name, Stage: s.Lifecycle.Stage, Status: s.Lifecycle.EffectiveStatus(),
			Classification: d.Classification, Basis: d.Basis, Obligations: d.Obligations,
		})
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rows); err != nil {
		fmt.Fprintf(stderr, "aimskit inventory: %v\n", err)
		return exitError
	}
	return exitOK
}

func writeInventoryText(w io.Writer, systems []*inventory.System) {
	fmt.Fprintf(w, "AI system inventory: %d systems\n", len(systems))
	for _, s := range systems {
		c := s.Classified()
		ob := s.Obligations()
		fmt.Fprintf(w, "\n%s (v%s)\n", s.Name, s.Version)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  id\t%s\n", s.ID)
		fmt.Fprintf(tw, "  stage\t%s (%s)\n", s.Lifecycle.Stage, s.Lifecycle.EffectiveStatus())
		fmt.Fprintf(tw, "  classification\t%s\n", c)
		fmt.Fprintf(tw, "  basis\t%s\n", describeBasis(s.Explain().Basis))
		fmt.Fprintf(tw, "  operator roles\t%s\n", joinRoles(explainRoles(s)))
		switch {
		case ob.Prohibited:
			fmt.Fprintf(tw, "  verdict\tPROHIBITED under Art. 5: may not be placed on the market, put into service or used\n")
		case ob.FRIARequired:
			fmt.Fprintf(tw, "  FRIA\trequired before first use (Art. 27)\n")
		}
		tw.Flush()
		if len(ob.List) == 0 {
			fmt.Fprintln(w, "  obligations: none beyond those of every AI system")
			continue
		}
		fmt.Fprintln(w, "  obligations:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, o := range ob.List {
			fmt.Fprintf(tw, "    %s\t%s\t%s\tfrom %s\n", o.Role, o.Article, o.Title, describeDates(o.Applies))
		}
		tw.Flush()
	}
}

// explanation is the JSON form of inventory --explain.
type explanation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	inventory.Derivation
}

// writeExplanation prints the chain from the facts of sys to its
// classification and obligations, one line per rule.
func writeExplanation(w io.Writer, sys *inventory.System, d inventory.Derivation) {
	fmt.Fprintf(w, "%s (%s)\n", sys.Name, sys.ID)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  classification\t%s\n", d.Classification)
	fmt.Fprintf(tw, "  basis\t%s\n", describeBasis(d.Basis))
	fmt.Fprintf(tw, "  because\t%s\n", d.Reason)
	triggers := "none"
	if t := d.Triggers(); len(t) > 0 {
		triggers = "Art. " + strings.Join(t, ", Art. ")
	}
	fmt.Fprintf(tw, "  Art. 50 duties\t%s\n", triggers)
	fmt.Fprintf(tw, "  operator roles\t%s\n", joinRoles(explainRoles(sys)))
	tw.Flush()
	fmt.Fprintln(w, "\nRules considered:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range d.Rules {
		verdict := "not applied"
		if r.Applies {
			verdict = "applies"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", verdict, r.Article, r.Reason)
	}
	tw.Flush()
	if len(d.Obligations.List) == 0 {
		fmt.Fprintln(w, "\nObligations: none")
		return
	}
	fmt.Fprintln(w, "\nObligations:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, o := range d.Obligations.List {
		fmt.Fprintf(tw, "  %s\t%s\t%s\tfrom %s\n", o.Role, o.Article, o.Title, describeDates(o.Applies))
	}
	tw.Flush()
}

// explainRoles returns the roles the obligations of sys are derived for.
func explainRoles(sys *inventory.System) []inventory.OperatorRole {
	if sys.Facts != nil && len(sys.Facts.Roles) > 0 {
		return sys.Facts.Roles
	}
	return sys.Accountability.OperatorRoles
}

func describeBasis(b inventory.Basis) string {
	if b == inventory.BasisDerived {
		return "derived from the facts"
	}
	return "stated, not derived: the document gives no facts to derive it from"
}

func describeDates(a inventory.Application) string {
	if a.Original == a.Amended {
		return a.Amended.String()
	}
	if a.Original.IsZero() {
		return a.Amended.String() + " (new in 2026)"
	}
	return fmt.Sprintf("%s (originally %s)", a.Amended, a.Original)
}

func joinRoles(rs []inventory.OperatorRole) string {
	if len(rs) == 0 {
		return "none"
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func runSchema(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("schema", "KIND", stderr)
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	kinds := make([]string, 0)
	for _, t := range aims.DocumentTypes() {
		kinds = append(kinds, t.Kind)
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "aimskit schema: want one KIND (one of %s)\n", strings.Join(kinds, ", "))
		return exitError
	}
	s, ok := aims.Schema(fs.Arg(0))
	if !ok {
		if k, ok := suggest.Closest(fs.Arg(0), kinds); ok {
			fmt.Fprintf(stderr, "aimskit schema: unknown kind %q; did you mean %s?\n", fs.Arg(0), k)
			return exitError
		}
		fmt.Fprintf(stderr, "aimskit schema: unknown kind %q (want one of %s)\n", fs.Arg(0), strings.Join(kinds, ", "))
		return exitError
	}
	stdout.Write(s)
	return exitOK
}

// interspersed reorders args so that flags given after the positional
// arguments ("evidence verify LOG --pub KEY") are parsed too: flags and
// their values first, then the positional arguments in their order.
// Everything after "--" stays positional.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			f := fs.Lookup(name)
			if f == nil {
				continue // flag.Parse reports it
			}
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				continue
			}
			if i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) > 0 {
		flags = append(append(flags, "--"), pos...)
	}
	return flags
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help"
}

// runVersion prints the module version of the binary and, for a build
// from a checkout, the commit.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && !isHelp(args[0]) {
		fmt.Fprintln(stderr, "aimskit version: takes no arguments")
		return exitError
	}
	version, commit, modified := "(unknown)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	fmt.Fprintf(stdout, "aimskit %s", version)
	if commit != "" {
		fmt.Fprintf(stdout, " (commit %.12s", commit)
		if modified {
			fmt.Fprint(stdout, ", modified")
		}
		fmt.Fprint(stdout, ")")
	}
	fmt.Fprintln(stdout)
	return exitOK
}
