package annexiv

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Document is the Annex IV technical documentation of one AI system. It
// is a plain value; its zero value is an empty document.
type Document struct {
	// Title names the document and the system.
	Title string `json:"title"`
	// System and SystemName identify the AI system.
	System     uuid.UUID `json:"system"`
	SystemName string    `json:"systemName"`
	// Version is the version of the system, if the inventory states one.
	Version string `json:"version,omitempty"`
	// Classification is the EU AI Act classification that holds for the
	// system, in words, e.g. "high-risk, Annex III 5(b)".
	Classification string `json:"classification"`
	// Generated is when the document was built, in UTC, to the second.
	Generated time.Time `json:"generated"`
	// Files are the governance documents cited, with their SHA-256
	// digests, and the evidence log if one was given.
	Files []File `json:"files"`
	// Sections are the nine sections of Annex IV, in order.
	Sections []Section `json:"sections"`
}

// File is a file cited by a [Document].
type File struct {
	// Name is the file name: relative to the governance folder for a
	// document, as given in [Options.Log] for the evidence log.
	Name string `json:"name"`
	// Kind is the document kind, e.g. "AISystem", or "EvidenceLog".
	Kind string `json:"kind"`
	// Digest is "sha256:" and the hex SHA-256 of the bytes loaded; empty
	// for the evidence log, which carries its own hash chain.
	Digest string `json:"digest,omitempty"`
}

// Section is one of the nine sections of Annex IV.
type Section struct {
	// Number is the section number, 1 to 9.
	Number int `json:"number"`
	// Title is aimskit's short title of the section.
	Title string `json:"title"`
	// Items are the points of the section, in Annex IV order.
	Items []Item `json:"items"`
}

// Status says how far the project fills a point.
type Status string

// Statuses.
const (
	StatusUnspecified Status = ""
	// StatusFilled: the point is filled from the folder or the log.
	StatusFilled Status = "filled"
	// StatusPartial: some of the point is filled; [Item.Needed] says
	// what a person must add.
	StatusPartial Status = "partial"
	// StatusPlaceholder: nothing is filled; [Item.Needed] says what a
	// person must write.
	StatusPlaceholder Status = "placeholder"
)

// Item is one point of a section, e.g. "2(d)".
type Item struct {
	// ID is the point in Annex IV numbering: "1(a)" to "2(h)" for the
	// lettered points, "3(a)" to "3(d)" for the parts of section 3 (which
	// Annex IV does not letter), and the section number for sections 4 to
	// 9.
	ID string `json:"id"`
	// Title is aimskit's short title of the point.
	Title string `json:"title"`
	// Status is filled, partial or placeholder.
	Status Status `json:"status"`
	// Statements are what the folder and the log hold for the point, each
	// with its sources.
	Statements []Statement `json:"statements,omitempty"`
	// Needed says what a person must write; empty when the point is
	// filled.
	Needed string `json:"needed,omitempty"`
}

// Statement is one fact of a point, with where it comes from.
type Statement struct {
	// Text is the fact, as one paragraph of plain text.
	Text string `json:"text"`
	// Sources are where the fact comes from; every statement has one.
	Sources []Source `json:"sources"`
}

// Source is a citation: a field of a governance document, or an evidence
// record.
type Source struct {
	// File is the governance document's file, relative to the folder, or
	// the evidence log as named in [Options.Log].
	File string `json:"file"`
	// Pointer is the JSON pointer (RFC 6901) of the field in the
	// document, as decoded from YAML or JSON; "" is the whole document.
	// Empty for an evidence record.
	Pointer string `json:"pointer,omitempty"`
	// Record is the id of the evidence record, for a citation of the log.
	Record string `json:"record,omitempty"`
}

// String returns the citation as "file#pointer" or "file record id".
func (s Source) String() string {
	if s.Record != "" {
		return s.File + " record " + s.Record
	}
	return s.File + "#" + s.Pointer
}

// WriteJSON writes d as indented JSON with a final newline.
func (d *Document) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("annexiv: write json: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("annexiv: write json: %w", err)
	}
	return nil
}

// WriteMarkdown writes d as Markdown (CommonMark): a heading per section
// and per point, each statement as a list item followed by its sources,
// what a person must write as a block quote starting "To write:", and a
// table of the files cited with their digests.
func (d *Document) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\n", md(d.Title))
	p("EU AI Act Art. 11 and Annex IV technical documentation, built by aimskit from the governance documents")
	if hasLog(d.Files) {
		p(" and the evidence log")
	}
	p(" on %s.\n\n", d.Generated.UTC().Format(time.RFC3339))
	p("- AI system: %s (`%s`)\n", md(d.SystemName), d.System)
	if d.Version != "" {
		p("- Version: %s\n", md(d.Version))
	}
	p("- Classification: %s\n", md(d.Classification))
	filled, partial, open := d.counts()
	p("- Points: %d filled, %d partly filled, %d placeholders\n\n", filled, partial, open)
	p("Each statement cites its source as `file#/json/pointer` or as an evidence record id. ")
	p("Text after **To write:** is for the provider to supply.\n")
	for _, s := range d.Sections {
		p("\n## %d. %s\n", s.Number, md(s.Title))
		for _, it := range s.Items {
			if len(s.Items) > 1 || it.ID != fmt.Sprint(s.Number) {
				p("\n### %s %s\n", it.ID, md(it.Title))
			}
			p("\n")
			for _, st := range it.Statements {
				p("- %s\n", md(st.Text))
				cites := make([]string, len(st.Sources))
				for i, src := range st.Sources {
					cites[i] = "`" + strings.ReplaceAll(src.String(), "`", "'") + "`"
				}
				p("  <br>Source: %s\n", strings.Join(cites, ", "))
			}
			if it.Needed != "" {
				if len(it.Statements) > 0 {
					p("\n")
				}
				p("> **To write:** %s\n", md(it.Needed))
			}
		}
	}
	p("\n## Files cited\n\n| File | Kind | SHA-256 |\n|---|---|---|\n")
	for _, f := range d.Files {
		digest := strings.TrimPrefix(f.Digest, "sha256:")
		if digest == "" {
			digest = "(hash-linked log)"
		}
		p("| `%s` | %s | %s |\n", strings.ReplaceAll(f.Name, "`", "'"), md(f.Kind), digest)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("annexiv: write markdown: %w", err)
	}
	return nil
}

// counts returns the number of filled, partly filled and placeholder
// points.
func (d *Document) counts() (filled, partial, open int) {
	for _, s := range d.Sections {
		for _, it := range s.Items {
			switch it.Status {
			case StatusFilled:
				filled++
			case StatusPartial:
				partial++
			default:
				open++
			}
		}
	}
	return filled, partial, open
}

func hasLog(files []File) bool {
	for _, f := range files {
		if f.Kind == KindLog {
			return true
		}
	}
	return false
}

// mdEscaper escapes the characters that start Markdown inline syntax or
// HTML, so that text from documents stays text.
var mdEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "\\|", "#", "\\#",
)

// md returns s as one line of Markdown text: white space folded, syntax
// escaped.
func md(s string) string { return mdEscaper.Replace(strings.Join(strings.Fields(s), " ")) }
