package inventory_test

import (
	"encoding/json"
	"testing"

	"github.com/aimskit/aimskit/inventory"
)

// FuzzSystemValidate feeds arbitrary JSON into a System and checks that
// Validate, Derive and Clone never panic, and that a system that validates
// still validates after a JSON round trip.
func FuzzSystemValidate(f *testing.F) {
	seed, err := json.Marshal(validSystem())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"classification":{"category":"annex-iii-derogation","annexIII":"4(a)","derogation":{"ground":"a"}}}`))
	f.Add([]byte(`{"lifecycle":{"stage":"deployment","history":[{"from":"inception","to":"deployment"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s inventory.System
		if json.Unmarshal(data, &s) != nil {
			return
		}
		err := s.Validate()
		_ = s.Obligations()
		c := s.Clone()
		if err != nil {
			return
		}
		b, mErr := json.Marshal(c)
		if mErr != nil {
			t.Fatalf("Marshal(valid system): %v", mErr)
		}
		var back inventory.System
		if uErr := json.Unmarshal(b, &back); uErr != nil {
			t.Fatalf("Unmarshal(Marshal(valid system)): %v", uErr)
		}
		if vErr := back.Validate(); vErr != nil {
			t.Fatalf("valid system no longer validates after a round trip: %v\n%s", vErr, b)
		}
	})
}
