package aims_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/inventory"
)

// fleetSizes are the folder sizes of the scaling benchmarks.
var fleetSizes = []int{10, 100, 1_000, 10_000}

// fleetFolder returns a folder of n AI systems, each with a risk
// assessment (6 risks) and an impact assessment (10 impacts, with FRIA),
// made from the credit-scoring example with fresh ids, the example's
// Statement of Applicability and ManagementSystem, and the total size of
// the AI systems' documents. fleetSystem(i) is the id of system i.
func fleetFolder(tb testing.TB, n int) (fstest.MapFS, int) {
	tb.Helper()
	read := func(name string) string {
		data, err := os.ReadFile("../examples/credit-scoring/governance/" + name)
		if err != nil {
			tb.Fatal(err)
		}
		return string(data)
	}
	sys, ra, ia := read("ai-system-credit-scoring.yaml"), read("risk-assessment.yaml"), read("impact-assessment.yaml")
	const sysID, raID, iaID = "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", "2b7e4c91-5d3a-4f8e-b1c6-7a9d0e3f5b21", "8d3f1a62-9c4b-4e7a-a5d2-1b6e0f9c7e34"
	fsys := fstest.MapFS{}
	total := 0
	for i := range n {
		r := strings.NewReplacer(sysID, fleetSystem(i).String(), raID, fmt.Sprintf("%08x-5d3a-4f8e-b1c6-7a9d0e3f5b21", i), iaID, fmt.Sprintf("%08x-9c4b-4e7a-a5d2-1b6e0f9c7e34", i),
			"name: Consumer credit scoring", fmt.Sprintf("name: Consumer credit scoring %d", i))
		for name, doc := range map[string]string{"system.yaml": sys, "risk.yaml": ra, "impact.yaml": ia} {
			data := []byte(r.Replace(doc))
			total += len(data)
			fsys[fmt.Sprintf("s%05d/%s", i, name)] = &fstest.MapFile{Data: data}
		}
	}
	return fsys, total
}

func fleetSystem(i int) uuid.UUID {
	return uuid.MustParse(fmt.Sprintf("%08x-3b7d-4c8e-9a1f-2d5b8e7c4a10", i))
}

// BenchmarkFleet measures, at 10, 100, 1,000 and 10,000 AI systems of
// [fleetFolder]: the load of the folder, NewGate over it, one evaluation
// of the deployment gate (of the last system), and the heap that the
// loaded snapshot and the gate keep alive (MB-retained, and bytes
// retained per byte of the AI systems' YAML).
//
//	go test -run '^$' -bench Fleet -benchtime 1x ./aims/      # load, NewGate, heap
//	go test -run '^$' -bench Fleet/.*/evaluate ./aims/      # evaluation
func BenchmarkFleet(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(fmt.Sprintf("systems=%d", n), func(b *testing.B) { benchFleet(b, n) })
	}
}

func benchFleet(b *testing.B, n int) {
	fsys, total := fleetFolder(b, n)
	l, err := aims.NewLoader(&aims.LoaderOptions{CacheSize: -1}) // every load decodes; no cache in the heap
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	load := func(b *testing.B) *aims.Snapshot {
		f, err := l.Load(ctx, fsys)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Systems) != n || len(f.RiskAssessments) != n || len(f.ImpactAssessments) != n {
			b.Fatalf("loaded %d systems, %d risk and %d impact assessments", len(f.Systems), len(f.RiskAssessments), len(f.ImpactAssessments))
		}
		return f
	}
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(total))
		for b.Loop() {
			load(b)
		}
	})
	f := load(b)
	opts := &aims.GateOptions{
		Clock: func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) },
		NewID: func() (uuid.UUID, error) { return uuid.MustParse("01890a5d-ac96-774b-bcce-b302099a8057"), nil },
	}
	b.Run("newgate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := aims.NewGate(f, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	g, err := aims.NewGate(f, opts)
	if err != nil {
		b.Fatal(err)
	}
	last := fleetSystem(n - 1)
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d, err := g.Evaluate(ctx, last, inventory.StageDeployment, nil)
			if err != nil || d.System != last {
				b.Fatalf("Evaluate = %v, %v", d.System, err)
			}
		}
	})
	b.Run("heap", func(b *testing.B) {
		for b.Loop() {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			f := load(b)
			g, err := aims.NewGate(f, opts)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			kept := float64(after.HeapAlloc) - float64(before.HeapAlloc)
			b.ReportMetric(kept/(1<<20), "MB-retained")
			b.ReportMetric(kept/float64(total), "B-retained/B-yaml")
			runtime.KeepAlive(g)
		}
	})
}

// TestGateFleetConcurrent evaluates every system of a fleet from two
// goroutines at once, on one gate, and checks that each decision is the
// one a gate over the same snapshot makes for that system alone.
func TestGateFleetConcurrent(t *testing.T) {
	const n = 40
	fsys, _ := fleetFolder(t, n)
	f, err := aims.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	opts := &aims.GateOptions{
		Clock: func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) },
		NewID: func() (uuid.UUID, error) { return uuid.MustParse("01890a5d-ac96-774b-bcce-b302099a8057"), nil },
	}
	shared, err := aims.NewGate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := make([][2]aims.Decision, n)
	errs := make(chan error, 2*n)
	done := make(chan struct{})
	for w := range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range n {
				d, err := shared.Evaluate(context.Background(), fleetSystem(i), inventory.StageDeployment, nil)
				errs <- err
				got[i][w] = d
			}
		}()
	}
	<-done
	<-done
	for range 2 * n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		alone, err := aims.NewGate(f, opts)
		if err != nil {
			t.Fatal(err)
		}
		want, err := alone.Evaluate(context.Background(), fleetSystem(i), inventory.StageDeployment, nil)
		if err != nil {
			t.Fatal(err)
		}
		for w := range 2 {
			if diff := cmp.Diff(want, got[i][w]); diff != "" {
				t.Errorf("Evaluate(system %d) on a shared gate, goroutine %d: (-want +got)\n%s", i, w, diff)
			}
		}
		if want.System != fleetSystem(i) || len(want.Inputs) != 3 {
			t.Errorf("Evaluate(system %d) = system %s, %d inputs; want %s, 3 inputs", i, want.System, len(want.Inputs), fleetSystem(i))
		}
	}
}
