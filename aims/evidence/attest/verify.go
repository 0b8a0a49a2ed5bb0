package attest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/internal/lines"
	"github.com/aimskit/aimskit/internal/schema"
)

// Check names the check of an attestation that a
// [Problem] is about. The values are stable; the zero value
// names no check.
type Check string

// The checks [BundleVerifier.Verify] makes, in the order in which it
// reports their problems. They are stable.
const (
	// CheckUnspecified is the zero Check.
	CheckUnspecified Check = ""
	// CheckKey: the envelope is signed only by keys other than
	// the ones given. This is most often a configuration mistake (the
	// wrong public key, or a bundle of another release).
	CheckKey Check = "key"
	// CheckSignature: the envelope claims to be signed by a key
	// given, or names no key, but no signature verifies: the payload or
	// the signature was changed after signing.
	CheckSignature Check = "signature"
	// CheckPayloadType: the envelope's payload type is not
	// [PayloadTypeInToto].
	CheckPayloadType Check = "payload-type"
	// CheckStatement: the payload is not an in-toto Statement
	// v1 (see [Statement.Validate]).
	CheckStatement Check = "statement"
	// CheckPredicateType: the statement's predicate type is not
	// one aimskit publishes (see [PredicateTypes]).
	CheckPredicateType Check = "predicate-type"
	// CheckPredicate: the predicate does not match the JSON
	// Schema of its type, or is not a valid value of its Go type (such as
	// [GateDecision.Validate]).
	CheckPredicate Check = "predicate"
	// CheckArtifact: an artifact given to
	// [BundleVerifier.Verify] matches no subject of the statement.
	CheckArtifact Check = "artifact"
)

// Problem is one reason an envelope of a bundle does not
// verify. It is a plain value, and its JSON form is stable; Message is for
// people and is not.
type Problem struct {
	// Check is the check that failed.
	Check Check `json:"check"`
	// Pointer is the RFC 6901 JSON pointer, within the statement, to the
	// value at fault, such as "/predicate/outcome", or "" when the problem
	// is not about one value.
	Pointer string `json:"pointer,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// EnvelopeReport is what [BundleVerifier.Verify] found about one envelope
// of a bundle. It is a plain value.
type EnvelopeReport struct {
	// Line is the envelope's line in the bundle, from 1.
	Line int `json:"line"`
	// KeyID is the key id of the verifier that accepted a signature of
	// the envelope, or "" if none did.
	KeyID string `json:"keyId,omitempty"`
	// PayloadType is the envelope's payload type.
	PayloadType string `json:"payloadType"`
	// Statement is the statement in the verified payload, or nil when no
	// signature verified or the payload is not a JSON object. It is set
	// even when the statement has problems.
	Statement *Statement `json:"statement,omitempty"`
	// Decision is the statement's predicate when it is a [GateDecision]
	// that matches its schema and is valid, and nil otherwise. It is left
	// out of JSON, where Statement holds it.
	Decision *GateDecision `json:"-"`
	// Problems are the reasons the envelope does not verify, in the order
	// of the checks; none when it verifies.
	Problems []Problem `json:"problems,omitempty"`
}

// Verified reports whether the envelope verified: no check found a
// problem.
func (r *EnvelopeReport) Verified() bool { return len(r.Problems) == 0 }

// BundleReport is what [BundleVerifier.Verify] found about a bundle: one
// [EnvelopeReport] per envelope, in the order of the bundle. It is a plain
// value.
type BundleReport struct {
	// Envelopes are the reports of the envelopes.
	Envelopes []EnvelopeReport `json:"envelopes"`
}

// Verified reports whether r has envelopes and every one verified.
func (r *BundleReport) Verified() bool {
	if len(r.Envelopes) == 0 {
		return false
	}
	for i := range r.Envelopes {
		if !r.Envelopes[i].Verified() {
			return false
		}
	}
	return true
}

// BundleOptions configures [BundleVerifier.Verify]. A nil *BundleOptions,
// like the zero value, checks no artifacts.
type BundleOptions struct {
	// Artifacts are the artifacts every statement must be about, by
	// digest, such as the files of a release (see [DigestContent] and
	// [Content.Subject]). An artifact matches a subject when they have a
	// digest algorithm in common and agree on every digest they have in
	// common; names are labels and are not compared.
	Artifacts []evidence.Subject
}

// PredicateTypes returns the in-toto predicate types aimskit publishes,
// each with a JSON Schema, sorted: [PredicateGateDecision].
func PredicateTypes() []string {
	return slices.Sorted(maps.Keys(publishedPredicates()))
}

// predicateSchema is the published JSON Schema of a predicate type.
type predicateSchema struct {
	id     string
	schema []byte
}

// publishedPredicates returns the published predicate types with their
// schemas.
func publishedPredicates() map[string]predicateSchema {
	return map[string]predicateSchema{
		PredicateGateDecision: {GateDecisionSchemaID, gateDecisionSchema},
	}
}

// BundleVerifier verifies in-toto bundles (JSON Lines, one DSSE envelope
// per line, as [WriteBundle] writes and [ReadBundle] reads) with a fixed
// set of keys, against the published schemas of [PredicateTypes], which
// it compiles once. It is immutable and safe for concurrent use. The zero
// value is not usable; use [NewBundleVerifier].
type BundleVerifier struct {
	verifiers  []keyedVerifier
	predicates map[string]predicateSchema
	schemas    *schema.Set
}

// NewBundleVerifier returns a bundle verifier that accepts signatures by
// any of verifiers; nil verifiers are skipped. It copies the list. It
// returns an error matching [ErrInvalid] if there is no verifier.
func NewBundleVerifier(verifiers ...evidence.Verifier) (*BundleVerifier, error) {
	bv := &BundleVerifier{predicates: publishedPredicates(), verifiers: keyedVerifiers(verifiers)}
	if len(bv.verifiers) == 0 {
		return nil, invalidf("new bundle verifier: no verifiers")
	}
	raw := make([][]byte, 0, len(bv.predicates))
	for _, t := range slices.Sorted(maps.Keys(bv.predicates)) {
		raw = append(raw, bv.predicates[t].schema)
	}
	set, err := schema.Compile(raw...)
	if err != nil {
		return nil, fmt.Errorf("evidence: new bundle verifier: %w", err)
	}
	bv.schemas = set
	return bv, nil
}

// Verify reads a bundle from bundle and verifies every envelope,
// reporting what it found about each in a [BundleReport].
//
// An envelope verifies when:
//
//   - a signature verifies with one of the verifier's keys (see
//     [Envelope.Verify]); an envelope whose signatures all name other keys
//     is reported as [CheckKey], naming the keys, and any other
//     failure as [CheckSignature];
//   - its payload type is [PayloadTypeInToto];
//   - the verified payload is an in-toto Statement v1 (see
//     [Statement.Validate]);
//   - the predicate type is one of [PredicateTypes], and the predicate
//     matches that type's JSON Schema, each mismatch reported with its
//     JSON pointer, and is valid ([GateDecision.Validate]);
//   - every artifact of opts matches a subject of the statement.
//
// Nothing is read from an envelope's payload until a signature over it
// has verified. Checks after a failed one are made where they still mean
// something: a payload whose signature does not verify is not decoded,
// and an artifact is checked against the subjects of any statement that
// was decoded.
//
// A problem with an envelope is a value in the report, not an error. The
// error is for a bundle that cannot be verified at all: it matches
// [ErrInvalid] for the zero BundleVerifier or an artifact with no valid
// digest, and [ErrMalformed] if a line of the bundle is not an envelope
// (the error names the line, from 1) or the bundle holds no envelope;
// read errors and ctx's error are returned wrapped.
func (bv *BundleVerifier) Verify(ctx context.Context, bundle io.Reader, opts *BundleOptions) (*BundleReport, error) {
	if len(bv.verifiers) == 0 {
		return nil, invalidf("verify bundle: no verifiers")
	}
	var artifacts []evidence.Subject
	if opts != nil {
		for i, a := range opts.Artifacts {
			if p := subjectProblem(a); p != "" {
				return nil, invalidf("verify bundle: artifact %d: %s", i, p)
			}
			artifacts = append(artifacts, a.Clone())
		}
	}
	rep := &BundleReport{}
	lr := lines.NewReader(bundle)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("evidence: verify bundle: %w", err)
		}
		line, _, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("evidence: verify bundle: %w", err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		env, err := ParseEnvelope(line)
		if err != nil {
			return nil, fmt.Errorf("%w (bundle line %d)", err, n)
		}
		rep.Envelopes = append(rep.Envelopes, bv.verify(ctx, n, env, artifacts))
	}
	if len(rep.Envelopes) == 0 {
		return nil, malformedf("bundle: no envelopes")
	}
	return rep, nil
}

// verify makes the checks of [BundleVerifier.Verify] on one envelope.
func (bv *BundleVerifier) verify(ctx context.Context, line int, env *Envelope, artifacts []evidence.Subject) EnvelopeReport {
	rep := EnvelopeReport{Line: line, PayloadType: env.PayloadType}
	add := func(check Check, pointer, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{Check: check, Pointer: pointer, Message: fmt.Sprintf(format, args...)})
	}
	if env.PayloadType != PayloadTypeInToto {
		add(CheckPayloadType, "", "payload type %q: want %q", env.PayloadType, PayloadTypeInToto)
	}
	payload, keyID, ok := bv.verifySignature(ctx, env)
	if !ok {
		rep.Problems = append(bv.signatureProblem(env), rep.Problems...)
		return rep
	}
	rep.KeyID = keyID
	if env.PayloadType != PayloadTypeInToto {
		return rep
	}
	var st Statement
	if err := json.Unmarshal(payload, &st); err != nil {
		add(CheckStatement, "", "payload is not an in-toto statement: %v", err)
		return rep
	}
	rep.Statement = &st
	if st.Type != StatementType {
		add(CheckStatement, "/_type", "_type %q: want %q", st.Type, StatementType)
		return rep
	}
	if p := statementProblem(&st); p != "" {
		add(CheckStatement, "", "%s", p)
	}
	bv.checkPredicate(&rep, &st)
	for _, a := range artifacts {
		if !slices.ContainsFunc(st.Subject, func(s evidence.Subject) bool { return digestsMatch(a, s) }) {
			add(CheckArtifact, "/subject", "artifact %s matches no subject; the subjects are %s",
				describeSubject(a), describeSubjects(st.Subject))
		}
	}
	return rep
}

// verifySignature returns the payload of env and the key id of the first
// verifier that accepts a signature of env, or ok false when none does.
func (bv *BundleVerifier) verifySignature(ctx context.Context, env *Envelope) (payload []byte, keyID string, ok bool) {
	for _, kv := range bv.verifiers {
		if p, err := env.Verify(ctx, env.PayloadType, kv.v); err == nil {
			return p, kv.id, true
		}
	}
	return nil, "", false
}

// signatureProblem says why no signature of env verified: every signature
// names a key other than those given, or a signature that should have
// verified did not.
func (bv *BundleVerifier) signatureProblem(env *Envelope) []Problem {
	var given, found []string
	for _, kv := range bv.verifiers {
		given = appendNew(given, kv.id)
	}
	for _, s := range env.Signatures {
		found = appendNew(found, s.KeyID)
	}
	otherKeys := !slices.Contains(given, "") && !slices.Contains(found, "")
	for _, id := range found {
		if slices.Contains(given, id) {
			otherKeys = false
		}
	}
	if otherKeys {
		return []Problem{{Check: CheckKey,
			Message: fmt.Sprintf("signed by key %s, not by the given key %s", strings.Join(found, ", "), strings.Join(given, ", "))}}
	}
	return []Problem{{Check: CheckSignature,
		Message: fmt.Sprintf("signature does not verify with the given key %s: the payload or the signature was changed after signing", strings.Join(given, ", "))}}
}

// checkPredicate checks the predicate type of st and validates its
// predicate against the type's schema, then as its Go type.
func (bv *BundleVerifier) checkPredicate(rep *EnvelopeReport, st *Statement) {
	ps, ok := bv.predicates[st.PredicateType]
	if !ok {
		rep.Problems = append(rep.Problems, Problem{Check: CheckPredicateType, Pointer: "/predicateType",
			Message: fmt.Sprintf("predicate type %q is not one aimskit publishes (%s)", st.PredicateType, strings.Join(PredicateTypes(), ", "))})
		return
	}
	problem := func(pointer, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{Check: CheckPredicate, Pointer: pointer, Message: fmt.Sprintf(format, args...)})
	}
	var doc any
	if len(st.Predicate) > 0 {
		dec := json.NewDecoder(bytes.NewReader(st.Predicate))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			problem("/predicate", "not JSON: %v", err)
			return
		}
	}
	violations, err := bv.schemas.Validate(ps.id, doc)
	if err != nil {
		problem("/predicate", "%v", err)
		return
	}
	for _, v := range violations {
		problem("/predicate"+v.Pointer, "%s", v.Message)
	}
	if len(violations) > 0 || st.PredicateType != PredicateGateDecision {
		return
	}
	var d GateDecision
	if err := json.Unmarshal(st.Predicate, &d); err != nil {
		problem("/predicate", "not a gate decision: %v", err)
		return
	}
	if err := d.Validate(); err != nil {
		problem("/predicate", "%s", strings.TrimPrefix(err.Error(), evidence.ErrInvalid.Error()+": "))
		return
	}
	rep.Decision = &d
}

// digestsMatch reports whether a and s have a digest algorithm in common
// and agree on every one they have in common.
func digestsMatch(a, s evidence.Subject) bool {
	common := false
	for alg, d := range a.Digest {
		sd, ok := s.Digest[alg]
		if !ok {
			continue
		}
		if !strings.EqualFold(sd, d) {
			return false
		}
		common = true
	}
	return common
}

// describeSubject returns s's name, if any, and its digests, for people.
func describeSubject(s evidence.Subject) string {
	digests := make([]string, 0, len(s.Digest))
	for _, alg := range slices.Sorted(maps.Keys(s.Digest)) {
		digests = append(digests, alg+":"+s.Digest[alg])
	}
	d := strings.Join(digests, " ")
	if s.Name == "" {
		return d
	}
	return fmt.Sprintf("%q (%s)", s.Name, d)
}

func describeSubjects(subjects []evidence.Subject) string {
	if len(subjects) == 0 {
		return "none"
	}
	out := make([]string, len(subjects))
	for i, s := range subjects {
		out[i] = describeSubject(s)
	}
	return strings.Join(out, ", ")
}

// appendNew appends id to ids unless it is there already.
func appendNew(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}
