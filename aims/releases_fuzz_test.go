package aims

import (
	"bytes"
	"testing"

	"github.com/google/uuid"
)

// FuzzReadReleases checks that reading the releases of any log never
// panics, and that whatever it accepts is a set it can answer from.
func FuzzReadReleases(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b76da-a800-7000-8000-000000000000","time":"2026-01-01T00:00:00Z","type":"gate-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","outcome":"allow","data":{"to":"deployment","verdict":"allow"},"prev":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}` + "\n"))
	f.Add([]byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b76da-a800-7000-8000-000000000000","time":"2026-01-01T00:00:00Z","type":"gate-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","outcome":"allow","data":{"decisionId":"019b76da-a800-7000-8000-000000000000","systemId":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","transition":{"from":"verification-and-validation","to":"deployment"},"outcome":"allow","checks":[],"time":"2026-01-01T00:00:00Z"},"prev":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}` + "\n"))
	f.Add([]byte("{}\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, b []byte) {
		rel, err := readReleases(bytes.NewReader(b))
		if err != nil {
			return
		}
		_ = rel.Len()
	})
}

// TestReadReleasesLayouts checks that a release is read from a gate
// decision whose data is the gate-decision predicate, and from one
// written before, whose data was the decision itself.
func TestReadReleasesLayouts(t *testing.T) {
	system := uuid.MustParse("0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b")
	decision := uuid.MustParse("019b76da-a800-7000-8000-000000000000")
	for name, log := range map[string][]byte{
		"decision":  []byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b76da-a800-7000-8000-000000000000","time":"2026-01-01T00:00:00Z","type":"gate-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","outcome":"allow","data":{"to":"deployment","verdict":"allow"},"prev":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}` + "\n"),
		"predicate": []byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b76da-a800-7000-8000-000000000000","time":"2026-01-01T00:00:00Z","type":"gate-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","outcome":"allow","data":{"decisionId":"019b76da-a800-7000-8000-000000000000","systemId":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","transition":{"from":"verification-and-validation","to":"deployment"},"outcome":"allow","checks":[],"time":"2026-01-01T00:00:00Z"},"prev":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}` + "\n"),
	} {
		rel, err := readReleases(bytes.NewReader(log))
		if err != nil {
			t.Fatalf("%s: readReleases() = %v", name, err)
		}
		if rel.Len() != 1 || !rel.Released(system, decision) {
			t.Errorf("%s: readReleases() holds %d releases, want the decision released", name, rel.Len())
		}
	}
}
