package governance

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
)

// recExamples are the example management-system records, by kind.
var recExamples = []struct {
	file string
	kind string
}{
	{"management-system.yaml", KindManagementSystem},
	{"audit-2026.yaml", KindAuditRecord},
	{"management-review-2026.yaml", KindManagementReview},
	{"nonconformity-2026-004.yaml", KindNonconformity},
}

var (
	recCreditScoring = uuid.MustParse("6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10")
	recChatbot       = uuid.MustParse("2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60")
)

// Minimal valid documents, one per kind. The problem tests edit them.
const (
	recMSYAML = `apiVersion: aimskit.dev/v1alpha1
kind: ManagementSystem
id: ms-test
organization: Org
version: "1"
context:
  externalIssues: [{description: Regulation}]
  internalIssues: [{description: Skills}]
  aiRoles: [provider]
  climateChange: {relevant: false}
interestedParties:
  - name: Users
    requirements: [{type: legal, description: Disclosure}]
scope:
  systems: [6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10]
  boundaries: Retail lending
policy:
  title: AI policy
  document: POL-1
  approval: {approver: Board, date: 2026-01-10}
  nextReview: 2027-01-10
  commitments: [Meet requirements]
roles:
  - {role: AIMS owner, holder: CRO, responsibilities: [Runs the AIMS]}
riskCriteria: {name: aimskit-5x5, version: "1"}
objectives:
  - id: obj-1
    description: Fair outcomes
    metric: Approval-rate gap
    target: {value: 5, unit: percentage points, direction: at-most}
    owner: Model risk
    due: 2026-12-31
    evaluation: {method: Monthly report, frequency: monthly}
    systems: [6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10]
approval: {approver: Board, date: 2026-01-15}
`
	recAuditYAML = `apiVersion: aimskit.dev/v1alpha1
kind: AuditRecord
id: audit-1
scope: {clauses: [iso42001:9.1], controls: [iso42001:A.6.2.6]}
criteria: {description: ISO/IEC 42001}
auditor: {name: Internal Audit, independence: Reports to the audit committee}
period: {start: 2026-10-05, end: 2026-10-07}
findings:
  - id: f-01
    grade: minor-nonconformity
    clauses: [iso42001:9.1]
    description: Monitoring did not run
    nonconformity: nc-1
  - id: f-02
    grade: observation
    description: Outdated reference
conclusion: Conforms with one minor nonconformity
`
	recReviewYAML = `apiVersion: aimskit.dev/v1alpha1
kind: ManagementReview
id: mr-1
date: 2026-11-19
chair: CEO
attendees: [CEO, CRO]
inputs:
  - {topic: previous-actions, summary: None}
  - {topic: issue-changes, summary: None}
  - {topic: interested-party-changes, summary: None}
  - {topic: nonconformities, summary: One, references: [nc-1]}
  - {topic: monitoring-results, summary: On target}
  - {topic: audit-results, summary: One finding}
  - {topic: improvement-opportunities, summary: Automate checks}
results:
  actions:
    - {id: act-1, description: Do it, owner: CRO, due: 2026-12-15}
`
	recNCYAML = `apiVersion: aimskit.dev/v1alpha1
kind: Nonconformity
id: nc-1
source: {type: audit-finding, audit: audit-1, finding: f-01}
detected: 2026-10-07
description: Monitoring not performed
clauses: [iso42001:9.1]
controls: [iso42001:A.6.2.6]
correction: {action: Ran it, date: 2026-10-09}
rootCause: Alerts misrouted
correctiveAction: {description: Alert on missing report, owner: ML lead, due: 2026-11-13, completed: 2026-10-30}
effectivenessReview: {date: 2026-11-06, reviewer: Model risk, effective: true}
closure: {date: 2026-11-06, closedBy: CRO}
`
)

// recProblemTests edit a valid document (replacing old with new once) and
// list the pointers of the problems the decoder must report, sorted. They
// are also seeds of the FuzzRecords targets.
var recProblemTests = []struct {
	name     string
	doc      string
	old, new string
	want     []string
}{
	// ManagementSystem
	{"management system empty objectives target", recMSYAML,
		"target: {value: 5, unit: percentage points, direction: at-most}", "target: {}",
		[]string{"/objectives/0/target"}},
	{"management system target value without unit", recMSYAML,
		"target: {value: 5, unit: percentage points, direction: at-most}", "target: {value: 5, direction: at-most}",
		[]string{"/objectives/0/target/unit"}},
	{"management system target value and text", recMSYAML,
		"direction: at-most}", "direction: at-most, text: Low}",
		[]string{"/objectives/0/target/text"}},
	{"management system unknown target direction", recMSYAML,
		"direction: at-most}", "direction: below}",
		[]string{"/objectives/0/target/direction"}},
	{"management system objective system out of scope", recMSYAML,
		"    systems: [6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10]", "    systems: [2b8e4f1a-9c3d-4e7b-8a6f-1c2d3e4f5a60]",
		[]string{"/objectives/0/systems/0"}},
	{"management system nil system in scope", recMSYAML,
		"  systems: [6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10]\n  boundaries", "  systems: [00000000-0000-0000-0000-000000000000]\n  boundaries",
		[]string{"/objectives/0/systems/0", "/scope/systems/0"}},
	{"management system duplicate objective ids", recMSYAML,
		"approval: {approver: Board, date: 2026-01-15}",
		"  - {id: obj-1, description: D, metric: M, target: {text: T}, owner: O, due: 2026-12-31, evaluation: {method: M, frequency: F}}\napproval: {approver: Board, date: 2026-01-15}",
		[]string{"/objectives/1/id"}},
	{"management system unknown ai role", recMSYAML,
		"aiRoles: [provider]", "aiRoles: [operator]",
		[]string{"/context/aiRoles/0"}},
	{"management system unknown requirement type", recMSYAML,
		"type: legal", "type: moral",
		[]string{"/interestedParties/0/requirements/0/type"}},
	{"management system climate change not determined", recMSYAML,
		"climateChange: {relevant: false}", "climateChange: {}",
		[]string{"/context/climateChange/relevant"}},
	{"management system empty risk criteria", recMSYAML,
		`riskCriteria: {name: aimskit-5x5, version: "1"}`, `riskCriteria: {name: "", version: "1"}`,
		[]string{"/riskCriteria/name"}},
	{"management system policy review before approval", recMSYAML,
		"nextReview: 2027-01-10", "nextReview: 2025-01-10",
		[]string{"/policy/nextReview"}},
	{"management system role assigned twice", recMSYAML,
		"riskCriteria:", "  - {role: AIMS owner, holder: CEO, responsibilities: [Decides]}\nriskCriteria:",
		[]string{"/roles/1/role"}},
	{"management system bad id", recMSYAML,
		"id: ms-test", "id: MS Test",
		[]string{"/id"}},
	{"management system unknown field", recMSYAML,
		"version: \"1\"", "version: \"1\"\nowner: Board",
		[]string{"/owner"}},

	// AuditRecord
	{"audit unknown clause id", recAuditYAML,
		"scope: {clauses: [iso42001:9.1]", "scope: {clauses: [iso42001:11.1]",
		[]string{"/scope/clauses/0"}},
	{"audit control given as clause", recAuditYAML,
		"scope: {clauses: [iso42001:9.1]", "scope: {clauses: [iso42001:A.6.2.6]",
		[]string{"/scope/clauses/0"}},
	{"audit unknown annex a control", recAuditYAML,
		"controls: [iso42001:A.6.2.6]", "controls: [iso42001:A.1.1]",
		[]string{"/scope/controls/0"}},
	{"audit organisation control", recAuditYAML,
		"controls: [iso42001:A.6.2.6]", "controls: [iso42001:A.6.2.6, org:SEC-01, org:SEC-01]",
		[]string{"/scope/controls/2"}},
	{"audit nonconformity finding without nonconformity id", recAuditYAML,
		"\n    nonconformity: nc-1", "",
		[]string{"/findings/0/nonconformity"}},
	{"audit nonconformity finding without requirement", recAuditYAML,
		"    clauses: [iso42001:9.1]\n", "",
		[]string{"/findings/0/clauses"}},
	{"audit observation links a nonconformity", recAuditYAML,
		"description: Outdated reference", "description: Outdated reference\n    nonconformity: nc-2",
		[]string{"/findings/1/nonconformity"}},
	{"audit duplicate finding ids", recAuditYAML,
		"id: f-02", "id: f-01",
		[]string{"/findings/1/id"}},
	{"audit unknown grade", recAuditYAML,
		"grade: observation", "grade: critical",
		[]string{"/findings/1/grade"}},
	{"audit ends before it starts", recAuditYAML,
		"end: 2026-10-07", "end: 2026-10-01",
		[]string{"/period/end"}},
	{"audit impossible date", recAuditYAML,
		"start: 2026-10-05", "start: 2026-02-30",
		[]string{"/period/start"}},
	{"audit without scope", recAuditYAML,
		"scope: {clauses: [iso42001:9.1], controls: [iso42001:A.6.2.6]}", "scope: {}",
		[]string{"/scope"}},
	{"audit without independence statement", recAuditYAML,
		"independence: Reports to the audit committee", "independence: \"  \"",
		[]string{"/auditor/independence"}},

	// ManagementReview
	{"review missing topic", recReviewYAML,
		"  - {topic: audit-results, summary: One finding}\n", "",
		[]string{"/inputs"}},
	{"review unknown topic", recReviewYAML,
		"topic: audit-results", "topic: budget",
		[]string{"/inputs/5/topic"}},
	{"review without results", recReviewYAML,
		"results:\n  actions:\n    - {id: act-1, description: Do it, owner: CRO, due: 2026-12-15}", "results: {}",
		[]string{"/results"}},
	{"review action due before review", recReviewYAML,
		"due: 2026-12-15", "due: 2026-11-01",
		[]string{"/results/actions/0/due"}},
	{"review action without owner", recReviewYAML,
		"owner: CRO, ", "",
		[]string{"/results/actions/0/owner"}},
	{"review duplicate action ids", recReviewYAML,
		"    - {id: act-1, description: Do it, owner: CRO, due: 2026-12-15}",
		"    - {id: act-1, description: Do it, owner: CRO, due: 2026-12-15}\n    - {id: act-1, description: Again, owner: CEO, due: 2026-12-16}",
		[]string{"/results/actions/1/id"}},

	// Nonconformity
	{"nonconformity closure without effective review", recNCYAML,
		"effective: true", "effective: false",
		[]string{"/effectivenessReview/effective"}},
	{"nonconformity closure without review", recNCYAML,
		"effectivenessReview: {date: 2026-11-06, reviewer: Model risk, effective: true}\n", "",
		[]string{"/effectivenessReview"}},
	{"nonconformity review before completion", recNCYAML,
		"{date: 2026-11-06, reviewer", "{date: 2026-10-20, reviewer",
		[]string{"/effectivenessReview/date"}},
	{"nonconformity correction before detection", recNCYAML,
		"date: 2026-10-09", "date: 2026-10-01",
		[]string{"/correction/date"}},
	{"nonconformity closure before review", recNCYAML,
		"closure: {date: 2026-11-06", "closure: {date: 2026-11-05",
		[]string{"/closure/date"}},
	{"nonconformity due before detection", recNCYAML,
		"due: 2026-11-13", "due: 2026-10-01",
		[]string{"/correctiveAction/due"}},
	{"nonconformity review without completed action", recNCYAML,
		", completed: 2026-10-30", "",
		[]string{"/correctiveAction/completed"}},
	{"nonconformity corrective action without root cause", recNCYAML,
		"rootCause: Alerts misrouted\n", "",
		[]string{"/rootCause"}},
	{"nonconformity closed without corrective action", recNCYAML,
		"correctiveAction: {description: Alert on missing report, owner: ML lead, due: 2026-11-13, completed: 2026-10-30}\n", "",
		[]string{"/correctiveAction/completed", "/correctiveAction/description", "/correctiveAction/due", "/correctiveAction/owner"}},
	{"nonconformity audit source without finding", recNCYAML,
		"audit: audit-1, finding: f-01}", "audit: audit-1}",
		[]string{"/source/finding"}},
	{"nonconformity incident on audit source", recNCYAML,
		"finding: f-01}", "finding: f-01, incident: inc-7}",
		[]string{"/source/incident"}},
	{"nonconformity unknown source type", recNCYAML,
		"type: audit-finding", "type: audit",
		[]string{"/source/type"}},
	{"nonconformity without requirement", recNCYAML,
		"clauses: [iso42001:9.1]\ncontrols: [iso42001:A.6.2.6]\n", "",
		[]string{"/clauses"}},
	{"nonconformity unknown clause id", recNCYAML,
		"clauses: [iso42001:9.1]", "clauses: [iso42001:3.1, iso42001:9.1, iso42001:9.1]",
		[]string{"/clauses/0"}},
	{"nonconformity clause listed twice", recNCYAML,
		"clauses: [iso42001:9.1]", "clauses: [iso42001:9.1, iso42001:9.1]",
		[]string{"/clauses/1"}},
}

func newRecordDecoder(t testing.TB) *document.Decoder {
	t.Helper()
	d, err := document.NewDecoder(recordTypes(), nil)
	if err != nil {
		t.Fatalf("NewDecoder(recordTypes()): %v", err)
	}
	return d
}

func decodeRecord(t testing.TB, d *document.Decoder, data string) document.Validator {
	t.Helper()
	v, err := d.Decode("test.yaml", []byte(data))
	if err != nil {
		t.Fatalf("Decode() error:\n%v", err)
	}
	return v
}

func recHeader(v document.Validator) document.Header {
	switch v := v.(type) {
	case *ManagementSystem:
		return v.Header
	case *AuditRecord:
		return v.Header
	case *ManagementReview:
		return v.Header
	case *Nonconformity:
		return v.Header
	}
	return document.Header{}
}

func TestRecordTypes(t *testing.T) {
	var kinds []string
	for _, typ := range recordTypes() {
		kinds = append(kinds, typ.Kind)
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(typ.Schema, &head); err != nil {
			t.Fatalf("schema of %s: %v", typ.Kind, err)
		}
		if want := "https://aimskit.dev/schemas/v1alpha1/" + strings.ToLower(typ.Kind) + ".schema.json"; head.ID != want {
			t.Errorf("schema of %s: $id = %q, want %q", typ.Kind, head.ID, want)
		}
		var tree any
		if err := json.Unmarshal(typ.Schema, &tree); err != nil {
			t.Fatal(err)
		}
		for _, ptr := range recOpenObjects(tree, "") {
			t.Errorf("schema of %s: object at %s does not set additionalProperties to false", typ.Kind, ptr)
		}
		if got := recHeader(typ.New()); got != (document.Header{}) {
			t.Errorf("%s: New() = %+v, want a zero value", typ.Kind, got)
		}
	}
	want := []string{KindManagementSystem, KindAuditRecord, KindManagementReview, KindNonconformity}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("recordTypes() kinds mismatch (-want +got):\n%s", diff)
	}
}

// recOpenObjects returns the pointers of schema objects that declare
// properties without "additionalProperties": false.
func recOpenObjects(v any, ptr string) []string {
	var open []string
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["properties"]; ok && v["additionalProperties"] != false {
			open = append(open, ptr)
		}
		for k, c := range v {
			open = append(open, recOpenObjects(c, ptr+"/"+k)...)
		}
	case []any:
		for i, c := range v {
			open = append(open, recOpenObjects(c, ptr+"/"+strconv.Itoa(i))...)
		}
	}
	return open
}

func TestRecordExamples(t *testing.T) {
	d := newRecordDecoder(t)
	for _, tt := range recExamples {
		t.Run(tt.file, func(t *testing.T) {
			data := documenttest.ReadExample(t, tt.file)
			v := decodeRecord(t, d, string(data))
			if got := recHeader(v).Kind; got != tt.kind {
				t.Errorf("Decode(%s) kind = %q, want %q", tt.file, got, tt.kind)
			}
			// A JSON round trip through the decoder gives the same value.
			js, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			back := decodeRecord(t, d, string(js))
			if diff := cmp.Diff(v, back, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecordMinimalDocuments(t *testing.T) {
	d := newRecordDecoder(t)
	for _, doc := range []string{recMSYAML, recAuditYAML, recReviewYAML, recNCYAML} {
		h, err := document.KindOf([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(h.Kind, func(t *testing.T) {
			_, err := d.Decode("test.yaml", []byte(doc))
			if got := documenttest.SortedPointers(t, err); got != nil {
				t.Errorf("Decode() problems at %v, want none:\n%v", got, err)
			}
		})
	}
}

// TestRecordExampleFolder checks what the example records say and that
// they agree with each other: the references the loader checks across
// documents hold.
func TestRecordExampleFolder(t *testing.T) {
	d := newRecordDecoder(t)
	byKind := make(map[string]document.Validator)
	for _, ex := range recExamples {
		byKind[ex.kind] = decodeRecord(t, d, string(documenttest.ReadExample(t, ex.file)))
	}
	ms := byKind[KindManagementSystem].(*ManagementSystem)
	audit := byKind[KindAuditRecord].(*AuditRecord)
	review := byKind[KindManagementReview].(*ManagementReview)
	nc := byKind[KindNonconformity].(*Nonconformity)

	for _, id := range []uuid.UUID{recCreditScoring, recChatbot} {
		if !ms.InScope(id) {
			t.Errorf("ManagementSystem.InScope(%s) = false, want true", id)
		}
	}
	if want := (CriteriaRef{Name: "aimskit-5x5", Version: "1"}); ms.RiskCriteria != want {
		t.Errorf("RiskCriteria = %v, want %v", ms.RiskCriteria, want)
	}
	if _, ok := ms.Objective("obj-credit-fairness"); !ok {
		t.Error(`Objective("obj-credit-fairness") not found`)
	}

	var grades []FindingGrade
	for _, f := range audit.Findings {
		grades = append(grades, f.Grade)
	}
	if diff := cmp.Diff([]FindingGrade{GradeMinorNonconformity, GradeObservation}, grades); diff != "" {
		t.Errorf("audit finding grades mismatch (-want +got):\n%s", diff)
	}
	if audit.Period.Start.Year != 2026 || audit.Period.Start.Month != time.October {
		t.Errorf("audit starts %s, want October 2026", audit.Period.Start)
	}
	if review.Date.Year != 2026 || review.Date.Month != time.November {
		t.Errorf("review date %s, want November 2026", review.Date)
	}

	if nc.ID != "nc-2026-004" {
		t.Errorf("nonconformity id = %q, want nc-2026-004", nc.ID)
	}
	if got := nc.Status(); got != NonconformityClosed {
		t.Errorf("nonconformity Status() = %q, want %q", got, NonconformityClosed)
	}
	if nc.Source.Audit != audit.ID {
		t.Errorf("nonconformity source audit = %q, want %q", nc.Source.Audit, audit.ID)
	}
	f, ok := audit.Finding(nc.Source.Finding)
	if !ok || f.Nonconformity != nc.ID {
		t.Errorf("audit finding %q = %+v, %v; want one that links %s", nc.Source.Finding, f, ok, nc.ID)
	}
	for _, id := range nc.Systems {
		if !ms.InScope(id) {
			t.Errorf("nonconformity concerns AI system %s, which is not in scope", id)
		}
	}
}

func TestRecordProblems(t *testing.T) {
	d := newRecordDecoder(t)
	for _, tt := range recProblemTests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.doc, tt.old) {
				t.Fatalf("test document does not contain %q", tt.old)
			}
			data := strings.Replace(tt.doc, tt.old, tt.new, 1)
			v, err := d.Decode("bad.yaml", []byte(data))
			if v != nil {
				t.Errorf("Decode() = %T, want nil with problems", v)
			}
			if diff := cmp.Diff(tt.want, documenttest.SortedPointers(t, err)); diff != "" {
				t.Errorf("Decode() problem pointers mismatch (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

// TestRecordValidate checks Validate on Go values that the schema would
// have refused, as a program building records in code may produce them.
func TestRecordValidate(t *testing.T) {
	d := newRecordDecoder(t)
	ms := func() *ManagementSystem { return decodeRecord(t, d, recMSYAML).(*ManagementSystem) }
	audit := func() *AuditRecord { return decodeRecord(t, d, recAuditYAML).(*AuditRecord) }
	review := func() *ManagementReview { return decodeRecord(t, d, recReviewYAML).(*ManagementReview) }
	nc := func() *Nonconformity { return decodeRecord(t, d, recNCYAML).(*Nonconformity) }
	tests := []struct {
		name string
		doc  document.Validator
		want []string
	}{
		{"management system valid", ms(), nil},
		{"management system unknown ai role", func() *ManagementSystem {
			m := ms()
			m.Context.AIRoles = append(m.Context.AIRoles, "operator", "provider")
			return m
		}(), []string{"/context/aiRoles/1", "/context/aiRoles/2"}},
		{"management system unknown requirement type", func() *ManagementSystem {
			m := ms()
			m.InterestedParties[0].Requirements[0].Type = "moral"
			return m
		}(), []string{"/interestedParties/0/requirements/0/type"}},
		{"management system target unit without value", func() *ManagementSystem {
			m := ms()
			m.Objectives[0].Target = Target{Unit: "percent", Text: "Low"}
			return m
		}(), []string{"/objectives/0/target/value"}},
		{"management system climate change not determined", func() *ManagementSystem {
			m := ms()
			m.Context.ClimateChange.Relevant = nil
			return m
		}(), []string{"/context/climateChange/relevant"}},
		{"management system wrong kind", func() *ManagementSystem {
			m := ms()
			m.Kind = KindAuditRecord
			return m
		}(), []string{"/kind"}},
		{"management system zero value", &ManagementSystem{}, []string{
			"/approval/approver", "/approval/date",
			"/context/aiRoles", "/context/climateChange/relevant", "/context/externalIssues", "/context/internalIssues",
			"/id", "/interestedParties", "/objectives", "/organization",
			"/policy/approval/approver", "/policy/approval/date", "/policy/commitments", "/policy/document", "/policy/nextReview", "/policy/title",
			"/riskCriteria/name", "/riskCriteria/version", "/roles", "/scope/boundaries", "/scope/systems", "/version",
		}},
		{"audit unknown grade", func() *AuditRecord {
			a := audit()
			a.Findings[1].Grade = "critical"
			return a
		}(), []string{"/findings/1/grade"}},
		{"audit clause and control swapped", func() *AuditRecord {
			a := audit()
			a.Scope.Clauses = []string{"iso42001:A.6.2.6", "iso42001:11", "9.1"}
			a.Scope.Controls = []string{"iso42001:9.1", "iso42001:B.2", "org:SEC-01", "Org:x"}
			return a
		}(), []string{"/scope/clauses/0", "/scope/clauses/1", "/scope/clauses/2", "/scope/controls/0", "/scope/controls/1", "/scope/controls/3"}},
		{"audit zero value", &AuditRecord{}, []string{
			"/auditor/independence", "/auditor/name", "/conclusion", "/criteria/description", "/id", "/period/end", "/period/start", "/scope",
		}},
		{"review unknown topic", func() *ManagementReview {
			r := review()
			r.Inputs[0].Topic = "budget"
			return r
		}(), []string{"/inputs", "/inputs/0/topic"}},
		{"review action completed before review", func() *ManagementReview {
			r := review()
			r.Results.Actions[0].Completed = document.MustDate("2026-11-01")
			return r
		}(), []string{"/results/actions/0/completed"}},
		{"nonconformity unknown source type", func() *Nonconformity {
			n := nc()
			n.Source = NonconformitySource{Type: "audit"}
			return n
		}(), []string{"/source/type"}},
		{"nonconformity other source without description", func() *Nonconformity {
			n := nc()
			n.Source = NonconformitySource{Type: SourceOther}
			return n
		}(), []string{"/source/description"}},
		{"nonconformity nil system", func() *Nonconformity {
			n := nc()
			n.Systems = []uuid.UUID{uuid.Nil, recCreditScoring, recCreditScoring}
			return n
		}(), []string{"/systems/0", "/systems/2"}},
		{"nonconformity zero value", &Nonconformity{}, []string{"/clauses", "/description", "/detected", "/id", "/source/type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.doc.Validate()
			if err != nil && !errors.Is(err, document.ErrInvalid) {
				t.Errorf("Validate() = %v, want an error matching document.ErrInvalid", err)
			}
			if diff := cmp.Diff(tt.want, documenttest.SortedPointers(t, err)); diff != "" {
				t.Errorf("Validate() problem pointers mismatch (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

func TestNonconformityStatus(t *testing.T) {
	due := document.MustDate("2026-11-13")
	planned := CorrectiveAction{Description: "Alert on missing report", Owner: "ML lead", Due: due}
	done := planned
	done.Completed = document.MustDate("2026-10-30")
	effective := EffectivenessReview{Date: document.MustDate("2026-11-06"), Reviewer: "Model risk", Effective: true}
	ineffective := EffectivenessReview{Date: document.MustDate("2026-11-06"), Reviewer: "Model risk"}
	closure := Closure{Date: document.MustDate("2026-11-06"), ClosedBy: "CRO"}

	dueDayEnd := time.Date(2026, 11, 13, 23, 30, 0, 0, time.UTC)
	afterDue := time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)
	berlin := time.FixedZone("CET", 3600)

	tests := []struct {
		name        string
		nc          Nonconformity
		now         time.Time
		wantStatus  NonconformityStatus
		wantOverdue bool
	}{
		{"open", Nonconformity{}, afterDue, NonconformityOpen, false},
		{"planned on the due day", Nonconformity{CorrectiveAction: planned}, dueDayEnd, NonconformityCorrectiveActionPlanned, false},
		{"planned after the due day", Nonconformity{CorrectiveAction: planned}, afterDue, NonconformityCorrectiveActionPlanned, true},
		{"planned, after the due day in now's location", Nonconformity{CorrectiveAction: planned}, dueDayEnd.In(berlin), NonconformityCorrectiveActionPlanned, true},
		{"planned without due date", Nonconformity{CorrectiveAction: CorrectiveAction{Description: "Fix"}}, afterDue, NonconformityCorrectiveActionPlanned, false},
		{"completed", Nonconformity{CorrectiveAction: done}, afterDue, NonconformityAwaitingEffectivenessReview, false},
		{"reviewed effective, not closed", Nonconformity{CorrectiveAction: done, EffectivenessReview: effective}, afterDue, NonconformityAwaitingEffectivenessReview, false},
		{"reviewed not effective", Nonconformity{CorrectiveAction: done, EffectivenessReview: ineffective}, afterDue, NonconformityCorrectiveActionPlanned, true},
		{"closed", Nonconformity{CorrectiveAction: done, EffectivenessReview: effective, Closure: closure}, afterDue, NonconformityClosed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.nc.Status(); got != tt.wantStatus {
				t.Errorf("Status() = %q, want %q", got, tt.wantStatus)
			}
			if got := tt.nc.Overdue(tt.now); got != tt.wantOverdue {
				t.Errorf("Overdue(%v) = %v, want %v", tt.now, got, tt.wantOverdue)
			}
		})
	}
}

func TestRecordClone(t *testing.T) {
	d := newRecordDecoder(t)
	for _, ex := range recExamples {
		t.Run(ex.kind, func(t *testing.T) {
			v := decodeRecord(t, d, string(documenttest.ReadExample(t, ex.file)))
			c := recClone(v)
			if diff := cmp.Diff(v, c); diff != "" {
				t.Fatalf("Clone() mismatch (-want +got):\n%s", diff)
			}
			// Changing the clone leaves the original alone.
			mutateRecord(c)
			if diff := cmp.Diff(v, c); diff == "" {
				t.Errorf("mutating the clone had no effect")
			}
			if diff := cmp.Diff(decodeRecord(t, d, string(documenttest.ReadExample(t, ex.file))), v); diff != "" {
				t.Errorf("mutating the clone changed the original (-want +got):\n%s", diff)
			}
		})
	}
}

// recClone calls the Clone method of a record.
func recClone(v document.Validator) document.Validator {
	switch v := v.(type) {
	case *ManagementSystem:
		return v.Clone()
	case *AuditRecord:
		return v.Clone()
	case *ManagementReview:
		return v.Clone()
	case *Nonconformity:
		return v.Clone()
	}
	return nil
}

// mutateRecord changes nested slices and pointers of a record in place.
func mutateRecord(v document.Validator) {
	switch v := v.(type) {
	case *ManagementSystem:
		v.Context.ExternalIssues[0].References[0] = "changed"
		*v.Context.ClimateChange.Relevant = !*v.Context.ClimateChange.Relevant
		v.InterestedParties[0].Requirements[0].Description = "changed"
		v.Roles[0].Authorities[0] = "changed"
		*v.Objectives[0].Target.Value++
		v.Objectives[0].Systems[0] = uuid.Nil
	case *AuditRecord:
		v.Scope.Clauses[0] = "changed"
		v.Findings[0].Controls[0] = "changed"
		v.Criteria.References[0] = "changed"
	case *ManagementReview:
		v.Inputs[1].References[0] = "changed"
		v.Results.Improvements[0].References[0] = "changed"
		v.Results.Actions[0].Owner = "changed"
	case *Nonconformity:
		v.Clauses[0] = "changed"
		v.Systems[0] = uuid.Nil
	}
}
