// Package timestamp obtains and verifies RFC 3161 time-stamps of evidence
// log checkpoints, so that a log proves that its records existed by a
// time that no one inside the organisation controls.
//
// [NewRequest] builds a TimeStampReq over a SHA-256 digest, such as that
// of a checkpoint's note text ([Digest]); a [Client] sends it by HTTP POST
// (application/timestamp-query) to a time-stamping authority (TSA) that
// the user names, and returns the TimeStampToken of the response. Nothing
// is contacted unless a Client is made with a URL. [Verify] checks a
// token offline, with the token and the TSA's certificate alone: the
// token is CMS SignedData (RFC 5652) holding a TSTInfo; its message
// imprint must be the digest given, its single signer must be the
// certificate given, whose extended key usage must be time-stamping
// (critical, and the only one, as RFC 3161 section 2.3 requires), the
// signed attributes must bind the content and the certificate (ESS
// signing-certificate, v1 or v2), and the signature must verify. It
// returns the time the TSA says it saw the digest (genTime).
//
// The package uses the standard library only (encoding/asn1,
// crypto/x509). It supports RSA PKCS #1 v1.5, ECDSA and Ed25519
// signatures with SHA-256, SHA-384 or SHA-512; a token in another form is
// refused, never accepted unchecked.
//
// # ISO/IEC 42001 and the EU AI Act
//
// A time-stamp serves ISO/IEC 42001 clause 7.5.3 (documented information
// is protected from unintended alteration: a time-stamped checkpoint fixes
// the log's content at a time an outside party attests) and control
// A.6.2.8 (event logs of the AI system), and supports the record-keeping
// of EU AI Act Art. 12 (automatic logging over the system's lifetime)
// and Art. 19 and 26(6) (logs kept for a period, whose start a time-stamp
// proves).
//
// # Errors
//
// A token that does not verify gives an error matching [ErrVerification];
// bytes that are not a token, a response or a certificate in the expected
// form give one matching [ErrMalformed]; a response whose status is not
// granted gives a [*StatusError]. Bad input never panics.
//
// # Concurrency
//
// A [Client] is safe for concurrent use; [Info] is a plain value.
package timestamp
