package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/timestamp"
)

// defaultOrigin names the signer of log checkpoints when --origin is not
// given.
const defaultOrigin = "aimskit"

func runKeygen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("keygen", "--out PREFIX", stderr)
	out := fs.String("out", "", "write PREFIX.key (private, mode 0600) and PREFIX.pub")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "aimskit keygen: --out PREFIX is required and takes no arguments")
		return exitError
	}
	pub, priv, err := evidence.GenerateKey(rand.Reader)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit keygen: %v\n", err)
		return exitError
	}
	privPEM, err := evidence.MarshalPrivateKey(priv)
	if err == nil {
		err = writeNew(*out+".key", privPEM, 0o600)
	}
	var pubPEM []byte
	if err == nil {
		pubPEM, err = evidence.MarshalPublicKey(pub)
	}
	if err == nil {
		err = writeNew(*out+".pub", pubPEM, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "aimskit keygen: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %s.key and %s.pub (key id %s)\n", *out, *out, evidence.KeyID(pub))
	return exitOK
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readPrivateKey(path string) (*evidence.Ed25519Signer, ed25519.PrivateKey, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, nil, fmt.Errorf("private key %s is open to others (mode %04o); run chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	priv, err := evidence.ParsePrivateKey(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	s, err := evidence.NewEd25519Signer(priv)
	return s, priv, err
}

func runEvidence(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "verify":
			return runVerify(ctx, args[1:], stdout, stderr)
		case "prove":
			return runProve(ctx, args[1:], stdout, stderr)
		case "check":
			return runCheck(ctx, args[1:], stdout, stderr)
		case "verify-attestation":
			return runVerifyAttestation(ctx, args[1:], stdout, stderr)
		case "timestamp":
			return runTimestamp(ctx, args[1:], stdout, stderr)
		case "prune":
			return runPrune(ctx, args[1:], stdout, stderr)
		case "bundle":
			return runBundle(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "Usage:\n"+
		"  aimskit evidence verify [--pub KEY [--origin NAME] | --keyring FILE] [--trusted CHECKPOINT] [--allow-unanchored N] [--tsa-cert CERT] [--witness KEY ... [--witness-quorum N]] [--start FILE] [--workers N] LOG\n"+
		"  aimskit evidence verify (--pub KEY | --keyring FILE) [--retention-months N [--high-risk]] ... DIR | SEGMENT...\n"+
		"  aimskit evidence verify (--pub KEY [--origin NAME] | --keyring FILE | --bundled-keys) [--witness KEY ...] [--tsa-cert CERT] [--after PREVIOUS.tar] BUNDLE.tar\n"+
		"  aimskit evidence bundle (--pub KEY | --keyring FILE) [--witness KEY ...] [--tsa-cert CERT] [--from DAY] [--to DAY] [--first N] [--last N] --out BUNDLE.tar DIR\n"+
		"  aimskit evidence timestamp --tsa URL [--tsa-cert CERT] LOG\n"+
		"  aimskit evidence prune --retention-months N [--high-risk] DIR\n"+
		"  aimskit evidence prove (--index N | --old SIZE | --trusted CHECKPOINT) LOG\n"+
		"  aimskit evidence check --pub KEY [--origin NAME] [--trusted CHECKPOINT] PROOF.json\n"+
		"  aimskit evidence verify-attestation --pub KEY [--artifact FILE ...] BUNDLE.intoto.jsonl")
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return exitOK
	}
	return exitError
}

// runVerify implements "evidence verify".
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence verify", "[--pub KEY] LOG", stderr)
	pubFile := fs.String("pub", "", "public key (PEM) that signed the log's checkpoints; every record must then be covered by a signed checkpoint")
	origin := fs.String("origin", defaultOrigin, "name of the checkpoint signer (the log's origin)")
	trustedFile := fs.String("trusted", "", "a signed checkpoint kept from an earlier visit (a line of the .checkpoints file, or the note): the log must extend it (needs --pub)")
	startFile := fs.String("start", "", "the chain state before the log's first record, for a range that does not start at record 0 (the .start file of an export)")
	unanchored := fs.Int64("allow-unanchored", 0, "accept up to N records at the end not yet covered by a signed checkpoint, for a log still being written")
	tsaCertFile := fs.String("tsa-cert", "", "certificate (PEM) of the time-stamping authority: the RFC 3161 time-stamps in LOG.timestamps must verify with it, offline (needs --pub)")
	retentionMonths := fs.Int("retention-months", 0, "for a segmented log (a folder, or several segment files): the oldest segments may be missing if they closed at least N months ago (retention, not tampering)")
	highRisk := fs.Bool("high-risk", false, "the log is of a high-risk AI system: a --retention-months under 6 is an error (EU AI Act Art. 19(1), 26(6))")
	format := fs.String("format", "text", "output format: text or json")
	workers := fs.Int("workers", 0, "goroutines that check and hash records in parallel (default: one per CPU; 1 reads and checks line by line)")
	keyringFile := fs.String("keyring", "", "a key ring file (JSON: the log's keys over its life, each with the log sizes it may sign; for segments, sizes count the whole chain), instead of --pub, for a log whose key was rotated")
	var witnesses listValue
	fs.Var(&witnesses, "witness", "a witness's verifier key (name+hash+key, as witness key prints it) or a file holding one: the latest checkpoint must carry its cosignature (repeatable)")
	quorum := fs.Int("witness-quorum", 0, "how many of the --witness keys must have cosigned (default: all)")
	afterFile := fs.String("after", "", "for a bundle: the auditor's previous bundle of the same log (or its MANIFEST.json), kept from the last visit; this bundle must continue it, so that a history rewritten between the two visits fails")
	bundledKeys := fs.Bool("bundled-keys", false, "for a bundle (aimskit evidence bundle): verify with the keys and certificate it carries where you give none, and print their fingerprints to compare with ones received out of band; keys inside a bundle prove nothing against whoever wrote it")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() < 1 {
		fmt.Fprintln(stderr, "aimskit evidence verify: want one LOG, a folder of segments, segment files, or a bundle")
		return exitError
	}
	bundled := fs.NArg() == 1 && isBundle(fs.Arg(0))
	if (*bundledKeys || *afterFile != "") && !bundled {
		fmt.Fprintln(stderr, "aimskit evidence verify: --bundled-keys and --after apply to a bundle (aimskit evidence bundle)")
		return exitError
	}
	if bundled {
		switch {
		case *startFile != "" || *retentionMonths != 0 || *highRisk || *trustedFile != "":
			fmt.Fprintln(stderr, "aimskit evidence verify: --start, --trusted, --retention-months and --high-risk do not apply to a bundle")
			return exitError
		}
	}
	segmented := fs.NArg() > 1
	if st, err := os.Stat(fs.Arg(0)); err == nil && st.IsDir() {
		segmented = true
	}
	if !segmented && (*retentionMonths != 0 || *highRisk) {
		fmt.Fprintln(stderr, "aimskit evidence verify: --retention-months and --high-risk apply to a segmented log (a folder, or several segment files)")
		return exitError
	}
	if *unanchored < 0 {
		fmt.Fprintln(stderr, "aimskit evidence verify: --allow-unanchored must not be negative")
		return exitError
	}
	if *workers < 0 {
		fmt.Fprintln(stderr, "aimskit evidence verify: --workers must not be negative")
		return exitError
	}
	opts := &evidence.VerifyOptions{MaxUnanchored: *unanchored, Workers: *workers}
	if *pubFile != "" {
		var err error
		if opts.Key, err = verifierKey(*pubFile, *origin); err != nil {
			fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
			return exitError
		}
	}
	if *keyringFile != "" {
		if *pubFile != "" {
			fmt.Fprintln(stderr, "aimskit evidence verify: give --pub or --keyring, not both")
			return exitError
		}
		var err error
		if opts.KeyRing, err = evidence.ReadKeyRing(*keyringFile); err != nil {
			fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
			return exitError
		}
	}
	for _, w := range witnesses {
		k, err := witnessKey(w)
		if err != nil {
			fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
			return exitError
		}
		opts.Witnesses = append(opts.Witnesses, k)
	}
	if (len(witnesses) > 0 || *quorum != 0) && *pubFile == "" && *keyringFile == "" && !*bundledKeys {
		fmt.Fprintln(stderr, "aimskit evidence verify: --witness needs --pub or --keyring")
		return exitError
	}
	if *quorum < 0 || *quorum > len(witnesses) {
		fmt.Fprintf(stderr, "aimskit evidence verify: --witness-quorum %d with %d --witness keys\n", *quorum, len(witnesses))
		return exitError
	}
	opts.WitnessQuorum = *quorum
	if *trustedFile != "" {
		if *pubFile == "" && *keyringFile == "" {
			fmt.Fprintln(stderr, "aimskit evidence verify: --trusted needs --pub or --keyring")
			return exitError
		}
		var err error
		if opts.Trusted, err = readCheckpointFile(*trustedFile); err != nil {
			fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
			return exitError
		}
	}
	if *tsaCertFile != "" {
		if *pubFile == "" && *keyringFile == "" && !*bundledKeys {
			fmt.Fprintln(stderr, "aimskit evidence verify: --tsa-cert needs --pub or --keyring")
			return exitError
		}
		var err error
		if opts.TSACert, err = readTSACert(*tsaCertFile); err != nil {
			fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
			return exitError
		}
	}
	if *startFile != "" {
		var err error
		if opts.Start, err = evidence.ReadStartFile(*startFile); err != nil {
			fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
			return exitError
		}
	}
	if bundled {
		originSet := false
		fs.Visit(func(f *flag.Flag) { originSet = originSet || f.Name == "origin" })
		opts.Key = ""
		return runVerifyBundle(ctx, fs.Arg(0), opts, bundleFlags{pub: *pubFile, origin: *origin, originSet: originSet, bundledKeys: *bundledKeys, after: *afterFile, format: *format}, stdout, stderr)
	}
	if segmented {
		if *pubFile == "" && *keyringFile == "" {
			fmt.Fprintln(stderr, "aimskit evidence verify: a segmented log needs --pub or --keyring: each segment commits to the previous one's signed checkpoint")
			return exitError
		}
		ret := evidence.Retention{Months: *retentionMonths, HighRisk: *highRisk}
		return runVerifySegments(ctx, fs.Args(), opts, ret, *format, stdout, stderr)
	}
	log := fs.Arg(0)
	rep, err := evidence.VerifyFile(ctx, log, opts)
	var ve *evidence.VerifyError
	var ke *evidence.KeyError
	switch {
	case errors.As(err, &ve):
		if ve.Index == 0 && ve.Reason == evidence.ReasonBadJSON && strings.HasSuffix(log, ".intoto.jsonl") {
			fmt.Fprintf(stderr, "%s: not an evidence log: for an attestation bundle, run aimskit evidence verify-attestation --pub KEY %s\n", log, log)
			return exitInvalid
		}
		switch {
		case ve.Reason == evidence.ReasonUnwitnessed:
			fmt.Fprintf(stderr, "%s: NOT WITNESSED: %s: %s\n", log, ve.Reason, ve.Detail)
		case ve.Reason == evidence.ReasonBadTimestamp:
			fmt.Fprintf(stderr, "%s: TIME-STAMP REFUSED (%s): %s: %s\n", log, log+evidence.TimestampsSuffix, ve.Reason, ve.Detail)
		case ve.Index >= 0:
			fmt.Fprintf(stderr, "%s: TAMPERED at record %d: %s: %s\n", log, ve.Index, ve.Reason, ve.Detail)
		default:
			fmt.Fprintf(stderr, "%s: TAMPERED in checkpoint %d of %s: %s: %s\n", log, ve.Checkpoint, log+evidence.CheckpointsSuffix, ve.Reason, ve.Detail)
		}
		if *format == "json" {
			writeJSON(stdout, stderr, "evidence verify", rep)
		} else {
			writeChecks(stdout, rep)
		}
		return exitInvalid
	case errors.As(err, &ke):
		fmt.Fprintf(stderr, "aimskit evidence verify: not verified: %v\n(this is a mistake in the key or --origin given, not a sign of tampering; with the log's own key and origin it may well verify)\n", err)
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
		return exitError
	}
	if *format == "json" {
		return writeJSON(stdout, stderr, "evidence verify", rep)
	}
	from := ""
	if rep.Start > 0 {
		from = fmt.Sprintf(" from record %d (continuing the given start state)", rep.Start)
	}
	witnessed := ""
	if len(opts.Witnesses) > 0 {
		witnessed = fmt.Sprintf(", the latest checkpoint (%s) cosigned by %d of %d witnesses", count(rep.Witnessed, "record"), len(rep.Cosigners), len(opts.Witnesses))
	}
	fmt.Fprintf(stdout, "%s: intact: %s%s, %s, %s anchored by a checkpoint%s\n",
		log, count(rep.Records, "record"), from, count(rep.Checkpoints, "signed checkpoint"), count(rep.Anchored, "record"), witnessed)
	writeChecks(stdout, rep)
	if rep.InProgress > 0 {
		fmt.Fprintf(stdout, "(%d bytes after the last record: a record still being written, or the torn tail of a crash, which the next writer moves aside)\n", rep.InProgress)
	}
	return exitOK
}

// writeChecks writes what each check of a verification established.
func writeChecks(w io.Writer, rep evidence.VerifyReport) {
	for _, c := range rep.Checks {
		fmt.Fprintf(w, "  %-13s %-12s %s\n", c.Name, c.Status, c.Detail)
	}
}

// readCheckpointFile reads a signed checkpoint: the text of the note, or
// a line of a checkpoints file ({"note": "..."}), or a whole checkpoints
// file, whose last checkpoint it takes.
func readCheckpointFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(b)
	if !bytes.HasPrefix(trimmed, []byte("{")) {
		return b, nil
	}
	lines := bytes.Split(trimmed, []byte("\n"))
	var cl struct {
		Note string `json:"note"`
	}
	if err := json.Unmarshal(lines[len(lines)-1], &cl); err != nil || cl.Note == "" {
		return nil, fmt.Errorf("%s: not a signed checkpoint (want the note, or a line of a .checkpoints file)", path)
	}
	return []byte(cl.Note), nil
}

// readTSACert reads the certificate of a time-stamping authority.
func readTSACert(path string) (*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := timestamp.ParseCertificate(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// runTimestamp implements "evidence timestamp": it asks the
// time-stamping authority at --tsa for an RFC 3161 time-stamp of the
// latest checkpoint of LOG and appends it to LOG.timestamps.
func runTimestamp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence timestamp", "--tsa URL LOG", stderr)
	url := fs.String("tsa", "", "URL of the RFC 3161 time-stamping authority to ask (the only address contacted)")
	certFile := fs.String("tsa-cert", "", "certificate (PEM) of the authority: the token is verified with it before it is kept")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if *url == "" || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "aimskit evidence timestamp: want --tsa URL and one LOG")
		return exitError
	}
	log := fs.Arg(0)
	client := &timestamp.Client{URL: *url}
	if *certFile != "" {
		var err error
		if client.Cert, err = readTSACert(*certFile); err != nil {
			fmt.Fprintf(stderr, "aimskit evidence timestamp: %v\n", err)
			return exitError
		}
	}
	signed, err := readCheckpointFile(log + evidence.CheckpointsSuffix)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence timestamp: %v\n", err)
		return exitError
	}
	c, err := evidence.ParseCheckpoint(signed)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence timestamp: %s%s: %v\n", log, evidence.CheckpointsSuffix, err)
		return exitError
	}
	if _, err := evidence.AppendTimestamp(ctx, log, signed, client); err != nil {
		fmt.Fprintf(stderr, "aimskit evidence timestamp: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: time-stamped the checkpoint of %s by %s; the token is in %s\n", log, count(c.Size, "record"), *url, log+evidence.TimestampsSuffix)
	return exitOK
}
