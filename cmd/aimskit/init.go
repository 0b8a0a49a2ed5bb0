package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/template"
	"time"

	"github.com/google/uuid"
)

// templates holds the documents that "aimskit init" writes, as
// text/template files filled in by scaffold.
//
//go:embed templates/*.yaml
var templates embed.FS

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("init", "DIR", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: aimskit init DIR")
		fmt.Fprintln(stderr, "\nCreates DIR with a governance folder to fill in: a management system, one AI system,")
		fmt.Fprintln(stderr, "its risk and impact assessments, a Statement of Applicability and the gate policy.")
		fmt.Fprintln(stderr, "The documents validate as written; their comments say what to fill in.")
		fmt.Fprintln(stderr, "DIR must not exist or be empty.")
	}
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "aimskit init: want one DIR")
		fs.Usage()
		return exitError
	}
	dir := fs.Arg(0)
	if err := scaffold(dir, time.Now(), uuid.NewRandom); err != nil {
		fmt.Fprintf(stderr, "aimskit init: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: governance folder created; fill in each value marked TODO and delete its TODO comment; \"aimskit validate %s\" lists what is left\n", dir, dir)
	return exitOK
}

// scaffoldData is what the templates are filled in with.
type scaffoldData struct {
	SystemID, RiskID, ImpactID, SoAID uuid.UUID
	// Date is the day of now; NextYear the same day a year later; Year
	// the year of now.
	Date, NextYear string
	Year           int
}

// scaffold creates dir, which must not exist or be empty, and writes the
// templates into it, dated now and with fresh ids from newID. It renders
// every template before it writes anything.
func scaffold(dir string, now time.Time, newID func() (uuid.UUID, error)) error {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return fmt.Errorf("%s exists and is not empty", dir)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return err
	}
	d := scaffoldData{
		Date:     now.Format(time.DateOnly),
		NextYear: now.AddDate(1, 0, 0).Format(time.DateOnly),
		Year:     now.Year(),
	}
	for _, id := range []*uuid.UUID{&d.SystemID, &d.RiskID, &d.ImpactID, &d.SoAID} {
		if *id, err = newID(); err != nil {
			return fmt.Errorf("new id: %w", err)
		}
	}
	tmpl, err := template.New("").Option("missingkey=error").ParseFS(templates, "templates/*.yaml")
	if err != nil {
		return err
	}
	files := make(map[string][]byte)
	for _, t := range tmpl.Templates() {
		if t.Name() == "" {
			continue
		}
		var b bytes.Buffer
		if err := t.Execute(&b, d); err != nil {
			return err
		}
		files[t.Name()] = b.Bytes()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
