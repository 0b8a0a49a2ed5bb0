package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aimskit/aimskit/aims/report"
)

// runReport writes the HTML report of a governance folder to --out.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("report", "--out FILE.html [DIR]", stderr)
	out := fs.String("out", "", "write the self-contained HTML report to this file")
	date := fs.String("date", "", "report on this day (YYYY-MM-DD) instead of today")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "aimskit report: --out is required")
		fs.Usage()
		return exitError
	}
	now, ok := parseNow(*date, "report", stderr)
	if !ok {
		return exitError
	}
	f, code := load(ctx, "report", dir, stderr)
	if f == nil {
		return code
	}
	var b bytes.Buffer
	if err := report.WriteHTML(&b, f, now); err != nil {
		fmt.Fprintf(stderr, "aimskit report: %v\n", err)
		return exitError
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "aimskit report: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: report of %d AI systems written to %s\n", dir, len(f.Systems), *out)
	return exitOK
}
