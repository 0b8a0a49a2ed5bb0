package evidence

import (
	"encoding/binary"
	"math/bits"
)

// validJSON reports whether b is exactly one JSON value (RFC 8259),
// optionally surrounded by whitespace. It accepts what [json.Valid]
// accepts, including its nesting limit and its leniency about invalid
// UTF-8 in strings, and runs several times faster on the strings that make
// up most of a record, which matters to [Verify].
//
// The scanner keeps its state in local variables, so that the only memory
// it reads is b itself; this keeps it fast under the race detector too.
func validJSON(b []byte) bool {
	// stack holds the open containers: '{' or '['.
	var stackBuf [64]byte
	stack := stackBuf[:0]

	i := skipSpace(b, 0)
	for {
		// Expect a value at b[i].
		if i >= len(b) {
			return false
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			if len(stack) >= maxJSONDepth {
				return false
			}
			i = skipSpace(b, i+1)
			if i < len(b) && (c == '{' && b[i] == '}' || c == '[' && b[i] == ']') {
				i++ // an empty container is a complete value
				break
			}
			stack = append(stack, c)
			if c == '{' {
				var ok bool
				if i, ok = objectKey(b, i); !ok {
					return false
				}
			}
			continue
		case c == '"':
			var ok bool
			if i, ok = scanString(b, i); !ok {
				return false
			}
		case c == '-' || c >= '0' && c <= '9':
			var ok bool
			if i, ok = scanNumber(b, i); !ok {
				return false
			}
		case c == 't':
			if !hasLiteral(b, i, "true") {
				return false
			}
			i += 4
		case c == 'f':
			if !hasLiteral(b, i, "false") {
				return false
			}
			i += 5
		case c == 'n':
			if !hasLiteral(b, i, "null") {
				return false
			}
			i += 4
		default:
			return false
		}
		// A value ended: close containers or go on to the next member or
		// element.
		for {
			i = skipSpace(b, i)
			if len(stack) == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			top := stack[len(stack)-1]
			c := b[i]
			if c == ',' {
				i = skipSpace(b, i+1)
				if top == '{' {
					var ok bool
					if i, ok = objectKey(b, i); !ok {
						return false
					}
				}
				break
			}
			if top == '{' && c == '}' || top == '[' && c == ']' {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			return false
		}
	}
}

// maxJSONDepth is the nesting limit of encoding/json.
const maxJSONDepth = 10000

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch c := b[i]; {
		case c > ' ':
			return i
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// objectKey scans `"key" :` and the space after it, from b[i].
func objectKey(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return i, false
	}
	i, ok := scanString(b, i)
	if !ok {
		return i, false
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return i, false
	}
	return skipSpace(b, i+1), true
}

// scanString scans the string that starts at b[i], a quote.
func scanString(b []byte, i int) (int, bool) {
	i++
	for {
		i = skipPlain(b, i)
		if i >= len(b) {
			return i, false
		}
		switch b[i] {
		case '"':
			return i + 1, true
		case '\\':
			i++
			if i >= len(b) {
				return i, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 > len(b) {
					return i, false
				}
				for _, c := range b[i+1 : i+5] {
					if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
						return i, false
					}
				}
				i += 5
			default:
				return i, false
			}
		default: // a control character
			return i, false
		}
	}
}

func scanDigits(b []byte, i int) (int, int) {
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i, i - start
}

// scanNumber scans the number that starts at b[i].
func scanNumber(b []byte, i int) (int, bool) {
	if b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return i, false
	}
	var n int
	if b[i] == '0' {
		i++
	} else if i, n = scanDigits(b, i); n == 0 {
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		if i, n = scanDigits(b, i+1); n == 0 {
			return i, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i, n = scanDigits(b, i); n == 0 {
			return i, false
		}
	}
	return i, true
}

func hasLiteral(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// Masks of the bytes of a 64-bit word, for skipPlain.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// skipPlain returns the index of the first byte of b at or after i that
// ends a run of plain string bytes: a quote, a backslash or a control
// character (below 0x20), or len(b) if there is none. Bytes from 0x80 up
// are plain: like [json.Valid], the scanner does not check UTF-8.
//
// It looks at eight bytes at a time: a byte of x is a quote when the same
// byte of x^'"' is zero, and y-lowBits sets the high bit of every zero
// byte of y, with ^y&highBits keeping only the bytes whose own high bit
// is clear. The borrow of a subtraction can only mark bytes above the
// first one found, so the lowest marked byte is exact.
func skipPlain(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ ('"' * lowBits)
		s := x ^ ('\\' * lowBits)
		m := (q-lowBits)&^q | (s-lowBits)&^s | (x-0x20*lowBits)&^x
		if m &= highBits; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c == '"' || c == '\\' {
			return i
		}
	}
	return i
}
