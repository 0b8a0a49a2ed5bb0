package oscal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/export/oscal"
	"github.com/aimskit/aimskit/controls"
)

const (
	governance = "../../../examples/credit-scoring/governance"
	schemaID   = "http://csrc.nist.gov/ns/oscal/1.0/1.2.2/oscal-complete-schema.json"
)

var creditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")

func loadFolder(t testing.TB) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(governance))
	if err != nil {
		t.Fatalf("aims.Load(%s) = %v", governance, err)
	}
	return f
}

func fixed(system uuid.UUID) *oscal.Options {
	return &oscal.Options{
		System: system,
		Time:   func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) },
	}
}

// arSchema compiles the OSCAL v1.2.2 complete schema from testdata,
// refusing to load anything over the network.
func arSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema not preloaded: %s", u)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "v1.2.2_oscal_complete_schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(schemaID, bytes.NewReader(b)); err != nil {
		t.Fatalf("AddResource = %v", err)
	}
	s, err := c.Compile(schemaID)
	if err != nil {
		t.Fatalf("Compile = %v", err)
	}
	return s
}

func decode(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode output: %v", err)
	}
	return v
}

type arView struct {
	AssessmentResults struct {
		UUID     string `json:"uuid"`
		Metadata struct {
			LastModified string `json:"last-modified"`
			OSCALVersion string `json:"oscal-version"`
		} `json:"metadata"`
		ImportAP struct {
			Href string `json:"href"`
		} `json:"import-ap"`
		Results []struct {
			Findings []struct {
				Target struct {
					Type     string `json:"type"`
					TargetID string `json:"target-id"`
					Status   struct {
						State string `json:"state"`
					} `json:"status"`
					ImplementationStatus *struct {
						State   string `json:"state"`
						Remarks string `json:"remarks"`
					} `json:"implementation-status"`
				} `json:"target"`
				RelatedObservations []struct {
					ObservationUUID string `json:"observation-uuid"`
				} `json:"related-observations"`
			} `json:"findings"`
			Observations []struct {
				UUID string `json:"uuid"`
			} `json:"observations"`
			Risks []struct {
				Title  string `json:"title"`
				Status string `json:"status"`
			} `json:"risks"`
		} `json:"results"`
		BackMatter struct {
			Resources []struct {
				Rlinks []struct {
					Href   string `json:"href"`
					Hashes []struct {
						Algorithm string `json:"algorithm"`
						Value     string `json:"value"`
					} `json:"hashes"`
				} `json:"rlinks"`
			} `json:"resources"`
		} `json:"back-matter"`
	} `json:"assessment-results"`
}

func view(t testing.TB, b []byte) arView {
	t.Helper()
	var v arView
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestExportValidatesAgainstSchema(t *testing.T) {
	f := loadFolder(t)
	schema := arSchema(t)
	tests := []struct {
		name   string
		system uuid.UUID
	}{
		{"all systems", uuid.Nil},
		{"credit scoring", creditScoring},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := oscal.Export(f, fixed(tt.system))
			if err != nil {
				t.Fatalf("Export = %v", err)
			}
			if err := schema.Validate(decode(t, out)); err != nil {
				t.Errorf("output does not validate against the OSCAL v1.2.2 complete schema: %#v", err)
			}
			v := view(t, out).AssessmentResults
			if v.Metadata.OSCALVersion != oscal.Version || v.Metadata.LastModified != "2026-11-20T09:30:00Z" {
				t.Errorf("metadata = %+v", v.Metadata)
			}
			if v.ImportAP.Href != oscal.DefaultAssessmentPlan {
				t.Errorf("import-ap href = %q, want %q", v.ImportAP.Href, oscal.DefaultAssessmentPlan)
			}
			if len(v.Results) != 1 || len(v.Results[0].Risks) == 0 {
				t.Fatalf("want one result with risks, got %d results", len(v.Results))
			}
		})
	}
}

func TestSchemaRejects(t *testing.T) {
	bad := []byte(`{"assessment-results":{"uuid":"not-a-uuid"}}`)
	if err := arSchema(t).Validate(decode(t, bad)); err == nil {
		t.Error("Validate(bad assessment results) = nil, want an error")
	}
}

func TestExportIsDeterministic(t *testing.T) {
	a, err := oscal.Export(loadFolder(t), fixed(uuid.Nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := oscal.Export(loadFolder(t), fixed(uuid.Nil))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two exports of the same folder with the same clock differ")
	}
	later := fixed(uuid.Nil)
	later.Time = func() time.Time { return time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC) }
	c, err := oscal.Export(loadFolder(t), later)
	if err != nil {
		t.Fatal(err)
	}
	if view(t, a).AssessmentResults.UUID == view(t, c).AssessmentResults.UUID {
		t.Error("exports at different times share the document uuid")
	}
}

func TestExportFindings(t *testing.T) {
	out, err := oscal.Export(loadFolder(t), fixed(uuid.Nil))
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, out).AssessmentResults
	res := v.Results[0]
	obs := make(map[string]bool)
	for _, o := range res.Observations {
		obs[o.UUID] = true
	}
	byTarget := make(map[string]int)
	for i, fd := range res.Findings {
		byTarget[fd.Target.TargetID] = i
		if fd.Target.Type != "objective-id" {
			t.Errorf("finding %s target type = %q, want objective-id", fd.Target.TargetID, fd.Target.Type)
		}
		for _, r := range fd.RelatedObservations {
			if !obs[r.ObservationUUID] {
				t.Errorf("finding %s relates to unknown observation %s", fd.Target.TargetID, r.ObservationUUID)
			}
		}
	}
	annex := controls.ISO42001().AnnexA()
	if len(res.Findings) != len(annex) || len(annex) != 38 {
		t.Errorf("len(findings) = %d, want 38", len(res.Findings))
	}
	for _, c := range annex {
		if _, ok := byTarget[c.ID.Ref()]; !ok {
			t.Errorf("no finding for %s", c.ID)
		}
	}
	ex := res.Findings[byTarget["A.10.4"]].Target
	if ex.ImplementationStatus == nil || ex.ImplementationStatus.State != "not-applicable" || ex.ImplementationStatus.Remarks == "" {
		t.Errorf("excluded A.10.4 implementation-status = %+v, want not-applicable with the justification", ex.ImplementationStatus)
	}
	if got := res.Findings[byTarget["A.2.2"]].Target.Status.State; got != "satisfied" {
		t.Errorf("A.2.2 status = %q, want satisfied", got)
	}
	hashed := 0
	for _, r := range v.BackMatter.Resources {
		for _, l := range r.Rlinks {
			if len(l.Hashes) > 0 && l.Hashes[0].Algorithm == "SHA-256" && len(l.Hashes[0].Value) == 64 {
				hashed++
			}
		}
	}
	if hashed == 0 {
		t.Error("no back-matter resource carries a SHA-256 hash of a governance document")
	}
	for _, r := range res.Risks {
		switch r.Status {
		case "open", "closed", "deviation-approved":
		default:
			t.Errorf("risk %q status = %q", r.Title, r.Status)
		}
	}
}

func TestExportErrors(t *testing.T) {
	f := loadFolder(t)
	tests := []struct {
		name string
		f    *aims.Snapshot
		opts *oscal.Options
		want error
	}{
		{"nil folder", nil, nil, oscal.ErrNoFolder},
		{"unknown system", f, &oscal.Options{System: uuid.MustParse("00000000-0000-4000-8000-000000000001")}, aims.ErrUnknownSystem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := oscal.Export(tt.f, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Errorf("Export = %v, want an error matching %v", err, tt.want)
			}
		})
	}
}
