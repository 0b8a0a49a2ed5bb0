package controls

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aimskit/aimskit/document"
)

// FuzzDecode decodes and validates small documents of any shape through
// the document decoder; they must fail with a *document.Error or, should
// one ever be complete, pass the checks of checkDecoded.
func FuzzDecode(f *testing.F) {
	head := "apiVersion: aimskit.dev/v1alpha1\nkind: StatementOfApplicability\nid: 4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d\nversion: '1'\n"
	f.Add(head + "entries: []\n")
	f.Add(head + "approval: {approver: board, date: 2026-01-02}\nlastReviewed: 2026-02-01\norganizationControls: [{id: 'org:SEC-01', title: Secrets}]\nentries: [{control: 'org:SEC-01', applicability: applicable, justification: {bestPractice: true}, status: planned, owner: o}]\n")
	for _, tt := range entryTests {
		f.Add(head + "entries:\n" + tt.entry)
	}
	f.Add(`{"apiVersion":"aimskit.dev/v1alpha1","kind":"StatementOfApplicability","entries":[{"control":"iso42001:A.2.2","systems":["6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"]}]}`)
	f.Add("{}")
	f.Add("")

	dec := newTestDecoder(f)
	f.Fuzz(func(t *testing.T, data string) {
		checkDecoded(t, dec, data)
	})
}

// FuzzEntryDecode decodes complete statements whose entry for A.7.4 is the
// fuzzed YAML text; the other 37 Annex A controls have fixed entries.
// Valid statements must round-trip.
func FuzzEntryDecode(f *testing.F) {
	for _, tt := range entryTests {
		f.Add(tt.entry)
	}
	dec := newTestDecoder(f)
	f.Fuzz(func(t *testing.T, entry string) {
		checkDecoded(t, dec, withEntry(entry))
	})
}

// checkDecoded decodes data. An error must be a *document.Error with
// problems and no value. A statement that decodes must validate and
// survive a JSON round trip unchanged; package report's FuzzSoAEntryRender
// checks that it renders.
func checkDecoded(t *testing.T, dec *document.Decoder, data string) {
	t.Helper()
	v, err := dec.Decode("soa.yaml", []byte(data))
	if err != nil {
		if v != nil {
			t.Errorf("Decode returned a value with error %v", err)
		}
		var de *document.Error
		if !errors.As(err, &de) || len(de.Problems) == 0 {
			t.Fatalf("Decode error %v (%T) is not a *document.Error with problems", err, err)
		}
		return
	}
	s, ok := v.(*StatementOfApplicability)
	if !ok {
		t.Fatalf("Decode returned %T", v)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("decoded statement does not validate: %v", err)
	}
	_ = s.Warnings()
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	v2, err := dec.Decode("soa.json", js)
	if err != nil {
		t.Fatalf("Decode(Marshal(decoded)): %v\n%s", err, js)
	}
	// An empty list and no list are the same to the model; JSON drops both.
	if diff := cmp.Diff(s, v2, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

// controlIDPattern is the pattern of control ids in the JSON Schema.
var controlIDPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// FuzzParseID checks ParseID against the schema's pattern and its parts
// against the input.
func FuzzParseID(f *testing.F) {
	for _, c := range ISO42001().Controls() {
		f.Add(string(c.ID))
	}
	for _, s := range []string{"org:SEC-01", "A.7.4", "", ":", "a:", ":b", "iso42001:A.6.2.8:x", "Org:x", "o:-x", "o:x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if want := controlIDPattern.MatchString(s); (err == nil) != want {
			t.Fatalf("ParseID(%q) error = %v, schema pattern match = %v", s, err, want)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidID) {
				t.Errorf("ParseID(%q) error %v does not match ErrInvalidID", s, err)
			}
			return
		}
		ns, ref := id.Split()
		if ns+":"+ref != s || ns != id.Namespace() || ref != id.Ref() || id.String() != s {
			t.Errorf("ParseID(%q): Split = %q, %q; Namespace, Ref = %q, %q", s, ns, ref, id.Namespace(), id.Ref())
		}
	})
}

// FuzzMappingsTo queries the crosswalks with arbitrary references.
func FuzzMappingsTo(f *testing.F) {
	for _, m := range ISO42001().Mappings() {
		f.Add(string(m.Framework), m.To)
	}
	f.Add(string(FrameworkEUAIAct), "Article 26")
	f.Add(string(FrameworkNISTAIRMF), "GOVERN 1")
	f.Add(string(FrameworkEUAIAct), "annex")
	cat := ISO42001()
	all := cat.Mappings()
	f.Fuzz(func(t *testing.T, fw, to string) {
		got := cat.MappingsTo(Framework(fw), to)
		for _, m := range got {
			if m.Framework != Framework(fw) || !slices.Contains(all, m) {
				t.Fatalf("MappingsTo(%q, %q) returned %+v", fw, to, m)
			}
		}
		for _, m := range all {
			if m.Framework == Framework(fw) && m.To == to && !slices.Contains(got, m) {
				t.Fatalf("MappingsTo(%q, %q) misses the exact match %+v", fw, to, m)
			}
		}
	})
}
