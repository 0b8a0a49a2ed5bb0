package governance

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
)

// incYAML is a valid serious incident with an initial report and a
// communication.
const incYAML = `apiVersion: aimskit.dev/v1alpha1
kind: Incident
id: inc-2026-007
system: 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10
title: Systematic refusals in one postcode area
description: Applicants from one postcode area were refused at four times the usual rate for nine days.
type: fundamental-rights-infringement
aware: "2026-11-20T08:30:00Z"
causalLink: "2026-11-21T10:00:00Z"
status: initial-report-sent
reports:
  - date: "2026-11-22T16:00:00+01:00"
    kind: initial
    authority: Market surveillance authority (DE)
    reference: MSA-2026-1187
nonconformity: nc-2026-009
communications:
  - date: 2026-11-21
    to: Affected loan applicants
    channel: letter
    summary: Decisions are reviewed by a person; applicants may ask for a new decision.
suspend: true
`

var incAware = time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC)

func newIncidentDecoder(tb testing.TB) *document.Decoder {
	tb.Helper()
	d, err := document.NewDecoder(incidentTypes(), nil)
	if err != nil {
		tb.Fatalf("NewDecoder(incidentTypes()): %v", err)
	}
	return d
}

func TestIncidentDecode(t *testing.T) {
	v, err := newIncidentDecoder(t).Decode("inc.yaml", []byte(incYAML))
	if err != nil {
		t.Fatalf("Decode() error:\n%v", err)
	}
	got, ok := v.(*Incident)
	if !ok {
		t.Fatalf("Decode() = %T, want *Incident", v)
	}
	want := &Incident{
		Header:      document.Header{APIVersion: document.APIVersion, Kind: KindIncident},
		ID:          "inc-2026-007",
		System:      got.System,
		Title:       "Systematic refusals in one postcode area",
		Description: "Applicants from one postcode area were refused at four times the usual rate for nine days.",
		Type:        IncidentFundamentalRights,
		Aware:       incAware,
		CausalLink:  time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC),
		Status:      IncidentInitialReportSent,
		Reports: []IncidentReport{{Date: time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC), Kind: ReportInitial,
			Authority: "Market surveillance authority (DE)", Reference: "MSA-2026-1187"}},
		Nonconformity: "nc-2026-009",
		Communications: []IncidentCommunication{{Date: document.DateOf(time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)),
			To: "Affected loan applicants", Channel: "letter", Summary: "Decisions are reviewed by a person; applicants may ask for a new decision."}},
		Suspend: true,
	}
	if got.System.String() != "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10" {
		t.Errorf("System = %s, want 6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10", got.System)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(got, got.Clone()); diff != "" {
		t.Errorf("Clone() mismatch (-want +got):\n%s", diff)
	}
}

// incProblemTests edit the valid document (replacing old with new once)
// and list the pointers of the problems the decoder reports.
var incProblemTests = []struct {
	name, old, new string
	want           []string
}{
	{"bad id", "id: inc-2026-007", "id: Inc 7", []string{"/id"}},
	{"unknown type", "type: fundamental-rights-infringement", "type: minor", []string{"/type"}},
	{"missing awareness", `aware: "2026-11-20T08:30:00Z"` + "\n", "", []string{"/aware"}},
	{"awareness not a date-time", `aware: "2026-11-20T08:30:00Z"`, `aware: "2026-11-20"`, []string{"/aware"}},
	{"unknown field", "suspend: true", "suspended: true", []string{"/suspended"}},
	{"death with a type that is not serious", "type: fundamental-rights-infringement", "type: not-serious\ndeath: true", []string{"/death"}},
	{"causal link before awareness", `causalLink: "2026-11-21T10:00:00Z"`, `causalLink: "2026-11-19T10:00:00Z"`, []string{"/causalLink"}},
	{"report before awareness", `- date: "2026-11-22T16:00:00+01:00"`, `- date: "2026-11-20T08:00:00Z"`, []string{"/reports/0/date"}},
	{"blank authority", "authority: Market surveillance authority (DE)", `authority: " "`, []string{"/reports/0/authority"}},
	{"detected with a report", "status: initial-report-sent", "status: detected", []string{"/status"}},
	{"initial-report-sent without an initial report", "kind: initial", "kind: complete", []string{"/status"}},
	{"complete-report-sent without a complete report", "status: initial-report-sent", "status: complete-report-sent", []string{"/reports"}},
	{"closed without a complete report or corrective action", "status: initial-report-sent", "status: closed", []string{"/correctiveAction", "/reports"}},
	{"communication before awareness", "- date: 2026-11-21", "- date: 2026-11-19", []string{"/communications/0/date"}},
	{"blank party", "to: Affected loan applicants", `to: " "`, []string{"/communications/0/to"}},
	{"wrong kind", "kind: Incident", "kind: Nonconformity", []string{"/kind"}},
}

func TestIncidentProblems(t *testing.T) {
	d := newIncidentDecoder(t)
	for _, tt := range incProblemTests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(incYAML, tt.old, tt.new, 1)
			if doc == incYAML {
				t.Fatalf("%q not found in the document", tt.old)
			}
			_, err := d.Decode("inc.yaml", []byte(doc))
			if diff := cmp.Diff(tt.want, incProblemPointers(t, err)); diff != "" {
				t.Errorf("Decode() problem pointers mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestIncidentValidateZero(t *testing.T) {
	var i Incident
	want := []string{"/aware", "/description", "/id", "/status", "/system", "/title", "/type"}
	if diff := cmp.Diff(want, incProblemPointers(t, i.Validate())); diff != "" {
		t.Errorf("Incident{}.Validate() pointers mismatch (-want +got):\n%s", diff)
	}
}

// incProblemPointers returns the sorted pointers of the problems in err,
// each once, or nil when err is nil.
func incProblemPointers(tb testing.TB, err error) []string {
	tb.Helper()
	return slices.Compact(documenttest.SortedPointers(tb, err))
}

// incDeadlineTests cover every deadline rule of Art. 73.
var incDeadlineTests = []struct {
	name  string
	typ   IncidentType
	death bool
	want  time.Duration // 0: no deadline
}{
	{"harm to health", IncidentDeathOrHarmToHealth, false, 15 * 24 * time.Hour},
	{"death", IncidentDeathOrHarmToHealth, true, 10 * 24 * time.Hour},
	{"critical infrastructure", IncidentCriticalInfrastructure, false, 2 * 24 * time.Hour},
	{"critical infrastructure with a death", IncidentCriticalInfrastructure, true, 2 * 24 * time.Hour},
	{"widespread infringement", IncidentWidespreadInfringement, false, 2 * 24 * time.Hour},
	{"fundamental rights", IncidentFundamentalRights, false, 15 * 24 * time.Hour},
	{"fundamental rights with a death", IncidentFundamentalRights, true, 10 * 24 * time.Hour},
	{"property or environment", IncidentPropertyOrEnvironment, false, 15 * 24 * time.Hour},
	{"not serious", IncidentNotSerious, false, 0},
	{"unspecified", IncidentTypeUnspecified, false, 0},
}

func TestIncidentDeadline(t *testing.T) {
	for _, tt := range incDeadlineTests {
		t.Run(tt.name, func(t *testing.T) {
			i := &Incident{Type: tt.typ, Death: tt.death, Aware: incAware}
			got, ok := i.Deadline()
			want := incAware.Add(tt.want)
			if tt.want == 0 {
				want = time.Time{}
			}
			if !got.Equal(want) || ok != (tt.want != 0) {
				t.Errorf("Deadline() = %v, %t, want %v, %t", got, ok, want, tt.want != 0)
			}
		})
	}
	if _, ok := (&Incident{Type: IncidentFundamentalRights}).Deadline(); ok {
		t.Error("Deadline() without awareness = _, true, want false")
	}
}

func TestIncidentOverdue(t *testing.T) {
	due := incAware.Add(2 * 24 * time.Hour)
	report := func(at time.Time) []IncidentReport {
		return []IncidentReport{{Date: at, Kind: ReportInitial, Authority: "MSA"}}
	}
	tests := []struct {
		name    string
		typ     IncidentType
		reports []IncidentReport
		now     time.Time
		want    bool
	}{
		{"before the deadline", IncidentCriticalInfrastructure, nil, due.Add(-time.Second), false},
		{"at the deadline", IncidentCriticalInfrastructure, nil, due, false},
		{"just after the deadline", IncidentCriticalInfrastructure, nil, due.Add(time.Second), true},
		{"reported in time", IncidentCriticalInfrastructure, report(due.Add(-time.Hour)), due.Add(time.Hour), false},
		{"reported at the deadline", IncidentCriticalInfrastructure, report(due), due.Add(time.Hour), false},
		{"reported late", IncidentCriticalInfrastructure, report(due.Add(time.Minute)), due.Add(time.Hour), true},
		{"complete report in time", IncidentCriticalInfrastructure,
			[]IncidentReport{{Date: due, Kind: ReportComplete, Authority: "MSA"}}, due.Add(time.Hour), false},
		{"fifteen days", IncidentFundamentalRights, nil, incAware.Add(15*24*time.Hour + time.Second), true},
		{"within fifteen days", IncidentFundamentalRights, nil, incAware.Add(14 * 24 * time.Hour), false},
		{"not serious, long after", IncidentNotSerious, nil, incAware.AddDate(1, 0, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := &Incident{Type: tt.typ, Aware: incAware, Reports: tt.reports}
			if got := i.Overdue(tt.now); got != tt.want {
				t.Errorf("Overdue(%v) = %t, want %t", tt.now, got, tt.want)
			}
		})
	}
}

// FuzzIncident decodes arbitrary bytes as an Incident, seeded from the
// valid document, the problem table and the deadline table. Decoding never
// panics and fails only with a *document.Error; a document that decodes
// validates again, clones to an equal value, survives a JSON round trip,
// and has a deadline exactly when it is serious, no sooner than awareness.
func FuzzIncident(f *testing.F) {
	d := newIncidentDecoder(f)
	f.Add([]byte(incYAML))
	for _, tt := range incProblemTests {
		f.Add([]byte(strings.Replace(incYAML, tt.old, tt.new, 1)))
	}
	for _, tt := range incDeadlineTests {
		doc := strings.Replace(incYAML, "type: fundamental-rights-infringement", "type: "+string(tt.typ), 1)
		if tt.death {
			doc += "death: true\n"
		}
		f.Add([]byte(doc))
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := d.Decode("fuzz.yaml", data)
		if err != nil {
			de, ok := errors.AsType[*document.Error](err)
			if !ok || len(de.Problems) == 0 {
				t.Fatalf("Decode() error %v is not a *document.Error with problems", err)
			}
			return
		}
		i := v.(*Incident)
		if err := i.Validate(); err != nil {
			t.Fatalf("decoded incident does not validate again: %v", err)
		}
		if diff := cmp.Diff(i, i.Clone()); diff != "" {
			t.Fatalf("Clone() mismatch (-want +got):\n%s", diff)
		}
		js, err := json.Marshal(i)
		if err != nil {
			t.Fatalf("Marshal(decoded incident): %v", err)
		}
		back, err := d.Decode("roundtrip.json", js)
		if err != nil {
			t.Fatalf("decoding the marshalled incident: %v\n%s", err, js)
		}
		if diff := cmp.Diff(v, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("JSON round trip mismatch (-want +got):\n%s", diff)
		}
		due, ok := i.Deadline()
		if ok != i.Type.Serious() {
			t.Fatalf("Deadline() ok = %t for type %s", ok, i.Type)
		}
		if ok && !due.After(i.Aware) {
			t.Fatalf("Deadline() = %v, not after awareness %v", due, i.Aware)
		}
		if i.Overdue(now) && !ok {
			t.Fatal("Overdue() = true without a deadline")
		}
	})
}
