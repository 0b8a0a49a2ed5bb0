package dirstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/dirstore"
)

func Example() {
	dir, err := os.MkdirTemp("", "governance-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	s, err := dirstore.Open(dir, &dirstore.Options{Clock: func() time.Time {
		return time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	ctx := context.Background()
	doc, err := s.Put(ctx, &store.Document{
		Kind: "AISystem",
		ID:   "credit-scoring",
		Data: []byte(`{
			"apiVersion": "aimskit.dev/v1alpha1",
			"kind": "AISystem",
			"id": "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10",
			"name": "Consumer credit scoring",
			"labels": {"tier": "critical"}
		}`),
	}, store.Write{Actor: "alice@example.com", Reason: "register the system"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Kind, doc.ID, "is at revision", doc.Revision)

	// The document is a YAML file that people can read and review.
	file, err := os.ReadFile(filepath.Join(dir, "aisystem", "credit-scoring.yaml"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(file))

	// The folder has one writer at a time.
	_, err = dirstore.Open(dir, nil)
	fmt.Println("second writer refused:", errors.Is(err, dirstore.ErrLocked))
	// Output:
	// AISystem credit-scoring is at revision 1
	// # aimskit: revision 1, kind AISystem, id credit-scoring
	// apiVersion: aimskit.dev/v1alpha1
	// id: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
	// kind: AISystem
	// labels:
	//   tier: critical
	// name: Consumer credit scoring
	// second writer refused: true
}
