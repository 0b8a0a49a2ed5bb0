package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/bundle"
)

// runBundle implements "evidence bundle": it writes what an auditor needs
// to verify a period of a segmented log offline, as one tar file.
func runBundle(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence bundle", "--pub KEY --out FILE.tar DIR", stderr)
	pubFile := fs.String("pub", "", "public key (PEM) of the log's checkpoints (or --keyring): the segments are verified with it before they are bundled, and it goes into the bundle as log.vkey")
	keyringFile := fs.String("keyring", "", "the log's key ring (JSON), for a log whose key was rotated, instead of --pub: the segments are verified with it, and it goes into the bundle as keyring.json")
	origin := fs.String("origin", defaultOrigin, "name of the checkpoint signer (the log's origin)")
	out := fs.String("out", "", "the bundle to write, a tar file that must not exist yet (required)")
	from := fs.String("from", "", "the first day (YYYY-MM-DD, UTC) of the period: segments whose records all precede it are left out")
	to := fs.String("to", "", "the last day (YYYY-MM-DD, UTC) of the period: segments whose records all follow it are left out")
	first := fs.String("first", "", "the first segment to bundle: its number or file name (segment-000003.jsonl)")
	last := fs.String("last", "", "the last segment to bundle: its number or file name")
	tsaCertFile := fs.String("tsa-cert", "", "certificate (PEM) of the time-stamping authority: the segments' time-stamps must verify with it, and it goes into the bundle")
	var witnesses listValue
	fs.Var(&witnesses, "witness", "a witness's verifier key, or a file holding one: the segments' latest checkpoints must carry its cosignature, and it goes into the bundle (repeatable)")
	quorum := fs.Int("witness-quorum", 0, "how many of the --witness keys must have cosigned (default: all)")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "aimskit evidence bundle: "+format+"\n", args...)
		return exitError
	}
	if (*pubFile == "") == (*keyringFile == "") || *out == "" || fs.NArg() != 1 {
		return fail("want --pub KEY or --keyring FILE, --out FILE.tar and one DIR of segments")
	}
	dir := fs.Arg(0)
	opts := &bundle.WriteOptions{Generator: generator()}
	var (
		vopts evidence.VerifyOptions
		vkey  string
		err   error
	)
	if *pubFile != "" {
		if vkey, err = verifierKey(*pubFile, *origin); err != nil {
			return fail("%v", err)
		}
		opts.LogKey, vopts.Key = vkey, vkey
	} else {
		if opts.KeyRing, err = evidence.ReadKeyRing(*keyringFile); err != nil {
			return fail("%v", err)
		}
		vopts.KeyRing = opts.KeyRing
	}
	for _, w := range witnesses {
		k, err := witnessKey(w)
		if err != nil {
			return fail("%v", err)
		}
		opts.Witnesses = append(opts.Witnesses, k)
		vopts.Witnesses = append(vopts.Witnesses, k)
	}
	if *quorum < 0 || *quorum > len(witnesses) {
		return fail("--witness-quorum %d with %d --witness keys", *quorum, len(witnesses))
	}
	vopts.WitnessQuorum = *quorum
	if *tsaCertFile != "" {
		if vopts.TSACert, err = readTSACert(*tsaCertFile); err != nil {
			return fail("%v", err)
		}
		if opts.TSACert, err = os.ReadFile(*tsaCertFile); err != nil {
			return fail("%v", err)
		}
	}
	paths, err := selectSegments(dir, *first, *last, *from, *to)
	if err != nil {
		return fail("%v", err)
	}
	// Bundle only evidence that verifies.
	rep, err := evidence.VerifySegments(ctx, paths, &evidence.SegmentVerifyOptions{Log: vopts, Range: true})
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence bundle: the segments do not verify, so they are not bundled: %v\n", err)
		var ve *evidence.VerifyError
		if errors.As(err, &ve) {
			return exitInvalid
		}
		return exitError
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fail("%v", err)
	}
	m, err := bundle.Write(ctx, f, paths, opts)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(*out)
		return fail("%v", err)
	}
	segs := m.Segments
	with := "the log key " + m.Origin
	if opts.KeyRing != nil {
		with = "the log's key ring"
	}
	fmt.Fprintf(stdout, "wrote %s: %s (%s to %s), %s from %s to %s, verified with %s\n",
		*out, count(len(segs), "segment"), segs[0].Name, segs[len(segs)-1].Name, count(m.Records, "record"),
		m.Period.From.Format(time.RFC3339), m.Period.To.Format(time.RFC3339), with)
	if rep.Range != nil {
		fmt.Fprintf(stdout, "a range: the %s of segments 1 to %d are not in the bundle; segment %d holds their final signed checkpoint\n",
			count(m.Before, "record"), rep.Range.First-1, rep.Range.First)
	}
	if opts.KeyRing != nil {
		fmt.Fprintf(stdout, "give the auditor, by another channel than the bundle, the key ring (or its fingerprint: %s), whose keys are:\n", bundle.KeyRingFingerprint(opts.KeyRing))
		for _, line := range bundle.DescribeKeyRing(opts.KeyRing) {
			fmt.Fprintf(stdout, "  %s\n", line)
		}
	} else {
		_, fp, _ := bundle.LogKeyFingerprint(vkey)
		fmt.Fprintf(stdout, "give the auditor, by another channel than the bundle, the log key's fingerprint: %s\n", fp)
	}
	for _, k := range opts.Witnesses {
		fmt.Fprintf(stdout, "  and witness %s: %s\n", k.Name, evidence.KeyID(k.Public))
	}
	if vopts.TSACert != nil {
		fmt.Fprintf(stdout, "  and the time-stamping authority's certificate (%s): %s\n", vopts.TSACert.Subject, bundle.CertFingerprint(vopts.TSACert))
	}
	return exitOK
}

// generator names this program for a bundle's manifest.
func generator() string {
	v := "(unknown)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return "aimskit " + v
}

// selectSegments returns the segments of dir to bundle: those from first
// to last (numbers or file names), and of them those whose records are
// not all before from or all after to (days, UTC).
func selectSegments(dir, first, last, from, to string) ([]string, error) {
	paths, err := evidence.SegmentPaths(dir)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s holds no segment (%s, ...)", dir, evidence.SegmentName(1))
	}
	lo, hi := 0, int(^uint(0)>>1)
	if first != "" {
		if lo, err = segmentNumber(first, "--first"); err != nil {
			return nil, err
		}
	}
	if last != "" {
		if hi, err = segmentNumber(last, "--last"); err != nil {
			return nil, err
		}
	}
	var start, end time.Time
	if from != "" {
		if start, err = time.Parse(time.DateOnly, from); err != nil {
			return nil, fmt.Errorf("--from %s: want a day as YYYY-MM-DD", from)
		}
	}
	if to != "" {
		if end, err = time.Parse(time.DateOnly, to); err != nil {
			return nil, fmt.Errorf("--to %s: want a day as YYYY-MM-DD", to)
		}
		end = end.AddDate(0, 0, 1)
	}
	if from != "" && to != "" && !end.After(start) {
		return nil, fmt.Errorf("--to %s is before --from %s", to, from)
	}
	var out []string
	for _, p := range paths {
		seq, _ := segmentNumber(filepath.Base(p), "")
		if seq < lo || seq > hi {
			continue
		}
		if from != "" || to != "" {
			s, err := bundle.ReadSegment(p)
			if err != nil {
				return nil, err
			}
			if from != "" && s.Period.To.Before(start) || to != "" && !s.Period.From.Before(end) {
				continue
			}
		}
		if len(out) > 0 {
			if prev, _ := segmentNumber(filepath.Base(out[len(out)-1]), ""); prev != seq-1 {
				return nil, fmt.Errorf("segment %d is missing from %s: the segments of a bundle must follow each other", prev+1, dir)
			}
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no segment of %s is in the range asked", dir)
	}
	return out, nil
}

// segmentNumber reads a segment's number, or its file name.
func segmentNumber(s, flagName string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n, nil
	}
	var n int
	if _, err := fmt.Sscanf(s, evidence.SegmentPrefix+"%d"+evidence.SegmentSuffix, &n); err == nil && evidence.SegmentName(n) == s {
		return n, nil
	}
	return 0, fmt.Errorf("%s %s: want a segment number or file name (%s)", flagName, s, evidence.SegmentName(1))
}

// isBundle reports whether path is an evidence bundle: a regular file
// named .tar, or holding a tar header.
func isBundle(path string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	if strings.HasSuffix(path, ".tar") {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var hdr [512]byte
	if _, err := io.ReadFull(f, hdr[:]); err != nil {
		return false
	}
	return string(hdr[257:262]) == "ustar"
}

// readPreviousManifest reads the manifest of an earlier bundle: the
// bundle itself, whose files are checked against it, or its manifest.
func readPreviousManifest(path string) (*bundle.Manifest, error) {
	if isBundle(path) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return bundle.Check(f, nil)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return bundle.ParseManifest(b)
}

// bundleFlags are the flags of "evidence verify" that apply to a bundle.
type bundleFlags struct {
	pub, origin string
	originSet   bool
	bundledKeys bool
	after       string // the previous bundle, or its manifest
	format      string
}

// runVerifyBundle implements "evidence verify BUNDLE".
func runVerifyBundle(ctx context.Context, path string, opts *evidence.VerifyOptions, bf bundleFlags, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "aimskit evidence verify: "+format+"\n", args...)
		return exitError
	}
	f, err := os.Open(path)
	if err != nil {
		return fail("%v", err)
	}
	defer f.Close()
	dir, err := os.MkdirTemp("", "aimskit-bundle-")
	if err != nil {
		return fail("%v", err)
	}
	defer os.RemoveAll(dir)
	m, err := bundle.Extract(f, dir, nil)
	if err != nil {
		var be *bundle.Error
		if !errors.As(err, &be) {
			return fail("%s: %v", path, err)
		}
		what := "NOT AS ITS MANIFEST SAYS"
		if errors.Is(err, bundle.ErrMalformed) {
			what = "NOT A WELL-FORMED BUNDLE"
		}
		fmt.Fprintf(stderr, "%s: %s:\n", path, what)
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "  %s\n", line)
		}
		return exitInvalid
	}
	if bf.pub != "" {
		origin := bf.origin
		if !bf.originSet {
			origin = m.Origin
		}
		if opts.Key, err = verifierKey(bf.pub, origin); err != nil {
			return fail("%v", err)
		}
	}
	if opts.Key == "" && opts.KeyRing == nil && !bf.bundledKeys {
		fmt.Fprintf(stderr, "aimskit evidence verify: %s: give the log's public key as you received it from its owner, out of band (--pub KEY, or --keyring FILE for a log whose key was rotated): "+
			"a key inside the bundle proves nothing against whoever wrote the bundle; or, to check the bundle with its own keys "+
			"and compare their fingerprints by hand, --bundled-keys\n", path)
		return exitError
	}
	var after *bundle.Manifest
	if bf.after != "" {
		if after, err = readPreviousManifest(bf.after); err != nil {
			return fail("--after %s: %v", bf.after, err)
		}
	}
	rep, err := bundle.Verify(ctx, dir, m, &bundle.VerifyOptions{Log: *opts, UseBundledAnchors: bf.bundledKeys, After: after})
	// Reports name the bundle's files, not the temporary folder.
	local := func(s string) string { return strings.ReplaceAll(s, dir+string(os.PathSeparator), "") }
	for i := range rep.Segments.Segments {
		rep.Segments.Segments[i].Path = filepath.Base(rep.Segments.Segments[i].Path)
	}
	writeAnchors(stdout, path, rep)
	if rep.BundledAnchorsUsed() {
		fmt.Fprintf(stderr, "WARNING: %s was verified with keys it carries itself. Whoever wrote the bundle chose them, so this shows only that "+
			"the evidence is intact as that party signed it. Compare these fingerprints with ones received out of band, not with the bundle:\n", path)
		for _, a := range rep.Anchors {
			if a.Used {
				fmt.Fprintf(stderr, "  %s %s: SHA-256 %s\n", a.Kind, a.Name, a.Fingerprint)
			}
		}
	}
	var (
		ve *evidence.VerifyError
		ke *evidence.KeyError
		be *bundle.Error
	)
	switch {
	case errors.As(err, &ke):
		fmt.Fprintf(stderr, "%s: REFUSED: %s\n", path, local(err.Error()))
		for _, a := range rep.Anchors {
			switch {
			case a.Kind == bundle.AnchorLogKey && a.Differs:
				fmt.Fprintf(stderr, "%s: the bundle carries another log key (%s, fingerprint %s) than the one you gave: its keys were replaced, or you hold the wrong key\n", path, a.Name, a.Fingerprint)
			case a.Kind == bundle.AnchorKeyRing && a.Differs:
				fmt.Fprintf(stderr, "%s: the bundle carries another key ring (fingerprint %s: %s) than the one you gave: its keys were replaced, or you hold the wrong ring\n", path, a.Fingerprint, a.Name)
			}
		}
		return exitInvalid
	case errors.As(err, &ve):
		where := path
		if n := len(rep.Segments.Segments); n > 0 {
			where += ": " + rep.Segments.Segments[n-1].Path
		}
		switch {
		case ve.Reason == evidence.ReasonUnwitnessed:
			fmt.Fprintf(stderr, "%s: NOT WITNESSED: %s: %s\n", where, ve.Reason, local(ve.Detail))
		case ve.Reason == evidence.ReasonBadTimestamp:
			fmt.Fprintf(stderr, "%s: TIME-STAMP REFUSED: %s: %s\n", where, ve.Reason, local(ve.Detail))
		case ve.Reason == evidence.ReasonSegmentMissing:
			fmt.Fprintf(stderr, "%s: TAMPERED: %s: %s\n", path, ve.Reason, local(ve.Detail))
		case ve.Reason == evidence.ReasonTrustedMismatch && bf.after != "":
			fmt.Fprintf(stderr, "%s: REWRITTEN SINCE %s: the history that bundle showed is not the one this bundle continues: %s: %s\n", path, bf.after, ve.Reason, local(ve.Detail))
		case ve.Index >= 0:
			fmt.Fprintf(stderr, "%s: TAMPERED at record %d: %s: %s\n", where, ve.Index, ve.Reason, local(ve.Detail))
		default:
			fmt.Fprintf(stderr, "%s: TAMPERED: %s: %s\n", where, ve.Reason, local(ve.Detail))
		}
		if bf.format == "json" {
			writeJSON(stdout, stderr, "evidence verify", rep)
		}
		return exitInvalid
	case errors.As(err, &be) && be.Problem == bundle.ProblemNotContinued:
		fmt.Fprintf(stderr, "%s: DOES NOT SHOW THAT IT CONTINUES %s: %s\n", path, bf.after, local(err.Error()))
		return exitInvalid
	case errors.As(err, &be):
		fmt.Fprintf(stderr, "%s: NOT AS ITS MANIFEST SAYS: %s\n", path, local(err.Error()))
		return exitInvalid
	case err != nil:
		return fail("%s: %s", path, local(err.Error()))
	}
	if bf.format == "json" {
		return writeJSON(stdout, stderr, "evidence verify", rep)
	}
	s := rep.Segments
	against := "the keys you gave"
	if rep.BundledAnchorsUsed() {
		against = "keys the bundle carries itself (see the WARNING)"
	}
	fmt.Fprintf(stdout, "%s: intact: %s in %s (%s to %s), each continuing the one before it, verified against %s\n",
		path, count(s.Records, "record"), count(len(s.Segments), "segment"), m.Segments[0].Name, m.Segments[len(m.Segments)-1].Name, against)
	fmt.Fprintf(stdout, "period: %s to %s; origin %s; every file as the manifest lists it\n",
		m.Period.From.Format(time.RFC3339), m.Period.To.Format(time.RFC3339), m.Origin)
	if r := s.Range; r != nil {
		fmt.Fprintf(stdout, "a range: it continues the %s of segments 1 to %d, whose final signed checkpoint segment %d holds (verified)\n",
			count(r.Before, "record"), r.First-1, r.First)
	}
	if c, err := evidence.ParseCheckpoint([]byte(m.LastCheckpoint)); err == nil {
		fmt.Fprintf(stdout, "latest checkpoint: %s of %s (the manifest's lastCheckpoint)\n",
			count(c.Size, "record"), m.Segments[len(m.Segments)-1].Name)
	}
	if after != nil {
		fmt.Fprintf(stdout, "continues %s: its latest checkpoint (of %s) is extended here, not rewritten\n",
			bf.after, after.Segments[len(after.Segments)-1].Name)
	}
	for _, sg := range s.Segments {
		fmt.Fprintf(stdout, "  %s: %s, %s\n", sg.Path, count(sg.Report.Records, "record"), count(sg.Report.Checkpoints, "signed checkpoint"))
	}
	fmt.Fprintf(stdout, "keep %s: verify the next bundle of this log with --after %s, so that a history rewritten in between is caught\n", path, path)
	return exitOK
}

// writeAnchors lists the anchors a bundle carries, with their
// fingerprints and how verification treated them.
func writeAnchors(w io.Writer, path string, rep bundle.Report) {
	if len(rep.Anchors) == 0 {
		return
	}
	fmt.Fprintf(w, "%s carries these keys; they were put there by whoever wrote it and prove nothing against that party:\n", path)
	for _, a := range rep.Anchors {
		status := "not used"
		switch {
		case a.Used:
			status = "USED: compare this fingerprint with one received out of band"
		case a.Differs:
			status = "DIFFERS from the one you gave; not used"
		case a.Matches:
			status = "the same as the one you gave"
		}
		fmt.Fprintf(w, "  %-9s %-16s %s  SHA-256 %s  (%s)\n", a.Kind, a.File, a.Name, a.Fingerprint, status)
	}
}
