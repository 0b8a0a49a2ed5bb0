package controls_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
)

func ExampleCatalog_Lookup() {
	cat := controls.ISO42001()
	c, ok := cat.Lookup("iso42001:A.6.2.8")
	if !ok {
		log.Fatal("no such control")
	}
	fmt.Println(c.ID.Ref(), c.Title)
	fmt.Println("objective:", c.Objective)
	fmt.Println("controls:", len(cat.AnnexA()))
	// Output:
	// A.6.2.8 AI system recording of event logs
	// objective: iso42001:A.6.2
	// controls: 38
}

func ExampleCatalog_MappingsFrom() {
	cat := controls.ISO42001()
	for _, m := range cat.MappingsFrom("iso42001:A.6.2.8", controls.FrameworkNISTAIRMF) {
		fmt.Println(m.To, m.Basis)
	}
	// Output:
	// MS2.4 official
	// MS2.6 official
	// MS3.2 official
}

func ExampleCatalog_MappingsTo() {
	cat := controls.ISO42001()
	for _, m := range cat.MappingsTo(controls.FrameworkEUAIAct, "Article 26(6)") {
		c, _ := cat.Lookup(m.From)
		fmt.Printf("%s %s (%s, %s)\n", c.ID.Ref(), c.Title, m.To, m.Basis)
	}
	// Output:
	// A.6.2.8 AI system recording of event logs (Art. 26(6), secondary)
	// A.9.3 Objectives for responsible use of AI system (Art. 26, derived)
	// A.10.4 Customers (Art. 26, derived)
}

func ExampleParseID() {
	id, err := controls.ParseID("org:SEC-01")
	fmt.Println(id.Namespace(), id.Ref(), err)
	_, err = controls.ParseID("A.7.4")
	fmt.Println(errors.Is(err, controls.ErrInvalidID))
	// Output:
	// org SEC-01 <nil>
	// true
}

// decideAll marks every entry of s applicable and implemented.
func decideAll(s *controls.StatementOfApplicability) {
	s.Version = "1"
	for i := range s.Entries {
		s.Entries[i].Applicability = controls.Applicable
		s.Entries[i].Justification = controls.Justification{Risks: []string{"R-001"}}
		s.Entries[i].Status = controls.StatusImplemented
		s.Entries[i].Owner = "Head of AI governance"
		s.Entries[i].Evidence = []controls.Evidence{{Ref: "https://wiki.example.com/aims", Effective: document.MustDate("2026-03-02")}}
	}
}

func ExampleStatementOfApplicability_Validate() {
	s := controls.NewStatementOfApplicability(uuid.MustParse("4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d"), nil)
	decideAll(s)

	// Drop the entry for A.7.4 and exclude A.10.4 without saying why.
	var kept []controls.Entry
	for _, en := range s.Entries {
		switch en.Control {
		case "iso42001:A.7.4":
			continue
		case "iso42001:A.10.4":
			en = controls.Entry{Control: en.Control, Applicability: controls.Excluded}
		}
		kept = append(kept, en)
	}
	s.Entries = kept

	var de *document.Error
	if err := s.Validate(); errors.As(err, &de) {
		for _, p := range de.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// /entries/36/justification: iso42001:A.10.4 is excluded without justification: give a ground (not-required-by-risk-assessment, not-required-by-external-requirements or other)
	// /entries: iso42001:A.7.4 (Quality of data for AI systems) has no entry: every Annex A control needs one, applicable or excluded
}

func ExampleStatementOfApplicability_CheckTreatments() {
	s := controls.NewStatementOfApplicability(uuid.MustParse("4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d"), nil)
	decideAll(s)
	s.Entries[37] = controls.Entry{
		Control:       "iso42001:A.10.4",
		Applicability: controls.Excluded,
		Justification: controls.Justification{Ground: controls.GroundNotRequiredByRiskAssessment},
	}

	// Which controls the risk treatments rely on, and for which risks.
	named := map[controls.ID][]string{
		"iso42001:A.7.4":  {"R-001"},
		"iso42001:A.10.4": {"R-007"},
	}
	fmt.Println(s.CheckTreatments(named))
	// Output:
	// /entries/37/applicability: iso42001:A.10.4 is excluded, but the treatment of risk R-007 relies on it
}

// Decoding goes through a document.Decoder, which checks the JSON Schema
// first and then the rules of StatementOfApplicability.Validate.
func Example_decode() {
	dec, err := document.NewDecoder(controls.DocumentTypes(), nil)
	if err != nil {
		log.Fatal(err)
	}
	data := []byte(`apiVersion: aimskit.dev/v1alpha1
kind: StatementOfApplicability
id: 4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d
version: "1"
entries:
  - control: iso42001:A.2.2
    applicability: applicable
    justification: {obligations: [EU AI Act Art. 17]}
    status: implemented
    owner: Head of AI governance
    evidence: [{ref: "policies/ai-policy.md", effective: 2026-03-02}]
  - control: iso42001:A.10.4
    applicability: excluded
`)
	_, err = dec.Decode("soa.yaml", data)
	var de *document.Error
	if errors.As(err, &de) {
		fmt.Println(len(de.Problems), "problems, the first:")
		for _, p := range de.Problems[:2] {
			fmt.Println(p.Pointer, p.Message)
		}
	}
	// Output:
	// 37 problems, the first:
	// /entries iso42001:A.2.3 (Alignment with other organizational policies) has no entry: every Annex A control needs one, applicable or excluded
	// /entries iso42001:A.2.4 (Review of the AI policy) has no entry: every Annex A control needs one, applicable or excluded
}
