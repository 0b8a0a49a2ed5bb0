package bundle

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/timestamp"
)

// The kinds of an [Anchor].
const (
	// AnchorLogKey: the log's note verifier key.
	AnchorLogKey = "log-key"
	// AnchorWitness: a witness's verifier key.
	AnchorWitness = "witness"
	// AnchorTSACert: a time-stamping authority's certificate.
	AnchorTSACert = "tsa-cert"
	// AnchorKeyRing: the log's key ring, for a log whose key was rotated.
	AnchorKeyRing = "key-ring"
)

// Anchor is a trust anchor that a bundle carries. It is a plain value.
type Anchor struct {
	// Kind is [AnchorLogKey], [AnchorWitness], [AnchorTSACert] or
	// [AnchorKeyRing].
	Kind string `json:"kind"`
	// File is its file in the bundle.
	File string `json:"file"`
	// Name is the key's name (the log's origin, the witness's name), the
	// certificate's subject, or for a key ring its keys as
	// [DescribeKeyRing] gives them, joined by "; ".
	Name string `json:"name"`
	// Fingerprint is the hex SHA-256 of the Ed25519 public key (the key
	// id "aimskit keygen" and "aimskit witness key" print), of the
	// certificate's DER, or of a key ring's compact JSON (see
	// [KeyRingFingerprint]): what to compare with the fingerprint
	// received out of band.
	Fingerprint string `json:"fingerprint"`
	// Used says that verification used it, because the verifier gave no
	// anchor of its kind and asked for the bundled ones
	// ([VerifyOptions.UseBundledAnchors]).
	Used bool `json:"used"`
	// Matches says that the verifier gave an anchor of its kind, and this
	// one is among those given.
	Matches bool `json:"matches,omitempty"`
	// Differs says that the verifier gave an anchor of its kind, and this
	// one is not among those given.
	Differs bool `json:"differs,omitempty"`
}

// VerifyOptions says what [Verify] trusts. A nil *VerifyOptions trusts
// nothing, and fails for want of a key.
type VerifyOptions struct {
	// Log holds the trust anchors the verifier received out of band: the
	// log's key (Log.Key) or, for a log whose key was rotated, its key
	// ring (Log.KeyRing), the witnesses and their quorum, and the
	// time-stamping authority's certificate. Log.Trusted, a checkpoint kept from an earlier visit,
	// is checked against the last segment. Log.Start is not used.
	Log evidence.VerifyOptions
	// UseBundledAnchors fills in, from the bundle, the anchors of each
	// kind that Log lacks: the key ring, or else the log key, if Log.Key
	// and Log.KeyRing are empty, the witness
	// keys if Log.Witnesses is empty (with a quorum of all), the
	// certificate if Log.TSACert is nil. Anchors in the bundle were put
	// there by whoever wrote it, so they prove nothing against that
	// party: the report lists them with their fingerprints, which must be
	// compared with ones received out of band.
	UseBundledAnchors bool
	// After is the manifest of the auditor's previous bundle of the same
	// log, kept from the last visit: this bundle must continue it. Its
	// latest checkpoint (Manifest.LastCheckpoint, of its last segment)
	// must be extended by that segment in this bundle, or, if this bundle
	// begins with the next segment, be the final checkpoint of that
	// segment that this bundle's first segment holds. A history rewritten
	// between the two visits, and re-signed with the log's own key, then
	// fails. Nil checks nothing against an earlier visit.
	After *Manifest
}

// Report says what [Verify] checked. It is a plain value, and its JSON
// form is stable.
type Report struct {
	// Manifest is the bundle's manifest.
	Manifest *Manifest `json:"manifest"`
	// Anchors lists the anchors the bundle carries.
	Anchors []Anchor `json:"anchors"`
	// Segments is the verification of the segments.
	Segments evidence.SegmentsReport `json:"segments"`
}

// BundledAnchorsUsed reports whether verification used an anchor from
// the bundle itself.
func (r Report) BundledAnchorsUsed() bool {
	for _, a := range r.Anchors {
		if a.Used {
			return true
		}
	}
	return false
}

// ReadAnchors reads the anchors a bundle extracted into dir carries, as
// its manifest m names them.
func ReadAnchors(dir string, m *Manifest) ([]Anchor, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: read anchors: no manifest", ErrInvalid)
	}
	var out []Anchor
	read := func(ptr, name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, &Error{File: name, Pointer: ptr, Problem: ProblemMissing, Detail: err.Error()}
		}
		return b, nil
	}
	if name := m.Anchors.LogKey; name != "" {
		b, err := read("/anchors/logKey", name)
		if err != nil {
			return nil, err
		}
		a, _, err := logKeyAnchor(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, &Error{File: name, Pointer: "/anchors/logKey", Problem: ProblemManifest, Detail: err.Error()}
		}
		a.File = name
		out = append(out, a)
	}
	for i, name := range m.Anchors.Witnesses {
		ptr := fmt.Sprintf("/anchors/witnesses/%d", i)
		b, err := read(ptr, name)
		if err != nil {
			return nil, err
		}
		k, err := evidence.ParseWitnessKey(string(b))
		if err != nil {
			return nil, &Error{File: name, Pointer: ptr, Problem: ProblemManifest, Detail: err.Error()}
		}
		out = append(out, Anchor{Kind: AnchorWitness, File: name, Name: k.Name, Fingerprint: evidence.KeyID(k.Public)})
	}
	if name := m.Anchors.TSACert; name != "" {
		b, err := read("/anchors/tsaCert", name)
		if err != nil {
			return nil, err
		}
		c, err := timestamp.ParseCertificate(b)
		if err != nil {
			return nil, &Error{File: name, Pointer: "/anchors/tsaCert", Problem: ProblemManifest, Detail: err.Error()}
		}
		out = append(out, Anchor{Kind: AnchorTSACert, File: name, Name: c.Subject.String(), Fingerprint: CertFingerprint(c)})
	}
	if name := m.Anchors.KeyRing; name != "" {
		b, err := read("/anchors/keyRing", name)
		if err != nil {
			return nil, err
		}
		kr, err := evidence.ParseKeyRing(b)
		if err != nil {
			return nil, &Error{File: name, Pointer: "/anchors/keyRing", Problem: ProblemManifest, Detail: err.Error()}
		}
		out = append(out, Anchor{Kind: AnchorKeyRing, File: name, Name: strings.Join(DescribeKeyRing(kr), "; "), Fingerprint: KeyRingFingerprint(kr)})
	}
	return out, nil
}

// KeyRingFingerprint returns the hex SHA-256 of a key ring's compact JSON
// form, its keys in the order given: two rings with the same keys and
// periods in the same order have the same fingerprint, whatever the
// spacing of their files.
func KeyRingFingerprint(kr *evidence.KeyRing) string {
	b, _ := json.Marshal(kr) // a KeyRing always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// DescribeKeyRing returns a line for each key of a ring: its name, its
// fingerprint (see [LogKeyFingerprint]) and its period, such as
// "aimskit 1a2b… sizes 0 to 5000" or "aimskit 5e6f… sizes 5000 to now",
// for people to compare with the fingerprints received out of band.
func DescribeKeyRing(kr *evidence.KeyRing) []string {
	var lines []string
	for _, k := range kr.Keys {
		name, fp, _ := LogKeyFingerprint(k.Key)
		until := "now"
		if k.Until != nil {
			until = strconv.FormatInt(*k.Until, 10)
		}
		lines = append(lines, fmt.Sprintf("%s %s sizes %d to %s", name, fp, k.From, until))
	}
	return lines
}

// ringHasKey reports whether a ring holds the note verifier key vkey.
func ringHasKey(kr *evidence.KeyRing, vkey string) bool {
	_, fp, err := LogKeyFingerprint(vkey)
	if err != nil {
		return false
	}
	for _, k := range kr.Keys {
		if _, kfp, err := LogKeyFingerprint(k.Key); err == nil && kfp == fp {
			return true
		}
	}
	return false
}

// CertFingerprint returns the hex SHA-256 of a certificate's DER.
func CertFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// LogKeyFingerprint returns the name and the fingerprint (the hex SHA-256
// of the Ed25519 public key, [evidence.KeyID]) of a log's note verifier
// key.
func LogKeyFingerprint(vkey string) (name, fingerprint string, err error) {
	a, _, err := logKeyAnchor(vkey)
	return a.Name, a.Fingerprint, err
}

// logKeyAnchor parses a note verifier key of type Ed25519.
func logKeyAnchor(vkey string) (Anchor, ed25519.PublicKey, error) {
	name, rest, ok1 := strings.Cut(vkey, "+")
	_, keyText, ok2 := strings.Cut(rest, "+")
	key, err := base64.StdEncoding.DecodeString(keyText)
	if !ok1 || !ok2 || err != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != 1 {
		return Anchor{}, nil, fmt.Errorf("not a log's note verifier key (name+hash+key, Ed25519)")
	}
	if _, err := note.NewVerifier(vkey); err != nil {
		return Anchor{}, nil, fmt.Errorf("not a log's note verifier key: %v", err)
	}
	pub := ed25519.PublicKey(key[1:])
	return Anchor{Kind: AnchorLogKey, Name: name, Fingerprint: evidence.KeyID(pub)}, pub, nil
}

// Verify verifies the bundle extracted into dir, whose manifest m
// [Extract] returned: the segments it lists verify as a range of the
// log's chain ([evidence.SegmentVerifyOptions.Range]) with the anchors
// of opts, and what the manifest says of them (record counts, periods,
// checkpoints, origin) is what the verified segments hold.
//
// The anchors the bundle carries are used only with
// [VerifyOptions.UseBundledAnchors], and then the report marks them. An
// anchor given in opts that differs from the bundle's is marked too, and
// the segments are verified with the one given: a bundle whose keys were
// swapped and whose checkpoints were re-signed fails.
//
// Errors: a missing log key is an error matching [ErrInvalid]; the
// segments' verification errors are those of [evidence.VerifySegments]
// ([*evidence.VerifyError] for tampering, [*evidence.KeyError] for
// checkpoints signed by a key other than the one given); a claim of the
// manifest the evidence does not bear out is an [*Error] of
// [ProblemClaim].
func Verify(ctx context.Context, dir string, m *Manifest, opts *VerifyOptions) (Report, error) {
	rep := Report{Manifest: m}
	var o VerifyOptions
	if opts != nil {
		o = *opts
		o.Log.Witnesses = append([]evidence.WitnessKey(nil), opts.Log.Witnesses...)
	}
	if m == nil {
		return rep, fmt.Errorf("%w: verify: no manifest", ErrInvalid)
	}
	if o.Log.Key != "" && o.Log.KeyRing != nil {
		return rep, fmt.Errorf("%w: verify: give the log's key or its key ring, not both", ErrInvalid)
	}
	anchors, err := ReadAnchors(dir, m)
	if err != nil {
		return rep, err
	}
	givenWitnesses := len(o.Log.Witnesses) > 0
	givenLogKey := o.Log.Key != "" || o.Log.KeyRing != nil
	bundledRing := m.Anchors.KeyRing != ""
	for i := range anchors {
		a := &anchors[i]
		switch a.Kind {
		case AnchorLogKey:
			b, _ := os.ReadFile(filepath.Join(dir, a.File))
			vkey := strings.TrimSpace(string(b))
			switch {
			case o.Log.Key != "":
				_, fp, err := LogKeyFingerprint(o.Log.Key)
				a.Differs = err != nil || fp != a.Fingerprint
				a.Matches = !a.Differs
			case o.Log.KeyRing != nil:
				a.Matches = ringHasKey(o.Log.KeyRing, vkey)
				a.Differs = !a.Matches
			case o.UseBundledAnchors && !bundledRing:
				o.Log.Key, a.Used = vkey, true
			}
		case AnchorKeyRing:
			b, _ := os.ReadFile(filepath.Join(dir, a.File))
			kr, err := evidence.ParseKeyRing(b)
			if err != nil {
				return rep, err
			}
			switch {
			case o.Log.KeyRing != nil:
				a.Matches = KeyRingFingerprint(o.Log.KeyRing) == a.Fingerprint
				a.Differs = !a.Matches
			case o.Log.Key != "":
				a.Matches = ringHasKey(kr, o.Log.Key)
				a.Differs = !a.Matches
			case o.UseBundledAnchors && !givenLogKey:
				o.Log.KeyRing, a.Used = kr, true
			}
		case AnchorWitness:
			switch {
			case givenWitnesses:
				a.Differs = true
				for _, k := range o.Log.Witnesses {
					if evidence.KeyID(k.Public) == a.Fingerprint && k.Name == a.Name {
						a.Differs = false
					}
				}
				a.Matches = !a.Differs
			case o.UseBundledAnchors:
				b, _ := os.ReadFile(filepath.Join(dir, a.File))
				k, err := evidence.ParseWitnessKey(string(b))
				if err != nil {
					return rep, err
				}
				o.Log.Witnesses, a.Used = append(o.Log.Witnesses, k), true
			}
		case AnchorTSACert:
			switch {
			case o.Log.TSACert != nil:
				a.Differs = CertFingerprint(o.Log.TSACert) != a.Fingerprint
				a.Matches = !a.Differs
			case o.UseBundledAnchors:
				b, _ := os.ReadFile(filepath.Join(dir, a.File))
				c, err := timestamp.ParseCertificate(b)
				if err != nil {
					return rep, err
				}
				o.Log.TSACert, a.Used = c, true
			}
		}
	}
	rep.Anchors = anchors
	if o.Log.Key == "" && o.Log.KeyRing == nil {
		return rep, fmt.Errorf("%w: verify: no log key: give the log's public key or key ring, received out of band", ErrInvalid)
	}
	paths := make([]string, len(m.Segments))
	for i, s := range m.Segments {
		paths[i] = filepath.Join(dir, s.Name)
	}
	o.Log.Start = nil
	sopts := &evidence.SegmentVerifyOptions{Log: o.Log, Range: true}
	var anchorMustBe *evidence.Checkpoint // with After, when this bundle begins after its last segment
	if o.After != nil {
		if o.Log.Trusted != nil {
			return rep, fmt.Errorf("%w: verify: give a trusted checkpoint or the previous bundle's manifest, not both", ErrInvalid)
		}
		var err error
		if anchorMustBe, err = continues(m, o.After, sopts); err != nil {
			return rep, err
		}
	}
	segRep, err := evidence.VerifySegments(ctx, paths, sopts)
	rep.Segments = segRep
	if err != nil {
		return rep, err
	}
	if anchorMustBe != nil {
		// The first segment holds the final checkpoint of the previous
		// bundle's last segment; it must be the previous bundle's latest.
		var a evidence.Checkpoint
		if segRep.Range != nil {
			a, err = evidence.ParseCheckpoint([]byte(segRep.Range.Anchor))
		}
		switch {
		case segRep.Range == nil || err != nil:
			return rep, notContinued("/segments/0", "its first segment holds no checkpoint of the segment before it")
		case a.Size == anchorMustBe.Size && a.Root != anchorMustBe.Root:
			return rep, &evidence.VerifyError{Index: -1, Checkpoint: -1, Reason: evidence.ReasonTrustedMismatch,
				Detail: fmt.Sprintf("%s: the final checkpoint of segment %d that its first segment holds has another root than the previous bundle's latest checkpoint of the same size (%d records): the history was rewritten between the two bundles",
					m.Segments[0].Name, m.Segments[0].Sequence-1, a.Size)}
		case a.Size < anchorMustBe.Size:
			return rep, &evidence.VerifyError{Index: -1, Checkpoint: -1, Reason: evidence.ReasonTrustedMismatch,
				Detail: fmt.Sprintf("%s: segment %d ended with %d records, fewer than the %d of the previous bundle's latest checkpoint: records were removed between the two bundles",
					m.Segments[0].Name, m.Segments[0].Sequence-1, a.Size, anchorMustBe.Size)}
		case a.Size > anchorMustBe.Size:
			return rep, notContinued("/segments/0", fmt.Sprintf("segment %d ended with %d records, but the previous bundle's latest checkpoint is of %d: give a bundle that holds segment %d, so that its records show that one extends the other",
				m.Segments[0].Sequence-1, a.Size, anchorMustBe.Size, m.Segments[0].Sequence-1))
		}
	}
	return rep, checkClaims(m, paths, segRep)
}

// continues sets up the check that the bundle of manifest m continues the
// previous bundle of manifest prev: if m holds prev's last segment, that
// segment must extend prev's latest checkpoint (opts.Log.Trusted and
// TrustedSegment); if m begins with the segment after it, continues
// returns the checkpoint that m's first segment must hold. Anything else
// is an error.
func continues(m, prev *Manifest, opts *evidence.SegmentVerifyOptions) (*evidence.Checkpoint, error) {
	if len(prev.Segments) == 0 || prev.LastCheckpoint == "" {
		return nil, fmt.Errorf("%w: verify: the previous bundle's manifest lists no segment", ErrInvalid)
	}
	c, err := evidence.ParseCheckpoint([]byte(prev.LastCheckpoint))
	if err != nil {
		return nil, fmt.Errorf("%w: verify: the previous bundle's latest checkpoint: %v", ErrInvalid, err)
	}
	if prev.Origin != m.Origin || c.Origin != m.Origin {
		return nil, notContinued("/origin", fmt.Sprintf("%q, but the previous bundle is of %q", m.Origin, prev.Origin))
	}
	last := prev.Segments[len(prev.Segments)-1].Sequence
	first, end := m.Segments[0].Sequence, m.Segments[len(m.Segments)-1].Sequence
	switch {
	case first <= last && last <= end:
		opts.Log.Trusted, opts.TrustedSegment = []byte(prev.LastCheckpoint), last
		return nil, nil
	case last == first-1:
		return &c, nil
	case end < last:
		return nil, notContinued("/segments", fmt.Sprintf("segments %d to %d end before the previous bundle's last segment, %d", first, end, last))
	default:
		missing := fmt.Sprintf("segments %d to %d are", last+1, first-1)
		if last+1 == first-1 {
			missing = fmt.Sprintf("segment %d is", last+1)
		}
		return nil, notContinued("/segments/0", fmt.Sprintf("the bundle begins with segment %d, but the previous one ended with segment %d: %s in neither", first, last, missing))
	}
}

func notContinued(ptr, detail string) error {
	return &Error{File: ManifestName, Pointer: ptr, Problem: ProblemNotContinued, Detail: detail}
}

// checkClaims compares what the manifest says of the evidence with what
// the verified segments hold.
func checkClaims(m *Manifest, paths []string, rep evidence.SegmentsReport) error {
	claim := func(ptr, format string, args ...any) error {
		return &Error{File: ManifestName, Pointer: ptr, Problem: ProblemClaim, Detail: fmt.Sprintf(format, args...)}
	}
	if rep.Records != m.Records {
		return claim("/records", "%d records, but the segments hold %d", m.Records, rep.Records)
	}
	if rep.Before != m.Before {
		return claim("/before", "%d records before the bundle, but its first segment says %d", m.Before, rep.Before)
	}
	for i, p := range paths {
		s, ex, err := describeSegment(p)
		if err != nil {
			return err
		}
		ptr := fmt.Sprintf("/segments/%d", i)
		ms := m.Segments[i]
		switch {
		case s.Records != ms.Records:
			return claim(ptr+"/records", "%d records, but %s holds %d", ms.Records, ms.Name, s.Records)
		case !s.Period.From.Equal(ms.Period.From) || !s.Period.To.Equal(ms.Period.To):
			return claim(ptr+"/period", "%s to %s, but the records of %s are from %s to %s", ms.Period.From, ms.Period.To, ms.Name, s.Period.From, s.Period.To)
		case s.Checkpoints != ms.Checkpoints:
			return claim(ptr+"/checkpoints", "%d checkpoints, but %s holds %d", ms.Checkpoints, ms.Name+evidence.CheckpointsSuffix, s.Checkpoints)
		case i == 0 && ex.firstCheckpoint != m.FirstCheckpoint:
			return claim("/firstCheckpoint", "not the first checkpoint of %s", ms.Name)
		case i == len(paths)-1 && ex.lastCheckpoint != m.LastCheckpoint:
			return claim("/lastCheckpoint", "not the latest checkpoint of %s", ms.Name)
		case i == 0 && !s.Period.From.Equal(m.Period.From):
			return claim("/period/from", "%s, but the first record is of %s", m.Period.From, s.Period.From)
		case i == len(paths)-1 && !s.Period.To.Equal(m.Period.To):
			return claim("/period/to", "%s, but the last record is of %s", m.Period.To, s.Period.To)
		}
	}
	for i, s := range rep.Segments {
		if s.Report.Origin != "" && s.Report.Origin != m.Origin {
			return claim("/origin", "%q, but the checkpoints of %s are of %q", m.Origin, m.Segments[i].Name, s.Report.Origin)
		}
	}
	return nil
}
