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
	f.Add([]byte(`{"facts":{"capabilities":["emotion-recognition"],"contexts":["workplace"]},"classification":{"category":"minimal"}}`))
	f.Add([]byte(`{"facts":{"annexIII":["5(b)","9(z)"],"derogation":{"ground":"d"},"generalPurposeModel":true,"trainingComputeFLOP":3e25},"recordKeeping":{"logRetentionMonths":2}}`))
	f.Add([]byte(`{"resources":{"models":[{"name":"m","version":"1","energy":{"trainingKWh":182.5,"inferenceKWh":-1}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s inventory.System
		if json.Unmarshal(data, &s) != nil {
			return
		}
		err := s.Validate()
		_ = s.Obligations()
		_ = s.Explain()
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

// FuzzClassify builds facts from arbitrary choices and checks that
// Classify never panics, that what it derives is a valid classification
// with every rule cited, and that it does not contradict itself.
func FuzzClassify(f *testing.F) {
	f.Add(uint32(0), uint16(0), uint16(0), uint32(0), uint8(0), 0.0)
	f.Add(uint32(1<<5), uint16(1), uint16(0), uint32(0), uint8(0), 0.0)      // emotion recognition at work
	f.Add(uint32(1<<16), uint16(0), uint16(0), uint32(1<<13), uint8(3), 0.0) // profiling, 5(b), derogation
	f.Add(uint32(0), uint16(0), uint16(0), uint32(0), uint8(16), 5e25)       // GPAI over the threshold
	f.Add(uint32(1<<18), uint16(1<<5), uint16(0), uint32(0), uint8(64), 0.0) // safety component of infrastructure, Annex I
	f.Fuzz(func(t *testing.T, capBits uint32, ctxBits, excBits uint16, pointBits uint32, flags uint8, flop float64) {
		var facts inventory.Facts
		for i, c := range inventory.Capabilities() {
			if capBits&(1<<i) != 0 {
				facts.Capabilities = append(facts.Capabilities, c)
			}
		}
		for i, c := range inventory.Contexts() {
			if ctxBits&(1<<i) != 0 {
				facts.Contexts = append(facts.Contexts, c)
			}
		}
		for i, x := range inventory.Exceptions() {
			if excBits&(1<<i) != 0 {
				facts.Exceptions = append(facts.Exceptions, x)
			}
		}
		for i, p := range annexIIIPoints {
			if pointBits&(1<<i) != 0 {
				facts.AnnexIII = append(facts.AnnexIII, p)
			}
		}
		if flags&1 != 0 {
			facts.Derogation = &inventory.Derogation{Ground: "d", Assessment: "preparatory"}
		}
		facts.PublicAuthority, facts.PublicService = flags&2 != 0, flags&4 != 0
		facts.OpenSource, facts.GeneralPurposeModel = flags&8 != 0, flags&16 != 0
		facts.SystemicRiskDesignated = flags&32 != 0 && facts.GeneralPurposeModel
		if flags&64 != 0 {
			facts.AnnexI = &inventory.AnnexIProduct{Legislation: "machinery", ThirdPartyAssessment: flags&128 != 0}
		}
		if facts.GeneralPurposeModel {
			facts.TrainingComputeFLOP = flop
		}
		facts.Roles = []inventory.OperatorRole{inventory.OperatorProvider, inventory.OperatorDeployer}
		d := inventory.Classify(facts)
		if facts.Validate() != nil {
			return
		}
		if err := d.Classification.Validate(); err != nil {
			t.Fatalf("Classify(%+v) = %+v, which does not validate: %v", facts, d.Classification, err)
		}
		for _, r := range d.Rules {
			if r.Article == "" || r.Reason == "" {
				t.Fatalf("rule without article or reason: %+v", r)
			}
		}
		if err := d.Contradictions(d.Classification); err != nil {
			t.Fatalf("the derivation contradicts itself: %v", err)
		}
		if d.Obligations.Prohibited != (d.Classification.Category == inventory.CategoryProhibited) {
			t.Fatalf("Prohibited = %v for category %s", d.Obligations.Prohibited, d.Classification.Category)
		}
	})
}

var annexIIIPoints = []string{"1(a)", "1(b)", "1(c)", "2(a)", "3(a)", "3(b)", "3(c)", "3(d)", "4(a)", "4(b)",
	"5(a)", "5(b)", "5(c)", "5(d)", "6(a)", "6(b)", "6(c)", "6(d)", "6(e)", "7(a)", "7(b)", "7(c)", "7(d)", "8(a)", "8(b)"}
