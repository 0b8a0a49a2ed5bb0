package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

// gateChecks describes the checks of a gate for code scanning: the
// constant that documents each built-in check, and what it asks.
var gateChecks = map[string]struct{ constant, short string }{
	aims.CheckNotProhibited:      {"CheckNotProhibited", "The AI system is not a prohibited practice (EU AI Act Art. 5)"},
	aims.CheckDocumentsValid:     {"CheckDocumentsValid", "The AI system's own documents have no problems"},
	aims.CheckPlaceholders:       {"CheckPlaceholders", "No placeholder is left in the documents the gate reads"},
	aims.CheckClassified:         {"CheckClassified", "The AI system has an EU AI Act classification"},
	aims.CheckOwnersAssigned:     {"CheckOwnersAssigned", "A business owner and a technical lead are named"},
	aims.CheckIntendedUse:        {"CheckIntendedUse", "The intended purpose is documented"},
	aims.CheckHumanOversight:     {"CheckHumanOversight", "A high-risk system has a human-oversight mechanism (EU AI Act Art. 14)"},
	aims.CheckFactThreshold:      {"CheckFactThreshold", "A measured fact is within the policy's bounds"},
	aims.CheckRiskAssessed:       {"CheckRiskAssessed", "A risk assessment of the AI system exists"},
	aims.CheckRiskApproved:       {"CheckRiskApproved", "The risk assessment is approved and current"},
	aims.CheckResidualRisk:       {"CheckResidualRisk", "No residual risk above the appetite is left unaccepted"},
	aims.CheckImpactAssessed:     {"CheckImpactAssessed", "An impact assessment of the AI system exists"},
	aims.CheckImpactApproved:     {"CheckImpactApproved", "The impact assessment is approved and current"},
	aims.CheckFRIA:               {"CheckFRIA", "The impact assessment holds the EU AI Act Art. 27 FRIA elements"},
	aims.CheckAssessmentsCurrent: {"CheckAssessmentsCurrent", "Readiness reports nothing about the AI system's assessments"},
	aims.CheckControls:           {"CheckControls", "The controls the policy names are implemented with evidence in effect"},
	aims.CheckEvidence:           {"CheckEvidence", "The decision's evidence was recorded"},
}

// checkName returns the check a gate ran under the name of one use of it
// (see [aims.CheckSpec.Name]), and the pointer of that use in the
// policy, "" when the policy does not list it.
func checkName(f *aims.Snapshot, d aims.Decision, use string) (name, pointer string) {
	if f.Policy == nil {
		return use, ""
	}
	for i, g := range f.Policy.Gates {
		if g.To != d.To || (g.From != "" && g.From != d.From) {
			continue
		}
		for j, c := range g.Checks {
			if c.Name() == use {
				return c.Check, document.Pointer("gates", i, "checks", j)
			}
		}
	}
	return use, ""
}

// checkSource returns the document, and the field in it, that a result
// of a gate is about: for a waived check the waiver in the policy; for a
// failed one the document the check read (the assessment, the Statement
// of Applicability, the policy's bounds of a fact), or else the system's
// inventory entry.
func checkSource(f *aims.Snapshot, d aims.Decision, c aims.CheckResult) (doc any, pointer string) {
	name, inPolicy := checkName(f, d, c.Check)
	if c.Outcome == aims.OutcomeWaived && f.Policy != nil {
		for i, w := range f.Policy.Waivers {
			if w.Check == c.Check && w.System == d.System {
				return f.Policy, document.Pointer("waivers", i)
			}
		}
	}
	sys := f.System(d.System)
	switch name {
	case aims.CheckFactThreshold:
		if inPolicy != "" {
			return f.Policy, inPolicy + "/params"
		}
	case aims.CheckRiskAssessed, aims.CheckRiskApproved, aims.CheckAssessmentsCurrent:
		if a := f.RiskAssessment(d.System); a != nil {
			return a, ""
		}
	case aims.CheckResidualRisk:
		if a := f.RiskAssessment(d.System); a != nil {
			return a, "/risks"
		}
	case aims.CheckImpactAssessed, aims.CheckImpactApproved:
		if a := f.ImpactAssessment(d.System); a != nil {
			return a, ""
		}
	case aims.CheckFRIA:
		if a := f.ImpactAssessment(d.System); a != nil {
			return a, "/fria"
		}
	case aims.CheckControls:
		if f.SoA != nil {
			return f.SoA, "/entries"
		}
	case aims.CheckClassified, aims.CheckNotProhibited:
		return sys, "/classification"
	case aims.CheckOwnersAssigned:
		return sys, "/accountability"
	case aims.CheckIntendedUse:
		return sys, "/purpose/intended"
	case aims.CheckHumanOversight:
		return sys, "/purpose/oversight"
	}
	return sys, ""
}

// checkLevel is the SARIF level of a failure of c: error when it denies,
// warning when it warns.
func checkLevel(c aims.CheckResult) string {
	if c.Severity == aims.SeverityWarn {
		return "warning"
	}
	return "error"
}

// writeGateSARIF writes a decision as SARIF 2.1.0: one rule per check of
// the gate, with the ISO/IEC 42001 ids it serves, and one result per
// check that failed or was waived (as a suppressed result, with the
// waiver as its justification), at the document the check read.
func writeGateSARIF(w, stderr io.Writer, dir string, f *aims.Snapshot, d aims.Decision) int {
	b := newSARIF(fmt.Sprintf("aimskit/gate/%s/%s/", d.System, d.To), newLocations())
	b.run.Properties = &sarifProps{Decision: d.ID.String(), Verdict: string(d.Verdict), PolicyRevision: d.PolicyRevision}
	for _, c := range d.Checks {
		name, _ := checkName(f, d, c.Check)
		desc, ok := gateChecks[name]
		help := sarifText{Text: fmt.Sprintf("Gate check %q of the policy. Fix what the result says, or record a waiver in the GatePolicy.", c.Check)}
		helpURI := aimskitURI + "#code-scanning-and-test-reports"
		short := "Gate check " + c.Check
		if ok {
			short = desc.short
			help.Text = fmt.Sprintf("%s. See aims.%s for what passes and the parameters it reads; fix what the result says, or record a waiver in the GatePolicy.", desc.short, desc.constant)
			helpURI = "https://pkg.go.dev/github.com/aimskit/aimskit/aims#" + desc.constant
		}
		i := b.rule(sarifRule{
			ID: c.Check, Name: ruleName(c.Check),
			ShortDescription: sarifText{Text: short}, FullDescription: sarifText{Text: short + " (" + name + ")."},
			Help: help, HelpURI: helpURI,
			DefaultConfiguration: sarifConfig{Level: checkLevel(c)},
			Properties:           sarifProps{Tags: []string{"aimskit", "gate"}, Controls: c.Controls, Clauses: c.Clauses},
		})
		if c.Outcome != aims.OutcomeFail && c.Outcome != aims.OutcomeWaived {
			continue
		}
		doc, pointer := checkSource(f, d, c)
		file := ""
		if doc != nil && f.File(doc) != "" {
			file = displayPath(dir, f.File(doc))
		}
		res := b.result(i, checkLevel(c), fmt.Sprintf("%s -> %s: %s", d.SystemName, d.To, c.Message), file, pointer, 0, 0)
		res.Properties = &sarifProps{Outcome: string(c.Outcome), Severity: string(c.Severity), Controls: c.Controls, Clauses: c.Clauses, Pointer: pointer}
		if c.Waiver != nil {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted",
				Justification: fmt.Sprintf("waived by %s until %s: %s", c.Waiver.Approver, c.Waiver.Expires, c.Waiver.Reason)}}
		}
	}
	return b.write(w, stderr, "gate")
}

// ruleName turns a check id into the PascalCase name SARIF suggests for
// a rule: "risk-assessed" is RiskAssessed.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ' ' }) {
		r, n := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(part[n:])
	}
	if b.Len() == 0 {
		return "Check"
	}
	return b.String()
}

// JUnit XML, in the form CI test dashboards read (Jenkins, GitLab,
// GitHub test-report actions): one test suite per decision, one test case
// per check.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitMessage   `xml:"failure"`
	Skipped    *junitMessage   `xml:"skipped"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// writeGateJUnit writes a decision as JUnit XML: a check that failed is
// a failure (of type deny or warn), one that was waived is skipped with
// the waiver as its message, one that did not apply is skipped, and one
// that passed passes. The controls and clauses of each check are
// properties of its test case.
func writeGateJUnit(w, stderr io.Writer, d aims.Decision) int {
	s := junitSuite{
		Name:      fmt.Sprintf("%s: %s -> %s", d.SystemName, d.From, d.To),
		Timestamp: d.Time.UTC().Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{"system", d.System.String()}, {"decision", d.ID.String()}, {"verdict", string(d.Verdict)},
			{"policyRevision", d.PolicyRevision},
		},
	}
	for _, c := range d.Checks {
		tc := junitCase{Name: c.Check, Classname: "aimskit.gate." + string(d.To)}
		for _, id := range c.Controls {
			tc.Properties = append(tc.Properties, junitProperty{"control", id})
		}
		for _, id := range c.Clauses {
			tc.Properties = append(tc.Properties, junitProperty{"clause", id})
		}
		switch c.Outcome {
		case aims.OutcomeFail:
			sev := string(c.Severity)
			if sev == "" {
				sev = string(aims.SeverityDeny)
			}
			tc.Failure = &junitMessage{Message: c.Message, Type: sev, Text: c.Message}
			s.Failures++
		case aims.OutcomeWaived:
			msg := "waived"
			if c.Waiver != nil {
				msg = fmt.Sprintf("waived by %s until %s: %s", c.Waiver.Approver, c.Waiver.Expires, c.Waiver.Reason)
				tc.Properties = append(tc.Properties, junitProperty{"waiver.approver", c.Waiver.Approver},
					junitProperty{"waiver.expires", c.Waiver.Expires.String()}, junitProperty{"waiver.reason", c.Waiver.Reason})
			}
			tc.Skipped = &junitMessage{Message: msg, Text: c.Message}
			s.Skipped++
		case aims.OutcomeNotApplicable:
			tc.Skipped = &junitMessage{Message: "not applicable: " + c.Message}
			s.Skipped++
		default:
			tc.SystemOut = c.Message
		}
		s.Cases = append(s.Cases, tc)
		s.Tests++
	}
	out := junitSuites{Name: "aimskit gate", Tests: s.Tests, Failures: s.Failures, Skipped: s.Skipped, Suites: []junitSuite{s}}
	data, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError
	}
	if _, err := fmt.Fprintf(w, "%s%s\n", xml.Header, data); err != nil {
		fmt.Fprintf(stderr, "aimskit gate: %v\n", err)
		return exitError
	}
	return exitOK
}
