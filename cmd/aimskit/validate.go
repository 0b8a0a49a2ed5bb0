package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

// Severities of the problems validate reports.
const (
	severityError   = "error"
	severityWarning = "warning"
	severityNote    = "note"
)

// validateProblem is one problem in the output of validate --format json.
// Every field is always present; line and column are 0 when unknown.
type validateProblem struct {
	File     string `json:"file"`
	Pointer  string `json:"pointer"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// validateReport is the output of validate --format json.
type validateReport struct {
	Folder    string            `json:"folder"`
	Valid     bool              `json:"valid"`
	Documents int               `json:"documents"`
	Skipped   []string          `json:"skipped"`
	Problems  []validateProblem `json:"problems"`
	// Placeholders counts the values marked TODO left to fill in; they
	// are among the problems as warnings.
	Placeholders int `json:"placeholders"`
}

// runValidate checks every document of a folder. Without a folder
// argument it checks the current directory, which is often a whole
// repository: it then leaves out testdata, vendor and hidden folders and
// YAML and JSON files that are not aimskit documents, and says how many.
func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := newFlags("validate", "[DIR]", stderr)
	format := flags.String("format", "text", "output format: text, json (the problems with file, pointer, line, column, message and severity) or sarif (SARIF 2.1.0 for code scanning)")
	dir, code, done := parse(flags, args)
	if done {
		return code
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		fmt.Fprintf(stderr, "aimskit validate: unknown format %q (want text, json or sarif)\n", *format)
		return exitError
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "aimskit validate: %s is not a folder\n", dir)
		return exitError
	}
	var fsys fs.FS = os.DirFS(dir)
	var filter *docFS
	if flags.NArg() == 0 {
		filter = newDocFS(fsys)
		fsys = filter
	}
	r := validateReport{Folder: dir, Skipped: []string{}, Problems: []validateProblem{}}
	f, err := aims.Load(ctx, fsys)
	if filter != nil {
		r.Skipped = filter.Skipped()
	}
	var rules []string // the kind of each problem, its SARIF rule
	add := func(p document.Problem, severity, rule string) {
		r.Problems = append(r.Problems, validateProblem{File: displayPath(dir, p.File), Pointer: p.Pointer,
			Line: p.Line, Column: p.Column, Message: p.Message, Severity: severity})
		rules = append(rules, rule)
	}
	var de *document.Error
	switch {
	case errors.As(err, &de):
		for _, p := range de.Problems {
			add(p, severityError, errorRule(p))
		}
	case errors.Is(err, aims.ErrNoDocuments):
		add(document.Problem{Message: "no aimskit documents in " + dir}, severityError, ruleNoDocuments)
	case err != nil:
		fmt.Fprintf(stderr, "aimskit validate: %v\n", err)
		return exitError
	}
	if f != nil {
		for _, n := range f.Notes {
			add(n, severityNote, ruleNote)
		}
		if f.SoA != nil {
			for _, w := range f.SoA.Warnings() {
				w.File = f.File(f.SoA)
				add(w, severityWarning, ruleSoA)
			}
		}
		for _, p := range f.Placeholders() {
			add(p, severityWarning, rulePlaceholder)
			r.Placeholders++
		}
		r.Documents = documentCount(fsys)
	}
	errs := 0
	for _, p := range r.Problems {
		if p.Severity == severityError {
			errs++
		}
	}
	r.Valid = errs == 0
	code = exitOK
	if !r.Valid {
		code = exitInvalid
	}
	switch *format {
	case "json":
		if c := writeJSON(stdout, stderr, "validate", r); c != exitOK {
			return c
		}
		return code
	case "sarif":
		if c := writeValidateSARIF(stdout, stderr, r, rules); c != exitOK {
			return c
		}
		return code
	}
	writeValidateText(stdout, stderr, r, errors.Is(err, aims.ErrNoDocuments))
	return code
}

// writeValidateText prints the problems, one per line, then notes and
// warnings, all to stderr, and a summary line to stdout.
func writeValidateText(stdout, stderr io.Writer, r validateReport, none bool) {
	if none {
		fmt.Fprintf(stderr, "aimskit validate: no aimskit documents in %s\n", r.Folder)
		if len(r.Skipped) > 0 {
			fmt.Fprintf(stderr, "note: %s\n", skippedText(r.Skipped))
		}
		return
	}
	errs, files := 0, map[string]bool{}
	for _, p := range r.Problems {
		if p.Severity != severityError {
			continue
		}
		errs++
		files[p.File] = true
		fmt.Fprintln(stderr, problemOf(p).String())
	}
	for _, p := range r.Problems {
		if p.Severity != severityError {
			fmt.Fprintf(stderr, "%s: %s\n", p.Severity, problemOf(p))
		}
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(stderr, "note: %s\n", skippedText(r.Skipped))
	}
	if r.Placeholders > 0 {
		fmt.Fprintf(stderr, "%s left to fill in: every gate out of inception denies until each value is filled in and its TODO comment deleted\n",
			count(r.Placeholders, "placeholder"))
	}
	switch {
	case errs > 0:
		fmt.Fprintf(stdout, "%s: %s in %s, invalid\n", r.Folder, count(errs, "problem"), count(len(files), "file"))
	case r.Documents == 1:
		fmt.Fprintf(stdout, "%s: 1 document, valid\n", r.Folder)
	default:
		fmt.Fprintf(stdout, "%s: %s, all valid\n", r.Folder, count(r.Documents, "document"))
	}
}

func problemOf(p validateProblem) document.Problem {
	return document.Problem{File: p.File, Pointer: p.Pointer, Line: p.Line, Column: p.Column, Message: p.Message}
}

// skippedText says how many folders and files were left out.
func skippedText(skipped []string) string {
	folders, files := 0, 0
	for _, s := range skipped {
		if strings.HasSuffix(s, "/") {
			folders++
		} else {
			files++
		}
	}
	var parts []string
	if folders > 0 {
		parts = append(parts, count(folders, "folder")+" (testdata, vendor, hidden)")
	}
	if files > 0 {
		parts = append(parts, count(files, "YAML or JSON file")+" without apiVersion: aimskit.dev/...")
	}
	return "skipped " + strings.Join(parts, " and ")
}

// documentCount returns the number of document files the loader reads
// in fsys.
func documentCount(fsys fs.FS) int {
	n := 0
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil
		case d.IsDir() && p != "." && strings.HasPrefix(d.Name(), "."):
			return fs.SkipDir
		case !d.IsDir() && document.IsFile(p):
			n++
		}
		return nil
	})
	return n
}
