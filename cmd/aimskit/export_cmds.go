package main

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/export/cyclonedx"
	"github.com/aimskit/aimskit/aims/export/oscal"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "annex-iv" {
		return runExportAnnexIV(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "spdx" {
		return runExportSPDX(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "crosswalk" {
		return runExportCrosswalk(args[1:], stdout, stderr)
	}
	if len(args) == 0 || (args[0] != "cyclonedx" && args[0] != "oscal") {
		fmt.Fprintln(stderr, "Usage: aimskit export cyclonedx|oscal [--system ID] [--spec 1.6|1.7] [DIR]")
		fmt.Fprintln(stderr, "       aimskit export spdx [--system ID] [--namespace URI] [--date YYYY-MM-DD] [DIR]")
		fmt.Fprintln(stderr, "       aimskit export crosswalk [--framework nist-ai-rmf|eu-ai-act]")
		fmt.Fprintln(stderr, "       aimskit export annex-iv --system ID [--format markdown|json] [--log FILE] [--force] [DIR]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitError
	}
	format := args[0]
	fs := newFlags("export "+format, "[--system ID] [DIR]", stderr)
	system := fs.String("system", "", "export one AI system (id or exact name) instead of all")
	var spec *string
	if format == "cyclonedx" {
		spec = fs.String("spec", cyclonedx.SpecVersion, "CycloneDX version: 1.6, or 1.7 with citations of the governance document fields")
	}
	dir, code, done := parse(fs, args[1:])
	if done {
		return code
	}
	f, code := load(ctx, "export", dir, stderr)
	if f == nil {
		return code
	}
	var id uuid.UUID
	if *system != "" {
		var err error
		if id, err = findSystem(f, *system); err != nil {
			fmt.Fprintf(stderr, "aimskit export: %v\n", err)
			return exitError
		}
	}
	var out []byte
	var err error
	switch format {
	case "cyclonedx":
		out, err = cyclonedx.Export(f, &cyclonedx.Options{System: id, SpecVersion: *spec})
	case "oscal":
		out, err = oscal.Export(f, &oscal.Options{System: id})
	}
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export: %v\n", err)
		return exitError
	}
	stdout.Write(out)
	return exitOK
}
