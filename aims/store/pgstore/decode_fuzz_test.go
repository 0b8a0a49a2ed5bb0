package pgstore

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/aimskit/aimskit/aims/store"
)

// FuzzDecodeNotification checks that any notification payload, such as
// one sent by hand with NOTIFY, is either a valid change or ignored, and
// never panics. It needs no database.
func FuzzDecodeNotification(f *testing.F) {
	for _, p := range []string{
		`{"kind":"AISystem","id":"credit-scoring","revision":3,"op":"put"}`,
		`{"kind":"AISystem","id":"credit-scoring","revision":4,"op":"delete"}`,
		`{"kind":"AISystem","id":"../etc","revision":1,"op":"put"}`,
		`{"kind":"","id":"x","revision":1,"op":"put"}`,
		`{"kind":"AISystem","id":"x","revision":0,"op":"put"}`,
		`{"kind":"AISystem","id":"x","revision":1,"op":"rename"}`,
		`null`, `[]`, `hello`, ``,
	} {
		f.Add(p)
	}
	s := &Driver{log: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, payload string) {
		n, ok := s.decode(context.Background(), "aimskit:aimskit", payload)
		if !ok {
			if n != (store.Notification{}) {
				t.Fatalf("decode(%q) = %+v, false; want the zero notification", payload, n)
			}
			return
		}
		if validName(n.Kind, n.ID) != nil || n.Revision < 1 ||
			(n.Op != store.OpPut && n.Op != store.OpDelete) {
			t.Fatalf("decode(%q) accepted %+v", payload, n)
		}
		var back notification
		b, _ := json.Marshal(notification{Kind: n.Kind, ID: n.ID, Revision: n.Revision, Op: n.Op})
		if err := json.Unmarshal(b, &back); err != nil || back.Kind != n.Kind || back.ID != n.ID {
			t.Fatalf("round trip of %+v = %+v, %v", n, back, err)
		}
	})
}
