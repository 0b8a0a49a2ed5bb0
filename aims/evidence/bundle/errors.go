package bundle

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Errors returned by this package match one of them with
// [errors.Is], or are returned from the evidence package as they are.
var (
	// ErrMalformed means that a bundle is not a well-formed bundle: not a
	// tar archive of plain files with safe, unique names within the size
	// limits, or without a well-formed manifest.
	ErrMalformed = errors.New("bundle: malformed")
	// ErrMismatch means that the files of a bundle are not those its
	// manifest lists: a file is missing, extra, or altered; or that the
	// manifest says something of the evidence that verification does not
	// find.
	ErrMismatch = errors.New("bundle: does not match its manifest")
	// ErrInvalid means that an argument is not valid.
	ErrInvalid = errors.New("bundle: invalid input")
)

// Problem names the kind of an [*Error]. The values are stable.
type Problem string

// The problems an [*Error] reports.
const (
	// ProblemUnsafeName: a name in the archive is absolute, climbs out of
	// the folder (".."), names a folder, or holds characters other than
	// ASCII letters, digits, ".", "-" and "_".
	ProblemUnsafeName Problem = "unsafe-name"
	// ProblemDuplicate: two entries of the archive have the same name.
	ProblemDuplicate Problem = "duplicate"
	// ProblemTooLarge: an entry is larger than the limit, or there are
	// more entries than the limit.
	ProblemTooLarge Problem = "too-large"
	// ProblemNotRegular: an entry is not a regular file (a link, a folder,
	// a device).
	ProblemNotRegular Problem = "not-regular"
	// ProblemNotTar: the bundle is not a tar archive, or is cut short.
	ProblemNotTar Problem = "not-tar"
	// ProblemManifest: the manifest is missing or malformed; Pointer
	// names the field.
	ProblemManifest Problem = "manifest"
	// ProblemMissing: a file the manifest lists is not in the bundle.
	ProblemMissing Problem = "missing"
	// ProblemExtra: a file in the bundle is not in the manifest.
	ProblemExtra Problem = "extra"
	// ProblemAltered: a file's size or SHA-256 is not the one the
	// manifest gives.
	ProblemAltered Problem = "altered"
	// ProblemClaim: the manifest says something of the evidence (a
	// record count, the period, a checkpoint) that the verified evidence
	// does not bear out.
	ProblemClaim Problem = "claim"
	// ProblemNotContinued: the bundle does not show that it continues
	// the previous bundle it was verified after ([VerifyOptions.After]):
	// segments are in neither, or the segment that would show it is not
	// in the bundle. (A history rewritten between the two is a
	// [*evidence.VerifyError] of [evidence.ReasonTrustedMismatch].)
	ProblemNotContinued Problem = "not-continued"
)

// Error reports a problem with one file of a bundle, or one field of its
// manifest. It matches [ErrMalformed] or [ErrMismatch], as its Problem
// says. It is a plain value.
type Error struct {
	// File is the name of the file in the bundle, such as "MANIFEST.json"
	// or "segment-000003.jsonl"; for a name that is not safe, the name as
	// the archive gives it.
	File string
	// Pointer is the JSON pointer (RFC 6901) of the manifest's field
	// involved, or "".
	Pointer string
	// Problem says what is wrong.
	Problem Problem
	// Detail says more, for people.
	Detail string
}

// Error returns "bundle: FILE: POINTER: PROBLEM: DETAIL".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("bundle: ")
	b.WriteString(quoteName(e.File))
	if e.Pointer != "" {
		b.WriteString(": ")
		b.WriteString(e.Pointer)
	}
	b.WriteString(": ")
	b.WriteString(string(e.Problem))
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns [ErrMismatch] for a file missing, extra or altered, a
// claim the evidence does not bear out and a bundle that does not show it
// continues the previous one, and [ErrMalformed] otherwise.
func (e *Error) Unwrap() error {
	switch e.Problem {
	case ProblemMissing, ProblemExtra, ProblemAltered, ProblemClaim, ProblemNotContinued:
		return ErrMismatch
	}
	return ErrMalformed
}

// quoteName returns a name for a message: as it is if it is safe, quoted
// otherwise, so that a hostile name cannot forge a message.
func quoteName(name string) string {
	if validName(name) {
		return name
	}
	return strconv.Quote(name)
}
