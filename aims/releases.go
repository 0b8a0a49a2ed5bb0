package aims

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/google/uuid"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/inventory"
)

// Releases is the set of gate decisions that allowed an AI system into
// deployment, as an evidence log records them. A [Guard] given Releases
// ([GuardOptions.Releases]) admits a system only if the decision named in
// its life-cycle history is among them, so that a decision id written by
// hand into a document, with no evidence behind it, releases nothing.
//
// The zero value holds no release. A Releases is immutable once read and
// safe for concurrent use.
type Releases struct {
	decisions map[uuid.UUID]uuid.UUID // decision id: system id
}

// ReadReleases reads the evidence log at path and returns the gate
// decisions in it that allowed a system into deployment (verdict allow
// or warn). It first verifies the log with [evidence.VerifyFile] and opts
// (nil checks the hash links only; give the log's key, and a trusted
// checkpoint where there is one, so that a release cannot be forged into
// the log): a log that does not verify gives its error, matching
// [evidence.ErrTampered], and no releases.
func ReadReleases(ctx context.Context, path string, opts *evidence.VerifyOptions) (*Releases, error) {
	if _, err := evidence.VerifyFile(ctx, path, opts); err != nil {
		return nil, fmt.Errorf("aims: read releases: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("aims: read releases: %w", err)
	}
	defer f.Close()
	return readReleases(f)
}

// readReleases collects the allowing deployment decisions of a log.
func readReleases(r io.Reader) (*Releases, error) {
	rel := &Releases{decisions: make(map[uuid.UUID]uuid.UUID)}
	for rec, err := range evidence.Records(r) {
		if err != nil {
			return nil, fmt.Errorf("aims: read releases: %w", err)
		}
		if rec.Type != evidence.TypeGateDecision {
			continue
		}
		// The data is the gate-decision predicate (transition.to, outcome);
		// logs written before it was are read too, whose data was the
		// decision itself (to, verdict).
		var d struct {
			Transition struct {
				To inventory.Stage `json:"to"`
			} `json:"transition"`
			Outcome Verdict         `json:"outcome"`
			To      inventory.Stage `json:"to"`
			Verdict Verdict         `json:"verdict"`
		}
		if err := json.Unmarshal(rec.Data, &d); err != nil {
			return nil, fmt.Errorf("aims: read releases: record %s: %w", rec.ID, err)
		}
		if d.Transition.To != "" || d.Outcome != "" {
			d.To, d.Verdict = d.Transition.To, d.Outcome
		}
		if d.To == inventory.StageDeployment && (d.Verdict == VerdictAllow || d.Verdict == VerdictWarn) {
			rel.decisions[rec.ID] = rec.System
		}
	}
	return rel, nil
}

// Released reports whether decision is a recorded gate decision that
// allowed system into deployment.
func (r *Releases) Released(system, decision uuid.UUID) bool {
	if r == nil {
		return false
	}
	s, ok := r.decisions[decision]
	return ok && s == system
}

// Len returns the number of releases.
func (r *Releases) Len() int {
	if r == nil {
		return 0
	}
	return len(r.decisions)
}
