package aims_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aimskit/aimskit/aims"
)

// BenchmarkFolderMemory loads 10,000 AI systems, each with a risk
// assessment (6 risks) and an impact assessment (10 impacts, with FRIA),
// made from the credit-scoring example with fresh ids, and reports the
// heap the loaded folder and a gate over it keep alive, with the
// loader's cache off (a cache holds a copy of each document it keeps).
//
//	go test -run '^$' -bench FolderMemory -benchtime 1x ./aims/
func BenchmarkFolderMemory(b *testing.B) {
	const n = 10_000
	read := func(name string) string {
		data, err := os.ReadFile("../examples/credit-scoring/governance/" + name)
		if err != nil {
			b.Fatal(err)
		}
		return string(data)
	}
	sys, ra, ia := read("ai-system-credit-scoring.yaml"), read("risk-assessment.yaml"), read("impact-assessment.yaml")
	const sysID, raID, iaID = "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", "2b7e4c91-5d3a-4f8e-b1c6-7a9d0e3f5b21", "8d3f1a62-9c4b-4e7a-a5d2-1b6e0f9c7e34"
	fsys := fstest.MapFS{}
	for i := range n {
		id := fmt.Sprintf("%08x-3b7d-4c8e-9a1f-2d5b8e7c4a10", i)
		r := strings.NewReplacer(sysID, id, raID, fmt.Sprintf("%08x-5d3a-4f8e-b1c6-7a9d0e3f5b21", i), iaID, fmt.Sprintf("%08x-9c4b-4e7a-a5d2-1b6e0f9c7e34", i),
			"name: Consumer credit scoring", fmt.Sprintf("name: Consumer credit scoring %d", i))
		fsys[fmt.Sprintf("s%05d/system.yaml", i)] = &fstest.MapFile{Data: []byte(r.Replace(sys))}
		fsys[fmt.Sprintf("s%05d/risk.yaml", i)] = &fstest.MapFile{Data: []byte(r.Replace(ra))}
		fsys[fmt.Sprintf("s%05d/impact.yaml", i)] = &fstest.MapFile{Data: []byte(r.Replace(ia))}
	}
	l, err := aims.NewLoader(&aims.LoaderOptions{CacheSize: -1}) // the snapshot and gate alone
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f, err := l.Load(context.Background(), fsys)
		if err != nil {
			b.Fatal(err)
		}
		g, err := aims.NewGate(f, nil)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if len(f.Systems) != n || len(f.RiskAssessments) != n || len(f.ImpactAssessments) != n {
			b.Fatalf("loaded %d systems, %d risk and %d impact assessments", len(f.Systems), len(f.RiskAssessments), len(f.ImpactAssessments))
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-retained")
		runtime.KeepAlive(g)
	}
}
