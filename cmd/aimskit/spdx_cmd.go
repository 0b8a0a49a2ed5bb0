package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/export/spdx"
)

// runExportSPDX implements "export spdx": the AI system inventory as an
// SPDX 3.0.1 JSON-LD document in the AI and Dataset profiles.
func runExportSPDX(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export spdx", "[--system ID] [--namespace URI] [--date YYYY-MM-DD] [DIR]", stderr)
	system := fs.String("system", "", "export one AI system (id or exact name) instead of all")
	namespace := fs.String("namespace", spdx.DefaultNamespace, "absolute URI the element ids (spdxId) start with")
	date := fs.String("date", "", "set the document's creation time to noon UTC of this day (YYYY-MM-DD) instead of now, for reproducible output")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	now, ok := parseNow(*date, "export spdx", stderr)
	if !ok {
		return exitError
	}
	f, code := load(ctx, "export spdx", dir, stderr)
	if f == nil {
		return code
	}
	var id uuid.UUID
	if *system != "" {
		var err error
		if id, err = findSystem(f, *system); err != nil {
			fmt.Fprintf(stderr, "aimskit export spdx: %v\n", err)
			return exitError
		}
	}
	out, err := spdx.Export(f, &spdx.Options{System: id, Namespace: *namespace, Time: func() time.Time { return now }})
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export spdx: %v\n", err)
		return exitError
	}
	stdout.Write(out)
	return exitOK
}
