package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
)

// runVerifySegments implements "evidence verify" of a segmented log: a
// folder of segments, or segment files.
func runVerifySegments(ctx context.Context, args []string, opts *evidence.VerifyOptions, ret evidence.Retention, format string, stdout, stderr io.Writer) int {
	if err := ret.Validate(); err != nil {
		fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
		return exitError
	}
	var paths []string
	for _, a := range args {
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			ps, err := evidence.SegmentPaths(a)
			if err != nil {
				fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
				return exitError
			}
			if len(ps) == 0 {
				fmt.Fprintf(stderr, "aimskit evidence verify: %s holds no segment (%s, ...)\n", a, evidence.SegmentName(1))
				return exitError
			}
			paths = append(paths, ps...)
			continue
		}
		paths = append(paths, a)
	}
	rep, err := evidence.VerifySegments(ctx, paths, &evidence.SegmentVerifyOptions{Log: *opts, Retention: ret})
	var ve *evidence.VerifyError
	var ke *evidence.KeyError
	switch {
	case errors.As(err, &ve):
		where := "the chain of segments"
		if n := len(rep.Segments); n > 0 {
			where = rep.Segments[n-1].Path
		}
		switch {
		case ve.Reason == evidence.ReasonSegmentMissing || ve.Reason == evidence.ReasonEarlyDeletion:
			fmt.Fprintf(stderr, "TAMPERED: %s: %s\n", ve.Reason, ve.Detail)
		case ve.Index >= 0:
			fmt.Fprintf(stderr, "%s: TAMPERED at record %d: %s: %s\n", where, ve.Index, ve.Reason, ve.Detail)
		default:
			fmt.Fprintf(stderr, "%s: TAMPERED: %s: %s\n", where, ve.Reason, ve.Detail)
		}
		if format == "json" {
			writeJSON(stdout, stderr, "evidence verify", rep)
		}
		return exitInvalid
	case errors.As(err, &ke):
		fmt.Fprintf(stderr, "aimskit evidence verify: not verified: %v\n(this is a mistake in the key or --origin given, not a sign of tampering)\n", err)
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
		return exitError
	}
	if format == "json" {
		return writeJSON(stdout, stderr, "evidence verify", rep)
	}
	fmt.Fprintf(stdout, "intact: %s in %s, each continuing the one before it\n", count(rep.Records, "record"), count(len(rep.Segments), "segment"))
	if r := rep.Retention; r != nil {
		fmt.Fprintf(stdout, "retention: the %s before segment %d (%s) were deleted after the retention period; they closed on %s; the oldest remaining anchor is their final signed checkpoint, held by segment %d\n",
			count(r.Deleted, "oldest segment"), r.Deleted+1, count(r.Records, "record"), r.Closed.Format(time.RFC3339), r.Deleted+1)
	}
	for _, s := range rep.Segments {
		fmt.Fprintf(stdout, "  %s: %s, %s\n", s.Path, count(s.Report.Records, "record"), count(s.Report.Checkpoints, "signed checkpoint"))
	}
	return exitOK
}

// runPrune implements "evidence prune": it deletes the oldest segments of
// a segmented log whose retention period has ended.
func runPrune(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence prune", "--retention-months N DIR", stderr)
	months := fs.Int("retention-months", 0, "delete the oldest segments closed at least N months ago (required)")
	highRisk := fs.Bool("high-risk", false, "the log is of a high-risk AI system: N under 6 is an error (EU AI Act Art. 19(1), 26(6))")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if *months <= 0 || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "aimskit evidence prune: want --retention-months N (N > 0) and one DIR")
		return exitError
	}
	deleted, err := evidence.PruneSegments(fs.Arg(0), evidence.Retention{Months: *months, HighRisk: *highRisk}, time.Now())
	for _, p := range deleted {
		fmt.Fprintf(stdout, "deleted %s\n", p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence prune: %v\n", err)
		return exitError
	}
	if len(deleted) == 0 {
		fmt.Fprintln(stdout, "no segment is past the retention period")
	}
	return exitOK
}
