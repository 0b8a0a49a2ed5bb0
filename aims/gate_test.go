package aims_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

var (
	testNow = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	testID  = uuid.MustParse("01937a1e-0000-7000-8000-000000000001")
)

func fixedOptions(p *aims.GatePolicy) *aims.GateOptions {
	return &aims.GateOptions{
		Policy: p,
		Clock:  func() time.Time { return testNow },
		NewID:  func() (uuid.UUID, error) { return testID, nil },
	}
}

func loadFS(t testing.TB, fsys fstest.MapFS) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return f
}

const chatbotID = "11111111-1111-4111-8111-111111111111"

func basicPolicy(waivers string) string {
	return `apiVersion: aimskit.dev/v1alpha1
kind: GatePolicy
id: basic
revision: basic/1
gates:
  - to: verification-and-validation
    checks:
      - check: owners-assigned
      - check: intended-use-documented
      - check: fact-threshold
        id: accuracy
        params: {fact: accuracy, min: 0.9}
      - check: fact-threshold
        id: latency
        severity: warn
        params: {fact: latency.p99, max: 250}
` + waivers
}

func TestGateCustomPolicy(t *testing.T) {
	tests := []struct {
		name        string
		system      string
		waivers     string
		facts       aims.Facts
		wantVerdict aims.Verdict
		wantFailed  []string
		wantWaived  []string
	}{
		{"all pass", system(chatbotID, "bot"), "", aims.Facts{"accuracy": 0.95, "latency.p99": 120}, aims.VerdictAllow, nil, nil},
		{"warn does not block", system(chatbotID, "bot"), "", aims.Facts{"accuracy": 0.95, "latency.p99": 400}, aims.VerdictWarn, []string{"latency"}, nil},
		{"deny on low accuracy", system(chatbotID, "bot"), "", aims.Facts{"accuracy": 0.8, "latency.p99": 120}, aims.VerdictDeny, []string{"accuracy"}, nil},
		{"missing fact denies", system(chatbotID, "bot"), "", aims.Facts{"latency.p99": 120}, aims.VerdictDeny, []string{"accuracy"}, nil},
		{"waiver applies", system(chatbotID, "bot"), `waivers:
  - {check: accuracy, system: ` + chatbotID + `, approver: CTO, reason: pilot with 20 users, granted: 2026-11-01, expires: 2026-12-31}
`, aims.Facts{"accuracy": 0.8, "latency.p99": 120}, aims.VerdictAllow, nil, []string{"accuracy"}},
		{"expired waiver does not apply", system(chatbotID, "bot"), `waivers:
  - {check: accuracy, system: ` + chatbotID + `, approver: CTO, reason: pilot, granted: 2026-10-01, expires: 2026-11-28}
`, aims.Facts{"accuracy": 0.8, "latency.p99": 120}, aims.VerdictDeny, []string{"accuracy"}, nil},
		{"prohibited system never passes", strings.Replace(system(chatbotID, "bot"), "category: minimal", "category: prohibited\n  prohibitedPractice: c", 1),
			`waivers:
  - {check: accuracy, system: ` + chatbotID + `, approver: CTO, reason: x, expires: 2027-01-01}
`, aims.Facts{"accuracy": 0.99, "latency.p99": 1}, aims.VerdictDeny, []string{"not-prohibited"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Out of the scope of the AIMS, bot is not warned about its
			// assessments (assessments-current).
			f := loadFS(t, withFiles(fstest.MapFS{"sys.yaml": {Data: []byte(tt.system)}, "policy.yaml": {Data: []byte(basicPolicy(tt.waivers))}}, scopedToOther()))
			g, err := aims.NewGate(f, fixedOptions(nil))
			if err != nil {
				t.Fatal(err)
			}
			d, err := g.Evaluate(context.Background(), uuid.MustParse(chatbotID), inventory.StageVerificationValidation, tt.facts)
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if d.Verdict != tt.wantVerdict {
				t.Errorf("Verdict = %s, want %s; checks %+v", d.Verdict, tt.wantVerdict, d.Checks)
			}
			var failed, waived []string
			for _, c := range d.Failed() {
				failed = append(failed, c.Check)
			}
			for _, w := range d.Waivers() {
				waived = append(waived, w.Check)
			}
			if diff := cmp.Diff(tt.wantFailed, failed); diff != "" {
				t.Errorf("Failed() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWaived, waived); diff != "" {
				t.Errorf("Waivers() mismatch (-want +got):\n%s", diff)
			}
			if err := d.Err(); (err == nil) != d.Allowed() {
				t.Errorf("Err() = %v with Allowed() = %v", err, d.Allowed())
			}
		})
	}
}

func TestGateDeniedError(t *testing.T) {
	f := loadFS(t, fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}, "policy.yaml": {Data: []byte(basicPolicy(""))}})
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), uuid.MustParse(chatbotID), inventory.StageVerificationValidation, aims.Facts{"accuracy": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Err()
	var de *aims.DeniedError
	if !errors.Is(err, aims.ErrDenied) || !errors.As(err, &de) {
		t.Fatalf("Err() = %v, want a *DeniedError matching ErrDenied", err)
	}
	if !strings.Contains(err.Error(), "accuracy: accuracy = 0.5, below the minimum 0.9") {
		t.Errorf("Err() = %q, want it to name the failed check", err)
	}
}

func TestGateDeterministic(t *testing.T) {
	fsys := fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}, "policy.yaml": {Data: []byte(basicPolicy(""))}}
	var out [2][]byte
	for i := range out {
		g, err := aims.NewGate(loadFS(t, fsys), fixedOptions(nil))
		if err != nil {
			t.Fatal(err)
		}
		d, err := g.Evaluate(context.Background(), uuid.MustParse(chatbotID), inventory.StageVerificationValidation,
			aims.Facts{"latency.p99": 400, "accuracy": 0.91})
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = json.Marshal(d); err != nil {
			t.Fatal(err)
		}
	}
	if string(out[0]) != string(out[1]) {
		t.Errorf("decisions differ:\n%s\n%s", out[0], out[1])
	}
}

func TestGateErrors(t *testing.T) {
	f := loadFS(t, fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}, "policy.yaml": {Data: []byte(basicPolicy(""))}})
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := g.Evaluate(ctx, uuid.New(), inventory.StageDeployment, nil); !errors.Is(err, aims.ErrUnknownSystem) {
		t.Errorf("Evaluate(unknown system) = %v, want ErrUnknownSystem", err)
	}
	if _, err := g.Evaluate(ctx, uuid.MustParse(chatbotID), inventory.StageRetirement+"x", nil); !errors.Is(err, aims.ErrTransition) {
		t.Errorf("Evaluate(bad stage) = %v, want ErrTransition", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := g.Evaluate(cctx, uuid.MustParse(chatbotID), inventory.StageVerificationValidation, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Evaluate(cancelled) = %v, want context.Canceled", err)
	}
	panicky := aims.CheckFunc(func(context.Context, *aims.CheckInput) (aims.CheckResult, error) { panic("boom") })
	p := &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{To: inventory.StageVerificationValidation, Checks: []aims.CheckSpec{{Check: "boom"}}}}}
	opts := fixedOptions(p)
	opts.Checks = map[string]aims.Check{"boom": panicky}
	g2, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g2.Evaluate(ctx, uuid.MustParse(chatbotID), inventory.StageVerificationValidation, nil); err == nil || !strings.Contains(err.Error(), "panic: boom") {
		t.Errorf("Evaluate(panicking check) = %v, want an error naming the panic", err)
	}
}

func TestNewGateRejectsBadPolicy(t *testing.T) {
	f := loadFS(t, fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}})
	tests := []struct {
		name string
		p    *aims.GatePolicy
		want string
	}{
		{"unknown check", &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{To: inventory.StageDeployment, Checks: []aims.CheckSpec{{Check: "vibes"}}}}},
			`/gates/0/checks/0/check: unknown check "vibes"`},
		{"waiver without approver", &aims.GatePolicy{ID: "p", Waivers: []aims.Waiver{{Check: "x", System: uuid.MustParse(chatbotID), Reason: "r", Expires: document.MustDate("2027-01-01")}}},
			"/waivers/0/approver: is required"},
		{"waiving prohibition", &aims.GatePolicy{ID: "p", Waivers: []aims.Waiver{{Check: aims.CheckNotProhibited, System: uuid.MustParse(chatbotID), Approver: "a", Reason: "r", Expires: document.MustDate("2027-01-01")}}},
			"cannot be waived"},
		{"unknown control", &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{To: inventory.StageDeployment, Checks: []aims.CheckSpec{{Check: aims.CheckControls, Params: aims.CheckParams{Controls: []string{"iso42001:A.6.2.9"}}}}}}},
			`/gates/0/checks/0/params/controls/0: unknown control "iso42001:A.6.2.9"`},
		{"bad transition", &aims.GatePolicy{ID: "p", Gates: []aims.GateRule{{From: inventory.StageInception, To: inventory.StageDeployment}}},
			"not allowed by the life cycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := aims.NewGate(f, fixedOptions(tt.p))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewGate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestGateHooks(t *testing.T) {
	f := loadFS(t, withFiles(fstest.MapFS{"sys.yaml": {Data: []byte(system(chatbotID, "bot"))}, "policy.yaml": {Data: []byte(basicPolicy(""))}}, scopedToOther()))
	var order []string
	var logged strings.Builder
	opts := fixedOptions(nil)
	opts.Hooks = []aims.Hook{
		aims.HookFunc(func(_ context.Context, e *aims.Event) error {
			order = append(order, "first:"+string(e.Decision.Verdict))
			return nil
		}),
		aims.HookFunc(func(context.Context, *aims.Event) error { panic("hook exploded") }),
		aims.HookFunc(func(context.Context, *aims.Event) error {
			order = append(order, "third")
			return errors.New("third failed")
		}),
		&aims.SlogHook{Logger: slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{ReplaceAttr: dropTime}))},
	}
	g, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Evaluate(context.Background(), uuid.MustParse(chatbotID), inventory.StageVerificationValidation, aims.Facts{"accuracy": 0.95, "latency.p99": 10})
	if err == nil || !strings.Contains(err.Error(), "panic: hook exploded") || !strings.Contains(err.Error(), "third failed") {
		t.Errorf("Evaluate() error = %v, want the panic and the hook error joined", err)
	}
	if d.Verdict != aims.VerdictAllow {
		t.Errorf("Verdict = %s, want allow (hooks observe, they do not decide)", d.Verdict)
	}
	if diff := cmp.Diff([]string{"first:allow", "third"}, order); diff != "" {
		t.Errorf("hook order mismatch (-want +got):\n%s", diff)
	}
	want := `level=INFO msg="aims: gate-decision" aimskit.event.type=gate-decision aimskit.system.id=` + chatbotID +
		` aimskit.decision.id=` + testID.String() + ` aimskit.gate.transition=design-and-development->verification-and-validation aimskit.decision.verdict=allow aimskit.policy.revision=basic/1 aimskit.gate.failed_checks=0` + "\n"
	if logged.String() != want {
		t.Errorf("slog record = %q, want %q", logged.String(), want)
	}
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
