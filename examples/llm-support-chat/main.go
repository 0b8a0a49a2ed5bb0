// Command llm-support-chat is a customer-support chat service that runs
// its language model under the AI management system: a Guard refuses to
// serve while the system is suspended or not released, a Recorder keeps
// hash-linked evidence of every answer (digests and lengths, never the
// conversation), and a Monitor suspends the system when the drift score
// crosses its threshold. Every answer tells the customer that an AI
// system answers (EU AI Act Art. 50(1)).
//
// Its governance state lives in the folder store support-chat-state,
// filled from the embedded governance folder on the first start: a
// suspension is written there, so the service still refuses after a
// restart, until someone resumes the system. The evidence goes to
// support-chat.evidence.jsonl.
//
// Run it with
//
//	go run ./examples/llm-support-chat
//
// and ask with
//
//	curl -s -XPOST localhost:8080/chat -d 'How do I order a new card?'
//
// To export its governance events to OpenTelemetry, pass the hook of the
// nested module github.com/aimskit/aimskit/aims/aimsotel in the Hooks of
// the recorder and the monitor, with aimsotel.TraceIDs as the recorder's
// Trace, and register the guard and the recorder for their counters:
// Example_llmSupportChat in aims/aimsotel runs exactly that over this
// service's governance folder. This program stays in the core module,
// which does not depend on OpenTelemetry, so it does not import it.
package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/dirstore"
)

//go:embed governance
var governance embed.FS

// system is the id of the support assistant in the governance folder.
var system = uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")

// Disclosure is the Art. 50(1) notice sent with every answer.
const Disclosure = "You are chatting with an AI assistant. Ask for a person at any time."

// service is the chat service with its governance.
type service struct {
	guard    *aims.Guard
	recorder *aims.Recorder
	monitor  *aims.Monitor
	manager  *aims.Manager
	store    *store.Store
	clock    func() time.Time
}

// newService opens the service's state, a folder store in stateDir, and
// wires the guard, the recorder and the monitor to the evidence sink. On
// the first start the store is filled from the embedded governance
// folder; after that the store is what counts, so that a suspension
// survives a restart: the monitor's drift threshold comes from the AI
// system document, and when it suspends the system the suspension is
// written to the store as well as to the evidence.
//
// A service whose system may not serve starts all the same, and answers
// 503 until someone resumes the system.
func newService(ctx context.Context, sink evidence.Sink, stateDir string, clock func() time.Time) (*service, error) {
	st, err := dirstore.Open(stateDir, &dirstore.Options{Clock: clock})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*service, error) {
		st.Close()
		return nil, err
	}
	docs, err := st.List(ctx, store.Filter{})
	if err != nil {
		return fail(err)
	}
	if len(docs) == 0 {
		sub, err := fs.Sub(governance, "governance")
		if err != nil {
			return fail(err)
		}
		folder, err := aims.Load(ctx, sub)
		if err != nil {
			return fail(err)
		}
		if _, err := aims.Import(ctx, st, folder, store.Write{Actor: "llm-support-chat", Reason: "the governance folder shipped with the service"}); err != nil {
			return fail(err)
		}
	}
	m, err := aims.NewManager(ctx, st, &aims.ManagerOptions{Clock: clock})
	if err != nil {
		return fail(err)
	}
	guard := m.Guard()
	rec, err := aims.NewRecorder(sink, &aims.RecorderOptions{Clock: clock})
	if err != nil {
		return fail(err)
	}
	// The monitor records the suspension, with the drift that caused it,
	// after the answers that led to it; the manager keeps it in the store.
	persist := aims.HookFunc(func(ctx context.Context, e *aims.Event) error {
		if e.Type != aims.EventSuspension {
			return nil
		}
		return m.Suspend(ctx, e.System, store.Write{Actor: aims.ActorMonitor, Reason: "drift above its threshold"})
	})
	mon, err := aims.NewMonitor(guard, m.Snapshot(), &aims.MonitorOptions{Evidence: sink, Recorder: rec, Clock: clock, Hooks: []aims.Hook{persist}})
	if err != nil {
		rec.Close(ctx)
		return fail(err)
	}
	return &service{guard: guard, recorder: rec, monitor: mon, manager: m, store: st, clock: clock}, nil
}

// Close stops the recorder and closes the store.
func (s *service) Close(ctx context.Context) error {
	return errors.Join(s.recorder.Close(ctx), s.store.Close())
}

// Handler serves POST /chat behind the guard.
func (s *service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /chat", s.guard.Middleware(system, http.HandlerFunc(s.chat)))
	return mux
}

type answer struct {
	Disclosure string `json:"disclosure"`
	Answer     string `json:"answer"`
}

func (s *service) chat(w http.ResponseWriter, r *http.Request) {
	start := s.clock()
	prompt, err := io.ReadAll(io.LimitReader(r.Body, 4<<10))
	if err != nil || len(prompt) == 0 {
		http.Error(w, "send the question as the request body", http.StatusBadRequest)
		return
	}
	reply, drift := model(string(prompt))
	ctx := r.Context()
	if err := s.recorder.Record(ctx, aims.ModelDecision{
		System: system, Model: "support-llm", ModelVersion: "2026-06",
		Input: evidence.DigestContent(prompt), Output: evidence.DigestContent([]byte(reply)),
		Outcome: "answered", Confidence: new(1 - drift), Latency: s.clock().Sub(start),
	}); err != nil {
		// No evidence, no answer.
		http.Error(w, "the answer could not be recorded", http.StatusServiceUnavailable)
		return
	}
	if err := s.monitor.Report(ctx, system, "drift", drift); err != nil && !errors.Is(err, aims.ErrNotRecorded) {
		log.Printf("drift report: %v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("AI-Disclosure", "ai-generated")
	json.NewEncoder(w).Encode(answer{Disclosure: Disclosure, Answer: reply})
}

// model stands in for the language model: it answers from a few canned
// replies and scores how far the question is from what it was validated
// on (1 for questions about topics it does not know).
func model(prompt string) (reply string, drift float64) {
	p := strings.ToLower(prompt)
	switch {
	case strings.Contains(p, "card"):
		return "You can order a new card in the app under Cards > Order card.", 0.05
	case strings.Contains(p, "address"):
		return "Change your address under Profile > Personal data.", 0.05
	case strings.Contains(p, "invest"), strings.Contains(p, "stock"):
		return "I cannot give investment advice. Shall I connect you with an adviser?", 1
	}
	return "Let me connect you with a colleague.", 0.2
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	logFile, err := evidence.OpenFile("support-chat.evidence.jsonl", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer logFile.Close(context.WithoutCancel(ctx))
	s, err := newService(ctx, logFile, "support-chat-state", time.Now)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close(context.WithoutCancel(ctx))
	if err := s.guard.Allow(ctx, system); err != nil {
		log.Printf("the support assistant may not serve: %v (resume it in support-chat-state)", err)
	}
	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.WithoutCancel(ctx))
	}()
	log.Printf("listening on %s", srv.Addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Print(err)
	}
}
