package documenttest_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/document"
	"github.com/aimskit/aimskit/document/documenttest"
)

func TestProblems(t *testing.T) {
	var e document.Error
	e.Add("/name", "is required")
	e.Add("/entries/0", "is %s", "wrong")
	err := e.Err()

	if got := documenttest.Problems(t, nil); got != nil {
		t.Errorf("Problems(nil) = %v, want nil", got)
	}
	if diff := cmp.Diff([]string{"/name", "/entries/0"}, documenttest.Pointers(documenttest.Problems(t, err))); diff != "" {
		t.Errorf("Pointers(Problems(err)) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/name: is required", "/entries/0: is wrong"}, documenttest.ProblemStrings(t, err)); diff != "" {
		t.Errorf("ProblemStrings(err) (-want +got):\n%s", diff)
	}
}

func TestReadExample(t *testing.T) {
	data := documenttest.ReadExample(t, "management-system.yaml")
	if !bytes.Contains(data, []byte("kind: ManagementSystem")) {
		t.Errorf("ReadExample(management-system.yaml) does not hold a ManagementSystem:\n%s", data)
	}
}
