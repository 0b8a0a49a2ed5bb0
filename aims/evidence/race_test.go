//go:build race

package evidence_test

// raceEnabled reports whether the tests run under the race detector,
// which makes the long adversarial test about ten times slower.
const raceEnabled = true
