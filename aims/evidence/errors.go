package evidence

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package match one of them with
// [errors.Is]; see the package documentation.
var (
	// ErrInvalid means that a record, subject, statement or argument is not
	// valid.
	ErrInvalid = errors.New("evidence: invalid input")
	// ErrMalformed means that bytes to be decoded (an envelope, a bundle, a
	// checkpoint, a key) are not in the expected format.
	ErrMalformed = errors.New("evidence: malformed input")
	// ErrVerification means that a signature, a signed checkpoint or a
	// proof does not verify.
	ErrVerification = errors.New("evidence: verification failed")
	// ErrTampered means that a log is not as it was written: a record was
	// changed, removed, inserted or reordered, or a checkpoint does not
	// match. Errors that match it are [*VerifyError].
	ErrTampered = errors.New("evidence: log does not verify")
	// ErrWrongKey means that checkpoints are signed by a key other than
	// the one given, or name another origin: a mistake in the verifier's
	// configuration, not evidence of tampering. Errors that match it are
	// [*KeyError].
	ErrWrongKey = errors.New("evidence: signed by another key")
	// ErrLocked means that another writer, in this process or another, has
	// the log open.
	ErrLocked = errors.New("evidence: log is locked by another writer")
	// ErrClosed means that the sink or log has been closed.
	ErrClosed = errors.New("evidence: closed")
)

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func malformedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

func unverifiedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrVerification}, args...)...)
}
