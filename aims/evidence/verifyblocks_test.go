package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/evidence"
)

// diffVerification returns how the report and error of one verification
// differ from those of another, or "" if they are the same: the same
// report, and errors of the same kind, the same text and, for a
// *VerifyError, the same record, checkpoint, reason and detail.
func diffVerification(rep evidence.VerifyReport, err error, rep2 evidence.VerifyReport, err2 error) string {
	d := cmp.Diff(rep, rep2)
	var ve, ve2 *evidence.VerifyError
	switch {
	case (err == nil) != (err2 == nil):
		d += fmt.Sprintf("error: %v, then %v\n", err, err2)
	case err == nil:
	case err.Error() != err2.Error():
		d += fmt.Sprintf("error: %q, then %q\n", err, err2)
	case errors.As(err, &ve) != errors.As(err2, &ve2):
		d += fmt.Sprintf("error: %T, then %T\n", err, err2)
	case ve != nil:
		d += cmp.Diff(*ve, *ve2, cmp.Comparer(func(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) }))
	}
	for _, target := range []error{evidence.ErrTampered, evidence.ErrWrongKey, evidence.ErrInvalid, evidence.ErrMalformed, context.Canceled} {
		if errors.Is(err, target) != errors.Is(err2, target) {
			d += fmt.Sprintf("errors.Is(%v) = %v, then %v\n", target, errors.Is(err, target), errors.Is(err2, target))
		}
	}
	return d
}

// TestVerifyWorkersAgree checks that verification gives the same report
// and the same error on one worker as on several, for sound logs and for
// logs with a problem, read in blocks of many sizes: smaller than a
// record, so that records span blocks, and larger than the log.
func TestVerifyWorkersAgree(t *testing.T) {
	const n = 3000
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	vkey := writeDecisionLog(t, path, n)
	log, cps := readFile(t, path), readFile(t, path+evidence.CheckpointsSuffix)
	ls := lines(log)
	cpLines := lines(cps)
	trusted := []byte(jsonNote(t, cpLines[2]))
	var start evidence.Chain
	for _, l := range ls[:1234] {
		start.Add(l)
	}
	replace := func(i int, line []byte) []byte {
		out := append([][]byte{}, ls...)
		out[i] = line
		return join(out)
	}
	long := bytes.Replace(ls[1500], []byte(`"outcome":"`), append([]byte(`"outcome":"`), bytes.Repeat([]byte("x"), 100_000)...), 1)
	readErr := errors.New("disk on fire")

	type logCase struct {
		name string
		log  func() io.Reader
		cps  []byte
		opts evidence.VerifyOptions
	}
	in := func(b []byte) func() io.Reader { return func() io.Reader { return bytes.NewReader(b) } }
	cases := []logCase{
		{"sound", in(log), cps, evidence.VerifyOptions{Key: vkey}},
		{"sound, no key", in(log), nil, evidence.VerifyOptions{}},
		{"sound, trusted head", in(log), cps, evidence.VerifyOptions{Key: vkey, Trusted: trusted}},
		{"empty", in(nil), nil, evidence.VerifyOptions{}},
		{"one record", in(join(ls[:1])), nil, evidence.VerifyOptions{}},
		{"record still being written", in(append(bytes.Clone(log), ls[5][:300]...)), cps, evidence.VerifyOptions{Key: vkey}},
		{"range from a start state", in(join(ls[1234:])), cps, evidence.VerifyOptions{Key: vkey, Start: &start}},
		{"range with a broken first link", in(join(ls[1235:])), cps, evidence.VerifyOptions{Key: vkey, Start: &start}},
		{"first record broken", in(replace(0, forge(ls[0], evidence.Genesis))), cps, evidence.VerifyOptions{Key: vkey}},
		{"record not JSON", in(replace(1717, []byte("{"))), cps, evidence.VerifyOptions{Key: vkey}},
		{"record without prev", in(replace(1717, []byte(`{"a":1}`))), nil, evidence.VerifyOptions{}},
		{"record changed", in(replace(2222, forge(ls[2222], evidence.LinkHash(ls[2221])))), cps, evidence.VerifyOptions{Key: vkey}},
		{"record changed, no key", in(replace(2222, forge(ls[2222], evidence.LinkHash(ls[2221])))), nil, evidence.VerifyOptions{}},
		{"record deleted", in(join(append(append([][]byte{}, ls[:999]...), ls[1000:]...))), cps, evidence.VerifyOptions{Key: vkey}},
		{"records swapped", in(replace(7, ls[8])), cps, evidence.VerifyOptions{Key: vkey}},
		{"consistent rewrite", in(join(rechain(lines(replace(2500, bytes.Replace(ls[2500], []byte(`"outcome":"`), []byte(`"outcome":"rewritten-`), 1)))))), cps, evidence.VerifyOptions{Key: vkey}},
		{"truncated", in(join(ls[:2500])), cps, evidence.VerifyOptions{Key: vkey}},
		{"a record longer than a block", in(replace(1500, long)), nil, evidence.VerifyOptions{}},
		{"read error", func() io.Reader { return io.MultiReader(bytes.NewReader(log[:len(log)/2]), iotest.ErrReader(readErr)) }, nil, evidence.VerifyOptions{}},
		{"read error with data", func() io.Reader { return iotest.DataErrReader(bytes.NewReader(log)) }, nil, evidence.VerifyOptions{}},
		{"one byte at a time", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(join(ls[:50]))) }, nil, evidence.VerifyOptions{}},
		{"half reads", func() io.Reader { return iotest.HalfReader(bytes.NewReader(log)) }, cps, evidence.VerifyOptions{Key: vkey}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := c.opts
			o.Workers = 1
			rep, err := evidence.VerifyLog(t.Context(), c.log(), bytes.NewReader(c.cps), &o)
			for _, workers := range []int{2, 3, 8} {
				for _, size := range []int{1, 100, 702, 4096, 256 << 10, 8 << 20} {
					o.Workers = workers
					prep, perr := evidence.VerifyLogBlocks(t.Context(), c.log(), bytes.NewReader(c.cps), &o, size)
					if d := diffVerification(rep, err, prep, perr); d != "" {
						t.Errorf("VerifyLog(%d workers, blocks of %d bytes) differs from one worker (-one +several):\n%s", workers, size, d)
					}
				}
			}
			// The default: as many workers as GOMAXPROCS.
			o.Workers = 0
			prep, perr := evidence.VerifyLog(t.Context(), c.log(), bytes.NewReader(c.cps), &o)
			if d := diffVerification(rep, err, prep, perr); d != "" {
				t.Errorf("VerifyLog(default workers) differs from one worker (-one +default):\n%s", d)
			}
		})
	}
}

func TestVerifyWorkersErrors(t *testing.T) {
	log, _ := buildLog(t, 10, 5)
	_, err := evidence.VerifyLog(t.Context(), bytes.NewReader(log), nil, &evidence.VerifyOptions{Workers: -1})
	if !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("VerifyLog(Workers: -1) = %v, want an error matching ErrInvalid", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, workers := range []int{1, 2} {
		_, err := evidence.VerifyLog(ctx, bytes.NewReader(log), nil, &evidence.VerifyOptions{Workers: workers})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("VerifyLog(cancelled, Workers: %d) = %v, want an error matching context.Canceled", workers, err)
		}
	}
}

// cancelReader cancels a context once it has been read from n times.
type cancelReader struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.r.Read(p)
}

// TestVerifyWorkersCancel checks that a verification on several workers
// stops when its context is cancelled while it reads, and that its
// goroutines no longer read the log once it has returned.
func TestVerifyWorkersCancel(t *testing.T) {
	log, _ := buildLog(t, 2000, 1000)
	ctx, cancel := context.WithCancel(t.Context())
	r := &cancelReader{r: bytes.NewReader(log), n: 3, cancel: cancel}
	_, err := evidence.VerifyLogBlocks(ctx, r, nil, &evidence.VerifyOptions{Workers: 2}, 4096)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("VerifyLog(cancelled while reading) = %v, want an error matching context.Canceled", err)
	}
	// A read after VerifyLog returned would find no reader, and the race
	// detector would see this write.
	r.r = nil
}
