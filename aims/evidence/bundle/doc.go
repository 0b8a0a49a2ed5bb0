// Package bundle writes and reads auditor's bundles: what an auditor
// needs to verify a period of a segmented evidence log
// ([evidence.SegmentLog]) offline, in one file.
//
// A bundle holds a contiguous range of the log's segments, each with its
// checkpoints file (the signed checkpoints, with the witnesses'
// cosignatures) and its time-stamps file if it has one; the log's note
// verifier key or, for a log whose key was rotated, its key ring
// ([evidence.KeyRing], whose periods count the records of the whole
// chain), the witnesses' keys and the time-stamping authority's
// certificate, if the writer gives them; and a manifest,
// [ManifestName], that lists every other file with its size and SHA-256
// and says what the evidence holds: the log's origin, the period of its
// records, the record counts, the first and latest checkpoints, and the
// format version ([Manifest]). [Write] writes one; [Extract] (or [Check],
// which writes nothing) reads one and checks its files against the
// manifest; [Verify] verifies the extracted evidence. The commands are
// "aimskit evidence bundle" and "aimskit evidence verify BUNDLE.tar".
//
// # Form
//
// A bundle is one uncompressed tar archive written with archive/tar:
// plain files at the top level, in byte order of their names (so the
// manifest comes first), each with mode 0644, owner 0 and a fixed
// modification time ([ModTime]). One file is easier to hand over, attach
// to a ticket, hash and sign than a folder, and the same evidence always
// gives the same bytes, so two copies can be compared by their digest.
// It is not compressed so that any tar reads it and nothing has to be
// trusted to decompress it; compress it for transport if needed. The
// reader takes nothing on trust: an entry must be a regular file with a
// plain, safe name (no folder, no absolute name, no ".."), given once,
// within size limits ([ReadOptions]), and the files must be exactly those
// the manifest lists with its digests. Each problem is an [*Error] that
// names the file, and for the manifest the field as a JSON pointer.
//
// # Trust
//
// A bundle is written by the party whose evidence it is, so nothing in
// it proves anything against that party on its own: the manifest's
// digests only show that the files are those the writer put in, and
// keys in the bundle are the keys the writer chose. What holds against
// the writer is a signature by a key the auditor received by another
// channel: the log's key (or key ring), a witness's key, a time-stamping
// authority's certificate. [Verify] therefore uses the auditor's anchors
// ([VerifyOptions.Log]) and, by default, no key from the bundle: with no
// log key given it fails. Only with [VerifyOptions.UseBundledAnchors]
// does it fill in, from the bundle, the anchors the auditor did not give,
// and the report ([Report.Anchors]) then marks them as used, with their
// fingerprints (the SHA-256 of the Ed25519 public key, which "aimskit
// keygen" prints as the key id, or of the certificate's DER) to compare
// with fingerprints received out of band. An anchor the auditor gave
// that differs from the bundle's is marked too: a bundle whose keys were
// swapped and whose checkpoints were re-signed fails with the auditor's
// key.
//
// Everything the manifest says of the evidence is checked against the
// verified segments: its record counts, periods, checkpoints and origin
// must be what they hold, or verification fails with [ProblemClaim].
//
// Keys alone cannot show that the history was not rewritten between two
// bundles, since the log's owner holds the log's key. An auditor who kept
// the previous bundle verifies the next one after it
// ([VerifyOptions.After]): it must extend the previous bundle's latest
// checkpoint, or fail with [evidence.ReasonTrustedMismatch]; a bundle that
// cannot show it (a gap between the two) fails with
// [ProblemNotContinued].
//
// # Errors
//
// Problems with the bundle's files and manifest are [*Error] values,
// which match [ErrMalformed] (a bundle that is not well formed) or
// [ErrMismatch] (files missing, extra or altered; claims the evidence
// does not bear out). [Extract] joins the errors about the files with
// [errors.Join], so that every missing, extra or altered file is named.
// The evidence's own verification errors are those of
// [evidence.VerifySegments]: a [*evidence.VerifyError] for tampering and
// a [*evidence.KeyError] for checkpoints signed by another key than the
// one given.
//
// # Concurrency
//
// The functions are safe for concurrent use; [Manifest] and [Report] are
// plain values.
//
// # Stability
//
// The bundle format is versioned by [Manifest.FormatVersion]: a reader
// refuses a version it does not know. The JSON names of the manifest and
// of the report, the names of the files and the [Problem] values are
// stable; error messages are not.
package bundle
