package pgstore_test

import (
	"context"
	"fmt"
	"log"

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
