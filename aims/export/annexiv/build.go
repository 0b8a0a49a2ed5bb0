package annexiv

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/controls"
	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/governance"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// KindLog is the [File.Kind] of the evidence log.
const KindLog = "EvidenceLog"

// ErrNoFolder is returned by [Build] when the folder is nil.
var ErrNoFolder = errors.New("annexiv: no folder")

// ErrNotHighRisk is matched by every [*NotHighRiskError].
var ErrNotHighRisk = errors.New("annexiv: not a high-risk AI system")

// NotHighRiskError is the error [Build] returns for a system that is not
// high-risk when [Options.Force] is not set: Annex IV documentation is
// owed for high-risk systems (EU AI Act Art. 11(1)).
type NotHighRiskError struct {
	// System and Name identify the AI system.
	System uuid.UUID
	Name   string
	// Classification is the classification that holds for the system.
	Classification inventory.Classification
	// Reason says why the system has its classification, naming the
	// article, e.g. "no rule of Art. 5, 6 or 51 applies: minimal risk".
	Reason string
}

// Error names the system, its classification and why.
func (e *NotHighRiskError) Error() string {
	return fmt.Sprintf("annexiv: %s is not a high-risk AI system: it is classified %s (%s); Annex IV technical documentation is owed for high-risk systems (EU AI Act Art. 11(1), Art. 6)",
		e.Name, e.Classification, e.Reason)
}

// Unwrap returns [ErrNotHighRisk].
func (e *NotHighRiskError) Unwrap() error { return ErrNotHighRisk }

// Options configures [Build]. A nil *Options is the same as the zero
// value: the current time, no evidence log, and only high-risk systems.
type Options struct {
	// Time returns the time of the document ([Document.Generated]), also
	// the day on which risks are evaluated (see [risk.Evaluate]). Nil
	// means [time.Now].
	Time func() time.Time
	// Force builds the document for a system that is not high-risk too.
	Force bool
	// Records are the records of an evidence log, in log order, such as
	// [evidence.Records] reads; Build uses those of the system: gate
	// decisions, stage changes, suspensions, resumptions and incidents.
	// Verify the log before ([evidence.VerifyFile]): Build cites the
	// records as they are.
	Records []*evidence.Record
	// Log is the name of the evidence log the Records come from, as
	// citations name it. Empty means "evidence log".
	Log string
}

// Build returns the Annex IV technical documentation of the AI system
// with the given id in f. See the package documentation for what it fills
// from where.
//
// Build does not validate f: load it with [aims.Load] first. It returns
// an error matching [aims.ErrUnknownSystem] when the system is not in f,
// [ErrNoFolder] for a nil f, a [*NotHighRiskError] for a system that is
// not high-risk unless Options.Force is set, and wraps the error of
// [risk.Evaluate] when the risk assessment cannot be evaluated.
func Build(f *aims.Snapshot, system uuid.UUID, opts *Options) (*Document, error) {
	if f == nil {
		return nil, ErrNoFolder
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Time == nil {
		o.Time = time.Now
	}
	if o.Log == "" {
		o.Log = "evidence log"
	}
	sys := f.System(system)
	if sys == nil {
		return nil, fmt.Errorf("annexiv: %w %s", aims.ErrUnknownSystem, system)
	}
	d := sys.Explain()
	if d.Classification.Category != inventory.CategoryHighRisk && !o.Force {
		return nil, &NotHighRiskError{System: sys.ID, Name: sys.Name, Classification: d.Classification, Reason: d.Reason}
	}
	b := &builder{f: f, sys: sys, o: o, now: o.Time().UTC().Truncate(time.Second), explain: d, seen: make(map[string]bool)}
	for _, r := range o.Records {
		if r != nil && r.System == sys.ID {
			b.records = append(b.records, r)
		}
	}
	doc := &Document{
		Title:          "Technical documentation: " + sys.Name,
		System:         sys.ID,
		SystemName:     sys.Name,
		Version:        sys.Version,
		Classification: d.Classification.String(),
		Generated:      b.now,
	}
	rm, err := b.riskManagement()
	if err != nil {
		return nil, err
	}
	doc.Sections = []Section{
		{Number: 1, Title: "General description of the AI system", Items: b.general()},
		{Number: 2, Title: "Elements of the AI system and its development process", Items: b.development()},
		{Number: 3, Title: "Monitoring, functioning and control", Items: b.functioning()},
		{Number: 4, Title: "Appropriateness of the performance metrics", Items: []Item{b.item("4", "Why the performance metrics suit this system", nil,
			"why the metrics used to measure accuracy, robustness and discriminatory impact (see 2(g)) are appropriate for this system and its intended purpose")}},
		{Number: 5, Title: "Risk management system", Items: []Item{rm}},
		{Number: 6, Title: "Changes through the life cycle", Items: []Item{b.changes()}},
		{Number: 7, Title: "Standards and specifications applied", Items: []Item{b.standards()}},
		{Number: 8, Title: "EU declaration of conformity", Items: []Item{b.item("8", "Copy of the EU declaration of conformity", nil,
			"a copy of the EU declaration of conformity drawn up under Art. 47")}},
		{Number: 9, Title: "Post-market monitoring", Items: []Item{b.postMarket()}},
	}
	// The documents by name, then the log.
	slices.SortStableFunc(b.files, func(x, y File) int {
		if (x.Kind == KindLog) != (y.Kind == KindLog) {
			if x.Kind == KindLog {
				return 1
			}
			return -1
		}
		return strings.Compare(x.Name, y.Name)
	})
	doc.Files = b.files
	return doc, nil
}

// builder holds the state of one [Build].
type builder struct {
	f       *aims.Snapshot
	sys     *inventory.System
	o       Options
	now     time.Time
	explain inventory.Derivation
	records []*evidence.Record

	files []File
	seen  map[string]bool
}

// cite returns a citation of the field of doc at the pointer made of
// tokens, and lists doc's file among the files cited.
func (b *builder) cite(doc any, kind string, tokens ...any) Source {
	file := b.f.File(doc)
	if !b.seen[file] {
		b.seen[file] = true
		b.files = append(b.files, File{Name: file, Kind: kind, Digest: b.f.Digest(doc)})
	}
	return Source{File: file, Pointer: document.Pointer(tokens...)}
}

// sys returns a citation of a field of the system's inventory entry.
func (b *builder) inv(tokens ...any) Source { return b.cite(b.sys, inventory.KindSystem, tokens...) }

// record returns a citation of an evidence record.
func (b *builder) record(r *evidence.Record) Source {
	if !b.seen["\x00log"] {
		b.seen["\x00log"] = true
		b.files = append(b.files, File{Name: b.o.Log, Kind: KindLog})
	}
	return Source{File: b.o.Log, Record: r.ID.String()}
}

// item returns a point: filled when it has statements and nothing is
// needed, partial when both, a placeholder when it has no statement.
func (b *builder) item(id, title string, sts []Statement, needed string) Item {
	it := Item{ID: id, Title: title, Statements: sts, Needed: needed}
	switch {
	case len(sts) == 0:
		it.Status = StatusPlaceholder
		if it.Needed == "" {
			it.Needed = "the content of this point"
		}
	case needed != "":
		it.Status = StatusPartial
	default:
		it.Status = StatusFilled
	}
	return it
}

// st returns a statement of text, as one sentence or paragraph ending in
// a full stop, citing src.
func st(text string, src ...Source) Statement {
	text = oneLine(text)
	for strings.HasSuffix(text, "..") {
		text = text[:len(text)-1]
	}
	if !strings.HasSuffix(text, ".") && !strings.HasSuffix(text, "?") && !strings.HasSuffix(text, "!") {
		text += "."
	}
	return Statement{Text: text, Sources: src}
}

func (b *builder) general() []Item {
	s := b.sys
	var a []Statement
	a = append(a, st("Intended purpose: "+s.Purpose.Intended, b.inv("purpose", "intended")))
	if s.Description != "" {
		a = append(a, st("Description: "+s.Description, b.inv("description")))
	}
	if ms := b.f.ManagementSystem; ms != nil && ms.Organization != "" {
		roles := make([]string, len(s.Accountability.OperatorRoles))
		for i, r := range s.Accountability.OperatorRoles {
			roles[i] = string(r)
		}
		text := "Organisation: " + ms.Organization
		srcs := []Source{b.cite(ms, governance.KindManagementSystem, "organization")}
		if len(roles) > 0 {
			text += ", acting for this system as " + strings.Join(roles, " and ")
			srcs = append(srcs, b.inv("accountability", "operatorRoles"))
		}
		a = append(a, st(text+".", srcs...))
	}
	if s.Version != "" {
		a = append(a, st("Version of the system: "+s.Version+".", b.inv("version")))
	}
	acc := s.Accountability
	a = append(a, st("Business owner: "+person(acc.BusinessOwner)+"; technical lead: "+person(acc.TechnicalLead)+".", b.inv("accountability")))
	classSrc := b.inv("classification")
	if s.Facts != nil {
		classSrc = b.inv("facts")
	}
	a = append(a, st("EU AI Act classification: "+b.explain.Classification.String()+" ("+string(b.explain.Basis)+"): "+b.explain.Reason+".", classSrc))
	p := s.Purpose
	if len(p.Users) > 0 {
		a = append(a, st("Intended users: "+strings.Join(p.Users, ", ")+".", b.inv("purpose", "users")))
	}
	if len(p.AffectedPersons) > 0 {
		a = append(a, st("Persons affected: "+strings.Join(p.AffectedPersons, ", ")+".", b.inv("purpose", "affectedPersons")))
	}
	if c := p.Context; len(c.Countries) > 0 || c.Setting != "" {
		var parts []string
		if len(c.Countries) > 0 {
			parts = append(parts, "countries "+strings.Join(c.Countries, ", "))
		}
		if len(c.Languages) > 0 {
			parts = append(parts, "languages "+strings.Join(c.Languages, ", "))
		}
		if c.Setting != "" {
			parts = append(parts, "setting: "+c.Setting)
		}
		a = append(a, st("Context of use: "+strings.Join(parts, "; ")+".", b.inv("purpose", "context")))
	}

	var inter []Statement
	for i, pt := range s.Parties {
		text := pt.Name + " (" + string(pt.Relation) + ")"
		if len(pt.Responsibilities) > 0 {
			text += ": " + strings.Join(pt.Responsibilities, "; ")
		}
		if pt.Agreement != "" {
			text += " (agreement " + pt.Agreement + ")"
		}
		inter = append(inter, st(text+".", b.inv("parties", i)))
	}
	for i, m := range s.Resources.Models {
		if m.Origin == inventory.OriginThirdParty || m.Provider != "" {
			inter = append(inter, st("Uses the model "+m.Name+" "+m.Version+" of "+orText(m.Provider, "a third party")+".", b.inv("resources", "models", i)))
		}
	}

	var versions []Statement
	for i, m := range s.Resources.Models {
		text := "Model " + m.Name + " version " + m.Version
		var attrs []string
		for _, v := range []string{m.Kind, string(m.Origin), licence(m.License), m.Digest} {
			if v != "" {
				attrs = append(attrs, v)
			}
		}
		if len(attrs) > 0 {
			text += " (" + strings.Join(attrs, ", ") + ")"
		}
		versions = append(versions, st(text+".", b.inv("resources", "models", i)))
	}
	for i, t := range s.Resources.Tooling {
		versions = append(versions, st("Tool "+t.Name+" "+t.Version+purposeText(t.Purpose)+".", b.inv("resources", "tooling", i)))
	}

	var hw []Statement
	for i, c := range s.Resources.Compute {
		hw = append(hw, st("Compute: "+compute(c)+".", b.inv("resources", "compute", i)))
	}

	var ifu []Statement
	if ia := b.f.ImpactAssessment(s.ID); ia != nil && ia.FRIA != nil && ia.FRIA.ProviderInformation != "" {
		ifu = append(ifu, st("The impact assessment names the instructions for use: "+ia.FRIA.ProviderInformation, b.cite(ia, impact.KindAssessment, "fria", "providerInformation")))
	}

	return []Item{
		b.item("1(a)", "Intended purpose, provider and version", a,
			"how this version relates to previous versions of the system"),
		b.item("1(b)", "Interaction with hardware, software and other AI systems", inter,
			"how the system interacts with hardware, software and other AI systems that are not part of it, and the interfaces used"),
		b.item("1(c)", "Versions of software and firmware, and update requirements", versions,
			"the requirements for version updates"),
		b.item("1(d)", "Forms in which the system is placed on the market or put into service", nil,
			"every form in which the system is made available: software embedded in hardware, download, API or other"),
		b.item("1(e)", "Hardware the system is intended to run on", hw,
			"the hardware the system is intended to run on, as a deployer needs to know it"),
		b.item("1(f)", "Products the system is a component of", nil,
			"where the system is a component of a product: photographs or illustrations of its external features, marking and internal layout; otherwise a statement that it is not"),
		b.item("1(g)", "User interface for the deployer", nil,
			"a basic description of the user interface provided to the deployer"),
		b.item("1(h)", "Instructions for use", ifu,
			"the instructions for use for the deployer (Art. 13), attached or referenced"),
	}
}

func (b *builder) development() []Item {
	s := b.sys
	ia := b.f.ImpactAssessment(s.ID)

	var dev []Statement
	for i, m := range s.Resources.Models {
		text := "Model " + m.Name + " " + m.Version
		if m.Origin != "" {
			text += ", origin " + string(m.Origin)
		}
		if m.Provider != "" {
			text += ", provided by " + m.Provider
		}
		dev = append(dev, st(text+".", b.inv("resources", "models", i)))
	}
	for i, t := range s.Resources.Tooling {
		dev = append(dev, st("Tool used: "+t.Name+" "+t.Version+purposeText(t.Purpose)+".", b.inv("resources", "tooling", i)))
	}
	for i, p := range s.Resources.People {
		text := "People: " + p.Role
		if p.Count > 0 {
			text += " (" + strconv.Itoa(p.Count) + ")"
		}
		if p.Competence != "" {
			text += ", competence: " + p.Competence
		}
		dev = append(dev, st(text+".", b.inv("resources", "people", i)))
	}

	var design []Statement
	if ia != nil {
		src := func(tokens ...any) Source { return b.cite(ia, impact.KindAssessment, tokens...) }
		if ia.SystemInfo.Description != "" {
			design = append(design, st(ia.SystemInfo.Description, src("systemInfo", "description")))
		}
		if len(ia.SystemInfo.Functions) > 0 {
			design = append(design, st("Functions: "+strings.Join(ia.SystemInfo.Functions, "; ")+".", src("systemInfo", "functions")))
		}
		for i, m := range ia.Models {
			if m.Algorithm != "" {
				design = append(design, st("Model "+m.Name+" "+m.Version+": "+m.Algorithm+".", src("models", i, "algorithm")))
			}
		}
	}
	if s.Purpose.Autonomy != "" {
		design = append(design, st("Degree of autonomy: "+string(s.Purpose.Autonomy)+".", b.inv("purpose", "autonomy")))
	}

	var arch []Statement
	for i, c := range s.Resources.Compute {
		arch = append(arch, st("Compute: "+compute(c)+".", b.inv("resources", "compute", i)))
	}

	var data []Statement
	for i, ds := range s.Resources.Datasets {
		text := "Data set " + ds.Name + " (" + string(ds.Purpose) + ")"
		var parts []string
		if ds.Source != "" {
			parts = append(parts, "source: "+ds.Source)
		}
		if ds.Provenance != "" {
			parts = append(parts, "provenance: "+ds.Provenance)
		}
		if ds.PersonalData {
			pd := "personal data"
			if len(ds.PersonalDataCategories) > 0 {
				pd += " (" + strings.Join(ds.PersonalDataCategories, ", ") + ")"
			}
			parts = append(parts, pd)
		}
		if len(ds.KnownBiases) > 0 {
			parts = append(parts, "known biases: "+strings.Join(ds.KnownBiases, "; "))
		}
		if ds.Digest != "" {
			parts = append(parts, ds.Digest)
		}
		if len(parts) > 0 {
			text += ": " + strings.Join(parts, "; ")
		}
		data = append(data, st(text+".", b.inv("resources", "datasets", i)))
	}
	if ia != nil {
		for i, ds := range ia.Data.Datasets {
			var parts []string
			if ds.Description != "" {
				parts = append(parts, ds.Description)
			}
			if ds.Quality != "" {
				parts = append(parts, "Quality: "+ds.Quality)
			}
			if len(ds.KnownBiases) > 0 {
				parts = append(parts, "Known biases: "+strings.Join(ds.KnownBiases, "; ")+".")
			}
			if len(parts) > 0 {
				data = append(data, st("Data set "+ds.Name+" as assessed: "+strings.Join(parts, " "), b.cite(ia, impact.KindAssessment, "data", "datasets", i)))
			}
		}
		if ia.Data.Quality != "" {
			data = append(data, st("Data quality overall: "+ia.Data.Quality, b.cite(ia, impact.KindAssessment, "data", "quality")))
		}
	}

	return []Item{
		b.item("2(a)", "Development methods and steps, third-party systems and tools", dev,
			"the methods and steps of development, including how pre-trained systems or third-party tools were used, integrated or modified"),
		b.item("2(b)", "Design specifications and key design choices", design,
			"the general logic and algorithms; the key design choices with their rationale and assumptions, including about the persons the system is used on; what the system optimises for and the relevance of its parameters; the expected output and its quality; the trade-offs made to meet the requirements of Chapter III Section 2"),
		b.item("2(c)", "System architecture and computational resources", arch,
			"how the software components build on or feed into each other, and the computational resources used to develop, train, test and validate the system"),
		b.item("2(d)", "Data requirements and data governance", data,
			"how the data were obtained and selected, and the labelling and data cleaning methods (datasheets)"),
		b.item("2(e)", "Human oversight measures", b.oversight(),
			"the technical measures that help deployers interpret the outputs (Art. 13(3)(d))"),
		b.item("2(f)", "Pre-determined changes", nil,
			"the changes to the system and its performance determined in advance, and the technical solutions that keep it compliant through them; or a statement that there are none"),
		b.item("2(g)", "Validation and testing", b.validation(),
			"the validation and testing procedures, and the test logs and test reports, dated and signed by the persons responsible"),
		b.item("2(h)", "Cybersecurity measures", b.security(),
			"the cybersecurity measures in place (Art. 15(5))"),
	}
}

// oversight returns the human oversight statements: the inventory's
// oversight and the FRIA's oversight measures.
func (b *builder) oversight() []Statement {
	s := b.sys
	var out []Statement
	o := s.Purpose.Oversight
	if !o.IsZero() {
		text := "Oversight: " + o.Mechanism
		if len(o.Roles) > 0 {
			text = strings.TrimSuffix(text, ".") + ". Overseers: " + strings.Join(o.Roles, ", ") + "."
		}
		var can []string
		if o.CanOverride {
			can = append(can, "override outputs")
		}
		if o.CanStop {
			can = append(can, "stop the system")
		}
		if len(can) > 0 {
			text = strings.TrimSuffix(text, ".") + ". They can " + strings.Join(can, " and ") + "."
		}
		out = append(out, st(text, b.inv("purpose", "oversight")))
	}
	if ia := b.f.ImpactAssessment(s.ID); ia != nil && ia.FRIA != nil {
		for i, m := range ia.FRIA.Oversight {
			out = append(out, st("Oversight measure: "+m+".", b.cite(ia, impact.KindAssessment, "fria", "oversight", i)))
		}
	}
	return out
}

// validation returns the validation and testing statements: test and
// validation data, the model metrics of the impact assessment, the fact
// checks of the gate policy and the gate decisions of the log.
func (b *builder) validation() []Statement {
	s := b.sys
	var out []Statement
	for i, ds := range s.Resources.Datasets {
		if ds.Purpose == inventory.DatasetTest || ds.Purpose == inventory.DatasetValidation {
			out = append(out, st(string(ds.Purpose)+" data set: "+ds.Name+".", b.inv("resources", "datasets", i)))
		}
	}
	if ia := b.f.ImpactAssessment(s.ID); ia != nil {
		for i, m := range ia.Models {
			if m.Description != "" {
				out = append(out, st("Model "+m.Name+" "+m.Version+" as assessed: "+m.Description, b.cite(ia, impact.KindAssessment, "models", i, "description")))
			}
		}
	}
	if p := b.f.Policy; p != nil {
		for i, g := range p.Gates {
			for j, c := range g.Checks {
				if c.Params.Fact == "" {
					continue
				}
				var bounds []string
				if c.Params.Min != nil {
					bounds = append(bounds, "at least "+num(*c.Params.Min))
				}
				if c.Params.Max != nil {
					bounds = append(bounds, "at most "+num(*c.Params.Max))
				}
				text := "Acceptance criterion of the gate to " + string(g.To) + ": " + c.Params.Fact
				if len(bounds) > 0 {
					text += " " + strings.Join(bounds, " and ")
				}
				out = append(out, st(text+".", b.cite(p, aims.KindGatePolicy, "gates", i, "checks", j)))
			}
		}
	}
	for _, r := range b.records {
		if r.Type != evidence.TypeGateDecision {
			continue
		}
		out = append(out, st(gateText(r), b.record(r)))
	}
	return out
}

// gateText describes a gate decision record: transition, outcome, and the
// result of each check, with the facts when the record holds them.
func gateText(r *evidence.Record) string {
	// The data is the gate-decision predicate; records written before it
	// was hold the decision itself (from, to, verdict, checks named
	// "check", facts).
	var d struct {
		Transition struct {
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"transition"`
		From   string `json:"from"`
		To     string `json:"to"`
		Checks []struct {
			ID      string `json:"id"`
			Check   string `json:"check"`
			Outcome string `json:"outcome"`
			Message string `json:"message"`
		} `json:"checks"`
		Facts []aims.Fact `json:"facts"`
	}
	_ = json.Unmarshal(r.Data, &d) // a record whose data does not decode is described by its envelope
	from, to := orText(d.Transition.From, d.From), orText(d.Transition.To, d.To)
	text := "Gate decision of " + r.Time.UTC().Format(time.RFC3339) + ", " + orText(from, "?") + " to " + orText(to, "?") + ": " + orText(r.Outcome, "no outcome") + "."
	var checks []string
	for _, c := range d.Checks {
		checks = append(checks, orText(c.ID, c.Check)+" "+c.Outcome+" ("+c.Message+")")
	}
	if len(checks) > 0 {
		text += " Checks: " + strings.Join(checks, "; ") + "."
	}
	if len(d.Facts) > 0 {
		facts := make([]string, len(d.Facts))
		for i, f := range d.Facts {
			facts[i] = f.Name + " = " + num(f.Value)
		}
		text += " Facts: " + strings.Join(facts, ", ") + "."
	}
	return text
}

// security returns the statements on cybersecurity: the risks that
// threaten security with their treatment, and the measures for impacts on
// security and privacy.
func (b *builder) security() []Statement {
	var out []Statement
	if ra := b.f.RiskAssessment(b.sys.ID); ra != nil {
		for i, r := range ra.Risks {
			if !slices.Contains(r.Objectives, risk.ObjectiveSecurity) {
				continue
			}
			text := "Risk " + r.ID + ", " + r.Title
			if r.Treatment.Rationale != "" {
				text += ": treated by: " + r.Treatment.Rationale
			}
			out = append(out, st(text, b.cite(ra, risk.KindAssessment, "risks", i)))
		}
	}
	if ia := b.f.ImpactAssessment(b.sys.ID); ia != nil {
		for i, im := range ia.Impacts {
			if im.Area != impact.AreaPrivacy || len(im.Measures) == 0 {
				continue
			}
			out = append(out, st("Impact "+im.ID+" ("+im.Description+"): measures: "+strings.Join(im.Measures, "; ")+".", b.cite(ia, impact.KindAssessment, "impacts", i, "measures")))
		}
	}
	return out
}

func (b *builder) functioning() []Item {
	s := b.sys
	ia := b.f.ImpactAssessment(s.ID)
	var capab []Statement
	if ia != nil {
		for i, m := range ia.Models {
			for j, l := range m.Limitations {
				capab = append(capab, st("Limitation of "+m.Name+" "+m.Version+": "+l+".", b.cite(ia, impact.KindAssessment, "models", i, "limitations", j)))
			}
		}
	}
	var outcomes []Statement
	for i, m := range s.Purpose.ForeseeableMisuse {
		outcomes = append(outcomes, st("Foreseeable misuse: "+m+".", b.inv("purpose", "foreseeableMisuse", i)))
	}
	if ia != nil {
		for i, u := range ia.SystemInfo.UnintendedUses {
			outcomes = append(outcomes, st("Unintended use: "+u+".", b.cite(ia, impact.KindAssessment, "systemInfo", "unintendedUses", i)))
		}
		for i, im := range ia.Impacts {
			if im.Effect != impact.EffectHarm {
				continue
			}
			text := "Possible harm " + im.ID + " (" + string(im.Area) + "): " + im.Description
			if len(im.Affected) > 0 {
				text = strings.TrimSuffix(text, ".") + ". Affected: " + strings.Join(im.Affected, ", ") + "."
			}
			outcomes = append(outcomes, st(text, b.cite(ia, impact.KindAssessment, "impacts", i)))
		}
	}
	return []Item{
		b.item("3(a)", "Capabilities and limitations in performance", capab,
			"the degrees of accuracy for the persons or groups the system is used on, and the overall expected accuracy for the intended purpose"),
		b.item("3(b)", "Foreseeable unintended outcomes and sources of risk", outcomes, ""),
		b.item("3(c)", "Human oversight measures", b.oversight(),
			"the technical measures that help deployers interpret the outputs"),
		b.item("3(d)", "Specifications of input data", nil,
			"the specifications of the input data the system expects"),
	}
}

// riskManagement returns section 5 from the risk assessment.
func (b *builder) riskManagement() (Item, error) {
	const id, title = "5", "Risk management system (Art. 9)"
	const needed = "a description of the risk management system under Art. 9: its process, roles and how it runs through the life cycle"
	ra := b.f.RiskAssessment(b.sys.ID)
	if ra == nil {
		return b.item(id, title, nil, needed+"; the folder holds no risk assessment of the system"), nil
	}
	src := func(tokens ...any) Source { return b.cite(ra, risk.KindAssessment, tokens...) }
	var out []Statement
	text := "Risk assessment " + orText(ra.Title, ra.ID.String()) + " by " + ra.Assessor + " of " + ra.Date.String()
	if ra.Approval != nil && !ra.Approval.IsZero() {
		text += ", approved by " + ra.Approval.Approver + " on " + ra.Approval.Date.String()
	}
	out = append(out, st(text+".", src()))
	if ra.Scope != "" {
		out = append(out, st("Scope: "+ra.Scope, src("scope")))
	}
	if ra.Method != "" {
		out = append(out, st("Method: "+ra.Method, src("method")))
	}
	c, ok := b.f.Criteria(ra)
	var sum risk.Summary
	if ok {
		var err error
		if sum, err = risk.Evaluate(ra, c, b.now); err != nil {
			return Item{}, fmt.Errorf("annexiv: risk assessment %s: %w", ra.ID, err)
		}
		out = append(out, st("Risk criteria "+c.String()+"; residual risks above the appetite "+c.Appetite+" need a formal acceptance.", src("criteria")))
	}
	for i, r := range ra.Risks {
		text := r.ID + " " + r.Title
		if ok {
			res := sum.Results[i]
			text += ": inherent " + res.Inherent.Name + ", residual " + res.Residual.Name
			switch {
			case !res.AboveAppetite:
				text += " (within appetite)"
			case res.Accepted:
				text += " (above appetite, accepted)"
			default:
				text += " (above appetite, not accepted)"
			}
		}
		var ctl []string
		for _, x := range r.Treatment.Controls {
			ctl = append(ctl, strings.TrimPrefix(x, "iso42001:"))
		}
		if len(r.Treatment.Options) > 0 {
			opts := make([]string, len(r.Treatment.Options))
			for j, o := range r.Treatment.Options {
				opts[j] = string(o)
			}
			text += "; treatment: " + strings.Join(opts, ", ")
		}
		if len(ctl) > 0 {
			text += "; controls: " + strings.Join(ctl, ", ")
		}
		out = append(out, st(text+".", src("risks", i)))
	}
	return b.item(id, title, out, "how the risk management system runs as a continuous process through the life cycle (Art. 9(2)), beyond this assessment"), nil
}

// changes returns section 6 from the life-cycle history and the stage
// changes of the log.
func (b *builder) changes() Item {
	var out []Statement
	for i, h := range b.sys.Lifecycle.History {
		text := h.Date.String() + ": " + string(h.From) + " to " + string(h.To)
		if h.By != "" {
			text += ", by " + h.By
		}
		if h.Decision != "" {
			text += ", gate decision " + h.Decision
		}
		if len(h.Models) > 0 {
			text += ", models " + strings.Join(h.Models, ", ")
		}
		out = append(out, st(text+".", b.inv("lifecycle", "history", i)))
	}
	for _, r := range b.records {
		if r.Type != evidence.TypeStageChange {
			continue
		}
		var d inventory.StageChange
		_ = json.Unmarshal(r.Data, &d)
		text := "Recorded stage change of " + r.Time.UTC().Format(time.RFC3339) + ": " + orText(string(d.From), "?") + " to " + orText(string(d.To), r.Outcome)
		if d.By != "" {
			text += ", by " + d.By
		}
		out = append(out, st(text+".", b.record(r)))
	}
	out = append(out, st("Current stage: "+string(b.sys.Lifecycle.Stage)+", status "+string(b.sys.Lifecycle.EffectiveStatus())+".", b.inv("lifecycle")))
	return b.item("6", "Relevant changes made through the life cycle", out,
		"the changes to the system itself (models, data, code) made through its life cycle, beyond the stage changes")
}

// standards returns section 7 from the Statement of Applicability.
func (b *builder) standards() Item {
	const needed = "the harmonised standards published in the Official Journal that were applied, in full or in part; where none were, the solutions adopted to meet the requirements of Chapter III Section 2 and the other standards and specifications applied"
	soa := b.f.SoA
	if soa == nil {
		return b.item("7", "Harmonised standards and other specifications applied", nil, needed)
	}
	src := func(tokens ...any) Source { return b.cite(soa, controls.KindStatementOfApplicability, tokens...) }
	var out []Statement
	text := "ISO/IEC 42001:2023 (AI management system), Statement of Applicability version " + soa.Version
	if !soa.Approval.IsZero() {
		text += ", approved by " + soa.Approval.Approver + " on " + soa.Approval.Date.String()
	}
	out = append(out, st(text+".", src("version")))
	var implemented, open []string
	for i, e := range soa.Entries {
		if len(e.Systems) > 0 && !slices.Contains(e.Systems, b.sys.ID) {
			continue
		}
		switch {
		case e.Applicability == controls.Excluded:
			out = append(out, st(e.Control.Ref()+" excluded: "+e.Justification.String(), src("entries", i)))
		case e.Applicability == controls.Applicable && e.Status == controls.StatusImplemented:
			implemented = append(implemented, e.Control.Ref())
		case e.Applicability == controls.Applicable:
			open = append(open, e.Control.Ref()+" ("+orText(string(e.Status), "no status")+")")
		}
	}
	if len(implemented) > 0 {
		out = append(out, st("Controls applicable and implemented: "+strings.Join(implemented, ", ")+".", src("entries")))
	}
	if len(open) > 0 {
		out = append(out, st("Controls applicable and not yet implemented: "+strings.Join(open, ", ")+".", src("entries")))
	}
	return b.item("7", "Harmonised standards and other specifications applied", out, needed)
}

// postMarket returns section 9 from the monitoring thresholds, record
// keeping, the review of the impact assessment, incidents and the log.
func (b *builder) postMarket() Item {
	s := b.sys
	var out []Statement
	for i, t := range s.Monitoring.Thresholds {
		w := max(t.Window, 1)
		out = append(out, st("Monitor "+t.Metric+": the system is suspended when the average of the latest "+strconv.Itoa(w)+" reports exceeds "+num(t.Max)+".", b.inv("monitoring", "thresholds", i)))
	}
	if rk := s.RecordKeeping; rk != nil && rk.LogRetentionMonths > 0 {
		out = append(out, st("Logs are kept "+strconv.Itoa(rk.LogRetentionMonths)+" months.", b.inv("recordKeeping", "logRetentionMonths")))
	}
	if ia := b.f.ImpactAssessment(s.ID); ia != nil && (len(ia.Review.Triggers) > 0 || !ia.Review.Next.IsZero()) {
		tr := make([]string, len(ia.Review.Triggers))
		for i, t := range ia.Review.Triggers {
			tr[i] = string(t)
		}
		text := "The impact assessment is reviewed"
		if len(tr) > 0 {
			text += " on " + strings.Join(tr, ", ")
		}
		if ia.Review.IntervalMonths > 0 {
			text += ", at least every " + strconv.Itoa(ia.Review.IntervalMonths) + " months"
		}
		if !ia.Review.Next.IsZero() {
			text += "; next review " + ia.Review.Next.String()
		}
		out = append(out, st(text+".", b.cite(ia, impact.KindAssessment, "review")))
	}
	for _, in := range b.f.Incidents {
		if in.System != s.ID {
			continue
		}
		out = append(out, st("Incident "+in.ID+" ("+string(in.Type)+", "+string(in.Status)+"): "+in.Title+".", b.cite(in, governance.KindIncident)))
	}
	for _, r := range b.records {
		switch r.Type {
		case evidence.TypeSuspension, evidence.TypeResumption, evidence.TypeIncident:
		default:
			continue
		}
		text := "Recorded " + string(r.Type) + " of " + r.Time.UTC().Format(time.RFC3339)
		if r.Outcome != "" {
			text += ": " + r.Outcome
		}
		if len(r.Reasons) > 0 {
			text += " (" + strings.Join(r.Reasons, "; ") + ")"
		}
		out = append(out, st(text+".", b.record(r)))
	}
	return b.item("9", "Post-market monitoring system and plan (Art. 72)", out,
		"the system that evaluates performance after placing on the market, and the post-market monitoring plan (Art. 72(3))")
}

func person(p inventory.Person) string {
	if p.Team != "" {
		return p.Name + " (" + p.Team + ")"
	}
	return orText(p.Name, "not named")
}

func compute(c inventory.Compute) string {
	var parts []string
	for _, v := range []string{c.Provider, c.Location, c.Description} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return c.Name
	}
	return c.Name + " (" + strings.Join(parts, ", ") + ")"
}

func licence(l string) string {
	if l == "" {
		return ""
	}
	return "licence " + l
}

func purposeText(p string) string {
	if p == "" {
		return ""
	}
	return ", for " + p
}

func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// oneLine folds white space, so that a statement is one paragraph.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
