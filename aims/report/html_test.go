package report_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/report"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/risk"
)

const exampleDir = "../../examples/credit-scoring/governance"

// day is the day the example report is written for.
var day = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

func loadExample(t testing.TB) *aims.Snapshot {
	t.Helper()
	f, err := aims.Load(context.Background(), os.DirFS(exampleDir))
	if err != nil {
		t.Fatalf("aims.Load(%s) = %v", exampleDir, err)
	}
	return f
}

func render(t testing.TB, f *aims.Snapshot) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteHTML(&b, f, day); err != nil {
		t.Fatalf("WriteHTML = %v", err)
	}
	return b.String()
}

// cellKey names one heat-map cell: "system/kind/likelihood/consequence".
func cellKey(system, kind string, l, c int) string {
	return fmt.Sprintf("%s/%s/%d/%d", system, kind, l, c)
}

// wantCells returns the count of risks in every heat-map cell of every
// AI system with a risk assessment, worked out from risk.Evaluate, and
// the number of systems with heat maps.
func wantCells(t testing.TB, f *aims.Snapshot) (map[string]int, int) {
	t.Helper()
	want := make(map[string]int)
	n := 0
	for _, s := range f.Systems {
		a := f.RiskAssessment(s.ID)
		if a == nil {
			continue
		}
		c, ok := f.Criteria(a)
		if !ok {
			t.Fatalf("no criteria for the risk assessment of %s", s.Name)
		}
		sum, err := risk.Evaluate(a, c, day)
		if err != nil {
			t.Fatalf("risk.Evaluate(%s) = %v", s.Name, err)
		}
		n++
		id := s.ID.String()
		for l := 1; l <= len(c.Likelihood); l++ {
			for k := 1; k <= len(c.Consequence); k++ {
				want[cellKey(id, "inherent", l, k)] = 0
				want[cellKey(id, "residual", l, k)] = 0
			}
		}
		for _, r := range sum.Results {
			want[cellKey(id, "inherent", r.Inherent.Likelihood, r.Inherent.Consequence)]++
			want[cellKey(id, "residual", r.Residual.Likelihood, r.Residual.Consequence)]++
		}
	}
	return want, n
}

var (
	rectRE = regexp.MustCompile(`<rect\b[^>]*>`)
	attrRE = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
)

// gotCells reads the data-count of every heat-map cell of a page, as
// written or as serialised by a browser.
func gotCells(t testing.TB, page string) map[string]int {
	t.Helper()
	got := make(map[string]int)
	for _, tag := range rectRE.FindAllString(page, -1) {
		a := make(map[string]string)
		for _, m := range attrRE.FindAllStringSubmatch(tag, -1) {
			a[m[1]] = m[2]
		}
		l, err1 := strconv.Atoi(a["data-likelihood"])
		c, err2 := strconv.Atoi(a["data-consequence"])
		n, err3 := strconv.Atoi(a["data-count"])
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Errorf("heat-map cell %s: %v", tag, err)
			continue
		}
		k := cellKey(a["data-system"], a["data-kind"], l, c)
		if _, dup := got[k]; dup {
			t.Errorf("heat-map cell %s appears twice", k)
		}
		got[k] = n
	}
	return got
}

func diffCells(t testing.TB, want, got map[string]int) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("heat-map cell %s is missing, want data-count=%d", k, w)
		case g != w:
			t.Errorf("heat-map cell %s data-count = %d, want %d", k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected heat-map cell %s", k)
		}
	}
}

func TestWriteHTMLContent(t *testing.T) {
	f := loadExample(t)
	page := render(t, f)
	if len(f.Systems) != 2 {
		t.Fatalf("example folder has %d AI systems, want 2", len(f.Systems))
	}
	for _, s := range f.Systems {
		for _, want := range []string{html.EscapeString(s.Name), `<tr data-system="` + s.ID.String() + `">`} {
			if !strings.Contains(page, want) {
				t.Errorf("report lacks %q", want)
			}
		}
	}
	for _, want := range []string{
		"high-risk, Annex III 5(b)", `data-fria="yes"`, "transparency Art. 50(1)",
		"Statement of Applicability", "Audit readiness", "criteria aimskit-5x5 version 1",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	want, maps := wantCells(t, f)
	if maps != 2 {
		t.Errorf("example folder has %d risk assessments, want 2", maps)
	}
	diffCells(t, want, gotCells(t, page))

	// Every Annex A control has a row in the Statement of Applicability
	// and one in the readiness table.
	annexA := controls.ISO42001().AnnexA()
	if len(annexA) != 38 {
		t.Fatalf("Annex A has %d controls, want 38", len(annexA))
	}
	for _, c := range annexA {
		_, ref := c.ID.Split()
		for _, want := range []string{`<tr data-control="` + ref + `">`, `<tr data-item="` + ref + `">`} {
			if n := strings.Count(page, want); n != 1 {
				t.Errorf("report has %d of %q, want 1", n, want)
			}
		}
	}
	r := f.Readiness(day)
	if want := fmt.Sprintf(`data-score="%d"`, r.Score); !strings.Contains(page, want) {
		t.Errorf("report lacks readiness score %q", want)
	}
	for _, g := range r.Gaps() {
		if !strings.Contains(page, html.EscapeString(g.Missing)) {
			t.Errorf("report lacks gap %q", g.Missing)
		}
	}
}

// externalRE finds references that would make a browser fetch something:
// scripts, src and href attributes to other sites, CSS imports and urls.
var externalRE = regexp.MustCompile(`(?i)<script|\b(src|href|xlink:href|action)\s*=\s*["']?\s*(https?:|//|data:|javascript:)|@import|url\(`)

func TestWriteHTMLSelfContained(t *testing.T) {
	page := render(t, loadExample(t))
	if m := externalRE.FindAllString(page, -1); m != nil {
		t.Errorf("report refers to outside resources or scripts: %q", m)
	}
	for _, m := range regexp.MustCompile(`\b(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("report has a reference %q, want only fragment links", m[0])
		}
	}
}

func TestWriteHTMLWellFormed(t *testing.T) {
	page := render(t, loadExample(t))
	if err := balanced(page); err != nil {
		t.Errorf("report tags are not balanced: %v", err)
	}
	svgs := regexp.MustCompile(`(?s)<svg\b.*?</svg>`).FindAllString(page, -1)
	if len(svgs) != 4 {
		t.Errorf("report has %d SVG heat maps, want 4 (inherent and residual for 2 systems)", len(svgs))
	}
	for i, s := range svgs {
		d := xml.NewDecoder(strings.NewReader(s))
		d.Strict = true
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("SVG %d is not well-formed XML: %v", i, err)
				break
			}
		}
	}
}

// voidElements have no end tag in HTML.
var voidElements = map[string]bool{"meta": true, "br": true, "hr": true, "img": true, "input": true, "link": true, "wbr": true}

var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>`)

// balanced reports the first start tag without its end tag or end tag
// without its start tag. It is a light check, enough for the HTML that
// WriteHTML writes: no comments and no raw "<" in text.
func balanced(page string) error {
	var stack []string
	for _, m := range tagRE.FindAllStringSubmatch(page, -1) {
		name := strings.ToLower(m[2])
		switch {
		case m[1] == "/":
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return fmt.Errorf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		case m[3] == "/" || voidElements[name]:
		default:
			stack = append(stack, name)
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed %v", stack)
	}
	return nil
}

func TestWriteHTMLDeterministic(t *testing.T) {
	first := render(t, loadExample(t))
	for range 3 {
		if again := render(t, loadExample(t)); again != first {
			t.Fatal("WriteHTML gave different output for the same folder and day")
		}
	}
}

func TestWriteHTMLEscapes(t *testing.T) {
	f := loadExample(t)
	const evil = `<script>alert("x")</script><img src="https://evil.example/x.png">`
	f.Systems[0].Name = evil
	if f.SoA != nil && len(f.SoA.Entries) > 0 {
		f.SoA.Entries[0].Owner = evil
	}
	page := render(t, f)
	if strings.Contains(page, "<script") || strings.Contains(page, "<img") {
		t.Error("report does not escape document text")
	}
	if !strings.Contains(page, html.EscapeString("<script>")) && !strings.Contains(page, "&lt;script&gt;") {
		t.Error("report lacks the escaped system name")
	}
}

func TestWriteHTMLErrors(t *testing.T) {
	if err := report.WriteHTML(io.Discard, nil, day); !errors.Is(err, report.ErrNoFolder) {
		t.Errorf("WriteHTML(nil folder) = %v, want ErrNoFolder", err)
	}
	errWrite := errors.New("disk full")
	w := failWriter{errWrite}
	if err := report.WriteHTML(w, loadExample(t), day); !errors.Is(err, errWrite) {
		t.Errorf("WriteHTML(failing writer) = %v, want %v", err, errWrite)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// The report shows, per AI system, the same reasoning as aimskit
// inventory --explain: every rule considered with its article.
func TestWriteHTMLReasoning(t *testing.T) {
	f := loadExample(t)
	page := render(t, f)
	for _, s := range f.Systems {
		d := s.Explain()
		for _, r := range d.Rules {
			if !strings.Contains(page, html.EscapeString(r.Reason)) {
				t.Errorf("report lacks the reason of rule %s of %s: %q", r.Article, s.Name, r.Reason)
			}
		}
		if !strings.Contains(page, html.EscapeString(d.Reason)) {
			t.Errorf("report lacks why %s is %s: %q", s.Name, d.Classification.Category, d.Reason)
		}
	}
	for _, want := range []string{
		`data-basis="derived from the facts"`,
		`<tr data-rule="Art. 5(1)(f)"><td class="no">not applied</td>`,
		`<tr data-rule="Annex III 5(b)"><td class="yes">applies</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
