package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/pgstore"
)

// Example opens a store, which applies the migrations, writes a document
// and reads it back. It needs a PostgreSQL server, so it is not run as a
// test.
func Example() {
	ctx := context.Background()
	s, err := pgstore.Open(ctx, "postgres://aimskit@localhost:5432/governance?sslmode=disable", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// Register an AI system: revision 0 means "create".
	doc, err := s.Put(ctx, &store.Document{
		Kind: "AISystem",
		ID:   "credit-scoring",
		Data: []byte(`{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","name":"Consumer credit scoring"}`),
	}, store.Write{Actor: "alice@example.com", Reason: "register the system"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.Kind, doc.ID, "is at revision", doc.Revision)

	// Every instance of the application sharing the database reads it.
	got, err := s.Get(ctx, "AISystem", "credit-scoring")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s, updated by %s\n", got.Data, got.UpdatedBy)
}

// ExampleStore_Watch keeps a cache of documents up to date with the
// changes that any instance makes.
func ExampleStore_Watch() {
	ctx := context.Background()
	s, err := pgstore.Open(ctx, "postgres://aimskit@localhost:5432/governance?sslmode=disable", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	err = s.Watch(ctx, func(n store.Notification) {
		if n == (store.Notification{}) {
			// Watch is listening, for the first time or again after a
			// lost connection: changes may have been missed.
			fmt.Println("reload everything")
			return
		}
		fmt.Println(n.Op, n.Kind, n.ID, "revision", n.Revision)
	})
	fmt.Println("watch ended:", err)
}

// ExampleOpenLog runs one instance of an application in a fleet: the
// governance documents and the evidence log are shared in PostgreSQL,
// the Guard follows suspensions that any instance writes, and the
// Recorder rides out a database outage. It needs a PostgreSQL server, so
// it is not run as a test.
func ExampleOpenLog() {
	ctx := context.Background()
	const dsn = "postgres://aimskit@localhost:5432/governance?sslmode=disable"
	key, err := os.ReadFile("evidence.key") // written by `aimskit keygen`
	if err != nil {
		log.Fatal(err)
	}
	priv, err := evidence.ParsePrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	signer, err := evidence.NewNoteSigner("aimskit.example.com/credit", priv)
	if err != nil {
		log.Fatal(err)
	}

	st, err := pgstore.Open(ctx, dsn, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	evlog, err := pgstore.OpenLog(ctx, dsn, &pgstore.LogOptions{Signer: signer})
	if err != nil {
		log.Fatal(err)
	}
	defer evlog.Close(ctx)

	m, err := aims.NewManager(ctx, st, &aims.ManagerOptions{Evidence: evlog})
	if err != nil {
		log.Fatal(err)
	}
	go m.Watch(ctx) // every instance sees every other's suspensions

	rec, err := aims.NewRecorder(evlog, &aims.RecorderOptions{Buffer: evidence.BufferOptions{
		Size:  100_000,
		Full:  evidence.FullFail, // when the buffer is full, refuse the request
		Retry: evidence.RetryBackoff(100*time.Millisecond, 5*time.Second),
	}})
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Close(ctx)

	http.Handle("POST /score", m.Guard().Middleware(creditScoring, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ... score, then keep evidence of the decision.
		err := rec.Record(r.Context(), aims.ModelDecision{System: creditScoring, Model: "credit-scorer", ModelVersion: "3.2.0", Outcome: "approve"})
		if err != nil {
			http.Error(w, "cannot record the decision", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "approve")
	})))

	// For an auditor: the whole log as a file that `aimskit evidence verify
	// --pub evidence.pub --origin aimskit.example.com/credit audit.jsonl`
	// checks.
	n, err := evlog.ExportFile(ctx, "audit.jsonl", 0, -1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exported", n, "records")
}
