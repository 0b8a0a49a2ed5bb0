package controls

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aimskit/aimskit/document"
)

// columns are the columns of the rendered statement, in order.
var columns = []string{"control", "title", "applicable", "justification", "status", "owner", "evidence"}

// WriteMarkdown writes s to w as a Markdown document an auditor can read
// as is: a heading, the version, approval and review dates, and a table
// with one row per entry and the columns control, title, applicable,
// justification, status, owner and evidence. Rows are in catalogue order
// (Annex A, then organisation controls); entries for unknown controls come
// last. Titles come from the catalogue.
//
// Table cells are escaped so that no content can break the table: a
// backslash, "|" and "<" are escaped with a backslash, and line breaks
// become "<br>". WriteMarkdown renders s as it is, valid or not; call
// [StatementOfApplicability.Validate] first. It returns the error of the
// first failed write to w.
func (s *StatementOfApplicability) WriteMarkdown(w io.Writer) error {
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
	rows := s.rows()
	applicable, excluded := 0, 0
	for _, en := range s.Entries {
		switch en.Applicability {
		case Applicable:
			applicable++
		case Excluded:
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

// WriteCSV writes s to w as CSV (RFC 4180, through [encoding/csv]): a
// header row with the columns control, title, applicable, justification,
// status, owner and evidence, then one row per entry in the order of
// [StatementOfApplicability.WriteMarkdown].
//
// Line breaks inside a cell are written as "\n". A cell that starts with
// "=", "+", "-" or "@" gets a leading "'" so that spreadsheet programs show
// it as text instead of evaluating it as a formula. WriteCSV renders s as
// it is, valid or not. It returns the error of the first failed write to
// w.
func (s *StatementOfApplicability) WriteCSV(w io.Writer) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := cw.Write(columns); err != nil {
		return err
	}
	for _, r := range s.rows() {
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

// rows returns the logical cells of the table, one row per entry, in
// catalogue order. Cells have normalised line breaks ("\n") and no leading
// or trailing white space.
func (s *StatementOfApplicability) rows() [][]string {
	orgTitle := make(map[ID]string, len(s.OrganizationControls))
	orgIndex := make(map[ID]int, len(s.OrganizationControls))
	for i, c := range s.OrganizationControls {
		if _, dup := orgIndex[c.ID]; !dup && c.ID.Namespace() != NamespaceISO42001 {
			orgTitle[c.ID] = c.Title
			orgIndex[c.ID] = i
		}
	}
	n := len(annexA)
	order := func(en Entry) int {
		if i := annexAIndex(en.Control); i >= 0 {
			return i
		}
		if i, ok := orgIndex[en.Control]; ok {
			return n + i
		}
		return n + len(orgIndex)
	}
	entries := slices.Clone(s.Entries)
	slices.SortStableFunc(entries, func(a, b Entry) int { return order(a) - order(b) })
	rows := make([][]string, 0, len(entries))
	for _, en := range entries {
		title := orgTitle[en.Control]
		if i := annexAIndex(en.Control); i >= 0 {
			title = annexA[i].Title
		}
		r := []string{
			controlLabel(en.Control),
			title,
			applicableText(en),
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

// controlLabel writes Annex A controls as the standard numbers them
// ("A.7.4") and other controls with their namespace ("org:SEC-01").
func controlLabel(id ID) string {
	if ns, ref := id.Split(); ns == NamespaceISO42001 {
		return ref
	}
	return string(id)
}

func applicableText(en Entry) string {
	var t string
	switch en.Applicability {
	case Applicable:
		t = "yes"
	case Excluded:
		t = "no"
	case ApplicabilityUnspecified:
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

func statusText(st Status) string {
	if st == StatusNotImplemented {
		return "not implemented"
	}
	return string(st)
}

func evidenceText(evs []Evidence) string {
	lines := make([]string, 0, len(evs))
	for _, ev := range evs {
		l := ev.Ref
		if !ev.Effective.IsZero() {
			l += " (effective " + ev.Effective.String() + ")"
		}
		if d := strings.TrimSpace(ev.Description); d != "" {
			l += ": " + d
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
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
