package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// verifyBlockSize is the size of the blocks of a log that the workers of
// [VerifyLog] check: a few hundred records each.
const verifyBlockSize = 256 << 10

// block is a run of complete lines of a log, each with its newline, and
// what a worker found in them.
type block struct {
	buf []byte
	// err is the error reading the log after the lines, io.EOF at its
	// end; inProgress is then the number of bytes after the last newline.
	err        error
	inProgress int

	// What the worker found.
	leaves    []tlog.Hash       // the leaf hashes of the sound lines, in order
	firstPrev []byte            // the prev of the first line, if it is sound
	last      [linkHashLen]byte // the link hash of the last sound line
	bad       int               // the index of the first line that is not sound, or -1
	reason    Reason            // why, with detail; for ReasonBrokenLink the caller says
	detail    string
	done      chan struct{} // receives when the worker is done
}

// check checks b's lines: each is a JSON object with a prev, and each but
// the first links to the line before it; it hashes the sound ones, up to
// the first that is not. It does what [verifier.readLines] does for each
// line, but for the link of the first line and the tree, which depend on
// the blocks before.
func (b *block) check() {
	b.leaves, b.firstPrev, b.bad = b.leaves[:0], nil, -1
	rest := b.buf
	for j := 0; len(rest) > 0; j++ {
		k := bytes.IndexByte(rest, '\n')
		line := rest[:k]
		rest = rest[k+1:]
		prev, reason, detail := linePrev(line)
		if reason != "" {
			b.bad, b.reason, b.detail = j, reason, detail
			return
		}
		if j == 0 {
			b.firstPrev = prev
		} else if !bytes.Equal(prev, b.last[:]) {
			b.bad, b.reason, b.detail = j, ReasonBrokenLink, ""
			return
		}
		appendLinkHash(b.last[:0], line)
		b.leaves = append(b.leaves, tlog.RecordHash(line))
	}
}

// readBlocks is [verifier.readLines] with workers goroutines: one reads
// the log in blocks of complete lines of about size bytes, the workers
// check the blocks' lines and hash them, and readBlocks, on the caller's
// goroutine, checks the link between blocks and adds the hashes to the
// tree in order, comparing it with the checkpoints as readLines does. It
// returns the same problem or error as readLines; a problem is found
// before any later one, since the blocks are taken in order. readBlocks
// returns once the goroutines have ended.
func (v *verifier) readBlocks(ctx context.Context, log io.Reader, want []byte, workers, size int) (*VerifyError, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("evidence: verify: %w", err)
	}
	// At most nblocks blocks exist: being read, waiting for a worker,
	// being checked, and checked but not yet added to the tree. The
	// channels hold them all, so that sending never blocks.
	nblocks := 2*workers + 2
	var (
		free    = make(chan *block, nblocks)
		work    = make(chan *block, nblocks)
		ordered = make(chan *block, nblocks)
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	defer func() {
		close(stop)
		wg.Wait()
	}()
	wg.Go(func() {
		defer close(ordered)
		defer close(work)
		readLogBlocks(log, size, nblocks, free, stop, func(b *block) {
			work <- b
			ordered <- b
		})
	})
	for range workers {
		wg.Go(func() {
			for b := range work {
				select {
				case <-stop:
				default:
					b.check()
				}
				b.done <- struct{}{}
			}
		})
	}

	var link [linkHashLen]byte
	fr := v.fr
	for b := range ordered {
		<-b.done
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("evidence: verify: %w", err)
		}
		switch {
		case b.bad == 0:
			return &VerifyError{Index: fr.n, Checkpoint: -1, Reason: b.reason, Detail: b.detail}, nil
		case len(b.leaves) > 0 && !bytes.Equal(b.firstPrev, want):
			return v.brokenLink(), nil
		}
		for _, h := range b.leaves {
			fr.add(h)
			if e := v.check(); e != nil {
				return e, nil
			}
		}
		switch {
		case b.bad > 0 && b.reason == ReasonBrokenLink:
			return v.brokenLink(), nil
		case b.bad > 0:
			return &VerifyError{Index: fr.n, Checkpoint: -1, Reason: b.reason, Detail: b.detail}, nil
		}
		if len(b.leaves) > 0 {
			link = b.last
			want = link[:]
		}
		switch {
		case errors.Is(b.err, io.EOF):
			v.rep.InProgress = b.inProgress
			return nil, nil
		case b.err != nil:
			return nil, fmt.Errorf("evidence: verify: %w", b.err)
		}
		free <- b
	}
	return nil, nil // not reached: the last block has an error
}

// readLogBlocks reads log in blocks of complete lines of about size bytes,
// a block longer if a line is, and hands each to send, in order, up to
// and with the last block, which has the error that ended the reading
// (io.EOF at the end of log). It takes blocks from free, and makes new
// ones while there are fewer than limit. It stops early, before the next
// read, once stop is closed.
func readLogBlocks(log io.Reader, size, limit int, free <-chan *block, stop <-chan struct{}, send func(*block)) {
	var (
		made  int
		carry []byte // the start of a line, after a block's last newline
	)
	for {
		var b *block
		select {
		case b = <-free:
		case <-stop:
			return
		default:
			if made < limit {
				made++
				b = &block{buf: make([]byte, 0, size), done: make(chan struct{}, 1)}
				break
			}
			select {
			case b = <-free:
			case <-stop:
				return
			}
		}
		b.buf = append(b.buf[:0], carry...)
		b.err, b.inProgress = nil, 0
		end := 0
		for empty := 0; ; {
			if len(b.buf) == cap(b.buf) {
				if end > 0 {
					break
				}
				b.buf = append(b.buf, make([]byte, cap(b.buf))...)[:len(b.buf)] // a line longer than a block
			}
			select {
			case <-stop:
				return
			default:
			}
			n, err := log.Read(b.buf[len(b.buf):cap(b.buf)])
			if i := bytes.LastIndexByte(b.buf[len(b.buf):len(b.buf)+n], '\n'); i >= 0 {
				end = len(b.buf) + i + 1
			}
			b.buf = b.buf[:len(b.buf)+n]
			if err != nil {
				b.err = err
				break
			}
			if n > 0 {
				empty = 0
			} else if empty++; empty == 100 {
				b.err = io.ErrNoProgress
				break
			}
		}
		carry = append(carry[:0], b.buf[end:]...)
		b.buf = b.buf[:end]
		if errors.Is(b.err, io.EOF) {
			b.inProgress = len(carry)
		}
		send(b)
		if b.err != nil {
			return
		}
	}
}
