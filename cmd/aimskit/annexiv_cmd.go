package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/export/annexiv"
)

// runExportAnnexIV implements "export annex-iv": the EU AI Act Annex IV
// technical documentation of one high-risk AI system.
func runExportAnnexIV(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export annex-iv", "--system ID [--format markdown|json] [--log FILE] [DIR]", stderr)
	system := fs.String("system", "", "the AI system (id or exact name); required")
	format := fs.String("format", "markdown", "output format: markdown or json")
	logFile := fs.String("log", "", "an evidence log (JSON Lines) whose gate decisions, stage changes, suspensions and incidents of the system are cited; it is verified first")
	pubFile := fs.String("pub", "", "public key (PEM) that signed the checkpoints of --log; every record must then be covered by a signed checkpoint")
	origin := fs.String("origin", defaultOrigin, "name of the checkpoint signer of --log (the log's origin)")
	force := fs.Bool("force", false, "write the documentation for a system that is not high-risk too")
	dir, code, done := parse(fs, args)
	if done {
		return code
	}
	if *system == "" {
		fmt.Fprintln(stderr, "aimskit export annex-iv: --system is required")
		fs.Usage()
		return exitError
	}
	if *format != "markdown" && *format != "json" {
		fmt.Fprintf(stderr, "aimskit export annex-iv: unknown format %q (want markdown or json)\n", *format)
		return exitError
	}
	f, code := load(ctx, "export annex-iv", dir, stderr)
	if f == nil {
		return code
	}
	id, err := findSystem(f, *system)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export annex-iv: %v\n", err)
		return exitError
	}
	opts := &annexiv.Options{Force: *force}
	if *logFile != "" {
		vo := &evidence.VerifyOptions{}
		if *pubFile != "" {
			if vo.Key, err = verifierKey(*pubFile, *origin); err != nil {
				fmt.Fprintf(stderr, "aimskit export annex-iv: %v\n", err)
				return exitError
			}
		}
		if opts.Records, code = readLogRecords(ctx, *logFile, vo, stderr); code != exitOK {
			return code
		}
		opts.Log = *logFile
	}
	doc, err := annexiv.Build(f, id, opts)
	if errors.Is(err, annexiv.ErrNotHighRisk) {
		fmt.Fprintf(stderr, "aimskit export annex-iv: %v\n(give --force to write it anyway)\n", err)
		return exitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export annex-iv: %v\n", err)
		return exitError
	}
	var out bytes.Buffer
	if *format == "json" {
		err = doc.WriteJSON(&out)
	} else {
		err = doc.WriteMarkdown(&out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export annex-iv: %v\n", err)
		return exitError
	}
	stdout.Write(out.Bytes())
	return exitOK
}

// readLogRecords verifies the evidence log at path with opts and returns
// its records. A log that does not verify gives exit code 1.
func readLogRecords(ctx context.Context, path string, opts *evidence.VerifyOptions, stderr io.Writer) ([]*evidence.Record, int) {
	_, err := evidence.VerifyFile(ctx, path, opts)
	if errors.Is(err, evidence.ErrTampered) {
		fmt.Fprintf(stderr, "aimskit export annex-iv: %s does not verify: %v\n", path, err)
		return nil, exitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export annex-iv: %v\n", err)
		return nil, exitError
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit export annex-iv: %v\n", err)
		return nil, exitError
	}
	var recs []*evidence.Record
	for r, err := range evidence.Records(bytes.NewReader(data)) {
		if err != nil {
			fmt.Fprintf(stderr, "aimskit export annex-iv: %s: %v\n", path, err)
			return nil, exitInvalid
		}
		recs = append(recs, r)
	}
	return recs, exitOK
}
