package report_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/report"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/google/uuid"
)

func ExampleWriteHTML() {
	f, err := aims.Load(context.Background(), os.DirFS("../../examples/credit-scoring/governance"))
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteHTML(&b, f, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		log.Fatal(err)
	}
	html := b.String()
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"))
	fmt.Println("heat-map cells:", strings.Count(html, "<rect data-system="))
	fmt.Println("scripts:", strings.Count(html, "<script"))
	// Output:
	// true
	// heat-map cells: 100
	// scripts: 0
}

func ExampleWriteSoAMarkdown() {
	s := controls.NewStatementOfApplicability(uuid.MustParse("4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d"), nil)
	decideAllSoA(s)
	s.Approval = document.Approval{Approver: "AI governance board", Date: document.MustDate("2026-03-02")}
	s.Entries[1].Justification = controls.Justification{Obligations: []string{"Group policy | IT-7"}}
	if err := s.Validate(); err != nil {
		log.Fatal(err)
	}

	var b strings.Builder
	if err := report.WriteSoAMarkdown(&b, s); err != nil {
		log.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	fmt.Println(strings.Join(lines[:15], "\n"))
	// Output:
	// # Statement of Applicability
	//
	// ISO/IEC 42001:2023, clause 6.1.3 (f).
	//
	// - ID: 4d7c9a2e-1f3b-4e6a-8c5d-9b0a1e2f3c4d
	// - Version: 1
	// - Approval: approved by AI governance board on 2026-03-02
	// - Last reviewed: not recorded
	//
	// 38 entries: 38 applicable, 0 excluded.
	//
	// | Control | Title | Applicable | Justification | Status | Owner | Evidence |
	// |---|---|---|---|---|---|---|
	// | A.2.2 | AI policy | yes | Risk treatment: R-001. | implemented | Head of AI governance | https://wiki.example.com/aims (effective 2026-03-02) |
	// | A.2.3 | Alignment with other organizational policies | yes | Obligations: Group policy \| IT-7. | implemented | Head of AI governance | https://wiki.example.com/aims (effective 2026-03-02) |
}

func ExampleWriteSoACSV() {
	s := &controls.StatementOfApplicability{
		Entries: []controls.Entry{{
			Control:       "iso42001:A.10.4",
			Applicability: controls.Excluded,
			Justification: controls.Justification{Ground: controls.GroundOther, Text: "No customers,\nonly internal users."},
		}},
	}
	if err := report.WriteSoACSV(os.Stdout, s); err != nil {
		log.Fatal(err)
	}
	// Output:
	// control,title,applicable,justification,status,owner,evidence
	// A.10.4,Customers,no,"Other grounds. No customers,
	// only internal users.",,,
}

// decideAllSoA makes every entry of s applicable, implemented, with an
// owner and evidence.
func decideAllSoA(s *controls.StatementOfApplicability) {
	s.Version = "1"
	for i := range s.Entries {
		s.Entries[i].Applicability = controls.Applicable
		s.Entries[i].Justification = controls.Justification{Risks: []string{"R-001"}}
		s.Entries[i].Status = controls.StatusImplemented
		s.Entries[i].Owner = "Head of AI governance"
		s.Entries[i].Evidence = []controls.Evidence{{Ref: "https://wiki.example.com/aims", Effective: document.MustDate("2026-03-02")}}
	}
}
