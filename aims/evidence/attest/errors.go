package attest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/controls"
)

// ErrPayloadType means that a DSSE envelope carries a payload type other
// than the one the caller expects.
var ErrPayloadType = errors.New("attest: unexpected payload type")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{evidence.ErrInvalid}, args...)...)
}

func malformedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{evidence.ErrMalformed}, args...)...)
}

func unverifiedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{evidence.ErrVerification}, args...)...)
}

// subjectProblem says what is wrong with s, as [evidence.Subject.Validate]
// does, or returns "".
func subjectProblem(s evidence.Subject) string {
	if err := s.Validate(); err != nil {
		return strings.TrimPrefix(err.Error(), evidence.ErrInvalid.Error()+": ")
	}
	return ""
}

// validControlID reports whether s is a control or clause id of the form
// controls.ID accepts, "namespace:ref".
func validControlID(s string) bool {
	_, err := controls.ParseID(s)
	return err == nil
}
