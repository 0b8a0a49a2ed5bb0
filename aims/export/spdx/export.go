package spdx

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/inventory"
)

// SpecVersion is the SPDX specification version [Export] writes.
const SpecVersion = "3.0.1"

// Context is the JSON-LD @context of the document [Export] writes.
const Context = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"

// MediaType is the IANA media type of an SPDX 3 JSON-LD document.
const MediaType = "application/spdx3+json"

// DefaultNamespace is the namespace element ids are made under when
// [Options.Namespace] is empty. The ids of AI systems, models and data
// sets stay unique under it, since they contain the system's UUID; set a
// namespace of your own for documents you publish.
const DefaultNamespace = "https://aimskit.dev/ns/spdx/"

// Standard is the value of ai_standardCompliance for a system governed by
// an AI management system with a Statement of Applicability.
const Standard = "ISO/IEC 42001:2023"

// ErrNoFolder is returned by [Export] when the folder is nil.
var ErrNoFolder = errors.New("spdx: no folder")

// ErrNamespace is returned by [Export] when [Options.Namespace] is not an
// absolute URI.
var ErrNamespace = errors.New("spdx: namespace is not an absolute URI")

// Options configures [Export]. A nil *Options is the same as the zero
// value, which exports every AI system of the folder under
// [DefaultNamespace], stamped with the current time.
type Options struct {
	// System is the id of the one AI system to export. The zero UUID
	// exports every AI system of the folder.
	System uuid.UUID
	// Namespace is the absolute URI element ids start with, e.g.
	// "https://example.com/spdx/". A "/" is added unless it ends in "/",
	// "#" or ":". Empty means [DefaultNamespace].
	Namespace string
	// Time returns the creation time of the document (in UTC, to the
	// second). Nil means [time.Now].
	Time func() time.Time
}

// Export returns f as an SPDX 3.0.1 JSON-LD document (indented, with a
// final newline) in the AI and Dataset profiles: each AI system an
// ai_AIPackage, each of its models an ai_AIPackage, each data set a
// dataset_DatasetPackage, each governance document a software_File, tied
// together by Relationships. The package documentation says which field
// comes from where.
//
// The output is a deterministic function of f, Options.System,
// Options.Namespace and the time Options.Time returns. Export does not
// validate f: load it with [aims.Load] first. It returns [ErrNoFolder] for
// a nil f, an error wrapping [aims.ErrUnknownSystem] when Options.System
// is not in f, and one matching [ErrNamespace] for a bad
// Options.Namespace.
func Export(f *aims.Snapshot, opts *Options) ([]byte, error) {
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
	ns, err := namespace(o.Namespace)
	if err != nil {
		return nil, err
	}
	var systems []*inventory.System
	for _, s := range f.Systems {
		if s != nil && (o.System == uuid.Nil || s.ID == o.System) {
			systems = append(systems, s)
		}
	}
	if o.System != uuid.Nil && len(systems) == 0 {
		return nil, fmt.Errorf("spdx: %w %s", aims.ErrUnknownSystem, o.System)
	}
	created := o.Time().UTC().Truncate(time.Second).Format(time.RFC3339)
	b := newBuilder(f, ns)
	tool, creator := b.tool(), b.creator()
	var roots []string
	for _, sys := range systems {
		roots = append(roots, b.system(sys))
	}

	ci := creationInfo{
		ID:           creationInfoID,
		Type:         "CreationInfo",
		SpecVersion:  SpecVersion,
		Created:      created,
		CreatedBy:    []string{creator},
		CreatedUsing: []string{tool},
	}
	doc := spdxDocument{
		Type:               "SpdxDocument",
		SpdxID:             ns + "document/" + b.documentID(systems, o.System, created),
		CreationInfo:       creationInfoID,
		Name:               documentName(f, systems, o.System),
		Comment:            "Exported by aimskit from the governance documents named by the software_File elements, with their SHA-256 digests.",
		ProfileConformance: []string{"core", "software", "ai", "dataset"},
		RootElement:        roots,
	}
	graph := []any{ci, nil}
	for _, e := range b.elements {
		graph = append(graph, e.v)
		doc.Element = append(doc.Element, e.id)
	}
	graph[1] = doc
	out, err := json.MarshalIndent(document{Context: Context, Graph: graph}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("spdx: export: %w", err)
	}
	return append(out, '\n'), nil
}

const creationInfoID = "_:creationinfo"

// namespace checks ns and returns it ending in a separator.
func namespace(ns string) (string, error) {
	if ns == "" {
		return DefaultNamespace, nil
	}
	u, err := url.Parse(ns)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") || strings.ContainsAny(ns, " \t\r\n") || strings.HasPrefix(ns, "_:") {
		return "", fmt.Errorf("%w: %q", ErrNamespace, ns)
	}
	if !strings.HasSuffix(ns, "/") && !strings.HasSuffix(ns, "#") && !strings.HasSuffix(ns, ":") {
		ns += "/"
	}
	return ns, nil
}

// element is an element of the graph and its spdxId.
type element struct {
	id string
	v  any
}

// builder collects the elements of the graph, each once, in the order
// they are first added.
type builder struct {
	f        *aims.Snapshot
	ns       string
	elements []element
	seen     map[string]bool
	docs     []string // file:digest of the governance documents, for the document id
}

func newBuilder(f *aims.Snapshot, ns string) *builder {
	return &builder{f: f, ns: ns, seen: make(map[string]bool)}
}

// add adds v under id unless an element with that id is there already.
func (b *builder) add(id string, v any) string {
	if !b.seen[id] {
		b.seen[id] = true
		b.elements = append(b.elements, element{id, v})
	}
	return id
}

func (b *builder) tool() string {
	return b.add(b.ns+"tool/aimskit", agent{Type: "Tool", SpdxID: b.ns + "tool/aimskit", CreationInfo: creationInfoID, Name: "aimskit"})
}

// organization returns the id of the Organization named name.
func (b *builder) organization(name string) string {
	id := b.ns + "agent/" + url.PathEscape(name)
	return b.add(id, agent{Type: "Organization", SpdxID: id, CreationInfo: creationInfoID, Name: name})
}

// owner returns the id of the organisation that runs the AI management
// system, or "" when the folder does not name it.
func (b *builder) owner() string {
	if ms := b.f.ManagementSystem; ms != nil && strings.TrimSpace(ms.Organization) != "" {
		return b.organization(ms.Organization)
	}
	return ""
}

// creator returns the agent the document is created by: the organisation,
// or the aimskit software agent when the folder does not name one.
func (b *builder) creator() string {
	if id := b.owner(); id != "" {
		return id
	}
	id := b.ns + "agent/aimskit"
	return b.add(id, agent{Type: "SoftwareAgent", SpdxID: id, CreationInfo: creationInfoID, Name: "aimskit"})
}

// documentID derives the document's id from the namespace, the systems
// exported, the governance documents and the creation time.
func (b *builder) documentID(systems []*inventory.System, one uuid.UUID, created string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", b.ns, one, created)
	for _, s := range systems {
		fmt.Fprintf(h, "system %s\n", s.ID)
	}
	for _, d := range b.docs {
		fmt.Fprintf(h, "document %s\n", d)
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, h.Sum(nil)).String()
}

func documentName(f *aims.Snapshot, systems []*inventory.System, one uuid.UUID) string {
	if one != uuid.Nil && len(systems) == 1 {
		return systems[0].Name + " (AI system)"
	}
	if ms := f.ManagementSystem; ms != nil && ms.Organization != "" {
		return ms.Organization + " AI system inventory"
	}
	return "AI system inventory"
}

func (b *builder) systemID(sys *inventory.System) string {
	return b.ns + "system/" + sys.ID.String()
}

func (b *builder) modelID(sys *inventory.System, m inventory.Model) string {
	return b.systemID(sys) + "/model/" + url.PathEscape(m.Name) + "@" + url.PathEscape(m.Version)
}

func (b *builder) datasetID(sys *inventory.System, d inventory.Dataset) string {
	return b.systemID(sys) + "/dataset/" + url.PathEscape(d.Name)
}

// relate adds the relationship of type typ from one element to others,
// unless to is empty.
func (b *builder) relate(from, typ string, to []string) {
	if len(to) == 0 {
		return
	}
	id := from + "/relationship/" + typ
	b.add(id, relationship{Type: "Relationship", SpdxID: id, CreationInfo: creationInfoID, From: from, RelationshipType: typ, To: to})
}

// system adds sys, its models, data sets and governance documents and the
// relationships between them, and returns the id of sys.
func (b *builder) system(sys *inventory.System) string {
	id := b.systemID(sys)
	p := sys.Purpose
	c := sys.Classified()
	pkg := aiPackage{
		Type:                            "ai_AIPackage",
		SpdxID:                          id,
		CreationInfo:                    creationInfoID,
		Name:                            sys.Name,
		Description:                     strings.TrimSpace(sys.Description),
		Comment:                         systemComment(sys, c),
		ReleaseTime:                     releaseTime(sys),
		PackageVersion:                  sys.Version,
		PrimaryPurpose:                  "application",
		AutonomyType:                    AutonomyType(p.Autonomy),
		Domain:                          domains(sys, c),
		InformationAboutApplication:     application(p),
		InformationAboutTraining:        training(sys),
		Limitation:                      limitation(sys),
		SafetyRiskAssessment:            SafetyRisk(c.Category),
		UseSensitivePersonalInformation: personal(sys.Resources.Datasets),
	}
	if b.f.SoA != nil {
		pkg.StandardCompliance = []string{Standard}
	}
	if slices.Contains(sys.Accountability.OperatorRoles, inventory.OperatorProvider) || slices.Contains(sys.Accountability.Roles, inventory.RoleProvider) {
		pkg.SuppliedBy = b.owner()
	}
	for _, m := range sys.Resources.Models {
		if m.Kind != "" && !slices.Contains(pkg.TypeOfModel, m.Kind) {
			pkg.TypeOfModel = append(pkg.TypeOfModel, m.Kind)
		}
	}
	for _, t := range sys.Monitoring.Thresholds {
		pkg.Metric = append(pkg.Metric, dictionaryEntry{Type: "DictionaryEntry", Key: t.Metric})
		pkg.MetricDecisionThreshold = append(pkg.MetricDecisionThreshold, dictionaryEntry{
			Type: "DictionaryEntry", Key: t.Metric, Value: strconv.FormatFloat(t.Max, 'g', -1, 64),
		})
	}
	b.add(id, pkg)

	var train, test, run []string
	for _, d := range sys.Resources.Datasets {
		did := b.dataset(sys, d)
		switch d.Purpose {
		case inventory.DatasetTraining:
			train = append(train, did)
		case inventory.DatasetValidation, inventory.DatasetTest:
			test = append(test, did)
		default:
			run = append(run, did)
		}
	}
	var contains, dependsOn []string
	for _, m := range sys.Resources.Models {
		mid := b.model(sys, m, train, test)
		if m.Origin == inventory.OriginInHouse {
			contains = append(contains, mid)
		} else {
			dependsOn = append(dependsOn, mid)
		}
		b.relate(mid, "trainedOn", train)
		b.relate(mid, "testedOn", test)
	}
	if len(sys.Resources.Models) == 0 {
		b.relate(id, "trainedOn", train)
		b.relate(id, "testedOn", test)
	}
	b.relate(id, "contains", contains)
	b.relate(id, "dependsOn", append(dependsOn, run...))
	b.relate(id, "hasDocumentation", b.documents(sys))
	return id
}

// model adds the ai_AIPackage of model m of sys and returns its id.
func (b *builder) model(sys *inventory.System, m inventory.Model, train, test []string) string {
	id := b.modelID(sys, m)
	pkg := aiPackage{
		Type:           "ai_AIPackage",
		SpdxID:         id,
		CreationInfo:   creationInfoID,
		Name:           m.Name,
		VerifiedUsing:  hashes(m.Digest),
		PackageVersion: m.Version,
		PrimaryPurpose: "model",
	}
	switch {
	case m.Provider != "":
		pkg.SuppliedBy = b.organization(m.Provider)
	case m.Origin == inventory.OriginInHouse:
		pkg.SuppliedBy = b.owner()
	}
	if m.Kind != "" {
		pkg.TypeOfModel = []string{m.Kind}
	}
	if m.License != "" {
		pkg.Comment = "License: " + m.License + "."
	}
	pkg.EnergyConsumption = energy(m.Energy)
	if len(train)+len(test) > 0 {
		pkg.InformationAboutTraining = training(sys)
		pkg.UseSensitivePersonalInformation = personal(sys.Resources.Datasets)
	}
	return b.add(id, pkg)
}

// energy returns the ai_EnergyConsumption of a model's declared energy,
// in kilowatt-hours, or nil when none is declared.
func energy(e inventory.Energy) *energyConsumption {
	if e.IsZero() {
		return nil
	}
	one := func(kwh float64) []energyDescription {
		if kwh == 0 {
			return nil
		}
		return []energyDescription{{Type: "ai_EnergyConsumptionDescription", Quantity: kwh, Unit: "kilowattHour"}}
	}
	return &energyConsumption{
		Type:       "ai_EnergyConsumption",
		Training:   one(e.TrainingKWh),
		Finetuning: one(e.FinetuningKWh),
		Inference:  one(e.InferenceKWh),
	}
}

// dataset adds the dataset_DatasetPackage of d of sys and returns its id.
func (b *builder) dataset(sys *inventory.System, d inventory.Dataset) string {
	id := b.datasetID(sys, d)
	pkg := datasetPackage{
		Type:                  "dataset_DatasetPackage",
		SpdxID:                id,
		CreationInfo:          creationInfoID,
		Name:                  d.Name,
		VerifiedUsing:         hashes(d.Digest),
		PrimaryPurpose:        "data",
		DataCollectionProcess: sentences("Source: "+d.Source, "Provenance: "+d.Provenance),
		DatasetType:           []string{"noAssertion"},
		IntendedUse:           intendedUse(sys, d.Purpose),
		KnownBias:             slices.Clone(d.KnownBiases),
	}
	if d.PersonalData {
		pkg.HasSensitivePersonalInformation = "yes"
		if len(d.PersonalDataCategories) > 0 {
			pkg.Comment = "Personal data: " + strings.Join(d.PersonalDataCategories, ", ") + "."
		}
	}
	var comments []string
	if pkg.Comment != "" {
		comments = append(comments, pkg.Comment)
	}
	if d.License != "" {
		comments = append(comments, "License: "+d.License+".")
	}
	pkg.Comment = strings.Join(comments, " ")
	return b.add(id, pkg)
}

// documents adds a software_File for each governance document about sys
// (its inventory entry, risk and impact assessments, and the Statement of
// Applicability) and returns their ids.
func (b *builder) documents(sys *inventory.System) []string {
	docs := []any{sys}
	if ra := b.f.RiskAssessment(sys.ID); ra != nil {
		docs = append(docs, ra)
	}
	if ia := b.f.ImpactAssessment(sys.ID); ia != nil {
		docs = append(docs, ia)
	}
	if b.f.SoA != nil {
		docs = append(docs, b.f.SoA)
	}
	var ids []string
	for _, d := range docs {
		name, digest := b.f.File(d), b.f.Digest(d)
		hs := hashes(digest)
		if name == "" || len(hs) == 0 {
			continue
		}
		id := b.ns + "governance/sha256:" + hs[0].HashValue
		if !b.seen[id] {
			b.docs = append(b.docs, name+" "+digest)
		}
		ids = append(ids, b.add(id, file{
			Type: "software_File", SpdxID: id, CreationInfo: creationInfoID, Name: name,
			VerifiedUsing: hs, PrimaryPurpose: "documentation", FileKind: "file",
		}))
	}
	return ids
}

// AutonomyType returns the ai_autonomyType of an autonomy level: "yes"
// (fully automated) for [inventory.AutonomyAutonomous], "no" (a human is
// involved in the decisions) for decision support and a human in or on
// the loop, and "noAssertion" when the level is not stated.
func AutonomyType(a inventory.Autonomy) string {
	switch a {
	case inventory.AutonomyAutonomous:
		return "yes"
	case inventory.AutonomyDecisionSupport, inventory.AutonomyHumanInTheLoop, inventory.AutonomyHumanOnTheLoop:
		return "no"
	default:
		return "noAssertion"
	}
}

// SafetyRisk returns the ai_safetyRiskAssessment for an EU AI Act
// category, or "" when the category gives none (see the package
// documentation for the mapping and why).
func SafetyRisk(c inventory.Category) string {
	switch c {
	case inventory.CategoryProhibited:
		return "serious"
	case inventory.CategoryHighRisk, inventory.CategoryGPAISystemic:
		return "high"
	case inventory.CategoryDerogated:
		return "medium"
	case inventory.CategoryMinimal:
		return "low"
	default:
		return ""
	}
}

// annexIIIAreas are the titles of the areas of EU AI Act Annex III.
var annexIIIAreas = [...]string{
	1: "biometrics",
	2: "critical infrastructure",
	3: "education and vocational training",
	4: "employment, workers management and access to self-employment",
	5: "access to essential private services and essential public services and benefits",
	6: "law enforcement",
	7: "migration, asylum and border control management",
	8: "administration of justice and democratic processes",
}

// domains returns the Annex III areas of sys and the contexts of its
// facts.
func domains(sys *inventory.System, c inventory.Classification) []string {
	var points []string
	if c.AnnexIII != "" {
		points = append(points, c.AnnexIII)
	}
	if sys.Facts != nil {
		points = append(points, sys.Facts.AnnexIII...)
	}
	var out []string
	for _, p := range points {
		if a := inventory.AnnexIIIArea(p); a > 0 && a < len(annexIIIAreas) && !slices.Contains(out, annexIIIAreas[a]) {
			out = append(out, annexIIIAreas[a])
		}
	}
	if sys.Facts != nil {
		for _, ctx := range sys.Facts.Contexts {
			if s := string(ctx); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func systemComment(sys *inventory.System, c inventory.Classification) string {
	parts := []string{"EU AI Act classification: " + c.String() + "."}
	if s := sys.Lifecycle.Stage; s != "" {
		parts = append(parts, "Life-cycle stage: "+string(s)+".")
	}
	if s := sys.Lifecycle.Status; s != "" {
		parts = append(parts, "Status: "+string(s)+".")
	}
	parts = append(parts, "AI system id: "+sys.ID.String()+".")
	return strings.Join(parts, " ")
}

// releaseTime returns the date of the latest move of sys to deployment,
// or "".
func releaseTime(sys *inventory.System) string {
	var out string
	for _, h := range sys.Lifecycle.History {
		if h.To == inventory.StageDeployment && !h.Date.IsZero() {
			out = h.Date.Time(time.UTC).Format(time.RFC3339)
		}
	}
	return out
}

// application describes the intended use of a system.
func application(p inventory.Purpose) string {
	var s []string
	s = append(s, "Intended purpose: "+strings.TrimSpace(p.Intended))
	s = append(s, list("Users: ", p.Users))
	s = append(s, list("Affected persons: ", p.AffectedPersons))
	var where []string
	where = append(where, list("countries ", p.Context.Countries))
	where = append(where, list("languages ", p.Context.Languages))
	if p.Context.Setting != "" {
		where = append(where, "setting: "+p.Context.Setting)
	}
	where = slices.DeleteFunc(where, func(s string) bool { return s == "" })
	if len(where) > 0 {
		s = append(s, "Deployed in "+strings.Join(where, "; "))
	}
	if p.Autonomy != "" {
		s = append(s, "Autonomy: "+string(p.Autonomy))
	}
	if o := p.Oversight; !o.IsZero() {
		text := "Human oversight: " + strings.TrimSuffix(strings.TrimSpace(o.Mechanism), ".")
		if o.Mechanism == "" {
			text = "Human oversight"
		}
		var can []string
		if o.CanOverride {
			can = append(can, "override")
		}
		if o.CanStop {
			can = append(can, "stop")
		}
		if len(o.Roles) > 0 {
			text += " (by " + strings.Join(o.Roles, ", ")
			if len(can) > 0 {
				text += ", who can " + strings.Join(can, " and ")
			}
			text += ")"
		}
		s = append(s, text)
	}
	return sentences(s...)
}

// training describes how the models of sys were trained and tested.
func training(sys *inventory.System) string {
	var s []string
	for _, d := range sys.Resources.Datasets {
		what := map[inventory.DatasetPurpose]string{
			inventory.DatasetTraining:   "Trained on ",
			inventory.DatasetValidation: "Validated on ",
			inventory.DatasetTest:       "Tested on ",
		}[d.Purpose]
		if what == "" {
			continue
		}
		var about []string
		for _, a := range []string{d.Source, d.Provenance} {
			if a != "" {
				about = append(about, a)
			}
		}
		text := what + d.Name
		if len(about) > 0 {
			text += " (" + strings.Join(about, "; ") + ")"
		}
		s = append(s, text)
	}
	for _, t := range sys.Resources.Tooling {
		text := "Tool: " + t.Name
		if t.Version != "" {
			text += " " + t.Version
		}
		if t.Purpose != "" {
			text += " (" + t.Purpose + ")"
		}
		s = append(s, text)
	}
	return sentences(s...)
}

// limitation lists the foreseeable misuse of sys and the known biases of
// its data.
func limitation(sys *inventory.System) string {
	var s []string
	if m := sys.Purpose.ForeseeableMisuse; len(m) > 0 {
		s = append(s, "Foreseeable misuse: "+strings.Join(m, "; "))
	}
	for _, d := range sys.Resources.Datasets {
		if len(d.KnownBiases) > 0 {
			s = append(s, "Known bias in data set "+d.Name+": "+strings.Join(d.KnownBiases, "; "))
		}
	}
	return sentences(s...)
}

// personal returns "yes" when a data set holds personal data, and ""
// otherwise: the inventory does not tell "no personal data" from "not
// stated".
func personal(ds []inventory.Dataset) string {
	for _, d := range ds {
		if d.PersonalData {
			return "yes"
		}
	}
	return ""
}

func intendedUse(sys *inventory.System, p inventory.DatasetPurpose) string {
	switch p {
	case inventory.DatasetTraining:
		return "Training the models of " + sys.Name + "."
	case inventory.DatasetValidation:
		return "Validating the models of " + sys.Name + "."
	case inventory.DatasetTest:
		return "Testing the models of " + sys.Name + "."
	case inventory.DatasetProduction:
		return "Input of " + sys.Name + " in operation."
	default:
		return ""
	}
}

// hashes converts an aimskit digest ("sha256:" and hex) to an SPDX Hash.
func hashes(digest string) []hash {
	h, ok := strings.CutPrefix(digest, "sha256:")
	if !ok || len(h) != 64 {
		return nil
	}
	if _, err := hex.DecodeString(h); err != nil {
		return nil
	}
	return []hash{{Type: "Hash", Algorithm: "sha256", HashValue: strings.ToLower(h)}}
}

// list returns prefix and the items joined, or "" for no items.
func list(prefix string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	return prefix + strings.Join(items, ", ")
}

// sentences joins the parts as sentences, leaving out those that are
// empty or end in a colon (a label without a value).
func sentences(parts ...string) string {
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || strings.HasSuffix(p, ": ") || strings.HasSuffix(p, ":") {
			continue
		}
		if !strings.HasSuffix(p, ".") {
			p += "."
		}
		out = append(out, p)
	}
	return strings.Join(out, " ")
}
