package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/memstore"
)

func Example() {
	ctx := context.Background()
	clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s := memstore.New(&memstore.Options{Clock: func() time.Time {
		clock = clock.Add(time.Minute)
		return clock
	}})
	defer s.Close()

	// Register an AI system: revision 0 means "create".
	doc, err := s.Put(ctx, &store.Document{
		Kind: "AISystem",
		ID:   "credit-scoring",
		Data: []byte(`{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","name":"Consumer credit scoring"}`),
	}, store.Write{Actor: "alice@example.com", Reason: "register the system"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Kind, doc.ID, "is at revision", doc.Revision)

	// Update it, naming the revision read.
	doc.Data = []byte(`{"apiVersion":"aimskit.dev/v1alpha1","kind":"AISystem","name":"Consumer credit scoring","labels":{"tier":"critical"}}`)
	if _, err := s.Put(ctx, doc, store.Write{Actor: "bob@example.com", Reason: "classify, ticket GOV-12"}); err != nil {
		fmt.Println(err)
		return
	}

	// A writer that still holds revision 1 is refused.
	_, err = s.Put(ctx, doc, store.Write{Actor: "carol@example.com"})
	fmt.Println(errors.Is(err, store.ErrConflict), err)

	critical, err := s.List(ctx, store.Filter{Labels: map[string]string{"tier": "critical"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("critical systems:", len(critical))

	history, err := s.History(ctx, "AISystem", "credit-scoring")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range history {
		fmt.Println(c.Revision, c.Op, c.Time.Format(time.RFC3339), c.Actor, c.Reason)
	}
	// Output:
	// AISystem credit-scoring is at revision 1
	// true store: put AISystem/credit-scoring: revision conflict: the caller read revision 1, the store has revision 2
	// critical systems: 1
	// 1 put 2025-03-01T09:01:00Z alice@example.com register the system
	// 2 put 2025-03-01T09:02:00Z bob@example.com classify, ticket GOV-12
}
