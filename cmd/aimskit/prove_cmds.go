package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aimskit/aimskit/aims/evidence"
	"golang.org/x/mod/sumdb/tlog"
)

// inclusionBundle is what "evidence prove --index" prints: everything an
// auditor needs to check, with the log's public key alone, that one
// record is in the log.
type inclusionBundle struct {
	Line       string                   `json:"line"`
	Checkpoint string                   `json:"checkpoint"`
	Proof      *evidence.InclusionProof `json:"proof"`
}

// consistencyBundle is what "evidence prove --old" prints.
type consistencyBundle struct {
	OldCheckpoint string                     `json:"oldCheckpoint,omitempty"`
	Checkpoint    string                     `json:"checkpoint"`
	Proof         *evidence.ConsistencyProof `json:"proof"`
}

// runProve implements "evidence prove". It reads the log and its
// checkpoints without the writer's lock and changes nothing, so it runs
// beside a live writer.
func runProve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence prove", "(--index N | --old SIZE | --trusted CHECKPOINT) LOG", stderr)
	index := fs.Int64("index", -1, "prove that the record at this index is in the log")
	old := fs.Int64("old", 0, "prove that the log of this size, as its signed checkpoint of that size says, is a prefix of the log now")
	trustedFile := fs.String("trusted", "", "prove that the log now extends this signed checkpoint (a line of the .checkpoints file, or the note)")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	modes := 0
	for _, set := range []bool{*index >= 0, *old > 0, *trustedFile != ""} {
		if set {
			modes++
		}
	}
	if fs.NArg() != 1 || modes != 1 {
		fmt.Fprintln(stderr, "aimskit evidence prove: give one LOG and one of --index N, --old SIZE or --trusted CHECKPOINT")
		return exitError
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "aimskit evidence prove: "+format+"\n", a...)
		return exitError
	}
	path := fs.Arg(0)
	// The checkpoints first: the writer writes records before the
	// checkpoints that cover them.
	cps, err := checkpointNotes(path + evidence.CheckpointsSuffix)
	if err != nil {
		return fail("%v", err)
	}
	if len(cps) == 0 {
		return fail("%s has no signed checkpoint to prove against", path)
	}
	cp := cps[len(cps)-1]
	data, err := os.ReadFile(path)
	if err != nil {
		return fail("%v", err)
	}
	prover, err := evidence.NewProver(ctx, bytes.NewReader(data))
	if err != nil {
		return fail("%v", err)
	}
	if prover.Len() < cp.size {
		return fail("%s holds %s, fewer than its latest checkpoint's %d: run \"aimskit evidence verify\"", path, count(prover.Len(), "record"), cp.size)
	}
	if root, err := prover.Root(cp.size); err != nil || root != cp.root {
		return fail("%s does not match its latest checkpoint: run \"aimskit evidence verify\"", path)
	}
	if *index >= 0 {
		proof, err := prover.ProveInclusion(*index, cp.size)
		if err != nil {
			return fail("%v (the latest checkpoint covers %s)", err, count(cp.size, "record"))
		}
		lines := bytes.Split(data, []byte("\n"))
		return writeJSON(stdout, stderr, "evidence prove", inclusionBundle{Line: string(lines[*index]), Checkpoint: string(cp.note), Proof: proof})
	}
	bundle := consistencyBundle{Checkpoint: string(cp.note)}
	if *trustedFile != "" {
		b, err := readCheckpointFile(*trustedFile)
		if err != nil {
			return fail("%v", err)
		}
		if *old, err = checkpointSize(b); err != nil {
			return fail("%s: %v", *trustedFile, err)
		}
		bundle.OldCheckpoint = string(b)
	} else {
		for _, c := range cps {
			if c.size == *old {
				bundle.OldCheckpoint = string(c.note)
			}
		}
	}
	if bundle.Proof, err = prover.ProveConsistency(*old, cp.size); err != nil {
		return fail("%v (the latest checkpoint covers %s)", err, count(cp.size, "record"))
	}
	if bundle.OldCheckpoint == "" {
		fmt.Fprintf(stderr, "aimskit evidence prove: no signed checkpoint of %s in %s: check the proof with --trusted and the checkpoint you kept\n",
			count(*old, "record"), path+evidence.CheckpointsSuffix)
	}
	return writeJSON(stdout, stderr, "evidence prove", bundle)
}

// checkpointNote is one signed checkpoint of a checkpoints file, not
// verified.
type checkpointNote struct {
	note []byte
	size int64
	root tlog.Hash
}

// checkpointNotes reads the complete lines of a checkpoints file, without
// verifying the signatures; an incomplete last line is one still being
// written.
func checkpointNotes(path string) ([]checkpointNote, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	b = b[:bytes.LastIndexByte(b, '\n')+1]
	var out []checkpointNote
	for i, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var cl struct {
			Note string `json:"note"`
		}
		if err := json.Unmarshal(line, &cl); err != nil {
			return nil, fmt.Errorf("%s: line %d is not a checkpoint: %v", path, i+1, err)
		}
		c, err := evidence.ParseCheckpoint([]byte(cl.Note))
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %v", path, i+1, err)
		}
		out = append(out, checkpointNote{note: []byte(cl.Note), size: c.Size, root: c.Root})
	}
	return out, nil
}

// checkpointSize reads the tree size of a signed checkpoint, without
// verifying it.
func checkpointSize(cp []byte) (int64, error) {
	c, err := evidence.ParseCheckpoint(cp)
	if err != nil {
		return 0, err
	}
	return c.Size, nil
}

// runCheck implements "evidence check --pub KEY PROOF": it verifies an
// inclusion or consistency proof printed by "evidence prove".
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence check", "--pub KEY PROOF.json", stderr)
	pubFile := fs.String("pub", "", "public key (PEM) that signed the log's checkpoints")
	origin := fs.String("origin", defaultOrigin, "name of the checkpoint signer")
	trustedFile := fs.String("trusted", "", "for a consistency proof: the signed checkpoint you kept, instead of the one in the proof")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() != 1 || *pubFile == "" {
		fmt.Fprintln(stderr, "aimskit evidence check: give --pub KEY and one PROOF file")
		return exitError
	}
	vkey, err := verifierKey(*pubFile, *origin)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence check: %v\n", err)
		return exitError
	}
	name := fs.Arg(0)
	b, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence check: %v\n", err)
		return exitError
	}
	var kind struct {
		Proof map[string]json.RawMessage `json:"proof"`
	}
	if err := json.Unmarshal(b, &kind); err != nil || kind.Proof == nil {
		fmt.Fprintf(stderr, "aimskit evidence check: %s is not a proof from \"aimskit evidence prove\"\n", name)
		return exitError
	}
	var what string
	if _, ok := kind.Proof["oldSize"]; ok {
		var in consistencyBundle
		if err := json.Unmarshal(b, &in); err != nil || in.Proof == nil {
			fmt.Fprintf(stderr, "aimskit evidence check: %s: not a consistency proof: %v\n", name, err)
			return exitError
		}
		old := []byte(in.OldCheckpoint)
		if *trustedFile != "" {
			if old, err = readCheckpointFile(*trustedFile); err != nil {
				fmt.Fprintf(stderr, "aimskit evidence check: %v\n", err)
				return exitError
			}
		}
		if len(old) == 0 {
			fmt.Fprintf(stderr, "aimskit evidence check: %s has no signed checkpoint of %s: give the one you kept with --trusted\n", name, count(in.Proof.OldSize, "record"))
			return exitError
		}
		err = evidence.CheckConsistency(old, []byte(in.Checkpoint), vkey, in.Proof)
		what = fmt.Sprintf("the log of %s signed by %s extends its signed log of %s: nothing in it was changed or removed", count(in.Proof.NewSize, "record"), *origin, count(in.Proof.OldSize, "record"))
	} else {
		var in inclusionBundle
		if err := json.Unmarshal(b, &in); err != nil || in.Proof == nil {
			fmt.Fprintf(stderr, "aimskit evidence check: %s: not an inclusion proof: %v\n", name, err)
			return exitError
		}
		err = evidence.CheckInclusion([]byte(in.Checkpoint), vkey, []byte(in.Line), in.Proof)
		what = fmt.Sprintf("record %d is in the log of %s signed by %s", in.Proof.Index, count(in.Proof.TreeSize, "record"), *origin)
	}
	var ke *evidence.KeyError
	switch {
	case errors.As(err, &ke):
		fmt.Fprintf(stderr, "aimskit evidence check: not checked: %v\n", err)
		return exitError
	case errors.Is(err, evidence.ErrMalformed):
		fmt.Fprintf(stderr, "aimskit evidence check: %s: %v\n", name, err)
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "%s: proof does NOT hold: %v\n", name, err)
		return exitInvalid
	}
	fmt.Fprintf(stdout, "%s: %s\n", name, what)
	return exitOK
}

func verifierKey(pubFile, origin string) (string, error) {
	b, err := os.ReadFile(pubFile)
	if err != nil {
		return "", err
	}
	pub, err := evidence.ParsePublicKey(b)
	if err != nil {
		return "", fmt.Errorf("%s: %w", pubFile, err)
	}
	return evidence.NoteVerifierKey(origin, pub)
}
