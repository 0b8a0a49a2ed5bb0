package aims_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/internal/schema"
	"github.com/aimskit/aimskit/inventory"
)

// benchSystem is an AISystem document of about 2 KB.
const benchSystem = `# Inventory entry %[1]d.
apiVersion: aimskit.dev/v1alpha1
kind: AISystem
id: %08[1]x-3b7d-4c8e-9a1f-2d5b8e7c4a10
name: Consumer credit scoring %[1]d
version: "3.2"
description: Scores applications for consumer loans; loan officers see the score and decide.
labels: {business-unit: retail-lending, tier: critical}
accountability:
  businessOwner: {name: Head of Retail Lending, team: retail-lending}
  technicalLead: {name: Lead ML Engineer, team: credit-ml}
  roles: [provider, customer]
  operatorRoles: [provider, deployer]
purpose:
  intended: Estimate the probability of default of a consumer-loan applicant to support the loan officer.
  foreseeableMisuse: [automatic rejection without review, use for mortgages]
  users: [loan officers, credit risk analysts]
  affectedPersons: [loan applicants, co-applicants]
  context: {countries: [DE, AT], languages: [de, en], setting: branch and online applications}
  autonomy: human-in-the-loop
  oversight:
    mechanism: Every score is reviewed by a loan officer who can override it.
    roles: [loan officer, credit risk manager]
    canOverride: true
    canStop: true
lifecycle:
  stage: verification-and-validation
  status: active
  history:
    - {from: inception, to: design-and-development, date: "2026-03-02", by: Head of Retail Lending}
    - {from: design-and-development, to: verification-and-validation, date: "2026-09-14", by: Lead ML Engineer}
resources:
  models:
    - {name: credit-gbm, version: "3.2.0", kind: gradient-boosted trees, license: proprietary, origin: in-house,
       digest: "sha256:9f2d6c1b8a7e4f3d2c1b0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c"}
  datasets:
    - {name: loan-book, purpose: training, source: internal loan book, personalData: true,
       personalDataCategories: [financial data, age band], knownBiases: [few applicants under 25]}
    - {name: holdout-2025, purpose: test, source: internal loan book, personalData: true}
  tooling: [{name: LightGBM, version: "4.5", purpose: training}]
  compute: [{name: scoring-cluster, provider: in-house, location: Frankfurt}]
  people: [{role: model validator, competence: independent model validation, count: 2}]
parties:
  - {name: Credit bureau, relation: supplier, responsibilities: [supplies bureau scores], agreement: DPA-2024-017}
classification:
  category: high-risk
  annexIII: 5(b)
  profiling: true
  rationale: Creditworthiness evaluation of natural persons is listed in Annex III point 5(b).
`

func benchFolder(b *testing.B, n int) (fstest.MapFS, int) { return benchFolderAs(b, n, false) }

// benchFolderAs builds n documents, as YAML or, with asJSON, as the same
// documents in JSON.
func benchFolderAs(b *testing.B, n int, asJSON bool) (fstest.MapFS, int) {
	b.Helper()
	fsys := fstest.MapFS{}
	total := 0
	ext := "yaml"
	if asJSON {
		ext = "json"
	}
	for i := range n {
		data := []byte(fmt.Sprintf(benchSystem, i))
		if asJSON {
			js, err := document.ToJSON(data)
			if err != nil {
				b.Fatal(err)
			}
			data = js
		}
		total += len(data)
		fsys[fmt.Sprintf("systems/system-%04d.%s", i, ext)] = &fstest.MapFile{Data: data}
	}
	return fsys, total
}

// BenchmarkLoad measures the whole load of 1,000 AISystem documents: file
// reading, YAML decoding, JSON Schema validation, strict decoding and
// semantic checks. BenchmarkSchemaOnly measures the schema validation
// alone on the same documents, for comparison.
func BenchmarkLoad(b *testing.B) {
	b.Run("yaml", func(b *testing.B) { benchLoad(b, false) })
	b.Run("json", func(b *testing.B) { benchLoad(b, true) })
}

func benchLoad(b *testing.B, asJSON bool) {
	const n = 1000
	fsys, total := benchFolderAs(b, n, asJSON)
	l, err := aims.NewLoader(&aims.LoaderOptions{CacheSize: -1}) // every load decodes
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		f, err := l.Load(context.Background(), fsys)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Systems) != n {
			b.Fatalf("loaded %d systems, want %d", len(f.Systems), n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/doc")
}

// BenchmarkReload measures the load of the 1,000 AISystem documents of
// BenchmarkLoad by a loader that has not seen them (first: each load
// with a new loader, made outside the timer) and by a loader that
// loaded the same folder before (unchanged), whose cache then hands out
// copies of the documents.
//
//	go test -run '^$' -bench 'Reload' -benchmem -count 5 ./aims/
func BenchmarkReload(b *testing.B) {
	const n = 1000
	fsys, total := benchFolder(b, n)
	load := func(b *testing.B, l *aims.Loader) {
		f, err := l.Load(context.Background(), fsys)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Systems) != n {
			b.Fatalf("loaded %d systems, want %d", len(f.Systems), n)
		}
	}
	newLoader := func(b *testing.B) *aims.Loader {
		l, err := aims.NewLoader(nil)
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(total))
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			l := newLoader(b)
			b.StartTimer()
			load(b, l)
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		l := newLoader(b)
		load(b, l)
		b.ReportAllocs()
		b.SetBytes(int64(total))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			load(b, l)
		}
	})
}

func BenchmarkSchemaOnly(b *testing.B) {
	const n = 1000
	fsys, total := benchFolder(b, n)
	set, err := schema.Compile(inventory.Schema())
	if err != nil {
		b.Fatal(err)
	}
	trees := make([]any, 0, n)
	for _, f := range fsys {
		js, err := document.ToJSON(f.Data)
		if err != nil {
			b.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			b.Fatal(err)
		}
		trees = append(trees, v)
	}
	b.ReportAllocs()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		for _, v := range trees {
			vs, err := set.Validate(inventory.SchemaID, v)
			if err != nil || len(vs) > 0 {
				b.Fatalf("Validate: %v %v", vs, err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/doc")
}

// BenchmarkGateEvaluate evaluates the deployment gate of the default
// policy for the credit-scoring example: one system, an SoA with 40
// entries (38 Annex A), a risk assessment grown to 20 risks and an impact
// assessment. No evidence I/O.
func BenchmarkGateEvaluate(b *testing.B) {
	f := loadExample(b)
	ra := f.RiskAssessment(creditScoring)
	for i := len(ra.Risks); i < 20; i++ {
		r := ra.Risks[i%6]
		r.ID = fmt.Sprintf("R-%02d", i+1)
		ra.Risks = append(ra.Risks, r)
	}
	g, err := aims.NewGate(f, fixedOptions(nil))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		d, err := g.Evaluate(ctx, creditScoring, inventory.StageDeployment, nil)
		if err != nil || d.Verdict != aims.VerdictAllow {
			b.Fatalf("Evaluate = %v, %v", d.Verdict, err)
		}
	}
}
