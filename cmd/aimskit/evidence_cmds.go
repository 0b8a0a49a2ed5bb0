package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/aimskit/aimskit/aims/evidence"
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
		case "prove":
			return runProve(ctx, args[1:], stdout, stderr)
		case "check":
			return runCheck(ctx, args[1:], stdout, stderr)
		}
	}
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "Usage:\n  aimskit evidence verify [--pub KEY] [--origin NAME] LOG\n  aimskit evidence prove (--index N | --old SIZE) LOG\n  aimskit evidence check --pub KEY PROOF.json")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitError
	}
	fs := newFlags("evidence verify", "[--pub KEY] LOG", stderr)
	pubFile := fs.String("pub", "", "public key (PEM) that signed the log's checkpoints")
	origin := fs.String("origin", defaultOrigin, "name of the checkpoint signer")
	format := fs.String("format", "text", "output format: text or json")
	if err := fs.Parse(interspersed(fs, args[1:])); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "aimskit evidence verify: want one LOG")
		return exitError
	}
	vkey := ""
	if *pubFile != "" {
		var err error
		if vkey, err = verifierKey(*pubFile, *origin); err != nil {
			fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
			return exitError
		}
	}
	log := fs.Arg(0)
	if _, err := os.Stat(log); err != nil {
		fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
		return exitError
	}
	rep, err := evidence.VerifyFile(ctx, log, vkey)
	var ve *evidence.VerifyError
	switch {
	case errors.As(err, &ve):
		fmt.Fprintf(stderr, "%s: TAMPERED at record %d: %s: %s\n", log, ve.Index, ve.Reason, ve.Detail)
		return exitInvalid
	case err != nil:
		fmt.Fprintf(stderr, "aimskit evidence verify: %v\n", err)
		return exitError
	}
	if *format == "json" {
		return writeJSON(stdout, stderr, "evidence verify", rep)
	}
	if rep.Start > 0 {
		fmt.Fprintf(stdout, "%s: intact: %d records from record %d, continuing the chain state in %s; %d signed checkpoints, %d records anchored by a checkpoint\n",
			log, rep.Records, rep.Start, log+evidence.StartSuffix, rep.Checkpoints, rep.Anchored)
		if rep.Anchored < rep.Start {
			fmt.Fprintf(stdout, "(no verified checkpoint covers record %d: the chain state in %s is taken on trust)\n", rep.Start, log+evidence.StartSuffix)
		}
	} else {
		fmt.Fprintf(stdout, "%s: intact: %d records, %d signed checkpoints, %d records anchored by a checkpoint\n",
			log, rep.Records, rep.Checkpoints, rep.Anchored)
	}
	if vkey == "" {
		fmt.Fprintln(stdout, "(hash links only: give --pub to verify the signed checkpoints)")
	}
	return exitOK
}
