package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/controls"
)

// SchemaVersion is the value of [Record.SchemaVersion] for records of this
// version of the format. It changes only when the JSON form of a record
// changes incompatibly.
const SchemaVersion = "aimskit.dev/evidence/v1"

// Type is the kind of event a [Record] is evidence of. The zero value,
// [TypeUnspecified], is not valid in a record.
type Type string

// The record types.
const (
	// TypeUnspecified is the zero Type. [Record.Validate] rejects it.
	TypeUnspecified Type = ""
	// TypeGateDecision records the decision of a lifecycle gate (ISO/IEC
	// 42001 A.6.2.4, A.6.2.5).
	TypeGateDecision Type = "gate-decision"
	// TypeRuntimeDecision records a consequential decision made while an AI
	// system was serving (A.6.2.8).
	TypeRuntimeDecision Type = "runtime-decision"
	// TypeAssessmentApproval records the approval of a risk or impact
	// assessment (6.1.2, 6.1.4, 8.2, 8.4).
	TypeAssessmentApproval Type = "assessment-approval"
	// TypeStageChange records a move of an AI system to another life-cycle
	// stage.
	TypeStageChange Type = "stage-change"
	// TypeIncident records an incident or its update (A.8.4; EU AI Act
	// Art. 73).
	TypeIncident Type = "incident"
	// TypeSuspension records that an AI system was suspended (A.6.2.6).
	TypeSuspension Type = "suspension"
	// TypeResumption records that a suspended AI system may serve again.
	TypeResumption Type = "resumption"
	// TypeLogRecovery records what a [FileLog] did when it was opened
	// after a crash: the incomplete last line it cut off (kept in a side
	// file) and the records after the latest checkpoint that it adopted.
	// It is about the log, not an AI system: its System is the nil UUID.
	TypeLogRecovery Type = "log-recovery"
)

// Types returns the valid record types, in a fixed order.
func Types() []Type {
	return []Type{
		TypeGateDecision, TypeRuntimeDecision, TypeAssessmentApproval, TypeStageChange,
		TypeIncident, TypeSuspension, TypeResumption, TypeLogRecovery, TypeLogSegment,
	}
}

// Valid reports whether t is one of [Types].
func (t Type) Valid() bool { return slices.Contains(Types(), t) }

// String returns t as written in JSON.
func (t Type) String() string { return string(t) }

// Subject is an artifact a record or statement is about, identified by its
// digests, as an in-toto ResourceDescriptor with name and digest: a model,
// a data set, a release artifact, a governance document.
//
// Digest maps an algorithm name in lower case ("sha256", "sha512", …) to
// the lower-case hex digest. Subjects are matched by digest only; Name is a
// stable label for people.
//
// The zero value has no digest, which [Subject.Validate] rejects. A Subject
// is a plain value; [Subject.Clone] copies its map.
type Subject struct {
	// Name labels the subject, such as a file name.
	Name string `json:"name,omitempty"`
	// Digest maps algorithm names to digests.
	Digest map[string]string `json:"digest"`
}

// Clone returns a deep copy of s.
func (s Subject) Clone() Subject {
	s.Digest = maps.Clone(s.Digest)
	return s
}

// hexLen is the hex length of the digests of the in-toto DigestSet
// algorithms whose length is fixed.
var hexLen = map[string]int{
	"sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128,
	"sha512_224": 56, "sha512_256": 64,
	"sha3_224": 56, "sha3_256": 64, "sha3_384": 96, "sha3_512": 128,
	"sha1": 40, "md5": 32, "gitCommit": 40, "gitTree": 40, "gitBlob": 40,
}

// Validate reports whether s has at least one digest, every algorithm name
// is non-empty and every digest is non-empty; digests of the algorithms of
// the in-toto DigestSet with a fixed length (sha256, sha512, gitCommit, …)
// must be lower-case hex of that length. The error matches [ErrInvalid].
func (s Subject) Validate() error {
	if p := subjectProblem(s); p != "" {
		return invalidf("%s", p)
	}
	return nil
}

// subjectProblem says what is wrong with s, or returns "".
func subjectProblem(s Subject) string {
	if len(s.Digest) == 0 {
		return fmt.Sprintf("subject %q: no digest", s.Name)
	}
	for _, alg := range slices.Sorted(maps.Keys(s.Digest)) {
		d := s.Digest[alg]
		if alg == "" {
			return fmt.Sprintf("subject %q: empty digest algorithm", s.Name)
		}
		if d == "" {
			return fmt.Sprintf("subject %q: empty %s digest", s.Name, alg)
		}
		if n, ok := hexLen[alg]; ok && (len(d) != n || !isLowerHex(d)) {
			return fmt.Sprintf("subject %q: %s digest is not %d lower-case hex digits", s.Name, alg, n)
		}
	}
	return ""
}

// Content stands in for content that must not be stored, such as a prompt
// or a model output: its digest and its length in bytes. Recording Content
// instead of the content keeps personal data out of the evidence while
// still letting anyone who holds the content show that it is what was
// recorded.
//
// The digest is either plain or keyed, and exactly one of SHA256 and
// HMACSHA256 is set. A plain digest ([DigestContent]) verifies without a
// key, but anyone can test guesses against it, which recovers low-entropy
// content such as "approve" or "decline". A keyed digest
// ([ContentKey.Digest]) is an HMAC-SHA-256 under a secret of the
// deployment: only a holder of the key can verify it or test guesses. See
// [ContentKey] for the trade-off.
//
// Content is a plain value; the zero value stands for nothing.
type Content struct {
	// SHA256 is the lower-case hex SHA-256 digest of the content, for a
	// plain digest.
	SHA256 string `json:"sha256,omitempty"`
	// HMACSHA256 is the lower-case hex HMAC-SHA-256 of the content under
	// the key KeyID names, for a keyed digest.
	HMACSHA256 string `json:"hmacSha256,omitempty"`
	// KeyID is the id of the [ContentKey] of a keyed digest
	// ([ContentKey.ID]), and empty for a plain one.
	KeyID string `json:"keyId,omitempty"`
	// Length is the length of the content in bytes.
	Length int `json:"length"`
}

// DigestContent returns the [Content] for b.
func DigestContent(b []byte) Content {
	sum := sha256.Sum256(b)
	return Content{SHA256: hex.EncodeToString(sum[:]), Length: len(b)}
}

// Subject returns a [Subject] with the given name and c's SHA-256 digest.
// A keyed c gives a Subject without a digest, which [Subject.Validate]
// rejects: an in-toto subject is matched by anyone who holds the
// artifact, which a keyed digest does not allow. Use [DigestContent] for
// artifacts.
func (c Content) Subject(name string) Subject {
	if c.Keyed() {
		return Subject{Name: name}
	}
	return Subject{Name: name, Digest: map[string]string{"sha256": c.SHA256}}
}

// Keyed reports whether c holds a keyed digest ([ContentKey.Digest]).
func (c Content) Keyed() bool { return c.HMACSHA256 != "" }

// Validate reports whether c is a well-formed digest: exactly one of
// SHA256 and HMACSHA256 holds 64 lower-case hex digits, KeyID holds the 8
// lower-case hex digits of a key id if and only if HMACSHA256 is set, and
// Length is not negative. The zero Content has no digest and is not
// valid. The error matches [ErrInvalid]. Validate does not allocate unless
// c is invalid.
func (c Content) Validate() error {
	switch {
	case c.SHA256 != "" && c.HMACSHA256 != "":
		return invalidf("content: both a plain and a keyed digest")
	case c.SHA256 != "":
		if len(c.SHA256) != 64 || !isLowerHex(c.SHA256) {
			return invalidf("content: sha256 digest is not 64 lower-case hex digits")
		}
		if c.KeyID != "" {
			return invalidf("content: key id on a plain digest")
		}
	case c.HMACSHA256 != "":
		if len(c.HMACSHA256) != 64 || !isLowerHex(c.HMACSHA256) {
			return invalidf("content: hmac-sha256 digest is not 64 lower-case hex digits")
		}
		if len(c.KeyID) != 8 || !isLowerHex(c.KeyID) {
			return invalidf("content: key id %q is not 8 lower-case hex digits", c.KeyID)
		}
	default:
		return invalidf("content: no digest")
	}
	if c.Length < 0 {
		return invalidf("content: negative length %d", c.Length)
	}
	return nil
}

// Record is one piece of evidence: a decision or event, when it happened,
// which AI system and controls it concerns and what it was about.
//
// A Record holds no raw content by default: prompts, outputs and other
// personal data are recorded as [Content] digests inside Data, and Masked
// lists the fields that were so replaced. Storing raw content is the
// caller's choice.
//
// The zero value is an empty record that [Record.Validate] rejects. A Record
// is a plain value, not safe for concurrent mutation; [Record.Clone] gives
// an independent copy. The JSON names are stable within a
// [SchemaVersion].
type Record struct {
	// SchemaVersion is the record format, [SchemaVersion].
	SchemaVersion string `json:"schemaVersion"`
	// ID identifies the record. It is a UUID version 7, so IDs sort by
	// creation time.
	ID uuid.UUID `json:"id"`
	// Time is when the decision was made or the event happened.
	Time time.Time `json:"time"`
	// Type is the kind of event.
	Type Type `json:"type"`
	// System is the id of the AI system the record is about.
	System uuid.UUID `json:"system,omitzero"`
	// Controls are the ids of the controls and clauses the record is
	// evidence for, written "namespace:ref", e.g. "iso42001:A.6.2.8".
	Controls []string `json:"controls,omitempty"`
	// Subjects are the artifacts the record is about, such as the model and
	// data set digests of a release.
	Subjects []Subject `json:"subjects,omitempty"`
	// Outcome is the result, e.g. "allow", "deny", "approved", "suspended".
	Outcome string `json:"outcome,omitempty"`
	// Reasons say why, one sentence each.
	Reasons []string `json:"reasons,omitempty"`
	// Actor is who or what made the decision or caused the event: a user
	// name, a service account, "aimskit/gate".
	Actor string `json:"actor,omitempty"`
	// PolicyRevision identifies the version of the governance documents the
	// decision was made under, such as a commit hash or a store revision.
	PolicyRevision string `json:"policyRevision,omitempty"`
	// TraceID is the W3C trace id (32 lower-case hex digits) of the request
	// the decision was made in, if any.
	TraceID string `json:"traceId,omitempty"`
	// SpanID is the W3C span id (16 lower-case hex digits), if any.
	SpanID string `json:"spanId,omitempty"`
	// Data holds the fields specific to the record's type, as a JSON object.
	// Content that must not be stored goes here as [Content].
	Data json.RawMessage `json:"data,omitempty"`
	// Masked lists, as JSON pointers into the record (e.g.
	// "/data/prompt"), the fields whose content was replaced by a
	// [Content] digest or removed.
	Masked []string `json:"masked,omitempty"`
	// Prev is the hash of the line before this record in a [FileLog], or
	// [Genesis] for the first record, in the form of [LinkHash]. The log sets
	// it; it is empty in records that are not (yet) in a log.
	Prev string `json:"prev,omitempty"`
}

// Clone returns a deep copy of r. Clone of nil is nil.
func (r *Record) Clone() *Record {
	if r == nil {
		return nil
	}
	c := *r
	c.Controls = slices.Clone(r.Controls)
	if r.Subjects != nil {
		c.Subjects = make([]Subject, len(r.Subjects))
		for i, s := range r.Subjects {
			c.Subjects[i] = s.Clone()
		}
	}
	c.Reasons = slices.Clone(r.Reasons)
	c.Data = bytes.Clone(r.Data)
	c.Masked = slices.Clone(r.Masked)
	return &c
}

// Stamp fills in the fields a record gets when it is made, each only if it
// is unset: SchemaVersion, ID from newID and Time from now, in UTC. A nil
// now means [time.Now]; a nil newID means [uuid.NewV7]. Stamp returns the
// error of newID, and changes nothing in that case.
func (r *Record) Stamp(now func() time.Time, newID func() (uuid.UUID, error)) error {
	if r.ID == uuid.Nil {
		if newID == nil {
			newID = uuid.NewV7
		}
		id, err := newID()
		if err != nil {
			return fmt.Errorf("evidence: stamp: new id: %w", err)
		}
		r.ID = id
	}
	if r.SchemaVersion == "" {
		r.SchemaVersion = SchemaVersion
	}
	if r.Time.IsZero() {
		if now == nil {
			now = time.Now
		}
		r.Time = now().UTC()
	}
	return nil
}

// Validate reports whether r is a complete, well-formed record: the
// schema version is [SchemaVersion]; ID is a UUID version 7; Time is set;
// Type is valid; System is set (except in a [TypeLogRecovery] or
// [TypeLogSegment] record);
// every control is "namespace:ref"; every subject is valid; reasons and masked pointers are non-empty (pointers
// start with "/"); trace and span ids, if set, are W3C ids; Data, if set, is
// a JSON object; Prev, if set, has the form of [LinkHash]. The error
// matches [ErrInvalid].
func (r *Record) Validate() error {
	if r == nil {
		return invalidf("nil record")
	}
	if r.SchemaVersion != SchemaVersion {
		return invalidf("schemaVersion %q: want %q", r.SchemaVersion, SchemaVersion)
	}
	if r.ID == uuid.Nil || r.ID.Version() != 7 || r.ID.Variant() != uuid.RFC4122 {
		return invalidf("id %s: want a UUID version 7", r.ID)
	}
	if r.Time.IsZero() {
		return invalidf("record %s: no time", r.ID)
	}
	if !r.Type.Valid() {
		return invalidf("record %s: unknown type %q", r.ID, r.Type)
	}
	if r.System == uuid.Nil && r.Type != TypeLogRecovery && r.Type != TypeLogSegment {
		return invalidf("record %s: no system", r.ID)
	}
	for _, c := range r.Controls {
		if !validControlID(c) {
			return invalidf("record %s: control %q: want namespace:ref, e.g. iso42001:A.6.2.8", r.ID, c)
		}
	}
	for _, s := range r.Subjects {
		if p := subjectProblem(s); p != "" {
			return invalidf("record %s: %s", r.ID, p)
		}
	}
	for _, s := range r.Reasons {
		if strings.TrimSpace(s) == "" {
			return invalidf("record %s: empty reason", r.ID)
		}
	}
	if r.TraceID != "" && (len(r.TraceID) != 32 || !isLowerHex(r.TraceID) || strings.Count(r.TraceID, "0") == 32) {
		return invalidf("record %s: traceId %q: want 32 lower-case hex digits, not all zero", r.ID, r.TraceID)
	}
	if r.SpanID != "" && (len(r.SpanID) != 16 || !isLowerHex(r.SpanID) || strings.Count(r.SpanID, "0") == 16) {
		return invalidf("record %s: spanId %q: want 16 lower-case hex digits, not all zero", r.ID, r.SpanID)
	}
	if len(r.Data) > 0 {
		if !validJSON(r.Data) {
			return invalidf("record %s: data is not valid JSON", r.ID)
		}
		if b := bytes.TrimLeft(r.Data, " \t\r\n"); b[0] != '{' {
			return invalidf("record %s: data is not a JSON object", r.ID)
		}
	}
	for _, m := range r.Masked {
		if !strings.HasPrefix(m, "/") {
			return invalidf("record %s: masked %q: want a JSON pointer such as /data/prompt", r.ID, m)
		}
	}
	if r.Prev != "" && !validLinkHash(r.Prev) {
		return invalidf("record %s: prev %q: want sha256: and 64 lower-case hex digits", r.ID, r.Prev)
	}
	return nil
}

// LogValue implements [slog.LogValuer]. It logs every field but Data, which
// may hold content that the caller chose to store, as a group; Data is
// logged as its length in bytes.
func (r *Record) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue("<nil>")
	}
	attrs := make([]slog.Attr, 0, 16)
	attrs = append(attrs,
		slog.String("id", r.ID.String()),
		slog.String("type", string(r.Type)),
		slog.Time("time", r.Time),
		slog.String("system", r.System.String()),
	)
	attrs = appendOptional(attrs, r, "")
	return slog.GroupValue(attrs...)
}

// appendOptional appends the attributes of r's optional fields that are
// set, with keys prefixed by prefix.
func appendOptional(attrs []slog.Attr, r *Record, prefix string) []slog.Attr {
	if len(r.Controls) > 0 {
		attrs = append(attrs, slog.Any(prefix+"controls", slices.Clone(r.Controls)))
	}
	if len(r.Subjects) > 0 {
		names := make([]string, len(r.Subjects))
		for i, s := range r.Subjects {
			names[i] = s.Name
		}
		attrs = append(attrs, slog.Any(prefix+"subjects", names))
	}
	if r.Outcome != "" {
		attrs = append(attrs, slog.String(prefix+"outcome", r.Outcome))
	}
	if len(r.Reasons) > 0 {
		attrs = append(attrs, slog.Any(prefix+"reasons", slices.Clone(r.Reasons)))
	}
	if r.Actor != "" {
		attrs = append(attrs, slog.String(prefix+"actor", r.Actor))
	}
	if r.PolicyRevision != "" {
		attrs = append(attrs, slog.String(prefix+"policy_revision", r.PolicyRevision))
	}
	if r.TraceID != "" {
		attrs = append(attrs, slog.String(prefix+"trace_id", r.TraceID))
	}
	if r.SpanID != "" {
		attrs = append(attrs, slog.String(prefix+"span_id", r.SpanID))
	}
	if len(r.Data) > 0 {
		attrs = append(attrs, slog.Int(prefix+"data_bytes", len(r.Data)))
	}
	if len(r.Masked) > 0 {
		attrs = append(attrs, slog.Any(prefix+"masked", slices.Clone(r.Masked)))
	}
	if r.Prev != "" {
		attrs = append(attrs, slog.String(prefix+"prev", r.Prev))
	}
	return attrs
}

// recordFields are the JSON names of a record's fields.
var recordFields = map[string]bool{
	"schemaVersion": true, "id": true, "time": true, "type": true, "system": true,
	"controls": true, "subjects": true, "outcome": true, "reasons": true, "actor": true,
	"policyRevision": true, "traceId": true, "spanId": true, "data": true, "masked": true,
	"prev": true,
}

// ParseRecord decodes one record from its JSON form, such as a line of a
// [FileLog] without the newline, and validates it. Field names must match
// exactly; unknown fields are errors. The error matches [ErrInvalid].
func ParseRecord(b []byte) (*Record, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, invalidf("bad JSON: %v", err)
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !recordFields[k] {
			return nil, invalidf("unknown field %q", k)
		}
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var r Record
	if err := d.Decode(&r); err != nil {
		return nil, invalidf("bad JSON: %v", err)
	}
	if d.More() {
		return nil, invalidf("trailing data after the record")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// validControlID reports whether s is a control or clause id of the form
// controls.ID accepts, "namespace:ref".
func validControlID(s string) bool {
	_, err := controls.ParseID(s)
	return err == nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Hash returns the content hash of r: "sha256:" followed by the lower-case
// hex SHA-256 digest of r's JSON object as a [FileLog] writes it, less its
// "prev" member (whatever r.Prev holds). It names the record apart from
// where it sits in a log, so it is known before the record is written: to
// check a log line against it, parse the line with [ParseRecord] and hash
// the result. It returns an error matching [ErrInvalid] if r is invalid.
func (r *Record) Hash() (string, error) {
	if err := r.Validate(); err != nil {
		return "", err
	}
	c := *r
	c.Prev = ""
	var e recordEncoder
	b, err := e.appendRecord(nil, &c)
	if err != nil {
		return "", invalidf("record %s: %v", r.ID, err)
	}
	return string(appendLinkHash(nil, b)), nil
}
