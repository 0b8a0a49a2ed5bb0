package aims

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/impact"
	"github.com/aimskit/aimskit/inventory"
	"github.com/aimskit/aimskit/risk"
)

// CheckPlaceholders fails, at every gate out of inception, while a
// document the transition depends on (the system's inventory entry, its
// risk and impact assessments, the Statement of Applicability, the
// management system and the gate policy) still has a placeholder: a
// value marked by a comment that starts with TODO, as "aimskit init"
// scaffolds them (see [Snapshot.Placeholders]). Like [CheckDocumentsValid]
// it is not part of a policy and cannot be waived: a scaffold's example
// values are not answers.
const CheckPlaceholders = "placeholders-filled"

var idsPlaceholders = []string{"iso42001:7.5.2"}

// Placeholders returns the placeholders left in the snapshot's YAML
// documents, by file and line: the values marked by a comment line that
// starts with TODO, which "aimskit init" puts on every value a person has
// to fill in. A placeholder is not a problem: the snapshot loads, and
// "aimskit validate" lists them as warnings; but every gate out of
// inception denies while a document it depends on has one
// ([CheckPlaceholders]). Fill the value in and delete its TODO comment.
// The caller owns the result.
func (f *Snapshot) Placeholders() []document.Problem {
	var out []document.Problem
	for _, ps := range f.placeholders {
		out = append(out, ps...)
	}
	sortProblems(out)
	return out
}

// placeholdersFor returns the placeholders of the documents a gate of
// sys depends on; ra and ia are its assessments, or nil.
func (f *Snapshot) placeholdersFor(sys *inventory.System, ra *risk.Assessment, ia *impact.Assessment) []document.Problem {
	docs := []any{sys}
	if ra != nil {
		docs = append(docs, ra)
	}
	if ia != nil {
		docs = append(docs, ia)
	}
	if f.SoA != nil {
		docs = append(docs, f.SoA)
	}
	if f.ManagementSystem != nil {
		docs = append(docs, f.ManagementSystem)
	}
	if f.Policy != nil {
		docs = append(docs, f.Policy)
	}
	var out []document.Problem
	for _, d := range docs {
		out = append(out, f.placeholders[d]...)
	}
	sortProblems(out)
	return out
}

func sortProblems(ps []document.Problem) {
	slices.SortStableFunc(ps, func(a, b document.Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// checkPlaceholders fails with the placeholders left.
func checkPlaceholders(ps []document.Problem) CheckResult {
	where := make([]string, len(ps))
	for i, p := range ps {
		where[i] = fmt.Sprintf("%s:%s (line %d)", p.File, p.Pointer, p.Line)
	}
	return CheckResult{Check: CheckPlaceholders, Outcome: OutcomeFail, Severity: SeverityDeny,
		Message: fmt.Sprintf("%d %s left to fill in (delete each TODO comment once its value is filled in): %s",
			len(ps), plural(len(ps), "placeholder", "placeholders"), strings.Join(where, ", ")),
		Clauses: idsPlaceholders}
}
