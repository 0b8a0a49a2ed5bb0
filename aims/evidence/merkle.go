package evidence

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// frontier computes the RFC 6962 Merkle tree hash of a stream of leaves
// in O(log n) memory: it keeps the roots of the perfect subtrees that make
// up the tree so far, largest (leftmost) first.
type frontier struct {
	n     int64
	roots []tlog.Hash
}

// add appends a leaf with hash h.
func (f *frontier) add(h tlog.Hash) {
	f.roots = append(f.roots, h)
	for k := f.n; k&1 == 1; k >>= 1 {
		last := len(f.roots) - 1
		f.roots[last-1] = tlog.NodeHash(f.roots[last-1], f.roots[last])
		f.roots = f.roots[:last]
	}
	f.n++
}

// root returns the tree hash of the leaves added so far. The tree hash of
// no leaves is the SHA-256 of the empty string, as in RFC 6962.
func (f *frontier) root() tlog.Hash {
	if len(f.roots) == 0 {
		h, _ := tlog.TreeHash(0, nil)
		return h
	}
	h := f.roots[len(f.roots)-1]
	for i := len(f.roots) - 2; i >= 0; i-- {
		h = tlog.NodeHash(f.roots[i], h)
	}
	return h
}

// hashPageBits sets the size of a page of a hashStore: 1<<14 hashes, 512
// KiB.
const hashPageBits = 14

// hashStore keeps the stored hashes of a tlog tree (see
// [tlog.StoredHashIndex]) in memory, in pages, so that growing it never
// copies what it holds. It implements [tlog.HashReader].
type hashStore struct {
	pages [][]tlog.Hash
	n     int64
}

func (s *hashStore) len() int64 { return s.n }

func (s *hashStore) at(i int64) tlog.Hash {
	return s.pages[i>>hashPageBits][i&(1<<hashPageBits-1)]
}

func (s *hashStore) push(h tlog.Hash) {
	p := s.n >> hashPageBits
	if p == int64(len(s.pages)) {
		s.pages = append(s.pages, make([]tlog.Hash, 1<<hashPageBits))
	}
	s.pages[p][s.n&(1<<hashPageBits-1)] = h
	s.n++
}

// truncate keeps the first n hashes.
func (s *hashStore) truncate(n int64) {
	s.n = n
	keep := (n + 1<<hashPageBits - 1) >> hashPageBits
	clear(s.pages[keep:])
	s.pages = s.pages[:keep]
}

// addLeaf stores the hashes that record n, whose leaf hash is h, adds to
// the tree: h and the hashes of the subtrees it completes. It computes
// what [tlog.StoredHashesForRecordHash] does, without allocating. The
// store must hold [tlog.StoredHashCount](n) hashes.
func (s *hashStore) addLeaf(n int64, h tlog.Hash) {
	s.push(h)
	for i := 0; (n+1)>>i&1 == 0; i++ {
		h = tlog.NodeHash(s.at(tlog.StoredHashIndex(i, n>>i-1)), h)
		s.push(h)
	}
}

// ReadHashes implements [tlog.HashReader].
func (s *hashStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= s.n {
			return nil, fmt.Errorf("evidence: hash %d not stored", x)
		}
		out[i] = s.at(x)
	}
	return out, nil
}
