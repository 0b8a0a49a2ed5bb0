package pgstore_test

import (
	"context"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store/pgstore"
)

// readmeFleet is the README's "Running a fleet" example, as written there
// (TestReadme in the module root checks that the two stay the same). It
// needs the README's database, so it is compiled but not run; the tests
// of this package run the same calls against a test server.
func readmeFleet(ctx context.Context, signer note.Signer) (*aims.Manager, *aims.Recorder) {
	const dsn = "postgres://aimskit@db.internal:5432/governance?sslmode=verify-full"
	st, _ := pgstore.Open(ctx, dsn, nil)                                       // documents, revisions, history
	evlog, _ := pgstore.OpenLog(ctx, dsn, &pgstore.LogOptions{Signer: signer}) // one chain for all instances
	m, _ := aims.NewManager(ctx, st, &aims.ManagerOptions{Evidence: evlog})
	go m.Watch(ctx) // LISTEN/NOTIFY: suspensions reach every Guard
	rec, _ := aims.NewRecorder(evlog, &aims.RecorderOptions{Buffer: evidence.BufferOptions{Full: evidence.FullFail, Retry: evidence.RetryBackoff(100*time.Millisecond, 5*time.Second)}})
	return m, rec
}

var _ = readmeFleet
