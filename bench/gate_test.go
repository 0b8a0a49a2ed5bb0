// Package bench compares aimskit's deployment gate with the same checks
// written in Rego and evaluated by OPA. It is a separate module so that the
// OPA dependency stays out of aimskit's go.mod.
package bench

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
)

//go:embed policy/deployment.rego
var deploymentRego string

const query = "data.aimskit.deployment.decision"

var (
	creditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	now           = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	decisionID    = uuid.MustParse("01937a1e-0000-7000-8000-000000000001")
)

// deploymentControls are the controls of the deployment gate of
// aims.DefaultPolicy.
var deploymentControls = []string{"iso42001:A.6.2.4", "iso42001:A.6.2.5", "iso42001:A.8.2"}

func options() *aims.GateOptions {
	return &aims.GateOptions{
		Clock: func() time.Time { return now },
		NewID: func() (uuid.UUID, error) { return decisionID, nil },
	}
}

// loadExample loads the credit-scoring example and grows its risk
// assessment to 20 risks, as aims.BenchmarkGateEvaluate does.
func loadExample(tb testing.TB) *aims.Snapshot {
	tb.Helper()
	f, err := aims.Load(context.Background(), os.DirFS("../examples/credit-scoring/governance"))
	if err != nil {
		tb.Fatalf("Load(example): %v", err)
	}
	ra := f.RiskAssessment(creditScoring)
	for i := len(ra.Risks); i < 20; i++ {
		r := ra.Risks[i%6]
		r.ID = fmt.Sprintf("R-%02d", i+1)
		ra.Risks = append(ra.Risks, r)
	}
	return f
}

func date(d document.Date) string { return d.String() }

func strs[T ~string](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// buildInput serialises the facts the deployment checks read into the
// input document of policy/deployment.rego. Like aimskit's NewGate, it does
// the per-system preparation once: the EU AI Act obligations, the FRIA
// validation, and the rating of every risk against the criteria.
func buildInput(tb testing.TB, f *aims.Snapshot, id uuid.UUID) map[string]any {
	tb.Helper()
	sys := f.System(id)
	if sys == nil {
		tb.Fatalf("no system %s", id)
	}
	ob := sys.Obligations()
	o := sys.Purpose.Oversight
	models := make([]any, len(sys.Resources.Models))
	for i, m := range sys.Resources.Models {
		models[i] = map[string]any{"name": m.Name, "version": m.Version}
	}
	datasets := make([]any, len(sys.Resources.Datasets))
	for i, d := range sys.Resources.Datasets {
		datasets[i] = d.Name
	}
	in := map[string]any{
		"today": date(document.DateOf(now)),
		"system": map[string]any{
			"id":            sys.ID.String(),
			"category":      string(sys.Classified().Category),
			"businessOwner": sys.Accountability.BusinessOwner.Name,
			"technicalLead": sys.Accountability.TechnicalLead.Name,
			"intendedUse":   sys.Purpose.Intended,
			"oversight": map[string]any{
				"mechanism":   o.Mechanism,
				"roles":       strs(o.Roles),
				"canOverride": o.CanOverride,
				"canStop":     o.CanStop,
			},
			"models":       models,
			"datasets":     datasets,
			"countries":    strs(sys.Purpose.Context.Countries),
			"users":        strs(sys.Purpose.Users),
			"friaRequired": ob.FRIARequired,
		},
		"riskAssessment":   nil,
		"impactAssessment": nil,
		"soa":              nil,
	}

	if ra := f.RiskAssessment(sys.ID); ra != nil {
		m := map[string]any{
			"date":          date(ra.Date),
			"nextReview":    date(ra.NextReview),
			"approved":      ra.Approval != nil,
			"criteriaFound": false,
			"problem":       "",
			"appetite":      0,
			"risks":         []any{},
		}
		if c, ok := f.Criteria(ra); ok {
			m["criteriaFound"] = true
			m["appetite"] = c.AppetiteRank()
			risks := make([]any, 0, len(ra.Risks))
			for _, r := range ra.Risks {
				rating := r.Inherent
				if !r.Residual.IsZero() {
					rating = r.Residual
				}
				res, err := c.Score(rating)
				if err != nil {
					m["problem"] = err.Error()
					break
				}
				rm := map[string]any{
					"id":                  r.ID,
					"residualLevel":       res.Level,
					"residualLikelihood":  res.Likelihood,
					"residualConsequence": res.Consequence,
					"acceptance":          nil,
				}
				if ac := r.Acceptance; ac != nil {
					acc, err := c.Score(ac.Rating)
					if err != nil {
						m["problem"] = err.Error()
						break
					}
					rm["acceptance"] = map[string]any{
						"likelihood":  acc.Likelihood,
						"consequence": acc.Consequence,
						"expires":     date(ac.Expires),
					}
				}
				risks = append(risks, rm)
			}
			m["risks"] = risks
		}
		in["riskAssessment"] = m
	}

	if ia := f.ImpactAssessment(sys.ID); ia != nil {
		models := make([]any, len(ia.Models))
		for i, m := range ia.Models {
			models[i] = map[string]any{"name": m.Name, "version": m.Version}
		}
		datasets := make([]any, len(ia.Data.Datasets))
		for i, d := range ia.Data.Datasets {
			datasets[i] = d.Name
		}
		friaProblem := ""
		if ia.FRIA != nil && ob.FRIARequired {
			if err := ia.ValidateFor(sys); err != nil {
				friaProblem = err.Error()
			}
		}
		in["impactAssessment"] = map[string]any{
			"date":        date(ia.Date),
			"approved":    ia.Approval != nil,
			"nextReview":  date(ia.Review.Next),
			"models":      models,
			"datasets":    datasets,
			"countries":   strs(ia.Deployment.Countries),
			"users":       strs(ia.Deployment.Users),
			"fria":        ia.FRIA != nil,
			"friaProblem": friaProblem,
		}
	}

	if f.SoA != nil {
		entries := map[string]any{}
		for _, id := range deploymentControls {
			e, ok := f.SoA.Entry(controls.ID(id))
			if !ok {
				continue
			}
			systems := make([]any, len(e.Systems))
			for i, s := range e.Systems {
				systems[i] = s.String()
			}
			evidence := make([]any, len(e.Evidence))
			for i, ev := range e.Evidence {
				evidence[i] = date(ev.Effective)
			}
			entries[id] = map[string]any{
				"applicability": string(e.Applicability),
				"status":        string(e.Status),
				"systems":       systems,
				"evidence":      evidence,
			}
		}
		in["soa"] = map[string]any{"entries": entries}
	}
	return in
}

func prepareOPA(tb testing.TB) rego.PreparedEvalQuery {
	tb.Helper()
	pq, err := rego.New(
		rego.Query(query),
		rego.Module("policy/deployment.rego", deploymentRego),
	).PrepareForEval(context.Background())
	if err != nil {
		tb.Fatalf("PrepareForEval: %v", err)
	}
	return pq
}

// opaDecision evaluates the policy and returns its verdict and the names
// of the failed checks, sorted.
func opaDecision(tb testing.TB, pq rego.PreparedEvalQuery, input map[string]any) (string, []string, int) {
	tb.Helper()
	rs, err := pq.Eval(context.Background(), rego.EvalInput(input))
	if err != nil {
		tb.Fatalf("Eval: %v", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		tb.Fatalf("Eval: result set %v, want one decision", rs)
	}
	d, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		tb.Fatalf("decision is %T, want an object", rs[0].Expressions[0].Value)
	}
	verdict, _ := d["verdict"].(string)
	checks, _ := d["checks"].([]any)
	var failed []string
	for _, c := range checks {
		c := c.(map[string]any)
		if c["outcome"] == "fail" {
			failed = append(failed, c["check"].(string))
		}
	}
	slices.Sort(failed)
	return verdict, failed, len(checks)
}

func aimskitDecision(tb testing.TB, f *aims.Snapshot) (aims.Decision, []string) {
	tb.Helper()
	g, err := aims.NewGate(f, options())
	if err != nil {
		tb.Fatalf("NewGate: %v", err)
	}
	d, err := g.Evaluate(context.Background(), creditScoring, inventory.StageDeployment, nil)
	if err != nil {
		tb.Fatalf("Evaluate: %v", err)
	}
	// The Rego policy has the ten deployment checks, not the readiness
	// rules that every aimskit gate also runs as a warning
	// (assessments-current): compare what both decide, so that aimskit
	// does more work than OPA in the benchmark, not less.
	d.Checks = slices.DeleteFunc(slices.Clone(d.Checks), func(c aims.CheckResult) bool { return c.Check == aims.CheckAssessmentsCurrent })
	var failed []string
	for _, c := range d.Failed() {
		failed = append(failed, c.Check)
	}
	slices.Sort(failed)
	return d, failed
}

func TestSameVerdict(t *testing.T) {
	pq := prepareOPA(t)
	tests := []struct {
		name    string
		modify  func(*aims.Snapshot)
		verdict aims.Verdict
		failed  []string
	}{
		{name: "complete", modify: func(*aims.Snapshot) {}, verdict: aims.VerdictAllow},
		{
			name:    "without FRIA",
			modify:  func(f *aims.Snapshot) { f.ImpactAssessment(creditScoring).FRIA = nil },
			verdict: aims.VerdictDeny,
			failed:  []string{aims.CheckFRIA},
		},
		{
			name:    "oversight cannot stop",
			modify:  func(f *aims.Snapshot) { f.System(creditScoring).Purpose.Oversight.CanStop = false },
			verdict: aims.VerdictDeny,
			failed:  []string{aims.CheckHumanOversight},
		},
		{
			name:    "risk assessment not approved",
			modify:  func(f *aims.Snapshot) { f.RiskAssessment(creditScoring).Approval = nil },
			verdict: aims.VerdictDeny,
			failed:  []string{aims.CheckRiskApproved},
		},
		{
			name: "new country",
			modify: func(f *aims.Snapshot) {
				c := &f.System(creditScoring).Purpose.Context
				c.Countries = append(c.Countries, "FR")
			},
			verdict: aims.VerdictDeny,
			failed:  []string{aims.CheckImpactApproved},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := loadExample(t)
			tt.modify(f)
			d, aimsFailed := aimskitDecision(t, f)
			verdict, opaFailed, n := opaDecision(t, pq, buildInput(t, f, creditScoring))
			if d.Verdict != tt.verdict {
				t.Errorf("aimskit verdict = %s, want %s (failed: %v)", d.Verdict, tt.verdict, aimsFailed)
			}
			if verdict != string(d.Verdict) {
				t.Errorf("OPA verdict = %s, aimskit verdict = %s", verdict, d.Verdict)
			}
			if !slices.Equal(opaFailed, aimsFailed) {
				t.Errorf("OPA failed checks = %v, aimskit failed checks = %v", opaFailed, aimsFailed)
			}
			if !slices.Equal(aimsFailed, tt.failed) {
				t.Errorf("failed checks = %v, want %v", aimsFailed, tt.failed)
			}
			if n != len(d.Checks) {
				t.Errorf("OPA returned %d check results, aimskit %d", n, len(d.Checks))
			}
		})
	}
}

// BenchmarkGate evaluates the deployment gate of the credit-scoring example
// (risk assessment grown to 20 risks) with aimskit and with OPA. Both
// prepare once (aims.NewGate; PrepareForEval and the input document) and
// decide once per op.
func BenchmarkGate(b *testing.B) {
	ctx := context.Background()
	b.Run("aimskit", func(b *testing.B) {
		g, err := aims.NewGate(loadExample(b), options())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
			if err != nil || d.Verdict != aims.VerdictAllow {
				b.Fatalf("Evaluate = %v, %v", d.Verdict, err)
			}
		}
	})
	b.Run("opa", func(b *testing.B) {
		pq := prepareOPA(b)
		input := buildInput(b, loadExample(b), creditScoring)
		b.ReportAllocs()
		for b.Loop() {
			rs, err := pq.Eval(ctx, rego.EvalInput(input))
			if err != nil || len(rs) != 1 {
				b.Fatalf("Eval = %v, %v", rs, err)
			}
			if v := rs[0].Expressions[0].Value.(map[string]any)["verdict"]; v != "allow" {
				b.Fatalf("verdict = %v, want allow", v)
			}
		}
	})
}

// BenchmarkGateRatio runs both sides of BenchmarkGate in alternation, in
// the same loop, so that a change in the machine's load weighs on both
// alike: each op is one OPA evaluation and then aimskitPerOp aimskit
// evaluations, each side timed on its own. It reports the time of one
// decision of each (aimskit-ns/op, opa-ns/op) and their ratio
// (opa/aimskit). The ns/op of the benchmark itself is the op's time and
// means little.
func BenchmarkGateRatio(b *testing.B) {
	const aimskitPerOp = 100
	ctx := context.Background()
	g, err := aims.NewGate(loadExample(b), options())
	if err != nil {
		b.Fatal(err)
	}
	pq := prepareOPA(b)
	input := buildInput(b, loadExample(b), creditScoring)
	var tAims, tOPA time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		rs, err := pq.Eval(ctx, rego.EvalInput(input))
		tOPA += time.Since(start)
		if err != nil || len(rs) != 1 {
			b.Fatalf("Eval = %v, %v", rs, err)
		}
		if v := rs[0].Expressions[0].Value.(map[string]any)["verdict"]; v != "allow" {
			b.Fatalf("verdict = %v, want allow", v)
		}
		start = time.Now()
		for range aimskitPerOp {
			d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
			if err != nil || d.Verdict != aims.VerdictAllow {
				b.Fatalf("Evaluate = %v, %v", d.Verdict, err)
			}
		}
		tAims += time.Since(start)
		n++
	}
	aimsNs := float64(tAims.Nanoseconds()) / float64(n*aimskitPerOp)
	opaNs := float64(tOPA.Nanoseconds()) / float64(n)
	b.ReportMetric(aimsNs, "aimskit-ns/op")
	b.ReportMetric(opaNs, "opa-ns/op")
	b.ReportMetric(opaNs/aimsNs, "opa/aimskit")
}
