package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/witness"
)

// listValue is a repeatable string flag.
type listValue []string

func (l *listValue) String() string     { return strings.Join(*l, ", ") }
func (l *listValue) Set(s string) error { *l = append(*l, s); return nil }

func runWitness(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return runWitnessServe(ctx, args[1:], stdout, stderr)
		case "key":
			return runWitnessKey(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "Usage:\n"+
		"  aimskit witness serve --addr HOST:PORT --key KEYFILE --name NAME --log LOGKEY [--log LOGKEY ...] --state FILE\n"+
		"  aimskit witness key --key KEYFILE --name NAME")
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return exitOK
	}
	return exitError
}

// witnessCosigner reads the witness's private key and names it.
func witnessCosigner(keyFile, name string) (*evidence.Cosigner, error) {
	if keyFile == "" || name == "" {
		return nil, errors.New("--key KEYFILE and --name NAME are required")
	}
	_, priv, err := readPrivateKey(keyFile)
	if err != nil {
		return nil, err
	}
	return evidence.NewCosigner(name, priv)
}

// runWitnessKey implements "witness key": it prints the witness's
// verifier key, which verifiers give to "evidence verify --witness".
func runWitnessKey(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("witness key", "--key KEYFILE --name NAME", stderr)
	keyFile := fs.String("key", "", "the witness's private key (PEM, as keygen writes it)")
	name := fs.String("name", "", "the witness's name, usually a schema-less URL")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	c, err := witnessCosigner(*keyFile, *name)
	if err != nil {
		fmt.Fprintf(stderr, "aimskit witness key: %v\n", err)
		return exitError
	}
	fmt.Fprintln(stdout, c.Key())
	return exitOK
}

// runWitnessServe implements "witness serve": it serves the C2SP
// tlog-witness add-checkpoint call until interrupted.
func runWitnessServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("witness serve", "--addr HOST:PORT --key KEYFILE --name NAME --log LOGKEY --state FILE", stderr)
	addr := fs.String("addr", "127.0.0.1:7380", "the address to listen on")
	keyFile := fs.String("key", "", "the witness's private key (PEM, as keygen writes it)")
	name := fs.String("name", "", "the witness's name, usually a schema-less URL")
	state := fs.String("state", "", "the file that holds the latest checkpoint cosigned for each log")
	origin := fs.String("origin", defaultOrigin, "the log's origin, for a --log given as a PEM public key")
	var logs listValue
	fs.Var(&logs, "log", "a log's note verifier key (name+hash+key), a file holding one, or a PEM public key with --origin (repeatable)")
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "aimskit witness serve: %v\n", err)
		return exitError
	}
	if fs.NArg() > 0 || *state == "" || len(logs) == 0 {
		return fail(errors.New("--state FILE and at least one --log are required, and no arguments"))
	}
	if _, err := witnessCosigner(*keyFile, *name); err != nil {
		return fail(err)
	}
	_, priv, err := readPrivateKey(*keyFile)
	if err != nil {
		return fail(err)
	}
	var vkeys []string
	for _, l := range logs {
		v, err := logVerifierKey(l, *origin)
		if err != nil {
			return fail(err)
		}
		vkeys = append(vkeys, v)
	}
	w, err := witness.New(&witness.Options{Name: *name, Key: priv, Logs: vkeys, StatePath: *state})
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: w, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "witness %s listening on http://%s (key %s)\n", *name, ln.Addr(), w.Key())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fail(err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fail(err)
	}
	return exitOK
}

// logVerifierKey reads a log's note verifier key: the key itself, a file
// holding it, or a PEM public key file, named by origin.
func logVerifierKey(arg, origin string) (string, error) {
	b, err := os.ReadFile(arg)
	if err != nil {
		if strings.Count(arg, "+") == 2 {
			return arg, nil
		}
		return "", err
	}
	if strings.Contains(string(b), "-----BEGIN") {
		return verifierKey(arg, origin)
	}
	return strings.TrimSpace(string(b)), nil
}

// witnessKey reads a witness's verifier key: the key itself or a file
// holding it.
func witnessKey(arg string) (evidence.WitnessKey, error) {
	if k, err := evidence.ParseWitnessKey(arg); err == nil {
		return k, nil
	}
	b, err := os.ReadFile(arg)
	if err != nil {
		return evidence.WitnessKey{}, fmt.Errorf("--witness %s: not a witness key (name+hash+key) nor a file holding one", arg)
	}
	k, err := evidence.ParseWitnessKey(string(b))
	if err != nil {
		return evidence.WitnessKey{}, fmt.Errorf("%s: %w", arg, err)
	}
	return k, nil
}
