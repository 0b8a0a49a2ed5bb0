package document

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// excerptLen is the most characters of a document's content that a
// problem message quotes.
const excerptLen = 40

// Excerpt returns a short excerpt of s, content from a document, for a
// problem message: at most 40 characters, quoted as Go quotes a string
// (so that it cannot add lines or terminal escapes to the message),
// followed by "..." when s is longer.
func Excerpt(s string) string { return excerpt(s) }

func excerpt(s string) string {
	if cut, ok := cutAt(s, excerptLen); ok {
		return strconv.Quote(cut) + "..."
	}
	return strconv.Quote(s)
}

// cutAt returns the first n characters of s, and whether that is shorter
// than s.
func cutAt(s string, n int) (string, bool) {
	i := 0
	for range n {
		if i >= len(s) {
			return s, false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], i < len(s)
}

// clipText escapes the characters of s that are not printable (see
// [escape]) and cuts it to at most n characters.
func clipText(s string, n int) string {
	if cut, ok := cutAt(s, n); ok {
		return escape(cut) + "..."
	}
	return escape(s)
}

// plain reports whether s is valid UTF-8 of printable characters only
// (as [strconv.IsPrint] has them: no control, format or line separator
// characters) without quotes or backslashes.
func plain(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !strconv.IsPrint(r) || r == '"' || r == '\\' {
			return false
		}
	}
	return true
}

// escape returns s with every character that is not printable (and
// every byte that is not UTF-8) escaped as in a Go string literal; quotes
// and backslashes stay as they are.
func escape(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case strconv.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

// printable reports whether s is valid UTF-8 of printable characters
// only.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// quoteName returns a file name as a problem prints it: as it is when it
// is plain, quoted as a Go string otherwise, so that a name cannot forge
// lines or terminal output.
func quoteName(s string) string {
	if plain(s) {
		return s
	}
	return strconv.Quote(s)
}

// displayPointer returns a JSON pointer as a problem prints it: escaped,
// with each reference token cut to excerptLen characters.
func displayPointer(p string) string {
	if printable(p) && len(p) <= excerptLen {
		return p
	}
	toks := strings.Split(p, "/")
	for i, t := range toks {
		if cut, ok := cutAt(t, excerptLen); ok {
			toks[i] = cut + "..."
		}
	}
	return escape(strings.Join(toks, "/"))
}
