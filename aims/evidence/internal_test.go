package evidence

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// leafData returns the data of leaf i in the Merkle tests.
func leafData(i int64) []byte { return fmt.Appendf(nil, "leaf %d", i) }

// TestHashStoreMatchesTlog checks that hashStore stores the hashes
// tlog.StoredHashes computes, and that frontier gives tlog.TreeHash, for
// every size up to 300.
func TestHashStoreMatchesTlog(t *testing.T) {
	var (
		s    hashStore
		fr   frontier
		want []tlog.Hash
	)
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = want[x]
		}
		return out, nil
	})
	if got, want := fr.root(), mustTreeHash(t, 0, r); got != want {
		t.Errorf("frontier root of no leaves = %v, want %v", got, want)
	}
	for n := range int64(300) {
		hs, err := tlog.StoredHashes(n, leafData(n), r)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, hs...)
		s.addLeaf(n, tlog.RecordHash(leafData(n)))
		fr.add(tlog.RecordHash(leafData(n)))
		if s.len() != int64(len(want)) {
			t.Fatalf("after leaf %d: stored %d hashes, want %d", n, s.len(), len(want))
		}
		for i := range want {
			if s.at(int64(i)) != want[i] {
				t.Fatalf("after leaf %d: hash %d = %v, want %v", n, i, s.at(int64(i)), want[i])
			}
		}
		th := mustTreeHash(t, n+1, r)
		if got := fr.root(); got != th {
			t.Fatalf("frontier root of %d leaves = %v, want %v", n+1, got, th)
		}
		if got := mustTreeHash(t, n+1, &s); got != th {
			t.Fatalf("TreeHash(%d) over the store = %v, want %v", n+1, got, th)
		}
	}
}

func mustTreeHash(tb testing.TB, n int64, r tlog.HashReader) tlog.Hash {
	tb.Helper()
	h, err := tlog.TreeHash(n, r)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func TestHashStoreTruncate(t *testing.T) {
	var s hashStore
	for n := range int64(1 << hashPageBits) {
		s.addLeaf(n, tlog.RecordHash(leafData(n)))
	}
	total := s.len()
	want := s.at(100)
	s.truncate(101)
	if s.len() != 101 || s.at(100) != want {
		t.Fatalf("after truncate(101): len %d, hash 100 %v; want 101, %v", s.len(), s.at(100), want)
	}
	if len(s.pages) != 1 {
		t.Errorf("after truncate(101): %d pages, want 1", len(s.pages))
	}
	if total <= 1<<hashPageBits {
		t.Fatalf("the test stored %d hashes, want more than a page", total)
	}
	if _, err := s.ReadHashes([]int64{101}); err == nil {
		t.Error("ReadHashes(past the end) = nil error, want an error")
	}
}

var jsonCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e10`, `-1.0E-2`, `true`, `false`, `null`,
	` {"a" : [1, 2, {"b": null}], "c": "\u00e9\n\"\\\/\b\f\r\t"} `,
	`{"a":1,}`, `[1,]`, `{"a"}`, `{"a":}`, `{,}`, `[,1]`, `01`, `1.`, `.5`, `1e`, `1e+`, `-`, `+1`,
	`"\x"`, `"\u12"`, `"\u12G4"`, "\"a\x01b\"", `"unterminated`, `tru`, `nul`, `{"a":1}x`, `{} {}`,
	"\"\xff\xfe invalid utf-8\"", `[[[[]]]]`, "", " ", "\t\n\r", `{"a":"b"`, `["a"`, `[1 2]`,
	strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
	strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1),
	strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth),
	strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1),
}

// stringCases returns JSON texts made of strings that hold each of the
// bytes that end a run of plain bytes, or that are plain but near such
// bytes (0x1f, 0x20, 0x21, 0x7f, 0x80, 0xff), at every position of a
// 64-bit word and past it, for the word-at-a-time scan of strings.
func stringCases() []string {
	var out []string
	for _, c := range []string{`"`, `\`, "\x00", "\x1f", " ", "!", "\x7f", "\x80", "\xff", `\"`, `\\`, `\u00e9`, `\q`, "\n"} {
		for pos := range 18 {
			s := strings.Repeat("a", pos) + c + strings.Repeat("b", 17-pos)
			out = append(out, `"`+s+`"`, `["`+s+`",1]`, `{"`+s+`":"`+s+`"}`, `"`+s)
		}
	}
	return out
}

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	for _, c := range append(jsonCases, stringCases()...) {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.40q) = %v, want %v (json.Valid)", c, got, want)
		}
	}
}

// FuzzValidJSON checks that validJSON agrees with json.Valid.
func FuzzValidJSON(f *testing.F) {
	for _, c := range append(jsonCases, stringCases()...) {
		if len(c) < 1000 {
			f.Add([]byte(c))
		}
	}
	f.Add([]byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"0194e7c2-0000-7000-8000-000000000001","prev":"sha256:00"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Errorf("validJSON(%q) = %v, want %v (json.Valid)", b, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	line := []byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b7a3c-1c00-7000-8000-000000000001","time":"2026-01-01T00:00:00.001Z","type":"runtime-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","controls":["iso42001:A.6.2.8"],"outcome":"allow","actor":"evidencetest","prev":"sha256:0c8f2e8f5a3b1d8e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e"}`)
	// A runtime decision of a model call as aims.Recorder writes it, 702
	// bytes.
	decision := []byte(`{"schemaVersion":"aimskit.dev/evidence/v1","id":"019b76e5-cf78-7000-8000-0000000f4240","time":"2026-01-01T00:12:11Z","type":"runtime-decision","system":"0190a5f1-7c2e-7d3a-9b1e-2f4c6d8e0a1b","controls":["iso42001:A.6.2.8"],"outcome":"decline","data":{"gen_ai.request.model":"credit-scorer","modelVersion":"3.2.0","gen_ai.operation.name":"chat","input":{"sha256":"6d057c57ca8bc1d3af16a5fe46127199dc1d43ab3d4714a00addfa769b3e633c","length":67},"output":{"sha256":"13ff71c36464034139bd5aff0ba78a1c5d049c7f93d72676fdba158f771ab992","length":44},"confidence":0.50,"latencyNs":10000000},"masked":["/data/input","/data/output"],"prev":"sha256:1f14da05d2ff5b736d21cc169f289064adeaa9f8cb28b55b07420636ab43b2fb"}`)
	for _, l := range []struct {
		name string
		line []byte
	}{{"record", line}, {"decision", decision}} {
		b.Run(l.name+"/validJSON", func(b *testing.B) {
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				if !validJSON(l.line) {
					b.Fatal("invalid")
				}
			}
		})
		b.Run(l.name+"/json.Valid", func(b *testing.B) {
			b.SetBytes(int64(len(l.line)))
			for b.Loop() {
				if !json.Valid(l.line) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
