package aims

import (
	"bytes"
	"testing"
)

// FuzzReadReleases checks that reading the releases of any log never
// panics, and that whatever it accepts is a set it can answer from.
func FuzzReadReleases(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b76da-a800-7000-8000-000000000000","time":"2026-01-01T00:00:00Z","type":"gate-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","outcome":"allow","data":{"to":"deployment","verdict":"allow"},"prev":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}` + "\n"))
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
