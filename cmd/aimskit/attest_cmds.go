package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
)

// filesFlag collects the values of a repeatable flag.
type filesFlag []string

func (f *filesFlag) String() string { return strings.Join(*f, ",") }

func (f *filesFlag) Set(s string) error {
	if s == "" {
		return errors.New("empty file name")
	}
	*f = append(*f, s)
	return nil
}

// attestationReport is the JSON output of evidence verify-attestation.
type attestationReport struct {
	Bundle    string                  `json:"bundle"`
	KeyID     string                  `json:"keyId"`
	Verified  bool                    `json:"verified"`
	Artifacts []evidence.Subject      `json:"artifacts,omitempty"`
	Envelopes []attest.EnvelopeReport `json:"envelopes"`
}

// runVerifyAttestation verifies the DSSE envelopes of an in-toto bundle
// written by "gate --attest": signatures, statement, predicate schema and,
// with --artifact, the digests of the released files.
func runVerifyAttestation(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "evidence verify-attestation"
	fs := newFlags(name, "--pub KEY [--artifact FILE ...] BUNDLE.intoto.jsonl", stderr)
	pubFile := fs.String("pub", "", "Ed25519 public key (PEM) that signed the attestations")
	var artifactFiles filesFlag
	fs.Var(&artifactFiles, "artifact", "a released file every statement must name as a subject, by SHA-256 digest (repeatable)")
	format := fs.String("format", "text", "output format: text or json")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if *pubFile == "" || fs.NArg() != 1 {
		fmt.Fprintf(stderr, "aimskit %s: want --pub KEY and one BUNDLE\n", name)
		fs.Usage()
		return exitError
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "aimskit %s: unknown format %q (want text or json)\n", name, *format)
		return exitError
	}
	bundle := fs.Arg(0)
	verifier, err := readPublicKey(*pubFile)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit %s: %v\n", name, err)
		return exitError
	}
	keyID, _ := verifier.KeyID()
	bv, err := attest.NewBundleVerifier(verifier)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit %s: %v\n", name, err)
		return exitError
	}
	opts := &attest.BundleOptions{}
	for _, path := range artifactFiles {
		s, err := digestFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "aimskit %s: artifact: %v\n", name, err)
			return exitError
		}
		opts.Artifacts = append(opts.Artifacts, s)
	}
	f, err := os.Open(bundle)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit %s: %v\n", name, err)
		return exitError
	}
	defer f.Close()
	rep, err := bv.Verify(ctx, f, opts)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit %s: %s: %v\n", name, bundle, err)
		return exitError
	}
	code := exitOK
	if !rep.Verified() {
		code = exitInvalid
	}
	if *format == "json" {
		out := attestationReport{Bundle: bundle, KeyID: keyID, Verified: rep.Verified(), Artifacts: opts.Artifacts, Envelopes: rep.Envelopes}
		if c := writeJSON(stdout, stderr, name, out); c != exitOK {
			return c
		}
		return code
	}
	failed := 0
	for _, e := range rep.Envelopes {
		if e.Verified() {
			fmt.Fprintf(stdout, "%s:%d: verified: %s\n", bundle, e.Line, describeStatement(e))
			continue
		}
		failed++
		for _, p := range e.Problems {
			where := ""
			if p.Pointer != "" {
				where = " at " + p.Pointer
			}
			fmt.Fprintf(stderr, "%s:%d: %s%s: %s\n", bundle, e.Line, p.Check, where, p.Message)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "%s: %d of %d envelopes do not verify\n", bundle, failed, len(rep.Envelopes))
		return code
	}
	fmt.Fprintf(stdout, "%s: %s verified with key %s\n", bundle, envelopes(len(rep.Envelopes)), keyID)
	if len(opts.Artifacts) == 0 {
		fmt.Fprintln(stdout, "(signatures and predicates only: give --artifact to check the released files)")
	}
	return code
}

// describeStatement says, on one line, what a verified envelope attests:
// the predicate type, the subjects and, for a gate decision, its outcome,
// AI system and transition.
func describeStatement(e attest.EnvelopeReport) string {
	st := e.Statement
	names := make([]string, len(st.Subject))
	for i, s := range st.Subject {
		names[i] = s.Name
		if s.Name == "" {
			alg := slices.Min(slices.Collect(maps.Keys(s.Digest)))
			names[i] = alg + ":" + s.Digest[alg]
		}
	}
	out := fmt.Sprintf("%s about %s", st.PredicateType, strings.Join(names, ", "))
	if d := e.Decision; d != nil {
		out += fmt.Sprintf(": %s, system %s, %s -> %s", d.Outcome, d.SystemID, d.Transition.From, d.Transition.To)
	}
	return out
}

// envelopes returns "1 envelope" or "N envelopes".
func envelopes(n int) string {
	if n == 1 {
		return "1 envelope"
	}
	return fmt.Sprintf("%d envelopes", n)
}

// readPublicKey reads an Ed25519 public key in PEM, as keygen writes it.
func readPublicKey(path string) (*evidence.Ed25519Verifier, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pub, err := evidence.ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return evidence.NewEd25519Verifier(pub)
}

// digestFile returns a subject named path with the SHA-256 digest of the
// file's content.
func digestFile(path string) (evidence.Subject, error) {
	f, err := os.Open(path)
	if err != nil {
		return evidence.Subject{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return evidence.Subject{}, fmt.Errorf("%s: %w", path, err)
	}
	return evidence.Subject{Name: path, Digest: map[string]string{"sha256": hex.EncodeToString(h.Sum(nil))}}, nil
}
