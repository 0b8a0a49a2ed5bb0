package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/pgstore"
	"github.com/aimskit/aimskit/document"
)

const (
	exitOK      = 0
	exitInvalid = 1
	exitError   = 2
)

const usage = `Usage:
  aimskit-pg migrate [--dsn DSN] [--schema NAME]
  aimskit-pg import  [--dsn DSN] [--schema NAME] --actor WHO [--reason WHY] FOLDER
  aimskit-pg export  [--dsn DSN] [--schema NAME] [--from N] [--to N] FILE
  aimskit-pg verify  [--dsn DSN] [--schema NAME] [--pub KEY] [--origin NAME]
The DSN defaults to $DATABASE_URL.`

// run runs the command line args and returns the exit code. getenv reads
// the environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return exitError
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet("aimskit-pg "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", getenv("DATABASE_URL"), "PostgreSQL connection string (default $DATABASE_URL)")
	schema := fs.String("schema", pgstore.DefaultSchema, "PostgreSQL schema of the tables")
	var (
		actor, reason, pub, origin *string
		from, to                   *int64
		nargs                      int
	)
	switch cmd {
	case "migrate":
	case "import":
		actor = fs.String("actor", "", "who imports, recorded in the change history (required)")
		reason = fs.String("reason", "import of a governance folder", "why, recorded in the change history")
		nargs = 1
	case "export":
		from = fs.Int64("from", 0, "index of the first record")
		to = fs.Int64("to", -1, "index after the last record; -1 for the end of the log")
		nargs = 1
	case "verify":
		pub = fs.String("pub", "", "public key (PEM) that signed the checkpoints; without it only the hash links are checked")
		origin = fs.String("origin", "aimskit", "name of the checkpoint signer")
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "aimskit-pg: unknown command %q\n%s\n", cmd, usage)
		return exitError
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() != nargs {
		fmt.Fprintf(stderr, "aimskit-pg %s: want %d arguments, got %d\n%s\n", cmd, nargs, fs.NArg(), usage)
		return exitError
	}
	if *dsn == "" {
		fmt.Fprintf(stderr, "aimskit-pg %s: no database: give --dsn or set DATABASE_URL\n", cmd)
		return exitError
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "aimskit-pg %s: %v\n", cmd, err)
		return exitError
	}
	opts := &pgstore.Options{Schema: *schema}
	switch cmd {
	case "migrate":
		if err := pgstore.Migrate(ctx, *dsn, opts); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "schema %s is up to date\n", *schema)
		return exitOK

	case "import":
		if *actor == "" {
			fmt.Fprintln(stderr, "aimskit-pg import: --actor is required: the change history records who made each change")
			return exitError
		}
		dir := fs.Arg(0)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fail(fmt.Errorf("%s is not a folder", dir))
		}
		l, err := aims.NewLoader(nil)
		if err != nil {
			return fail(err)
		}
		f, err := l.Load(ctx, os.DirFS(dir))
		if errors.Is(err, document.ErrInvalid) {
			fmt.Fprintln(stderr, err)
			fmt.Fprintf(stderr, "aimskit-pg import: %s has invalid documents; nothing imported\n", dir)
			return exitInvalid
		}
		if err != nil {
			return fail(err)
		}
		st, err := pgstore.Open(ctx, *dsn, opts)
		if err != nil {
			return fail(err)
		}
		defer st.Close()
		n, err := aims.Import(ctx, st, f, store.Write{Actor: *actor, Reason: *reason})
		if err != nil {
			return fail(fmt.Errorf("after %d documents: %w", n, err))
		}
		fmt.Fprintf(stdout, "imported %d documents from %s into schema %s\n", n, dir, *schema)
		return exitOK

	case "export":
		log, err := pgstore.OpenLog(ctx, *dsn, &pgstore.LogOptions{Schema: *schema, MaxConns: 1})
		if err != nil {
			return fail(err)
		}
		defer log.Close(ctx)
		path := fs.Arg(0)
		n, err := log.ExportFile(ctx, path, *from, *to)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "exported %d records to %s\n", n, path)
		return exitOK

	case "verify":
		vkey := ""
		if *pub != "" {
			b, err := os.ReadFile(*pub)
			if err != nil {
				return fail(err)
			}
			key, err := evidence.ParsePublicKey(b)
			if err != nil {
				return fail(fmt.Errorf("%s: %w", *pub, err))
			}
			if vkey, err = evidence.NoteVerifierKey(*origin, key); err != nil {
				return fail(err)
			}
		}
		log, err := pgstore.OpenLog(ctx, *dsn, &pgstore.LogOptions{Schema: *schema, MaxConns: 2})
		if err != nil {
			return fail(err)
		}
		defer log.Close(ctx)
		rep, err := log.Verify(ctx, vkey)
		var ve *evidence.VerifyError
		switch {
		case errors.As(err, &ve):
			fmt.Fprintf(stderr, "schema %s: TAMPERED at record %d: %s: %s\n", *schema, ve.Index, ve.Reason, ve.Detail)
			return exitInvalid
		case err != nil:
			return fail(err)
		}
		fmt.Fprintf(stdout, "schema %s: intact: %d records, %d signed checkpoints, %d records anchored by a checkpoint\n",
			*schema, rep.Records, rep.Checkpoints, rep.Anchored)
		if vkey == "" {
			fmt.Fprintln(stdout, "(hash links only: give --pub to verify the signed checkpoints)")
		}
		return exitOK
	}
	return exitError
}
