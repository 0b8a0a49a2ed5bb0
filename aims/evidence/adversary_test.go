package evidence_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
)

// relink returns line with its prev set to prev.
func relink(line []byte, prev string) []byte {
	const tail = len(evidence.Genesis) + 2 // prev value and `"}`
	return append(bytes.Clone(line[:len(line)-tail]), prev+`"}`...)
}

// forge returns a line like line but for another decision, linked to
// prev: what someone who can write the log would insert.
func forge(line []byte, prev string) []byte {
	l := bytes.Replace(line, []byte(`"outcome":"`), []byte(`"outcome":"forged-`), 1)
	return relink(l, prev)
}

// keepCheckpoints returns the lines of a checkpoints file whose size is
// at most max.
func keepCheckpoints(tb testing.TB, cps []byte, max int64) []byte {
	var out [][]byte
	for _, line := range lines(cps) {
		c := parseCheckpointLine(tb, line)
		if c.Size <= max {
			out = append(out, line)
		}
	}
	return join(out)
}

func parseCheckpointLine(tb testing.TB, line []byte) evidence.Checkpoint {
	tb.Helper()
	var cl struct {
		Note string `json:"note"`
	}
	if err := json.Unmarshal(line, &cl); err != nil {
		tb.Fatal(err)
	}
	c, err := evidence.ParseCheckpoint([]byte(cl.Note))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// mutation is a log as an adversary left it.
type mutation struct {
	log, cps []byte // cps nil: the checkpoints file was deleted
	// signedState reports that the result is exactly a state the log was
	// in and signed: a rollback to a checkpoint, which only a trusted
	// head can tell from the real log.
	signedState bool
	// startFile says that the adversary left a start file beside the log.
	startFile bool
}

// TestAdversary applies at least 200 of each kind of mutation to a log of
// 10,000 records with a signed checkpoint every 1,000 and checks what
// verification makes of each: with the key and a trusted head (the
// latest checkpoint, kept by an auditor), every mutation is detected;
// with the key alone, a mutation is detected unless it leaves exactly a
// state the log was in and signed, and such a rollback is never reported
// without the trusted-head check saying it was not made. Every
// verification runs both on one worker and on several, in blocks smaller
// and larger than a record, and both must give the same report and the
// same error, naming the same first bad record.
func TestAdversary(t *testing.T) {
	const records, every = 10_000, 1000
	perKind := 200
	if raceEnabled {
		perKind = 20 // the full run takes about a minute without -race
	}
	log, cps := buildLog(t, records, every)
	ls := lines(log)
	cpLines := lines(cps)
	trusted := []byte(jsonNote(t, cpLines[len(cpLines)-1]))
	_, vkey := testNoteKeys(t)
	rng := rand.New(rand.NewPCG(14, 10_000))

	cut := func(ls [][]byte, i, j int) [][]byte { // ls without [i, j)
		return append(append([][]byte{}, ls[:i]...), ls[j:]...)
	}
	insert := func(ls [][]byte, i int, line []byte) [][]byte {
		return append(append(append([][]byte{}, ls[:i]...), line), ls[i:]...)
	}
	rewrite := func(i int) [][]byte {
		out := append([][]byte{}, ls...)
		out[i] = bytes.Replace(out[i], []byte(`"outcome":"`), []byte(`"outcome":"rewritten-`), 1)
		return rechain(out)
	}
	kinds := map[string]func() mutation{
		"byte flip": func() mutation {
			b := bytes.Clone(log)
			for {
				p := rng.IntN(len(b))
				if b[p] == '\n' {
					continue
				}
				b[p] ^= byte(1 + rng.IntN(255))
				return mutation{log: b, cps: cps}
			}
		},
		"line deletion": func() mutation {
			i := rng.IntN(records)
			return mutation{log: join(cut(ls, i, i+1)), cps: cps}
		},
		"swap": func() mutation {
			i, j := rng.IntN(records), rng.IntN(records)
			for i == j {
				j = rng.IntN(records)
			}
			out := append([][]byte{}, ls...)
			out[i], out[j] = out[j], out[i]
			return mutation{log: join(out), cps: cps}
		},
		"duplication": func() mutation {
			i := rng.IntN(records)
			return mutation{log: join(insert(ls, i+1, ls[i])), cps: cps}
		},
		"forged insertion": func() mutation {
			i := rng.IntN(records) + 1 // after line i-1, linked to it
			return mutation{log: join(insert(ls, i, forge(ls[rng.IntN(records)], evidence.LinkHash(ls[i-1])))), cps: cps}
		},
		"forged record appended and linked": func() mutation {
			return mutation{log: join(append(append([][]byte{}, ls...), forge(ls[rng.IntN(records)], evidence.LinkHash(ls[records-1])))), cps: cps}
		},
		"truncation mid-line": func() mutation {
			i := rng.IntN(records)
			start := len(join(ls[:i]))
			return mutation{log: bytes.Clone(log[:start+1+rng.IntN(len(ls[i]))]), cps: cps}
		},
		"truncation at a line boundary": func() mutation {
			return mutation{log: join(ls[:rng.IntN(records)]), cps: cps}
		},
		"truncation with its later checkpoints": func() mutation {
			k := rng.IntN(records)
			if rng.IntN(10) == 0 {
				k = every * rng.IntN(records/every) // a signed state, now and then
			}
			return mutation{log: join(ls[:k]), cps: keepCheckpoints(t, cps, int64(k)), signedState: k%every == 0}
		},
		"consistent rewrite, checkpoints deleted": func() mutation {
			return mutation{log: join(rewrite(rng.IntN(records))), cps: nil}
		},
		"consistent rewrite, old checkpoints kept": func() mutation {
			i := rng.IntN(records)
			return mutation{log: join(rewrite(i)), cps: keepCheckpoints(t, cps, int64(i))}
		},
		"head deleted, forged start file": func() mutation {
			k := 1 + rng.IntN(records-1)
			return mutation{log: join(ls[k:]), cps: cps, startFile: true}
		},
		"log emptied": func() mutation {
			switch rng.IntN(3) {
			case 0:
				return mutation{log: nil, cps: cps}
			case 1:
				return mutation{log: nil, cps: []byte{}}
			default:
				return mutation{log: nil, cps: nil}
			}
		},
	}
	names := make([]string, 0, len(kinds))
	for name := range kinds {
		names = append(names, name)
	}
	sort.Strings(names)

	type job struct {
		kind  string
		m     mutation
		block int // the block size of the workers of the parallel run
	}
	blockSizes := []int{200, 4096, 64 << 10} // a record is about 350 bytes
	type tally struct{ keyDetected, keyIntact, trustedDetected int }
	jobs := make(chan job)
	var mu sync.Mutex
	tallies := map[string]*tally{}
	var wg sync.WaitGroup
	dir := t.TempDir()
	for w := range 2 {
		wg.Go(func() {
			path := filepath.Join(dir, fmt.Sprintf("w%d.jsonl", w))
			for j := range jobs {
				verifyOnce := func(o *evidence.VerifyOptions) (evidence.VerifyReport, error) {
					var cpr io.Reader
					if j.m.cps != nil {
						cpr = bytes.NewReader(j.m.cps)
					}
					return evidence.VerifyLogBlocks(context.Background(), bytes.NewReader(j.m.log), cpr, o, j.block)
				}
				if j.m.startFile {
					// Through the files, as the command line reads
					// them, with the start file the adversary left.
					writeFile(t, path, j.m.log)
					writeFile(t, path+evidence.CheckpointsSuffix, j.m.cps)
					writeFile(t, path+evidence.StartSuffix, forgedStart(t, ls, len(ls)-len(lines(j.m.log))))
					verifyOnce = func(o *evidence.VerifyOptions) (evidence.VerifyReport, error) {
						return evidence.VerifyFile(context.Background(), path, o)
					}
				}
				// verify verifies on one worker, and on three, and
				// returns what the one worker found once both agree.
				verify := func(o *evidence.VerifyOptions) (evidence.VerifyReport, error) {
					o.Workers = 1
					rep, err := verifyOnce(o)
					o.Workers = 3
					prep, perr := verifyOnce(o)
					if d := diffVerification(rep, err, prep, perr); d != "" {
						t.Errorf("%s: verifying on 3 workers in blocks of %d bytes differs from one worker (-one +three):\n%s", j.kind, j.block, d)
					}
					return rep, err
				}
				rep, keyErr := verify(&evidence.VerifyOptions{Key: vkey})
				_, trustedErr := verify(&evidence.VerifyOptions{Key: vkey, Trusted: trusted})
				mu.Lock()
				tl := tallies[j.kind]
				if tl == nil {
					tl = new(tally)
					tallies[j.kind] = tl
				}
				switch {
				case errors.Is(keyErr, evidence.ErrTampered):
					tl.keyDetected++
				case keyErr != nil:
					t.Errorf("%s: VerifyFile(key) = %v, want nil or an error matching ErrTampered", j.kind, keyErr)
				default:
					tl.keyIntact++
					if !j.m.signedState {
						t.Errorf("%s: VerifyFile(key) = intact (%+v), want tampering or unanchored records", j.kind, rep)
					}
					if c := rep.Check(evidence.CheckTrusted); c.Status != evidence.StatusNotChecked {
						t.Errorf("%s: a rollback reported as intact says the trusted head %s", j.kind, c.Status)
					}
				}
				if errors.Is(trustedErr, evidence.ErrTampered) {
					tl.trustedDetected++
				} else {
					t.Errorf("%s: VerifyFile(key, trusted head) = %v, want an error matching ErrTampered", j.kind, trustedErr)
				}
				mu.Unlock()
			}
		})
	}
	for _, name := range names {
		for i := range perKind {
			jobs <- job{name, kinds[name](), blockSizes[i%len(blockSizes)]}
		}
	}
	close(jobs)
	wg.Wait()

	var report strings.Builder
	fmt.Fprintf(&report, "%-42s %8s %14s %12s %16s\n", "mutation", "applied", "key: detected", "key: intact", "trusted: detected")
	for _, name := range names {
		tl := tallies[name]
		n := tl.keyDetected + tl.keyIntact
		if n < perKind {
			t.Errorf("%s: applied %d, want %d", name, n, perKind)
		}
		fmt.Fprintf(&report, "%-42s %8d %14d %12d %16d\n", name, n, tl.keyDetected, tl.keyIntact, tl.trustedDetected)
	}
	t.Logf("mutations of a log of %d records (checkpoint every %d):\n%s", records, every, report.String())
}

// forgedStart returns the start state an adversary who deleted the first
// k records of the log would write beside it: the true state after them.
func forgedStart(tb testing.TB, ls [][]byte, k int) []byte {
	var c evidence.Chain
	for _, l := range ls[:k] {
		c.Add(l)
	}
	b, err := c.MarshalJSON()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func jsonNote(tb testing.TB, line []byte) string {
	tb.Helper()
	var cl struct {
		Note string `json:"note"`
	}
	if err := json.Unmarshal(line, &cl); err != nil {
		tb.Fatal(err)
	}
	return cl.Note
}
