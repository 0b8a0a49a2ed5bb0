package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/store"
)

// Run runs every check as a subtest of t, each with a [store.Store] in
// front of a new driver from newDriver. newDriver may call t.Fatal; the
// store closes every driver it gets, so newDriver should not register a
// Close of its own.
func Run(t *testing.T, newDriver func(t *testing.T) store.Driver) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			s := store.New(newDriver(t), c.options())
			if err := c.run(t.Context(), s); err != nil {
				t.Error(err)
			}
			if !c.closes {
				if err := s.Close(); err != nil {
					t.Errorf("Close() = %v, want nil", err)
				}
			}
		})
	}
}

// TestDriver runs every check with a [store.Store] in front of a new
// driver from newDriver and returns an error that joins the failures of
// all checks, or nil if all pass. The store closes every driver it gets.
// Use it outside package testing; in a test, [Run] reports each check as
// a subtest.
func TestDriver(newDriver func() (store.Driver, error)) error {
	ctx := context.Background()
	var errs []error
	for _, c := range checks {
		d, err := newDriver()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: new driver: %w", c.name, err))
			continue
		}
		s := store.New(d, c.options())
		if err := c.run(ctx, s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
		if !c.closes {
			if err := s.Close(); err != nil {
				errs = append(errs, fmt.Errorf("%s: Close() = %v, want nil", c.name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// check is one conformance check. It gets a new store; closes reports
// whether it closes the store itself, and defaultClock whether the store
// uses the default clock rather than [stepClock].
type check struct {
	name         string
	run          func(ctx context.Context, s *store.Store) error
	closes       bool
	defaultClock bool
}

// options returns the options of the store of c.
func (c check) options() *store.Options {
	if c.defaultClock {
		return nil
	}
	return &store.Options{Clock: stepClock()}
}

// stepClock returns a clock that starts at a fixed time, with nanoseconds
// and not in UTC, and advances a little more than a second on every call,
// so that drivers that keep times to a coarser precision are tested. It
// is safe for concurrent use.
func stepClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 3, 1, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second + 1001*time.Nanosecond)
		return t
	}
}

var checks = []check{
	{name: "PutGet", run: testPutGet},
	{name: "RevisionIncrements", run: testRevisionIncrements},
	{name: "StaleRevision", run: testStaleRevision},
	{name: "CreateExisting", run: testCreateExisting},
	{name: "UpdateMissing", run: testUpdateMissing},
	{name: "AnyRevision", run: testAnyRevision},
	{name: "NotFound", run: testNotFound},
	{name: "DeleteAndRecreate", run: testDeleteAndRecreate},
	{name: "DeleteConflict", run: testDeleteConflict},
	{name: "List", run: testList},
	{name: "History", run: testHistory},
	{name: "InvalidInput", run: testInvalidInput},
	{name: "Copies", run: testCopies},
	{name: "ConcurrentDocuments", run: testConcurrentDocuments},
	{name: "ConcurrentWriters", run: testConcurrentWriters},
	{name: "CancelledContext", run: testCancelledContext},
	{name: "Closed", run: testClosed, closes: true},
	{name: "Watch", run: testWatch},
	{name: "DefaultClockPutGet", run: testPutGet, defaultClock: true},
	{name: "DefaultClockHistory", run: testHistory, defaultClock: true},
}

const (
	kindSystem = "AISystem"
	kindRisk   = "RiskAssessment"
)

var (
	alice = store.Write{Actor: "alice@example.com", Reason: "register the system"}
	bob   = store.Write{Actor: "bob@example.com", Reason: "quarterly review"}
)

// data returns a document of the given kind as JSON. Its members are
// chosen to survive a trip through YAML: strings that look like dates,
// booleans and numbers, nested objects, arrays and null.
func data(kind, id, name string, labels map[string]string) []byte {
	m := map[string]any{
		"apiVersion":  "aimskit.dev/v1alpha1",
		"kind":        kind,
		"id":          id,
		"name":        name,
		"version":     "3.2",
		"reviewed":    "2025-01-31",
		"approved":    "yes",
		"description": "Scores <loan> applications & explains\nthe main reasons.",
		"threshold":   0.25,
		"owners":      []any{"credit-ml", "retail-lending"},
		"lifecycle":   map[string]any{"stage": "operation", "retired": nil, "monitored": true, "incidents": 3},
	}
	if labels != nil {
		m["labels"] = labels
	}
	b, _ := json.Marshal(m) // cannot fail: m holds only JSON values
	return b
}

func system(id, name string) *store.Document {
	return &store.Document{Kind: kindSystem, ID: id, Data: data(kindSystem, id, name, nil)}
}

// jsonEqual reports whether a and b are equal JSON values.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// diffDocs describes how got differs from want, or returns "".
func diffDocs(want, got *store.Document) string {
	if got == nil {
		return "got nil document"
	}
	var d []string
	if got.Kind != want.Kind {
		d = append(d, fmt.Sprintf("Kind = %q, want %q", got.Kind, want.Kind))
	}
	if got.ID != want.ID {
		d = append(d, fmt.Sprintf("ID = %q, want %q", got.ID, want.ID))
	}
	if got.Revision != want.Revision {
		d = append(d, fmt.Sprintf("Revision = %d, want %d", got.Revision, want.Revision))
	}
	if !bytes.Equal(got.Data, want.Data) {
		d = append(d, fmt.Sprintf("Data = %s, want %s", got.Data, want.Data))
	}
	if !got.Updated.Equal(want.Updated) {
		d = append(d, fmt.Sprintf("Updated = %v, want %v", got.Updated, want.Updated))
	}
	if got.UpdatedBy != want.UpdatedBy {
		d = append(d, fmt.Sprintf("UpdatedBy = %q, want %q", got.UpdatedBy, want.UpdatedBy))
	}
	return strings.Join(d, "; ")
}

// put writes doc with the given revision and returns the stored document.
func put(ctx context.Context, s *store.Store, doc *store.Document, rev int64, w store.Write) (*store.Document, error) {
	in := doc.Clone()
	in.Revision = rev
	got, err := s.Put(ctx, in, w)
	if err != nil {
		return nil, fmt.Errorf("Put(%s/%s, revision %d) = %v, want nil", doc.Kind, doc.ID, rev, err)
	}
	if got == nil {
		return nil, fmt.Errorf("Put(%s/%s, revision %d) returned a nil document", doc.Kind, doc.ID, rev)
	}
	return got, nil
}

// conflict checks that err is a *store.ConflictError with the given
// fields.
func conflict(call string, err error, want store.ConflictError) error {
	if !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%s = %v, want an error matching store.ErrConflict", call, err)
	}
	var ce *store.ConflictError
	if !errors.As(err, &ce) {
		return fmt.Errorf("%s = %v (%T), want a *store.ConflictError", call, err, err)
	}
	if *ce != want {
		return fmt.Errorf("%s = %+v, want %+v", call, *ce, want)
	}
	return nil
}

// wantRevision checks the stored revision and data of a document.
func wantRevision(ctx context.Context, s *store.Store, want *store.Document) error {
	got, err := s.Get(ctx, want.Kind, want.ID)
	if err != nil {
		return fmt.Errorf("Get(%s/%s) = %v, want revision %d", want.Kind, want.ID, err, want.Revision)
	}
	if d := diffDocs(want, got); d != "" {
		return fmt.Errorf("Get(%s/%s): %s", want.Kind, want.ID, d)
	}
	return nil
}

func wantNotFound(call string, err error) error {
	if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s = %v, want an error matching store.ErrNotFound", call, err)
	}
	return nil
}

func testPutGet(ctx context.Context, s *store.Store) error {
	in := system("credit-scoring", "Consumer credit scoring")
	got, err := put(ctx, s, in, 0, alice)
	if err != nil {
		return err
	}
	var errs []error
	if got.Kind != in.Kind || got.ID != in.ID || got.Revision != 1 {
		errs = append(errs, fmt.Errorf("Put() = %s/%s revision %d, want %s/%s revision 1", got.Kind, got.ID, got.Revision, in.Kind, in.ID))
	}
	if !jsonEqual(got.Data, in.Data) {
		errs = append(errs, fmt.Errorf("Put().Data = %s, want JSON equal to %s", got.Data, in.Data))
	}
	if got.Updated.IsZero() {
		errs = append(errs, errors.New("Put().Updated is zero, want the time of the write"))
	}
	if got.UpdatedBy != alice.Actor {
		errs = append(errs, fmt.Errorf("Put().UpdatedBy = %q, want %q", got.UpdatedBy, alice.Actor))
	}
	if err := wantRevision(ctx, s, got); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func testRevisionIncrements(ctx context.Context, s *store.Store) error {
	doc := system("chatbot", "Support chatbot")
	var last *store.Document
	for rev := int64(0); rev < 3; rev++ {
		got, err := put(ctx, s, doc, rev, alice)
		if err != nil {
			return err
		}
		if got.Revision != rev+1 {
			return fmt.Errorf("Put(revision %d).Revision = %d, want %d", rev, got.Revision, rev+1)
		}
		last = got
	}
	return wantRevision(ctx, s, last)
}

func testStaleRevision(ctx context.Context, s *store.Store) error {
	doc := system("chatbot", "Support chatbot")
	if _, err := put(ctx, s, doc, 0, alice); err != nil {
		return err
	}
	v2, err := put(ctx, s, system("chatbot", "Support chatbot v2"), 1, alice)
	if err != nil {
		return err
	}
	stale := system("chatbot", "Support chatbot, stale edit")
	stale.Revision = 1
	_, err = s.Put(ctx, stale, bob)
	if err := conflict("Put(revision 1) after revision 2", err,
		store.ConflictError{Op: store.OpPut, Kind: kindSystem, ID: "chatbot", Want: 1, Have: 2}); err != nil {
		return err
	}
	return wantRevision(ctx, s, v2)
}

func testCreateExisting(ctx context.Context, s *store.Store) error {
	v1, err := put(ctx, s, system("chatbot", "Support chatbot"), 0, alice)
	if err != nil {
		return err
	}
	_, err = s.Put(ctx, system("chatbot", "Another chatbot"), bob)
	if err := conflict("Put(revision 0) of an existing document", err,
		store.ConflictError{Op: store.OpPut, Kind: kindSystem, ID: "chatbot", Want: 0, Have: 1}); err != nil {
		return err
	}
	return wantRevision(ctx, s, v1)
}

func testUpdateMissing(ctx context.Context, s *store.Store) error {
	doc := system("chatbot", "Support chatbot")
	doc.Revision = 3
	_, err := s.Put(ctx, doc, alice)
	if err := conflict("Put(revision 3) of a missing document", err,
		store.ConflictError{Op: store.OpPut, Kind: kindSystem, ID: "chatbot", Want: 3, Have: 0}); err != nil {
		return err
	}
	_, err = s.Get(ctx, kindSystem, "chatbot")
	return wantNotFound("Get() after a refused Put", err)
}

func testAnyRevision(ctx context.Context, s *store.Store) error {
	doc := system("chatbot", "Support chatbot")
	for want := int64(1); want <= 3; want++ {
		got, err := put(ctx, s, doc, store.AnyRevision, alice)
		if err != nil {
			return err
		}
		if got.Revision != want {
			return fmt.Errorf("Put(AnyRevision).Revision = %d, want %d", got.Revision, want)
		}
	}
	return nil
}

func testNotFound(ctx context.Context, s *store.Store) error {
	if _, err := put(ctx, s, system("chatbot", "Support chatbot"), 0, alice); err != nil {
		return err
	}
	_, getErr := s.Get(ctx, kindSystem, "missing")
	_, otherKindErr := s.Get(ctx, kindRisk, "chatbot")
	_, historyErr := s.History(ctx, kindSystem, "missing")
	deleteErr := s.Delete(ctx, kindSystem, "missing", store.AnyRevision, alice)
	return errors.Join(
		wantNotFound("Get(AISystem/missing)", getErr),
		wantNotFound("Get(RiskAssessment/chatbot)", otherKindErr),
		wantNotFound("History(AISystem/missing)", historyErr),
		wantNotFound("Delete(AISystem/missing)", deleteErr),
	)
}

func testDeleteAndRecreate(ctx context.Context, s *store.Store) error {
	doc := system("chatbot", "Support chatbot")
	if _, err := put(ctx, s, doc, 0, alice); err != nil {
		return err
	}
	if _, err := put(ctx, s, doc, 1, alice); err != nil {
		return err
	}
	retire := store.Write{Actor: "carol@example.com", Reason: "system retired"}
	if err := s.Delete(ctx, kindSystem, "chatbot", 2, retire); err != nil {
		return fmt.Errorf("Delete(revision 2) = %v, want nil", err)
	}
	_, err := s.Get(ctx, kindSystem, "chatbot")
	if err := wantNotFound("Get() after Delete", err); err != nil {
		return err
	}
	err = s.Delete(ctx, kindSystem, "chatbot", store.AnyRevision, retire)
	if err := wantNotFound("Delete() after Delete", err); err != nil {
		return err
	}
	list, err := s.List(ctx, store.Filter{})
	if err != nil {
		return fmt.Errorf("List() = %v, want nil", err)
	}
	if len(list) != 0 {
		return fmt.Errorf("List() after Delete returned %d documents, want 0", len(list))
	}
	hist, err := s.History(ctx, kindSystem, "chatbot")
	if err != nil {
		return fmt.Errorf("History() after Delete = %v, want nil", err)
	}
	if got := ops(hist); !slices.Equal(got, []string{"1 put", "2 put", "3 delete"}) {
		return fmt.Errorf("History() after Delete = %v, want [1 put 2 put 3 delete]", got)
	}
	del := hist[2]
	if del.Kind != kindSystem || del.ID != "chatbot" || del.Actor != retire.Actor || del.Reason != retire.Reason ||
		del.Data != nil || del.Digest != "" || del.Time.IsZero() {
		return fmt.Errorf("History()[2] = %+v, want a delete by %s with no data and no digest", del, retire.Actor)
	}

	again, err := put(ctx, s, system("chatbot", "Support chatbot, again"), 0, alice)
	if err != nil {
		return err
	}
	if again.Revision != 4 {
		return fmt.Errorf("Put(revision 0) after Delete: Revision = %d, want 4 (numbering continues)", again.Revision)
	}
	hist, err = s.History(ctx, kindSystem, "chatbot")
	if err != nil {
		return fmt.Errorf("History() after re-creating = %v, want nil", err)
	}
	if got := ops(hist); !slices.Equal(got, []string{"1 put", "2 put", "3 delete", "4 put"}) {
		return fmt.Errorf("History() after re-creating = %v, want [1 put 2 put 3 delete 4 put]", got)
	}
	return wantRevision(ctx, s, again)
}

// ops summarises a history as "revision op" strings.
func ops(hist []store.Change) []string {
	var s []string
	for _, c := range hist {
		s = append(s, fmt.Sprintf("%d %s", c.Revision, c.Op))
	}
	return s
}

func testDeleteConflict(ctx context.Context, s *store.Store) error {
	doc := system("chatbot", "Support chatbot")
	if _, err := put(ctx, s, doc, 0, alice); err != nil {
		return err
	}
	v2, err := put(ctx, s, doc, 1, alice)
	if err != nil {
		return err
	}
	err = s.Delete(ctx, kindSystem, "chatbot", 1, bob)
	if err := conflict("Delete(revision 1) after revision 2", err,
		store.ConflictError{Op: store.OpDelete, Kind: kindSystem, ID: "chatbot", Want: 1, Have: 2}); err != nil {
		return err
	}
	if err := wantRevision(ctx, s, v2); err != nil {
		return err
	}
	if err := s.Delete(ctx, kindSystem, "chatbot", store.AnyRevision, bob); err != nil {
		return fmt.Errorf("Delete(AnyRevision) = %v, want nil", err)
	}
	_, err = s.Get(ctx, kindSystem, "chatbot")
	return wantNotFound("Get() after Delete(AnyRevision)", err)
}

func testList(ctx context.Context, s *store.Store) error {
	docs := []*store.Document{
		{Kind: kindSystem, ID: "credit-scoring", Data: data(kindSystem, "credit-scoring", "Credit scoring",
			map[string]string{"tier": "critical", "unit": "retail"})},
		{Kind: kindSystem, ID: "chatbot", Data: data(kindSystem, "chatbot", "Support chatbot",
			map[string]string{"tier": "standard", "unit": "retail"})},
		{Kind: kindSystem, ID: "Fraud-2", Data: data(kindSystem, "Fraud-2", "Fraud detection",
			map[string]string{"tier": "critical", "unit": "payments"})},
		{Kind: kindSystem, ID: "no-labels", Data: data(kindSystem, "no-labels", "Unlabelled", nil)},
		{Kind: kindSystem, ID: "odd-labels", Data: []byte(`{"kind":"AISystem","labels":{"tier":1,"unit":["retail"]}}`)},
		{Kind: kindSystem, ID: "array-labels", Data: []byte(`{"kind":"AISystem","labels":["tier","critical"]}`)},
		{Kind: kindRisk, ID: "credit-scoring", Data: data(kindRisk, "credit-scoring", "Credit scoring risks",
			map[string]string{"tier": "critical"})},
		{Kind: "Control", ID: "a.6.2.2", Data: []byte(`{"kind":"Control","labels":{"unit":"retail"}}`)},
		{Kind: kindSystem, ID: "retired", Data: data(kindSystem, "retired", "Retired system",
			map[string]string{"tier": "critical", "unit": "retail"})},
	}
	for _, d := range docs {
		if _, err := put(ctx, s, d, 0, alice); err != nil {
			return err
		}
	}
	if err := s.Delete(ctx, kindSystem, "retired", 1, alice); err != nil {
		return fmt.Errorf("Delete(AISystem/retired) = %v, want nil", err)
	}

	tests := []struct {
		name   string
		filter store.Filter
		want   []string
	}{
		{
			name: "all",
			want: []string{"AISystem/Fraud-2", "AISystem/array-labels", "AISystem/chatbot", "AISystem/credit-scoring",
				"AISystem/no-labels", "AISystem/odd-labels", "Control/a.6.2.2", "RiskAssessment/credit-scoring"},
		},
		{
			name:   "kind",
			filter: store.Filter{Kind: kindRisk},
			want:   []string{"RiskAssessment/credit-scoring"},
		},
		{
			name:   "kind without documents",
			filter: store.Filter{Kind: "Incident"},
		},
		{
			name:   "kind is case sensitive",
			filter: store.Filter{Kind: "aisystem"},
		},
		{
			name:   "ids across kinds",
			filter: store.Filter{IDs: []string{"credit-scoring", "chatbot", "missing", "retired"}},
			want:   []string{"AISystem/chatbot", "AISystem/credit-scoring", "RiskAssessment/credit-scoring"},
		},
		{
			name:   "kind and ids",
			filter: store.Filter{Kind: kindSystem, IDs: []string{"credit-scoring", "chatbot"}},
			want:   []string{"AISystem/chatbot", "AISystem/credit-scoring"},
		},
		{
			name:   "one label",
			filter: store.Filter{Labels: map[string]string{"tier": "critical"}},
			want:   []string{"AISystem/Fraud-2", "AISystem/credit-scoring", "RiskAssessment/credit-scoring"},
		},
		{
			name:   "all labels must match",
			filter: store.Filter{Labels: map[string]string{"tier": "critical", "unit": "retail"}},
			want:   []string{"AISystem/credit-scoring"},
		},
		{
			name:   "label value is case sensitive",
			filter: store.Filter{Labels: map[string]string{"tier": "Critical"}},
		},
		{
			name:   "labels and kind",
			filter: store.Filter{Kind: kindSystem, Labels: map[string]string{"unit": "retail"}},
			want:   []string{"AISystem/chatbot", "AISystem/credit-scoring"},
		},
		{
			name:   "empty labels select all of a kind",
			filter: store.Filter{Kind: "Control", Labels: map[string]string{}},
			want:   []string{"Control/a.6.2.2"},
		},
	}
	var errs []error
	for _, tt := range tests {
		got, err := s.List(ctx, tt.filter)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: List(%+v) = %v, want nil", tt.name, tt.filter, err))
			continue
		}
		var names []string
		for _, d := range got {
			names = append(names, d.Kind+"/"+d.ID)
		}
		if !slices.Equal(names, tt.want) {
			errs = append(errs, fmt.Errorf("%s: List(%+v) = %q, want %q", tt.name, tt.filter, names, tt.want))
		}
	}
	all, err := s.List(ctx, store.Filter{Kind: kindSystem, IDs: []string{"chatbot"}})
	if err != nil || len(all) != 1 {
		return errors.Join(append(errs, fmt.Errorf("List(AISystem/chatbot) = %d documents, %v; want 1, nil", len(all), err))...)
	}
	if err := wantRevision(ctx, s, all[0]); err != nil {
		errs = append(errs, fmt.Errorf("List() and Get() differ: %w", err))
	}
	return errors.Join(errs...)
}

func testHistory(ctx context.Context, s *store.Store) error {
	writes := []store.Write{
		{Actor: "alice@example.com", Reason: "register the system"},
		{Actor: "bob@example.com", Reason: "add the purpose"},
		{Actor: "carol@example.com"},
	}
	var stored []*store.Document
	for i, w := range writes {
		doc := system("credit-scoring", fmt.Sprintf("Credit scoring v%d", i+1))
		got, err := put(ctx, s, doc, int64(i), w)
		if err != nil {
			return err
		}
		stored = append(stored, got)
	}
	if _, err := put(ctx, s, system("chatbot", "Support chatbot"), 0, alice); err != nil {
		return err
	}
	hist, err := s.History(ctx, kindSystem, "credit-scoring")
	if err != nil {
		return fmt.Errorf("History() = %v, want nil", err)
	}
	if len(hist) != len(writes) {
		return fmt.Errorf("History() has %d changes, want %d: %v", len(hist), len(writes), ops(hist))
	}
	var errs []error
	for i, c := range hist {
		want := store.Change{
			Kind: kindSystem, ID: "credit-scoring", Revision: int64(i + 1), Op: store.OpPut,
			Time: stored[i].Updated, Actor: writes[i].Actor, Reason: writes[i].Reason,
			Digest: store.Digest(stored[i].Data), Data: stored[i].Data,
		}
		if !c.Time.Equal(want.Time) {
			errs = append(errs, fmt.Errorf("History()[%d].Time = %v, want %v (Updated of the Put)", i, c.Time, want.Time))
		}
		c.Time = want.Time
		if !reflect.DeepEqual(c, want) {
			errs = append(errs, fmt.Errorf("History()[%d] = %+v, want %+v", i, c, want))
		}
		if c.Digest != store.Digest(c.Data) {
			errs = append(errs, fmt.Errorf("History()[%d].Digest = %s, want the digest of its data %s", i, c.Digest, store.Digest(c.Data)))
		}
		if i > 0 && c.Time.Before(hist[i-1].Time) {
			errs = append(errs, fmt.Errorf("History()[%d].Time = %v is before the previous change at %v", i, c.Time, hist[i-1].Time))
		}
	}
	other, err := s.History(ctx, kindSystem, "chatbot")
	if err != nil || len(other) != 1 {
		errs = append(errs, fmt.Errorf("History(AISystem/chatbot) = %d changes, %v; want 1, nil", len(other), err))
	}
	return errors.Join(errs...)
}

func testInvalidInput(ctx context.Context, s *store.Store) error {
	existing, err := put(ctx, s, system("chatbot", "Support chatbot"), 0, alice)
	if err != nil {
		return err
	}
	type call func(ctx context.Context, s *store.Store) error
	type row struct {
		name string
		call call
	}
	var rows []row
	// A filter's empty kind selects all kinds, so it is bad only as a
	// document's kind.
	badFilterKinds := []string{"1System", "AI-System", "AI_System", "AI System", "Système", strings.Repeat("K", store.MaxKindLen+1)}
	badKinds := append([]string{""}, badFilterKinds...)
	badIDs := []string{"", ".", "..", "../x", "a/b", "/abs", `a\b`, `..\x`, ".hidden", "-flag", "_x", "a b", "a:b", "é", "a\x00b",
		strings.Repeat("i", store.MaxIDLen+1)}
	for _, k := range badKinds {
		rows = append(rows,
			row{fmt.Sprintf("Get kind %q", k), func(ctx context.Context, s *store.Store) error {
				_, err := s.Get(ctx, k, "chatbot")
				return err
			}},
			row{fmt.Sprintf("Put kind %q", k), func(ctx context.Context, s *store.Store) error {
				_, err := s.Put(ctx, &store.Document{Kind: k, ID: "chatbot", Data: []byte(`{}`)}, alice)
				return err
			}},
			row{fmt.Sprintf("Delete kind %q", k), func(ctx context.Context, s *store.Store) error {
				return s.Delete(ctx, k, "chatbot", store.AnyRevision, alice)
			}},
			row{fmt.Sprintf("History kind %q", k), func(ctx context.Context, s *store.Store) error {
				_, err := s.History(ctx, k, "chatbot")
				return err
			}},
		)
	}
	for _, k := range badFilterKinds {
		rows = append(rows, row{fmt.Sprintf("List kind %q", k), func(ctx context.Context, s *store.Store) error {
			_, err := s.List(ctx, store.Filter{Kind: k})
			return err
		}})
	}
	for _, id := range badIDs {
		rows = append(rows,
			row{fmt.Sprintf("Get id %q", id), func(ctx context.Context, s *store.Store) error {
				_, err := s.Get(ctx, kindSystem, id)
				return err
			}},
			row{fmt.Sprintf("Put id %q", id), func(ctx context.Context, s *store.Store) error {
				_, err := s.Put(ctx, &store.Document{Kind: kindSystem, ID: id, Data: []byte(`{}`)}, alice)
				return err
			}},
			row{fmt.Sprintf("Delete id %q", id), func(ctx context.Context, s *store.Store) error {
				return s.Delete(ctx, kindSystem, id, store.AnyRevision, alice)
			}},
			row{fmt.Sprintf("History id %q", id), func(ctx context.Context, s *store.Store) error {
				_, err := s.History(ctx, kindSystem, id)
				return err
			}},
			row{fmt.Sprintf("List id %q", id), func(ctx context.Context, s *store.Store) error {
				_, err := s.List(ctx, store.Filter{IDs: []string{"chatbot", id}})
				return err
			}},
		)
	}
	badData := []string{"", " ", "null", "[]", `["kind"]`, "1", `"text"`, "true", "{", `{"a":}`, `{"a":1}{}`,
		`{"kind":"RiskAssessment"}`, `{"kind":1}`, `{"kind":null}`}
	for _, d := range badData {
		rows = append(rows, row{fmt.Sprintf("Put data %q", d), func(ctx context.Context, s *store.Store) error {
			_, err := s.Put(ctx, &store.Document{Kind: kindSystem, ID: "chatbot", Revision: store.AnyRevision, Data: []byte(d)}, alice)
			return err
		}})
	}
	rows = append(rows,
		row{"Put nil document", func(ctx context.Context, s *store.Store) error {
			_, err := s.Put(ctx, nil, alice)
			return err
		}},
		row{"Put nil data", func(ctx context.Context, s *store.Store) error {
			_, err := s.Put(ctx, &store.Document{Kind: kindSystem, ID: "chatbot", Revision: store.AnyRevision}, alice)
			return err
		}},
		row{"Put revision -2", func(ctx context.Context, s *store.Store) error {
			_, err := s.Put(ctx, &store.Document{Kind: kindSystem, ID: "chatbot", Revision: -2, Data: []byte(`{}`)}, alice)
			return err
		}},
		row{"Put without actor", func(ctx context.Context, s *store.Store) error {
			_, err := s.Put(ctx, &store.Document{Kind: kindSystem, ID: "chatbot", Revision: 1, Data: []byte(`{}`)}, store.Write{Reason: "why"})
			return err
		}},
		row{"Put with blank actor", func(ctx context.Context, s *store.Store) error {
			_, err := s.Put(ctx, &store.Document{Kind: kindSystem, ID: "chatbot", Revision: 1, Data: []byte(`{}`)}, store.Write{Actor: " \t"})
			return err
		}},
		row{"Delete revision 0", func(ctx context.Context, s *store.Store) error {
			return s.Delete(ctx, kindSystem, "chatbot", 0, alice)
		}},
		row{"Delete revision -2", func(ctx context.Context, s *store.Store) error {
			return s.Delete(ctx, kindSystem, "chatbot", -2, alice)
		}},
		row{"Delete without actor", func(ctx context.Context, s *store.Store) error {
			return s.Delete(ctx, kindSystem, "chatbot", 1, store.Write{})
		}},
	)
	var errs []error
	for _, r := range rows {
		if err := r.call(ctx, s); !errors.Is(err, store.ErrInvalid) {
			errs = append(errs, fmt.Errorf("%s: error = %v, want an error matching store.ErrInvalid", r.name, err))
		}
	}
	list, err := s.List(ctx, store.Filter{})
	if err != nil || len(list) != 1 {
		errs = append(errs, fmt.Errorf("List() after invalid calls = %d documents, %v; want 1, nil", len(list), err))
	}
	if err := wantRevision(ctx, s, existing); err != nil {
		errs = append(errs, fmt.Errorf("after invalid calls: %w", err))
	}
	return errors.Join(errs...)
}

func testCopies(ctx context.Context, s *store.Store) error {
	in := &store.Document{Kind: kindSystem, ID: "chatbot",
		Data: data(kindSystem, "chatbot", "Support chatbot", map[string]string{"tier": "standard"})}
	got, err := s.Put(ctx, in, alice)
	if err != nil {
		return fmt.Errorf("Put() = %v, want nil", err)
	}
	want := got.Clone()
	scribble(in.Data)
	in.Revision = 7
	scribble(got.Data)
	got.Revision = 9
	if err := wantRevision(ctx, s, want); err != nil {
		return fmt.Errorf("after changing Put's argument and result: %w", err)
	}

	g, err := s.Get(ctx, kindSystem, "chatbot")
	if err != nil {
		return fmt.Errorf("Get() = %v, want nil", err)
	}
	scribble(g.Data)
	if err := wantRevision(ctx, s, want); err != nil {
		return fmt.Errorf("after changing Get's result: %w", err)
	}

	list, err := s.List(ctx, store.Filter{Labels: map[string]string{"tier": "standard"}})
	if err != nil || len(list) != 1 {
		return fmt.Errorf("List() = %d documents, %v; want 1, nil", len(list), err)
	}
	scribble(list[0].Data)
	list[0].ID = "other"
	if err := wantRevision(ctx, s, want); err != nil {
		return fmt.Errorf("after changing List's result: %w", err)
	}

	hist, err := s.History(ctx, kindSystem, "chatbot")
	if err != nil || len(hist) != 1 {
		return fmt.Errorf("History() = %d changes, %v; want 1, nil", len(hist), err)
	}
	scribble(hist[0].Data)
	hist, err = s.History(ctx, kindSystem, "chatbot")
	if err != nil || len(hist) != 1 {
		return fmt.Errorf("History() = %d changes, %v; want 1, nil", len(hist), err)
	}
	if !bytes.Equal(hist[0].Data, want.Data) {
		return fmt.Errorf("after changing History's result: History()[0].Data = %s, want %s", hist[0].Data, want.Data)
	}
	return nil
}

// scribble overwrites b.
func scribble(b []byte) {
	for i := range b {
		b[i] = 'x'
	}
}

func testConcurrentDocuments(ctx context.Context, s *store.Store) error {
	const n = 50
	docs := make([]*store.Document, n)
	for i := range docs {
		id := fmt.Sprintf("system-%02d", i)
		docs[i] = system(id, "System "+id)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, d := range docs {
		wg.Go(func() {
			_, errs[i] = s.Put(ctx, d, store.Write{Actor: fmt.Sprintf("writer-%02d", i)})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("concurrent Put() of different documents: %w", err)
	}
	for i, d := range docs {
		got, err := s.Get(ctx, d.Kind, d.ID)
		if err != nil {
			errs[i] = fmt.Errorf("Get(%s) = %v, want nil", d.ID, err)
			continue
		}
		if got.Revision != 1 || !jsonEqual(got.Data, d.Data) || got.UpdatedBy != fmt.Sprintf("writer-%02d", i) {
			errs[i] = fmt.Errorf("Get(%s) = revision %d by %s, data %s; want revision 1 by writer-%02d, data %s",
				d.ID, got.Revision, got.UpdatedBy, got.Data, i, d.Data)
			continue
		}
		hist, err := s.History(ctx, d.Kind, d.ID)
		if err != nil || len(hist) != 1 {
			errs[i] = fmt.Errorf("History(%s) = %d changes, %v; want 1, nil", d.ID, len(hist), err)
		}
	}
	list, err := s.List(ctx, store.Filter{Kind: kindSystem})
	if err != nil || len(list) != n {
		errs = append(errs, fmt.Errorf("List() = %d documents, %v; want %d, nil", len(list), err, n))
	}
	return errors.Join(errs...)
}

func testConcurrentWriters(ctx context.Context, s *store.Store) error {
	if _, err := put(ctx, s, system("chatbot", "Support chatbot"), 0, alice); err != nil {
		return err
	}
	const n = 20
	docs := make([]*store.Document, n)
	results := make([]*store.Document, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range docs {
		docs[i] = system("chatbot", fmt.Sprintf("Support chatbot, edit %d", i))
		docs[i].Revision = 1
		wg.Go(func() {
			results[i], errs[i] = s.Put(ctx, docs[i], store.Write{Actor: fmt.Sprintf("writer-%02d", i)})
		})
	}
	wg.Wait()
	var winners []int
	var failures []error
	for i, err := range errs {
		if err == nil {
			winners = append(winners, i)
			continue
		}
		if err := conflict(fmt.Sprintf("writer %d: Put(revision 1)", i), err,
			store.ConflictError{Op: store.OpPut, Kind: kindSystem, ID: "chatbot", Want: 1, Have: 2}); err != nil {
			failures = append(failures, err)
		}
	}
	if len(winners) != 1 {
		return errors.Join(append(failures, fmt.Errorf("%d writers succeeded, want exactly 1", len(winners)))...)
	}
	won := results[winners[0]]
	if !jsonEqual(won.Data, docs[winners[0]].Data) || won.Revision != 2 {
		failures = append(failures, fmt.Errorf("winner's Put() = revision %d, data %s; want revision 2, data %s",
			won.Revision, won.Data, docs[winners[0]].Data))
	}
	if err := wantRevision(ctx, s, won); err != nil {
		failures = append(failures, err)
	}
	hist, err := s.History(ctx, kindSystem, "chatbot")
	if err != nil || len(hist) != 2 {
		failures = append(failures, fmt.Errorf("History() = %d changes, %v; want 2, nil", len(hist), err))
	}
	return errors.Join(failures...)
}

func testCancelledContext(ctx context.Context, s *store.Store) error {
	existing, err := put(ctx, s, system("chatbot", "Support chatbot"), 0, alice)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"Get", func() error { _, err := s.Get(cctx, kindSystem, "chatbot"); return err }},
		{"List", func() error { _, err := s.List(cctx, store.Filter{}); return err }},
		{"Put new", func() error { _, err := s.Put(cctx, system("new", "New system"), alice); return err }},
		{"Put existing", func() error {
			d := system("chatbot", "Changed")
			d.Revision = 1
			_, err := s.Put(cctx, d, alice)
			return err
		}},
		{"Delete", func() error { return s.Delete(cctx, kindSystem, "chatbot", 1, alice) }},
		{"History", func() error { _, err := s.History(cctx, kindSystem, "chatbot"); return err }},
	}
	var errs []error
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, context.Canceled) {
			errs = append(errs, fmt.Errorf("%s with a cancelled context: error = %v, want an error matching context.Canceled", c.name, err))
		}
	}
	if err := wantRevision(ctx, s, existing); err != nil {
		errs = append(errs, fmt.Errorf("after cancelled calls: %w", err))
	}
	_, err = s.Get(ctx, kindSystem, "new")
	if err := wantNotFound("Get(AISystem/new) after a cancelled Put", err); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func testClosed(ctx context.Context, s *store.Store) error {
	if _, err := put(ctx, s, system("chatbot", "Support chatbot"), 0, alice); err != nil {
		return errors.Join(err, s.Close())
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("Close() = %v, want nil", err)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"Get", func() error { _, err := s.Get(ctx, kindSystem, "chatbot"); return err }},
		{"List", func() error { _, err := s.List(ctx, store.Filter{}); return err }},
		{"Put", func() error { _, err := s.Put(ctx, system("new", "New system"), alice); return err }},
		{"Delete", func() error { return s.Delete(ctx, kindSystem, "chatbot", 1, alice) }},
		{"History", func() error { _, err := s.History(ctx, kindSystem, "chatbot"); return err }},
		{"Watch", func() error { return s.Watch(ctx, func(store.Notification) {}) }},
	}
	var errs []error
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, store.ErrClosed) {
			errs = append(errs, fmt.Errorf("%s after Close: error = %v, want an error matching store.ErrClosed", c.name, err))
		}
	}
	return errors.Join(errs...)
}

// testWatch checks that a store without a [store.Watcher] says so, and
// that one with it refuses a nil function and stops when its context is
// done.
func testWatch(ctx context.Context, s *store.Store) error {
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err := s.Watch(cctx, func(store.Notification) {})
	if errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	if !errors.Is(err, context.Canceled) {
		return fmt.Errorf("Watch() with a cancelled context = %v, want an error matching context.Canceled or errors.ErrUnsupported", err)
	}
	if err := s.Watch(ctx, nil); !errors.Is(err, store.ErrInvalid) {
		return fmt.Errorf("Watch(nil) = %v, want an error matching store.ErrInvalid", err)
	}
	return nil
}
