package report

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// ErrNoFolder is returned by [WriteHTML] for a nil folder.
var ErrNoFolder = errors.New("report: no folder")

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Parse(pageText))

// WriteHTML writes a report of the governance folder f on the day of now
// to w: one self-contained HTML page with the AI system inventory (EU AI
// Act classification, life-cycle stage and status, derived obligations),
// for each AI system with a risk assessment an inherent and a residual
// risk heat map drawn as inline SVG on the grid of the assessment's
// criteria, the Statement of Applicability, and the audit readiness of
// the folder ([aims.Snapshot.Readiness]) with its gaps.
//
// The page loads nothing: its style is inline, its heat maps are inline
// SVG, it has no scripts, and every text from the folder is escaped by
// [html/template]. References such as evidence locations are shown as
// text, never as links. The output is a deterministic function of f and
// now; only the date of now (in its location) is used.
//
// Each heat-map cell is an SVG rect element with the attributes
// data-kind ("inherent" or "residual"), data-likelihood and
// data-consequence (1-based ranks), data-level (the level's name) and
// data-count (the number of risks in the cell), followed by a text
// element showing the count. These attributes are stable and meant for
// tests and tools.
//
// WriteHTML renders the whole page before it writes, so nothing is
// written when it fails. It returns [ErrNoFolder] for a nil f, an error
// wrapping the error of [risk.Evaluate] when a risk assessment cannot be
// evaluated, and otherwise the error of the write to w.
func WriteHTML(w io.Writer, f *aims.Snapshot, now time.Time) error {
	if f == nil {
		return ErrNoFolder
	}
	v, err := build(f, now)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return fmt.Errorf("report: render: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// view is the data of the page template.
type view struct {
	Title        string
	Organization string
	Date         string
	Systems      []systemView
	SoA          *soaView
	Readiness    readinessView
}

type systemView struct {
	Anchor         string
	Name           string
	Version        string
	ID             string
	Classification string
	Stage          string
	Status         string
	Roles          string
	Obligations    int
	FRIA           bool
	Prohibited     bool
	// Basis, Reason, Rules and Duties show how the classification was
	// reached: the same reasoning as aimskit inventory --explain.
	Basis    string
	Reason   string
	Rules    []ruleRow
	Duties   []dutyRow
	Risk     *riskView
	RiskNote string
}

type ruleRow struct {
	Applies bool
	Article string
	Reason  string
}

type dutyRow struct {
	Role, Article, Title, From string
}

type riskView struct {
	File     string
	Criteria string
	Appetite string
	Levels   []levelView
	Inherent heatMap
	Residual heatMap
	Risks    []riskRow
}

type levelView struct {
	Name     string
	Fill     string
	Within   bool
	Inherent int
	Residual int
}

type riskRow struct {
	ID         string
	Title      string
	Inherent   string
	Residual   string
	Acceptable bool
	Status     string
}

// heatMap is the geometry of one SVG heat map.
type heatMap struct {
	System      string
	Kind        string
	Caption     string
	Width       int
	Height      int
	Cells       []cell
	YLabels     []axisLabel
	XLabels     []axisLabel
	YTitleX     int
	YTitleY     int
	XTitleX     int
	XTitleY     int
	GridX       int
	GridY       int
	GridW       int
	GridH       int
	Description string
}

type cell struct {
	Likelihood  int
	Consequence int
	Level       string
	Fill        string
	Ink         string
	Count       int
	X, Y, Size  int
	TextX       int
	TextY       int
	Tooltip     string
}

type axisLabel struct {
	Text string
	X, Y int
}

type soaView struct {
	Version    string
	Approval   string
	Applicable int
	Excluded   int
	Rows       []soaRow
}

type soaRow struct {
	Control    string
	Title      string
	Applicable string
	Class      string
	Status     string
	Owner      string
	Evidence   []string
}

type readinessView struct {
	Score int
	Met   int
	Total int
	Gaps  int
	Items []readinessRow
}

type readinessRow struct {
	ID    string
	Title string
	Met   bool
	Gaps  []aims.Gap
}

func build(f *aims.Snapshot, now time.Time) (*view, error) {
	v := &view{Title: "AI management system report", Date: document.DateOf(now).String()}
	if ms := f.ManagementSystem; ms != nil {
		v.Organization = ms.Organization
	}
	systems := slices.Clone(f.Systems)
	slices.SortStableFunc(systems, func(a, b *inventory.System) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID.String(), b.ID.String())
	})
	for i, s := range systems {
		sv, err := buildSystem(f, s, now)
		if err != nil {
			return nil, err
		}
		sv.Anchor = fmt.Sprintf("system-%d", i+1)
		v.Systems = append(v.Systems, sv)
	}
	if f.SoA != nil {
		v.SoA = buildSoA(f, f.SoA)
	}
	v.Readiness = buildReadiness(f.Readiness(now))
	return v, nil
}

func buildSystem(f *aims.Snapshot, s *inventory.System, now time.Time) (systemView, error) {
	d := s.Explain()
	ob := d.Obligations
	sv := systemView{
		Name:           s.Name,
		Version:        s.Version,
		ID:             s.ID.String(),
		Classification: d.Classification.String(),
		Stage:          string(s.Lifecycle.Stage),
		Status:         string(s.Lifecycle.EffectiveStatus()),
		Roles:          joinRoles(s.Accountability.OperatorRoles),
		Obligations:    len(ob.List),
		FRIA:           ob.FRIARequired,
		Prohibited:     ob.Prohibited,
		Basis:          "derived from the facts",
		Reason:         d.Reason,
	}
	if d.Basis != inventory.BasisDerived {
		sv.Basis = "stated, not derived: the document gives no facts to derive it from"
	}
	for _, r := range d.Rules {
		sv.Rules = append(sv.Rules, ruleRow{Applies: r.Applies, Article: r.Article, Reason: r.Reason})
	}
	for _, o := range ob.List {
		from := o.Applies.Amended.String()
		switch {
		case o.Applies.Original.IsZero():
			from += " (new in 2026)"
		case o.Applies.Original != o.Applies.Amended:
			from += " (originally " + o.Applies.Original.String() + ")"
		}
		sv.Duties = append(sv.Duties, dutyRow{Role: string(o.Role), Article: o.Article, Title: o.Title, From: from})
	}
	a := f.RiskAssessment(s.ID)
	if a == nil {
		sv.RiskNote = "No risk assessment of this AI system."
		return sv, nil
	}
	c, ok := f.Criteria(a)
	if !ok {
		name, version := a.Criteria.Pinned()
		sv.RiskNote = fmt.Sprintf("The risk criteria %s version %s of the risk assessment were not found.", name, version)
		return sv, nil
	}
	sum, err := risk.Evaluate(a, c, now)
	if err != nil {
		return sv, fmt.Errorf("report: risk assessment of %s: %w", s.Name, err)
	}
	sv.Risk = buildRisk(f, a, &c, sum)
	sv.Risk.Inherent.System, sv.Risk.Residual.System = sv.ID, sv.ID
	return sv, nil
}

// palette is the colour ramp of risk levels, lowest first; a criteria's
// levels are spread over it. ink is the text colour that reads on each.
var (
	palette = []string{"#2e7d32", "#9ccc65", "#fdd835", "#fb8c00", "#e53935", "#8e0000"}
	ink     = []string{"#ffffff", "#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff", "#ffffff"}
)

// colour returns the fill and text colours of the level with the given
// 1-based rank among n levels.
func colour(level, n int) (fill, text string) {
	i := 0
	if n > 1 {
		i = ((level-1)*(len(palette)-1) + (n-1)/2) / (n - 1)
	}
	i = min(max(i, 0), len(palette)-1)
	return palette[i], ink[i]
}

func buildRisk(f *aims.Snapshot, a *risk.Assessment, c *risk.Criteria, sum risk.Summary) *riskView {
	rv := &riskView{
		File:     f.File(a),
		Criteria: c.String(),
		Appetite: c.Appetite,
	}
	for i, l := range c.Levels {
		fill, _ := colour(i+1, len(c.Levels))
		lv := levelView{Name: l.Name, Fill: fill, Within: c.WithinAppetite(i + 1)}
		if i < len(sum.Levels) {
			lv.Inherent, lv.Residual = sum.Levels[i].Inherent, sum.Levels[i].Residual
		}
		rv.Levels = append(rv.Levels, lv)
	}
	titles := make(map[string]string, len(a.Risks))
	for _, r := range a.Risks {
		titles[r.ID] = r.Title
	}
	for _, r := range sum.Results {
		row := riskRow{ID: r.ID, Title: titles[r.ID], Inherent: r.Inherent.String(), Residual: r.Residual.String(), Acceptable: r.Acceptable()}
		switch {
		case !r.AboveAppetite:
			row.Status = "within appetite"
		case r.Accepted:
			row.Status = "above appetite, accepted"
		default:
			row.Status = "above appetite, not accepted"
		}
		rv.Risks = append(rv.Risks, row)
	}
	rv.Inherent = newHeatMap("inherent", c, sum.Results, func(r risk.Result) risk.Score { return r.Inherent })
	rv.Residual = newHeatMap("residual", c, sum.Results, func(r risk.Result) risk.Score { return r.Residual })
	return rv
}

// Geometry of a heat map, in SVG user units.
const (
	cellSize   = 56
	marginLeft = 128 // room for likelihood names
	marginTop  = 8   // room above the grid
	marginBot  = 96  // room for slanted consequence names
	marginR    = 12
)

func newHeatMap(kind string, c *risk.Criteria, results []risk.Result, score func(risk.Result) risk.Score) heatMap {
	nl, nc := len(c.Likelihood), len(c.Consequence)
	type key struct{ l, c int }
	ids := make(map[key][]string)
	for _, r := range results {
		s := score(r)
		if s.IsZero() {
			continue
		}
		k := key{s.Likelihood, s.Consequence}
		ids[k] = append(ids[k], r.ID)
	}
	h := heatMap{
		Kind:    kind,
		Caption: strings.ToUpper(kind[:1]) + kind[1:] + " risk",
		Width:   marginLeft + nc*cellSize + marginR,
		Height:  marginTop + nl*cellSize + marginBot,
		GridX:   marginLeft,
		GridY:   marginTop,
		GridW:   nc * cellSize,
		GridH:   nl * cellSize,
	}
	h.Description = fmt.Sprintf("%s risk heat map: likelihood (rows, %d values) by consequence (columns, %d values), %d risks", kind, nl, nc, len(results))
	for l := nl; l >= 1; l-- {
		y := marginTop + (nl-l)*cellSize
		h.YLabels = append(h.YLabels, axisLabel{Text: c.Likelihood[l-1].Name, X: marginLeft - 8, Y: y + cellSize/2 + 4})
		for k := 1; k <= nc; k++ {
			x := marginLeft + (k-1)*cellSize
			lev, _ := c.LevelAt(l, k)
			fill, text := colour(lev, len(c.Levels))
			name := ""
			if lev >= 1 {
				name = c.Levels[lev-1].Name
			}
			in := ids[key{l, k}]
			tip := fmt.Sprintf("%s: likelihood %s, consequence %s, level %s: %d %s",
				kind, c.Likelihood[l-1].Name, c.Consequence[k-1].Name, name, len(in), plural(len(in), "risk", "risks"))
			if len(in) > 0 {
				tip += " (" + strings.Join(in, ", ") + ")"
			}
			h.Cells = append(h.Cells, cell{
				Likelihood: l, Consequence: k, Level: name, Fill: fill, Ink: text, Count: len(in),
				X: x, Y: y, Size: cellSize, TextX: x + cellSize/2, TextY: y + cellSize/2 + 6, Tooltip: tip,
			})
		}
	}
	for k := 1; k <= nc; k++ {
		h.XLabels = append(h.XLabels, axisLabel{Text: c.Consequence[k-1].Name, X: marginLeft + (k-1)*cellSize + cellSize/2 + 4, Y: marginTop + nl*cellSize + 14})
	}
	h.YTitleX, h.YTitleY = 14, marginTop+nl*cellSize/2
	h.XTitleX, h.XTitleY = marginLeft+nc*cellSize/2, h.Height-8
	return h
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func buildSoA(f *aims.Snapshot, s *controls.StatementOfApplicability) *soaView {
	cat, err := s.Catalog()
	if err != nil {
		cat = controls.ISO42001()
	}
	sv := &soaView{Version: s.Version, Approval: s.Approval.String()}
	order := make(map[controls.ID]int)
	for i, c := range cat.Controls() {
		order[c.ID] = i
	}
	entries := slices.Clone(s.Entries)
	rank := func(en controls.Entry) int {
		if i, ok := order[en.Control]; ok {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(entries, func(a, b controls.Entry) int { return rank(a) - rank(b) })
	for _, en := range entries {
		row := soaRow{Control: controlLabel(en.Control), Owner: en.Owner, Status: statusText(en.Status)}
		if c, ok := cat.Lookup(en.Control); ok {
			row.Title = c.Title
		}
		switch en.Applicability {
		case controls.Applicable:
			row.Applicable, row.Class = "yes", "yes"
			sv.Applicable++
		case controls.Excluded:
			row.Applicable, row.Class = "no", "no"
			sv.Excluded++
		case controls.ApplicabilityUnspecified:
			row.Applicable, row.Class = "undecided", "undecided"
		default:
			row.Applicable, row.Class = string(en.Applicability), "undecided"
		}
		if len(en.Systems) > 0 {
			names := make([]string, len(en.Systems))
			for i, id := range en.Systems {
				names[i] = id.String()
				if sys := f.System(id); sys != nil {
					names[i] = sys.Name
				}
			}
			row.Applicable += " (for " + strings.Join(names, ", ") + ")"
		}
		for _, ev := range en.Evidence {
			row.Evidence = append(row.Evidence, evidenceLine(ev))
		}
		sv.Rows = append(sv.Rows, row)
	}
	return sv
}

func buildReadiness(r *aims.Readiness) readinessView {
	v := readinessView{Score: r.Score, Met: r.Met, Total: r.Total}
	for _, it := range r.Items {
		v.Items = append(v.Items, readinessRow{ID: controlLabel(controls.ID(it.ID)), Title: it.Title, Met: it.Met, Gaps: it.Gaps})
		v.Gaps += len(it.Gaps)
	}
	return v
}

// controlLabel writes ISO/IEC 42001 ids as the standard numbers them
// ("A.7.4", "9.2") and other ids with their namespace.
func controlLabel(id controls.ID) string {
	if ns, ref := id.Split(); ns == controls.NamespaceISO42001 {
		return ref
	}
	return string(id)
}

func statusText(st controls.Status) string {
	switch st {
	case controls.StatusNotImplemented:
		return "not implemented"
	case controls.StatusUnspecified:
		return ""
	}
	return string(st)
}

func joinRoles(rs []inventory.OperatorRole) string {
	if len(rs) == 0 {
		return "none"
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
