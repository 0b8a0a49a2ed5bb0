package controls

import (
	"slices"
	"strings"

	"github.com/aimskit/aimskit/document"
)

// Control is one control of a [Catalog]: an Annex A control of ISO/IEC
// 42001 or a control the organisation defines for itself (6.1.3 d).
//
// Control is a plain value; its zero value is an empty, invalid control.
type Control struct {
	// ID identifies the control, e.g. "iso42001:A.6.2.8" or "org:SEC-01".
	ID ID `json:"id"`
	// Title is the short title. For Annex A controls it is the title the
	// standard uses.
	Title string `json:"title"`
	// Summary says in one line, in aimskit's own words, what the control is
	// about. It is not the text of the standard.
	Summary string `json:"summary,omitempty"`
	// Objective is the Annex A control objective the control serves, e.g.
	// "iso42001:A.6.2". It is optional for organisation controls.
	Objective ID `json:"objective,omitempty"`
}

// Objective is an Annex A control objective (A.2 to A.10) or one of the
// two sub-objectives of A.6 (A.6.1 and A.6.2).
//
// Objective is a plain value; its zero value is an empty objective.
type Objective struct {
	// ID identifies the objective, e.g. "iso42001:A.7".
	ID ID `json:"id"`
	// Parent is the objective this one belongs to ("iso42001:A.6" for
	// A.6.1 and A.6.2), or empty for the nine top-level objectives.
	Parent ID `json:"parent,omitempty"`
	// Title is the short title the standard uses.
	Title string `json:"title"`
	// Summary paraphrases the objective in one line.
	Summary string `json:"summary,omitempty"`
}

// Clause is a requirement clause of ISO/IEC 42001 (clauses 4 to 10 and
// their sub-clauses), e.g. 6.1.3 AI risk treatment.
//
// Clause is a plain value; its zero value is an empty clause.
type Clause struct {
	// ID identifies the clause, e.g. "iso42001:6.1.3".
	ID ID `json:"id"`
	// Parent is the enclosing clause ("iso42001:6.1" for 6.1.3), or empty
	// for the top-level clauses 4 to 10.
	Parent ID `json:"parent,omitempty"`
	// Title is the short title the standard uses.
	Title string `json:"title"`
	// Summary paraphrases the clause in one line.
	Summary string `json:"summary,omitempty"`
}

// Catalog is a catalogue of controls: the 38 Annex A controls of ISO/IEC
// 42001:2023 under their objectives, optionally followed by controls the
// organisation defines, together with the clauses 4 to 10 and the built-in
// crosswalks (see [Mapping]).
//
// Get one from [ISO42001] or [NewCatalog]. A Catalog is immutable and safe
// for concurrent use; every method returns copies. The zero value is an
// empty catalogue whose lookups find nothing.
type Catalog struct {
	controls   []Control
	byID       map[ID]int
	objectives []Objective
	clauses    []Clause
	clauseByID map[ID]int
	mappings   []Mapping
}

// ISO42001 returns the catalogue of ISO/IEC 42001:2023: the 38 Annex A
// controls under their 9 objectives, the requirement clauses 4 to 10, and
// the built-in crosswalks to the NIST AI RMF and the EU AI Act.
func ISO42001() *Catalog {
	c := &Catalog{
		controls:   slices.Clone(annexA),
		byID:       make(map[ID]int, len(annexA)),
		objectives: slices.Clone(objectives),
		clauses:    slices.Clone(clauses),
		clauseByID: make(map[ID]int, len(clauses)),
		mappings:   builtinMappings(),
	}
	for i, ctl := range c.controls {
		c.byID[ctl.ID] = i
	}
	for i, cl := range c.clauses {
		c.clauseByID[cl.ID] = i
	}
	return c
}

// NewCatalog returns the [ISO42001] catalogue followed by the given
// organisation controls, in the order given. It copies org.
//
// Every problem with org is reported in one [*document.Error], with
// pointers relative to the slice ("/2/id"): an invalid id, an id in the
// reserved [NamespaceISO42001] namespace, an id given twice, a missing
// title, or an objective that is not an Annex A objective.
func NewCatalog(org []Control) (*Catalog, error) { return newCatalog(org, "") }

// newCatalog is [NewCatalog] with problems reported under the JSON pointer
// prefix, the place of org in a document.
func newCatalog(org []Control, prefix string) (*Catalog, error) {
	if err := validateOrg(org, prefix); err != nil {
		return nil, err
	}
	c := ISO42001()
	for _, ctl := range org {
		c.byID[ctl.ID] = len(c.controls)
		c.controls = append(c.controls, ctl)
	}
	return c, nil
}

// validateOrg reports the problems with organisation controls, with
// pointers under prefix.
func validateOrg(org []Control, prefix string) error {
	var e document.Error
	first := make(map[ID]int, len(org))
	for i, ctl := range org {
		ptr := prefix + document.Pointer(i)
		switch {
		case !validID(string(ctl.ID)):
			e.Add(ptr+"/id", "%q is not a control id (want namespace:ref, e.g. org:SEC-01)", ctl.ID)
		case ctl.ID.Namespace() == NamespaceISO42001:
			e.Add(ptr+"/id", "%s is in the namespace %s, which is reserved for ISO/IEC 42001; use another, e.g. org:", ctl.ID, NamespaceISO42001)
		default:
			if j, dup := first[ctl.ID]; dup {
				e.Add(ptr+"/id", "%s is defined twice (first at %s)", ctl.ID, prefix+document.Pointer(j))
			} else {
				first[ctl.ID] = i
			}
		}
		if strings.TrimSpace(ctl.Title) == "" {
			e.Add(ptr+"/title", "is required for organisation control %s", ctl.ID)
		}
		if ctl.Objective != "" && !slices.ContainsFunc(objectives, func(o Objective) bool { return o.ID == ctl.Objective }) {
			e.Add(ptr+"/objective", "%s is not an Annex A control objective (e.g. iso42001:A.7)", ctl.Objective)
		}
	}
	return e.Err()
}

// annexAIndex returns the position of id among the Annex A controls, or
// -1. It reads the built-in table without building a [Catalog].
func annexAIndex(id ID) int {
	return slices.IndexFunc(annexA, func(c Control) bool { return c.ID == id })
}

// isClause reports whether id is a clause of ISO/IEC 42001.
func isClause(id ID) bool {
	return slices.ContainsFunc(clauses, func(c Clause) bool { return c.ID == id })
}

// Lookup returns the control with the given id, and whether there is one.
// Clauses and objectives are not controls: see [Catalog.LookupClause] and
// [Catalog.Objectives].
func (c *Catalog) Lookup(id ID) (Control, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Control{}, false
	}
	return c.controls[i], true
}

// Controls returns every control: the Annex A controls in the order of the
// standard, then the organisation controls in the order given to
// [NewCatalog].
func (c *Catalog) Controls() []Control { return slices.Clone(c.controls) }

// AnnexA returns the 38 Annex A controls in the order of the standard.
func (c *Catalog) AnnexA() []Control {
	var out []Control
	for _, ctl := range c.controls {
		if ctl.ID.Namespace() == NamespaceISO42001 {
			out = append(out, ctl)
		}
	}
	return out
}

// Objectives returns the Annex A control objectives in the order of the
// standard: the nine objectives A.2 to A.10, with the sub-objectives A.6.1
// and A.6.2 right after A.6 (their [Objective.Parent] is A.6).
func (c *Catalog) Objectives() []Objective { return slices.Clone(c.objectives) }

// Clauses returns the requirement clauses 4 to 10 of ISO/IEC 42001 and
// their sub-clauses, in the order of the standard.
func (c *Catalog) Clauses() []Clause { return slices.Clone(c.clauses) }

// LookupClause returns the clause with the given id, e.g.
// "iso42001:6.1.3", and whether there is one.
func (c *Catalog) LookupClause(id ID) (Clause, bool) {
	i, ok := c.clauseByID[id]
	if !ok {
		return Clause{}, false
	}
	return c.clauses[i], true
}
