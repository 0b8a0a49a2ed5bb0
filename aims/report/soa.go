package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
)

// soaColumns are the columns of the rendered statement, in order.
var soaColumns = []string{"control", "title", "applicable", "justification", "status", "owner", "evidence"}

// WriteSoAMarkdown writes the Statement of Applicability s to w as a Markdown document an auditor can read
// as is: a heading, the version, approval and review dates, and a table
// with one row per entry and the columns control, title, applicable,
// justification, status, owner and evidence. Rows are in catalogue order
// (Annex A, then organisation controls); entries for unknown controls come
// last. Titles come from the catalogue.
//
// Table cells are escaped so that no content can break the table: a
// backslash, "|" and "<" are escaped with a backslash, and line breaks
// become "<br>". WriteSoAMarkdown renders s as it is, valid or not; call
// [controls.StatementOfApplicability.Validate] first. It returns the error of the
// first failed write to w.
func WriteSoAMarkdown(w io.Writer, s *controls.StatementOfApplicability) error {
	var b bytes.Buffer
	b.WriteString("# Statement of Applicability\n\n")
	b.WriteString("ISO/IEC 42001:2023, clause 6.1.3 (f).\n\n")
	meta := [][2]string{
		{"ID", s.ID.String()},
		{"Version", s.Version},
		{"Approval", s.Approval.String()},
		{"Last reviewed", dateText(s.LastReviewed)},
	}
	for _, m := range meta {
		fmt.Fprintf(&b, "- %s: %s\n", m[0], mdEscape(cellText(m[1])))
	}
	b.WriteString("\n")
	rows := soaRows(s)
	applicable, excluded := 0, 0
	for _, en := range s.Entries {
		switch en.Applicability {
		case controls.Applicable:
			applicable++
		case controls.Excluded:
			excluded++
		}
	}
	noun := "entries"
	if len(rows) == 1 {
		noun = "entry"
	}
	fmt.Fprintf(&b, "%d %s: %d applicable, %d excluded.\n\n", len(rows), noun, applicable, excluded)
	b.WriteString("| Control | Title | Applicable | Justification | Status | Owner | Evidence |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" ")
			b.WriteString(mdEscape(c))
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteSoACSV writes the Statement of Applicability s to w as CSV (RFC 4180, through [encoding/csv]): a
// header row with the columns control, title, applicable, justification,
// status, owner and evidence, then one row per entry in the order of
// [WriteSoAMarkdown].
//
// Line breaks inside a cell are written as "\n". A cell that starts with
// "=", "+", "-" or "@" gets a leading "'" so that spreadsheet programs show
// it as text instead of evaluating it as a formula. WriteSoACSV renders s as
// it is, valid or not. It returns the error of the first failed write to
// w.
func WriteSoACSV(w io.Writer, s *controls.StatementOfApplicability) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := cw.Write(soaColumns); err != nil {
		return err
	}
	for _, r := range soaRows(s) {
		for i := range r {
			r[i] = csvSafe(r[i])
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// soaRows returns the logical cells of the table, one row per entry, in
// catalogue order: the Annex A controls in the order of the standard, then
// the organisation controls in the order given, then entries for unknown
// controls. Cells have normalised line breaks ("\n") and no leading or
// trailing white space.
func soaRows(s *controls.StatementOfApplicability) [][]string {
	annexA := controls.ISO42001().AnnexA()
	annexIndex := make(map[controls.ID]int, len(annexA))
	for i, c := range annexA {
		annexIndex[c.ID] = i
	}
	orgTitle := make(map[controls.ID]string, len(s.OrganizationControls))
	orgIndex := make(map[controls.ID]int, len(s.OrganizationControls))
	for i, c := range s.OrganizationControls {
		if _, dup := orgIndex[c.ID]; !dup && c.ID.Namespace() != controls.NamespaceISO42001 {
			orgTitle[c.ID] = c.Title
			orgIndex[c.ID] = i
		}
	}
	n := len(annexA)
	order := func(en controls.Entry) int {
		if i, ok := annexIndex[en.Control]; ok {
			return i
		}
		if i, ok := orgIndex[en.Control]; ok {
			return n + i
		}
		return n + len(orgIndex)
	}
	entries := slices.Clone(s.Entries)
	slices.SortStableFunc(entries, func(a, b controls.Entry) int { return order(a) - order(b) })
	rows := make([][]string, 0, len(entries))
	for _, en := range entries {
		title := orgTitle[en.Control]
		if i, ok := annexIndex[en.Control]; ok {
			title = annexA[i].Title
		}
		r := []string{
			controlLabel(en.Control),
			title,
			soaApplicableText(en),
			en.Justification.String(),
			statusText(en.Status),
			en.Owner,
			evidenceText(en.Evidence),
		}
		for i := range r {
			r[i] = cellText(r[i])
		}
		rows = append(rows, r)
	}
	return rows
}

func soaApplicableText(en controls.Entry) string {
	var t string
	switch en.Applicability {
	case controls.Applicable:
		t = "yes"
	case controls.Excluded:
		t = "no"
	case controls.ApplicabilityUnspecified:
		t = "undecided"
	default:
		t = string(en.Applicability)
	}
	if len(en.Systems) > 0 {
		ids := make([]string, len(en.Systems))
		for i, u := range en.Systems {
			ids[i] = u.String()
		}
		t += " (for AI systems " + strings.Join(ids, ", ") + ")"
	}
	return t
}

func evidenceText(evs []controls.Evidence) string {
	lines := make([]string, 0, len(evs))
	for _, ev := range evs {
		lines = append(lines, evidenceLine(ev))
	}
	return strings.Join(lines, "\n")
}

// evidenceLine describes one piece of evidence in a line: its reference,
// the day it took effect and its description, where given.
func evidenceLine(ev controls.Evidence) string {
	l := ev.Ref
	if !ev.Effective.IsZero() {
		l += " (effective " + ev.Effective.String() + ")"
	}
	if d := strings.TrimSpace(ev.Description); d != "" {
		l += ": " + d
	}
	return l
}

func dateText(d document.Date) string {
	if d.IsZero() {
		return "not recorded"
	}
	return d.String()
}

// cellText normalises line breaks to "\n" and trims white space at both
// ends, which Markdown tables would drop anyway.
func cellText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, `|`, `\|`, `<`, `\<`, "\n", "<br>")

// mdEscape escapes a cell for a GitHub-flavoured Markdown table: the
// backslash first, so that escapes stay unambiguous, then the cell
// separator and "<" (which could open HTML), and line breaks become
// "<br>".
func mdEscape(s string) string { return mdEscaper.Replace(s) }

// csvSafe guards a cell against formula evaluation in spreadsheets.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
