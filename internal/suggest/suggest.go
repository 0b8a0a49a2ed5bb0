// Package suggest finds, among the names a tool knows, those closest to
// a name that was mistyped, for messages such as "unknown field colour;
// did you mean color?".
//
// Names are compared by characters and without regard to case. The
// functions are pure and safe for concurrent use.
package suggest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxRunes bounds the names compared, so that the quadratic distance
// stays cheap whatever a document holds.
const maxRunes = 64

// Distance returns the Levenshtein edit distance between a and b, in
// characters and without regard to case: the fewest characters to
// insert, delete or replace to turn one into the other. Only the first
// 64 characters of each count.
func Distance(a, b string) int {
	return distance(runes(a), runes(b), nil)
}

// distance is [Distance] of two rune slices, using buf for its rows when
// it is large enough.
func distance(ra, rb []rune, buf []int) int {
	if cap(buf) < 2*(len(rb)+1) {
		buf = make([]int, 2*(len(rb)+1))
	}
	prev, cur := buf[:len(rb)+1], buf[len(rb)+1:2*(len(rb)+1)]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func runes(s string) []rune {
	return appendRunes(make([]rune, 0, min(utf8.RuneCountInString(s), maxRunes)), s)
}

// appendRunes appends the first maxRunes characters of s, in lower case,
// to r.
func appendRunes(r []rune, s string) []rune {
	n := 0
	for _, c := range s {
		if n == maxRunes {
			break
		}
		r = append(r, unicode.ToLower(c))
		n++
	}
	return r
}

// Prefix reports whether one of a and b starts with the other, without
// regard to case, and neither is empty.
func Prefix(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	return a != "" && b != "" && (strings.HasPrefix(a, b) || strings.HasPrefix(b, a))
}

// Closest returns the candidate closest to name, and whether one is
// close enough to suggest: one that differs from name only in case, or
// by at most a third of name's characters (at least one, at most three),
// or that starts with name or name with it. Of equally close candidates
// it returns the first.
func Closest(name string, candidates []string) (string, bool) {
	limit := min(max(1, utf8.RuneCountInString(name)/3), 3)
	rn := runes(name)
	var (
		rc  []rune
		buf [2 * (maxRunes + 1)]int
	)
	best, bestD := "", -1
	for _, c := range candidates {
		prefix := Prefix(name, c)
		// The distance is at least the difference in length: a candidate
		// too long or too short to be close is skipped without computing it.
		if n := min(utf8.RuneCountInString(c), maxRunes); !prefix && (n > len(rn)+limit || n < len(rn)-limit) {
			continue
		}
		rc = appendRunes(rc[:0], c)
		d := distance(rn, rc, buf[:])
		if d > limit && !prefix {
			continue
		}
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD >= 0
}

// Sort sorts candidates closest to name first: those that start with
// name or with which name starts, then by edit distance, then in the
// order they had. key returns the names a candidate goes by (an id and a
// name, say); the closest of them counts.
func Sort[T any](name string, candidates []T, key func(T) []string) {
	type scored struct {
		prefix bool
		d      int
	}
	score := func(c T) scored {
		s := scored{d: -1}
		for _, k := range key(c) {
			s.prefix = s.prefix || Prefix(name, k)
			if d := Distance(name, k); s.d < 0 || d < s.d {
				s.d = d
			}
		}
		return s
	}
	scores := make(map[int]scored, len(candidates))
	idx := make([]int, len(candidates))
	for i, c := range candidates {
		idx[i] = i
		scores[i] = score(c)
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := scores[i], scores[j]
		switch {
		case a.prefix != b.prefix:
			if a.prefix {
				return -1
			}
			return 1
		case a.d != b.d:
			return a.d - b.d
		}
		return i - j
	})
	sorted := make([]T, len(candidates))
	for k, i := range idx {
		sorted[k] = candidates[i]
	}
	copy(candidates, sorted)
}
