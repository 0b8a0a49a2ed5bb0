package attest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/internal/lines"
)

// StatementType is the "_type" of an in-toto Statement v1.
const StatementType = "https://in-toto.io/Statement/v1"

// Statement is an in-toto attestation Statement v1: a typed predicate
// about one or more subjects, identified by digest. It is signed inside a
// DSSE [Envelope] of type [PayloadTypeInToto] (see [SignStatement]).
//
// The zero value is an empty statement that [Statement.Validate] rejects.
// A Statement is a plain value.
type Statement struct {
	// Type is [StatementType].
	Type string `json:"_type"`
	// Subject lists the artifacts the statement is about; each must have a
	// digest.
	Subject []evidence.Subject `json:"subject"`
	// PredicateType is a URI naming the predicate's type, such as
	// [PredicateGateDecision].
	PredicateType string `json:"predicateType"`
	// Predicate is the predicate, a JSON object, or empty.
	Predicate json.RawMessage `json:"predicate,omitempty"`
}

// NewStatement returns a statement of the given predicate type about
// subjects, with predicate encoded as JSON; it copies subjects. It returns
// an error matching [ErrInvalid] if the statement is not valid.
func NewStatement(predicateType string, predicate any, subjects ...evidence.Subject) (*Statement, error) {
	s := &Statement{Type: StatementType, PredicateType: predicateType}
	for _, sub := range subjects {
		s.Subject = append(s.Subject, sub.Clone())
	}
	if predicate != nil {
		b, err := json.Marshal(predicate)
		if err != nil {
			return nil, invalidf("statement: predicate: %v", err)
		}
		s.Predicate = b
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Validate reports whether s follows the in-toto Statement v1 rules: the
// type is [StatementType], there is at least one subject, every subject
// has a valid digest (see [Subject.Validate]), the predicate type is set
// and the predicate, if set, is a JSON object. The error matches
// [ErrInvalid].
func (s *Statement) Validate() error {
	if p := statementProblem(s); p != "" {
		return invalidf("statement: %s", p)
	}
	return nil
}

// statementProblem says what is wrong with s, or returns "".
func statementProblem(s *Statement) string {
	if s == nil {
		return "nil"
	}
	if s.Type != StatementType {
		return fmt.Sprintf("_type %q: want %q", s.Type, StatementType)
	}
	if len(s.Subject) == 0 {
		return "no subject"
	}
	for i, sub := range s.Subject {
		if p := subjectProblem(sub); p != "" {
			return fmt.Sprintf("subject %d: %s", i, p)
		}
	}
	if s.PredicateType == "" {
		return "no predicateType"
	}
	if len(s.Predicate) > 0 {
		if !json.Valid(s.Predicate) {
			return "predicate is not valid JSON"
		}
		if b := bytes.TrimLeft(s.Predicate, " \t\r\n"); b[0] != '{' && !bytes.Equal(b, []byte("null")) {
			return "predicate is not a JSON object"
		}
	}
	return ""
}

// SignStatement validates s, encodes it as JSON and signs it in an
// envelope of type [PayloadTypeInToto].
func SignStatement(ctx context.Context, signer evidence.Signer, s *Statement) (*Envelope, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	payload, err := json.Marshal(s)
	if err != nil {
		return nil, invalidf("statement: %v", err)
	}
	return Sign(ctx, signer, PayloadTypeInToto, payload)
}

// VerifyStatement verifies env, which must be of type
// [PayloadTypeInToto], with [Envelope.Verify], then decodes the verified
// payload as a [Statement], ignoring unknown fields as in-toto asks, and
// validates it. Errors are those of [Envelope.Verify], or match
// [ErrMalformed] for a payload that is not a valid statement.
func VerifyStatement(ctx context.Context, env *Envelope, verifiers ...evidence.Verifier) (*Statement, error) {
	payload, err := env.Verify(ctx, PayloadTypeInToto, verifiers...)
	if err != nil {
		return nil, err
	}
	var s Statement
	if err := json.Unmarshal(payload, &s); err != nil {
		return nil, malformedf("statement: %v", err)
	}
	if p := statementProblem(&s); p != "" {
		return nil, malformedf("statement: %s", p)
	}
	return &s, nil
}

// PredicateGateDecision is the in-toto predicate type of a [GateDecision].
const PredicateGateDecision = "https://aimskit.dev/attestation/gate-decision/v1"

// GateDecisionSchemaID is the "$id" of the JSON Schema of a
// [GateDecision]; see [GateDecisionSchema].
const GateDecisionSchemaID = "https://aimskit.dev/schemas/attestation/gate-decision-v1.schema.json"

//go:embed schema/gate-decision-v1.schema.json
var gateDecisionSchema []byte

// GateDecisionSchema returns the JSON Schema (draft 2020-12) of the
// [GateDecision] predicate. The caller owns the returned slice.
func GateDecisionSchema() []byte { return slices.Clone(gateDecisionSchema) }

// GateOutcome is the outcome of a lifecycle gate or of one of its checks.
// The zero value, [GateOutcomeUnspecified], is not valid in a decision.
type GateOutcome string

// The gate outcomes.
const (
	// GateOutcomeUnspecified is the zero GateOutcome; it is not valid.
	GateOutcomeUnspecified GateOutcome = ""
	// GateAllow: the transition may go ahead.
	GateAllow GateOutcome = "allow"
	// GateWarn: the transition may go ahead, with findings to address.
	GateWarn GateOutcome = "warn"
	// GateDeny: the transition must not go ahead.
	GateDeny GateOutcome = "deny"
	// GateWaived is the outcome of a check that failed and that a waiver
	// (see [GateDecision.Waivers]) let pass; it is not valid as the
	// outcome of a decision.
	GateWaived GateOutcome = "waived"
)

// Valid reports whether o is allow, warn or deny: a valid outcome of a
// decision. A check's outcome may also be [GateWaived].
func (o GateOutcome) Valid() bool { return o == GateAllow || o == GateWarn || o == GateDeny }

// GateDecision is the predicate of an attestation of a lifecycle gate's
// decision ([PredicateGateDecision]): which AI system moved, or tried to
// move, between which life-cycle stages, what each check found, which
// waivers were used, and over which inputs (governance documents, policy,
// evaluation results) the decision was made. The statement's subjects are
// the artifacts released: the model, data set and build digests.
//
// The zero value is an empty decision that [GateDecision.Validate]
// rejects. A GateDecision is a plain value. The JSON names are stable.
type GateDecision struct {
	// DecisionID identifies the decision; it is the ID of the evidence
	// [Record] of the same decision.
	DecisionID uuid.UUID `json:"decisionId"`
	// SystemID is the id of the AI system.
	SystemID uuid.UUID `json:"systemId"`
	// Transition is the move between life-cycle stages the gate guards.
	Transition GateTransition `json:"transition"`
	// Outcome is the gate's decision.
	Outcome GateOutcome `json:"outcome"`
	// Checks are the results of the gate's checks, in the order they ran.
	Checks []GateCheck `json:"checks"`
	// Waivers are the waivers that changed the outcome of a check.
	Waivers []GateWaiver `json:"waivers,omitempty"`
	// Inputs are the documents and data the decision was made over, by
	// digest.
	Inputs []evidence.Subject `json:"inputs,omitempty"`
	// PolicyRevision identifies the version of the governance documents.
	PolicyRevision string `json:"policyRevision,omitempty"`
	// Time is when the decision was made.
	Time time.Time `json:"time"`
	// EvaluationTime is the time the gate evaluated the governance
	// documents at, when it was asked to decide as of another time than
	// Time; zero means Time. It is optional, so that attestations made
	// before it existed stay valid.
	EvaluationTime time.Time `json:"evaluationTime,omitzero"`
}

// MarshalJSON encodes d with "checks" as an array, empty if there are no
// checks, as the schema asks.
func (d GateDecision) MarshalJSON() ([]byte, error) {
	type plain GateDecision
	p := plain(d)
	if p.Checks == nil {
		p.Checks = []GateCheck{}
	}
	return json.Marshal(p)
}

// GateTransition is a move between two life-cycle stages, such as
// "verification-and-validation" to "deployment". It is a plain value.
type GateTransition struct {
	// From is the stage the AI system is in.
	From string `json:"from"`
	// To is the stage it is to move to.
	To string `json:"to"`
}

// GateCheck is the result of one check of a gate. It is a plain value.
type GateCheck struct {
	// ID names the check.
	ID string `json:"id"`
	// Outcome is what the check found: allow, warn or deny, or
	// [GateWaived] for a failure a waiver let pass.
	Outcome GateOutcome `json:"outcome"`
	// Controls are the ids of the controls the check is evidence for, such
	// as "iso42001:A.6.2.4".
	Controls []string `json:"controls,omitempty"`
	// Clauses are the ids of the requirement clauses, such as
	// "iso42001:8.1".
	Clauses []string `json:"clauses,omitempty"`
	// Message says what the check found, for people.
	Message string `json:"message,omitempty"`
}

// GateWaiver is a waiver a gate used: an approved exception to a check.
// It is a plain value.
type GateWaiver struct {
	// ID identifies the waiver.
	ID string `json:"id"`
	// Check is the ID of the waived check.
	Check string `json:"check"`
	// Approver is who approved the waiver.
	Approver string `json:"approver,omitempty"`
	// Expires is when the waiver ends, if it does.
	Expires *time.Time `json:"expires,omitempty"`
}

// Validate reports whether d is complete: ids and time set, the
// transition's stages named, outcomes valid (a check's may be waived),
// checks and waivers named, control and clause ids of the form
// "namespace:ref", and inputs with valid digests. The error matches
// [ErrInvalid].
func (d *GateDecision) Validate() error {
	if d == nil {
		return invalidf("gate decision: nil")
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if d.DecisionID == uuid.Nil {
		add("no decisionId")
	}
	if d.SystemID == uuid.Nil {
		add("no systemId")
	}
	if d.Transition.From == "" || d.Transition.To == "" {
		add("transition needs from and to")
	}
	if !d.Outcome.Valid() {
		add("outcome %q: want allow, warn or deny", d.Outcome)
	}
	for i, c := range d.Checks {
		if c.ID == "" {
			add("check %d: no id", i)
		}
		if !c.Outcome.Valid() && c.Outcome != GateWaived {
			add("check %q: outcome %q: want allow, warn, deny or waived", c.ID, c.Outcome)
		}
		for _, id := range slices.Concat(c.Controls, c.Clauses) {
			if !validControlID(id) {
				add("check %q: %q: want namespace:ref", c.ID, id)
			}
		}
	}
	for i, w := range d.Waivers {
		if w.ID == "" || w.Check == "" {
			add("waiver %d: needs id and check", i)
		}
	}
	for i, in := range d.Inputs {
		if p := subjectProblem(in); p != "" {
			add("input %d: %s", i, p)
		}
	}
	if d.Time.IsZero() {
		add("no time")
	}
	if len(problems) > 0 {
		return invalidf("gate decision: %s", strings.Join(problems, "; "))
	}
	return nil
}

// WriteBundle writes envelopes to w as an in-toto bundle: JSON Lines, one
// envelope per line (the ".intoto.jsonl" format). A nil envelope is an
// error matching [ErrInvalid]; nothing is written then.
func WriteBundle(w io.Writer, envs ...*Envelope) error {
	var buf bytes.Buffer
	for i, e := range envs {
		if e == nil {
			return invalidf("bundle: envelope %d is nil", i)
		}
		b, err := json.Marshal(e)
		if err != nil {
			return invalidf("bundle: envelope %d: %v", i, err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("evidence: write bundle: %w", err)
	}
	return nil
}

// ReadBundle reads an in-toto bundle: JSON Lines, one envelope per line,
// each decoded with [ParseEnvelope]. Empty lines are skipped, and the last
// line may lack its newline. It does not verify signatures. A malformed
// line gives an error matching [ErrMalformed] that names the line (from 1).
func ReadBundle(r io.Reader) ([]*Envelope, error) {
	var envs []*Envelope
	lr := lines.NewReader(r)
	for n := 1; ; n++ {
		line, _, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return envs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("evidence: read bundle: %w", err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		e, err := ParseEnvelope(line)
		if err != nil {
			return nil, fmt.Errorf("%w (bundle line %d)", err, n)
		}
		envs = append(envs, e)
	}
}
