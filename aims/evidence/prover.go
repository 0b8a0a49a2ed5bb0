package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/aimskit/aimskit/aims/evidence/internal/lines"
)

// Prover gives inclusion and consistency proofs for a log it has read,
// such as a copy of a log or the file of a log that a [FileLog] in another
// process is writing: it takes no lock and changes nothing. It does not
// check the hash links; compare [Prover.Root] with a checkpoint, or use
// [VerifyLog], before trusting what it proves.
//
// A Prover is safe for concurrent use once made. The zero value is the
// prover of an empty log.
type Prover struct {
	tree hashStore
	n    int64
}

// NewProver reads a log from r and keeps the hashes of its Merkle tree,
// about 64 bytes per record. Bytes after the last newline, a record still
// being written, are not read as a record.
func NewProver(ctx context.Context, r io.Reader) (*Prover, error) {
	p := new(Prover)
	lr := lines.NewReader(r)
	for {
		if p.n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("evidence: read log: %w", err)
			}
		}
		line, complete, err := lr.Next()
		if errors.Is(err, io.EOF) || err == nil && !complete {
			return p, nil
		}
		if err != nil {
			return nil, fmt.Errorf("evidence: read log: %w", err)
		}
		p.tree.addLeaf(p.n, tlog.RecordHash(line))
		p.n++
	}
}

// Len returns the number of records read.
func (p *Prover) Len() int64 { return p.n }

// Root returns the Merkle tree hash of the first size records. It returns
// an error matching [ErrInvalid] unless 0 <= size <= [Prover.Len].
func (p *Prover) Root(size int64) (tlog.Hash, error) {
	if size < 0 || size > p.n {
		return tlog.Hash{}, invalidf("root of %d records: the log has %d records", size, p.n)
	}
	return tlog.TreeHash(size, &p.tree)
}

// ProveInclusion is [FileLog.ProveInclusion] for the log read.
func (p *Prover) ProveInclusion(index, treeSize int64) (*InclusionProof, error) {
	return proveInclusion(&p.tree, p.n, index, treeSize)
}

// ProveConsistency is [FileLog.ProveConsistency] for the log read.
func (p *Prover) ProveConsistency(oldSize, newSize int64) (*ConsistencyProof, error) {
	return proveConsistency(&p.tree, p.n, oldSize, newSize)
}
