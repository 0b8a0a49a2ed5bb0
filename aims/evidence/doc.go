// Package evidence records what an AI management system decided and why,
// in a form that shows whether it was changed afterwards.
//
// A [Record] is one piece of evidence: a gate decision, a runtime
// decision, an assessment approval, a stage change, an incident, a
// suspension or a resumption, with the AI system, the controls, the
// artifacts (by digest), the outcome and its reasons. Personal data stays
// out by default: prompts and outputs are recorded as a [Content] digest
// and length, and [Record.Masked] lists what was replaced. A
// [ContentKey] makes the digests keyed (HMAC-SHA-256), so that short
// contents cannot be guessed from the log, and pseudonymises identities.
//
// Records go to a [Sink]. Unlike a logger, a sink returns an error, so
// that a decision whose evidence cannot be recorded fails closed. The
// package provides [MemorySink] for tests, [SlogSink] to mirror evidence
// into an operator's [log/slog] logger, [MultiSink] to write to several,
// and [FileLog], the durable one. [Buffered] takes a sink out of the
// caller's path: it holds records in a bounded buffer and writes them in
// batches on its own goroutine, through [BatchSink.WriteBatch] where the
// sink has it (as [FileLog] does), with a [FullPolicy] for a full buffer
// and a Retry policy ([RetryBackoff]) for a failing sink. [Queue] is the
// same machinery for writers that build their records on the buffer's
// goroutine, such as the runtime recorder of package aims.
//
// # The log
//
// A [FileLog] is a file of JSON Lines, one record per line, only ever
// appended to. Each line ends with a "prev" member holding the
// [LinkHash] of the line before it: "sha256:" and the lower-case hex
// SHA-256 of that line's bytes without its newline; the first line's prev
// is [Genesis]. The lines are also the leaves of an RFC 6962 Merkle tree
// (leaf hash SHA-256(0x00 || line), computed with
// [golang.org/x/mod/sumdb/tlog]). With a signing key, the log appends a
// signed [Checkpoint] of the tree, in the C2SP tlog-checkpoint format as a
// C2SP signed note, to the file named by the log's path and
// [CheckpointsSuffix], one JSON object {"note": "..."} per line, every N
// records or T time and when it is closed.
//
// The Merkle tree's hashes are kept beside the log, in the folder named
// by the log's path and [TilesSuffix], in the tiles of height 8 of the Go
// checksum database and C2SP tlog-tiles: the file named by level L (0, 1,
// 2, …) holds the level-L tiles back to back, tile N at byte N×8,192,
// and the file "offsets" the end in the log of each full level-0 tile's
// last record. They are written as records are appended, so that
// [OpenFile] reads only the tail of a log (the records after the last
// full tile, and the latest checkpoint) and a [FileLog] holds no more
// memory for a log of a billion records than for one of a thousand; they
// are derived from the log, and [OpenFile] rebuilds them when they are
// missing or do not match it.
//
// [VerifyLog] and [VerifyFile] read a log and its checkpoints and report
// the first record at which it is not as written, and, check by check
// ([VerifyReport.Checks]), what holds. [FileLog.ProveInclusion],
// [FileLog.ProveConsistency] and a [Prover] (which reads a log without
// the writer's lock) give an auditor proofs that a record is in the log
// and that the log only grew, which [CheckInclusion] and
// [CheckConsistency] check with nothing but a checkpoint and the log's
// note verifier key ([NoteVerifierKey]).
//
// # What verification proves
//
// A hash chain proves nothing against whoever can write the file. What a
// verification proves depends on what the verifier holds:
//
//   - The log alone: every record links to the one before it. Anyone who
//     can write the file can rewrite and relink it, cut it or empty it.
//   - The log and the key ([VerifyOptions.Key]): every record is covered
//     by a checkpoint signed with the key, whose root is the tree hash of
//     the records; a missing checkpoints file and records after the
//     latest checkpoint fail ([ReasonUnanchored]) unless
//     [VerifyOptions.MaxUnanchored] allows them. A rollback to a state the
//     log was in and signed cannot be seen, nor records that a writer
//     adopted after a crash (see [OpenFile]).
//   - The key and a trusted checkpoint ([VerifyOptions.Trusted]), kept
//     from an earlier visit: the log holds the records it signed,
//     unchanged; a cut, a consistent rewrite or a fork before its size
//     fails.
//   - The key and witnesses ([VerifyOptions.Witnesses]): the latest
//     checkpoint carries the cosignatures of a quorum of witnesses, each
//     of which cosigned only a checkpoint consistent with the last one of
//     the log it cosigned, so a rewrite or fork after a cosigned
//     checkpoint fails ([ReasonUnwitnessed]) even when it was re-signed
//     with the log's own stolen key.
//   - The key and a time-stamping authority's certificate
//     ([VerifyOptions.TSACert]): each RFC 3161 time-stamp of a checkpoint
//     (see [TimestampsSuffix]) verifies with the certificate and is over
//     a verified checkpoint, so the records it covers existed by the time
//     it names, which no one inside the organisation controls. A log
//     gets them from the authority its user names
//     ([FileOptions.Timestamper], package
//     [github.com/aimskit/aimskit/aims/evidence/timestamp]); nothing is
//     contacted by default.
//
// # Witnesses and key rotation
//
// A [FileLog] with [FileOptions.Witnesses] asks each witness, over the
// C2SP tlog-witness protocol, to cosign every new checkpoint, with a
// consistency proof from the checkpoint the witness last cosigned, and
// adds the cosignatures ([Cosignature], C2SP tlog-cosignature, Ed25519
// cosignature/v1) to the checkpoint's note. A witness that is down or
// refuses never stops the log: the checkpoint is written without its
// cosignature and the witness is asked again later. Package
// [github.com/aimskit/aimskit/aims/evidence/witness] is a witness;
// [WitnessKey] is a witness's public key, [Cosigner] makes cosignatures
// and [Cosignatures] checks them.
//
// A [KeyRing] lists the keys that signed a log over its life, each with
// the log sizes it may sign: [FileOptions.KeyRing] lets a log reopened
// with a new key accept the checkpoints of the old one, and
// [VerifyOptions.KeyRing] verifies the whole log, refusing a checkpoint
// signed by a key outside its period ([ReasonKeyPeriod]). A segmented log
// takes the same ring ([SegmentOptions.File], [SegmentVerifyOptions.Log]),
// its periods counting the records of the whole chain of segments.
//
// Checkpoints signed by another key, or under another origin, give a
// [*KeyError] (a mistake in the verifier's configuration), never a
// [*VerifyError]. The writer itself never launders: [OpenFile] verifies a
// log against its own signed checkpoints before it appends, and refuses
// one that was changed, cut back or forked.
//
// # Keys
//
// [Signer] and [Verifier] have the method sets of go-securesystemslib's
// DSSE interfaces, so KMS-backed signers written for it work here;
// [NewEd25519Signer] and [NewEd25519Verifier] make them from Ed25519 keys
// (stdlib), which also sign checkpoints ([NewNoteSigner]). [GenerateKey]
// and the Marshal and Parse functions handle the PEM key files. The
// in-toto attestations of gate decisions, DSSE envelopes and release
// bundles are in package [github.com/aimskit/aimskit/aims/evidence/attest].
//
// # ISO/IEC 42001 and the EU AI Act
//
// The log serves ISO/IEC 42001 clause 7.5.3 (documented information is
// protected from unintended alteration and its changes are controlled: the
// log is append-only and any change shows, also when its key is stolen
// (witnesses) or rotated (key rings)), clause 9.1 (the results of
// monitoring are retained as evidence), clause 9.2 (an internal audit can
// check the evidence against witnesses it chose, without trusting the
// log's writer), control A.6.2.8 (the AI system records event logs) and
// control A.8.4 (incidents are recorded and communicated). It supports the record-keeping of the EU AI Act: Art. 12
// (high-risk AI systems log events automatically over their lifetime),
// Art. 19 (providers keep the automatically generated logs) and Art. 26(6)
// (deployers keep the logs under their control for at least six months).
// A [SegmentLog] keeps a log as a chain of segment files, closed daily or
// by size, each beginning with a record that commits to the previous
// segment's final signed checkpoint; [VerifySegments] checks the chain.
// A [Retention] says how long closed segments are kept, at least six
// months for a high-risk AI system (Art. 19(1), 26(6); a shorter one is
// an error); [PruneSegments] deletes the oldest segments once their
// retention has ended, and verification reports that as retention, with
// the oldest remaining anchor, while a segment deleted in the middle or
// too early is tampering. Nothing else in the package deletes.
// [SegmentVerifyOptions.Range] verifies a range of segments that does not
// begin with segment 1, such as the period of an auditor's bundle
// (package [github.com/aimskit/aimskit/aims/evidence/bundle], "aimskit
// evidence bundle"), anchored by its first segment's commitment.
//
// # Errors
//
// Errors from this package match one of these sentinels with [errors.Is]
// (a [*VerifyError] about a checkpoint's signature matches both
// [ErrTampered] and [ErrVerification]):
//
//   - [ErrInvalid]: a record, statement, decision, key or argument given by
//     the caller is not valid.
//   - [ErrMalformed]: bytes to decode (an envelope, a bundle, a checkpoint,
//     a proof, a key file) are not in the expected format.
//   - [ErrVerification]: a signature, checkpoint signature or proof does
//     not verify.
//   - [ErrTampered]: a log does not verify; the error is a [*VerifyError]
//     that [errors.As] reads for the record index and the [Reason]. A
//     tile file that does not match an open log's tree gives a
//     [*TileError], which names the file and the tile.
//   - [ErrWrongKey]: checkpoints are signed by another key or name
//     another origin; the error is a [*KeyError] naming both.
//   - [ErrLocked]: another writer has the log open.
//   - [ErrClosed]: the log or buffer has been closed.
//   - [ErrBufferFull]: a buffer is full under [FullFail].
//   - [ErrNotRecorded]: a buffer under [BufferOptions.FailOnError] is
//     giving up records because its sink fails.
//
// Errors of the context and of the file system are wrapped with %w and
// match their own sentinels (such as [context.Canceled] and
// [io/fs.ErrNotExist]). Messages are for people and may change.
//
// # Concurrency
//
// [FileLog], [SegmentLog], [MemorySink], [MultiSink], [SlogSink], [Buffered], [Queue],
// [Ed25519Signer], [Ed25519Verifier], [Cosigner], [ContentKey] and a [Prover] once
// made are safe for concurrent use. [Record], [Checkpoint],
// [VerifyReport] and [VerifyOptions] are plain values owned by whoever
// holds them; functions that keep one copy it. Only [NewBuffered]
// and [NewQueue] start a goroutine that outlives the call, which Close
// ends. [VerifyLog] and [VerifyFile] check records on
// [VerifyOptions.Workers] goroutines, which end before they return.
//
// # Stability
//
// The package is at v0, so names may change before v1. Formats are
// promised separately: the JSON names of a record are fixed for its
// [SchemaVersion], the log and checkpoint formats and the [Reason] values
// are fixed.
// After v1, no method will be added to [Sink], [Signer] or [Verifier]; new
// abilities will come as optional interfaces, like [Flusher] and
// [Closer].
package evidence
