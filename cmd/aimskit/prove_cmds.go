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
	"strconv"

	"github.com/aimskit/aimskit/aims/evidence"
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

// runProve implements "evidence prove" and "evidence check".
func runProve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence prove", "(--index N | --old SIZE) LOG", stderr)
	index := fs.Int64("index", -1, "prove that the record at this index is in the log")
	old := fs.Int64("old", 0, "prove that the log of this size is a prefix of the log now")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() != 1 || (*index < 0) == (*old <= 0) {
		fmt.Fprintln(stderr, "aimskit evidence prove: give one LOG and either --index N or --old SIZE")
		return exitError
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence prove: %v\n", err)
		return exitError
	}
	log, err := evidence.OpenFile(path, nil)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence prove: %v\n", err)
		return exitError
	}
	defer log.Close(ctx)
	cp, err := latestCheckpoint(path + evidence.CheckpointsSuffix)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence prove: %v\n", err)
		return exitError
	}
	size, err := checkpointSize(cp)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence prove: %s has no signed checkpoint to prove against: %v\n", path, err)
		return exitError
	}
	if *index >= 0 {
		proof, err := log.ProveInclusion(*index, size)
		if err != nil {
			fmt.Fprintf(stderr, "aimskit evidence prove: %v (the latest checkpoint covers %d records)\n", err, size)
			return exitError
		}
		lines := bytes.Split(data, []byte("\n"))
		return writeJSON(stdout, stderr, "evidence prove", inclusionBundle{Line: string(lines[*index]), Checkpoint: string(cp), Proof: proof})
	}
	proof, err := log.ProveConsistency(*old, size)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence prove: %v (the latest checkpoint covers %d records)\n", err, size)
		return exitError
	}
	return writeJSON(stdout, stderr, "evidence prove", consistencyBundle{Checkpoint: string(cp), Proof: proof})
}

// latestCheckpoint returns the last signed checkpoint of a checkpoints
// file, one {"note": "..."} JSON object per line.
func latestCheckpoint(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	var cp struct {
		Note string `json:"note"`
	}
	if err := json.Unmarshal(lines[len(lines)-1], &cp); err != nil {
		return nil, fmt.Errorf("%s: last line is not a checkpoint: %v", path, err)
	}
	return []byte(cp.Note), nil
}

// checkpointSize reads the tree size, the second line of a checkpoint.
func checkpointSize(cp []byte) (int64, error) {
	if len(cp) == 0 {
		return 0, errors.New("no checkpoint")
	}
	lines := bytes.SplitN(cp, []byte("\n"), 3)
	if len(lines) < 3 {
		return 0, errors.New("malformed checkpoint")
	}
	return strconv.ParseInt(string(lines[1]), 10, 64)
}

// runCheck implements "evidence check --pub KEY PROOF": it verifies an
// inclusion proof printed by "evidence prove --index".
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("evidence check", "--pub KEY PROOF.json", stderr)
	pubFile := fs.String("pub", "", "public key (PEM) that signed the log's checkpoints")
	origin := fs.String("origin", defaultOrigin, "name of the checkpoint signer")
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
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "aimskit evidence check: %v\n", err)
		return exitError
	}
	var in inclusionBundle
	if err := json.Unmarshal(b, &in); err != nil || in.Proof == nil {
		fmt.Fprintf(stderr, "aimskit evidence check: %s is not an inclusion proof from \"aimskit evidence prove --index\"\n", fs.Arg(0))
		return exitError
	}
	if err := evidence.CheckInclusion([]byte(in.Checkpoint), vkey, []byte(in.Line), in.Proof); err != nil {
		fmt.Fprintf(stderr, "%s: proof does NOT hold: %v\n", fs.Arg(0), err)
		return exitInvalid
	}
	fmt.Fprintf(stdout, "%s: record %d is in the log of %d records signed by %s\n", fs.Arg(0), in.Proof.Index, in.Proof.TreeSize, *origin)
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
