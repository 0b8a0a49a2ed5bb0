// Command aimskit-pg looks after the PostgreSQL side of an aimskit fleet:
// it applies the migrations ahead of a deploy, imports a governance folder
// into the shared store, exports the shared evidence log for auditors and
// verifies it in place.
//
// Usage:
//
//	aimskit-pg migrate [--dsn DSN] [--schema NAME]
//	aimskit-pg import  [--dsn DSN] [--schema NAME] --actor WHO [--reason WHY] FOLDER
//	aimskit-pg export  [--dsn DSN] [--schema NAME] [--from N] [--to N] FILE
//	aimskit-pg verify  [--dsn DSN] [--schema NAME] [--pub KEY] [--origin NAME]
//
// The DSN defaults to the environment variable DATABASE_URL. export writes
// records from index --from up to, not including, --to (the end by
// default) to FILE as JSON Lines, with FILE.checkpoints and, for a range
// that does not start at 0, FILE.start, so that
//
//	aimskit evidence verify --pub KEY --origin NAME FILE
//
// checks it like a file log, with no access to the database. verify checks
// the log in the database: every record's hash link and, with --pub, every
// signed checkpoint.
//
// Exit codes: 0 success; 1 the folder to import has invalid documents, or
// the log does not verify; 2 usage or other errors.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
