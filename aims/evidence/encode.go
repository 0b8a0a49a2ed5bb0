package evidence

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// recordEncoder writes the JSON form of records, byte for byte as an
// encoding/json Encoder with HTML escaping off writes them, without
// reflection for the fields that hold plain text. The log's lines are
// hashed, so the bytes must not change; TestRecordEncoderMatchesJSON and
// FuzzRecordEncoder hold the two to the same output. The zero value is
// ready to use; it is not safe for concurrent use.
type recordEncoder struct {
	buf bytes.Buffer  // the fallback encoder's output
	enc *json.Encoder // for what the fast paths do not cover
}

// appendRecord appends r's JSON object, without a newline, to dst. r must
// have passed [Record.Validate].
func (e *recordEncoder) appendRecord(dst []byte, r *Record) ([]byte, error) {
	var err error
	dst = append(dst, `{"schemaVersion":`...)
	if dst, err = e.appendString(dst, r.SchemaVersion); err != nil {
		return dst, err
	}
	dst = append(dst, `,"id":`...)
	dst = appendUUID(dst, r.ID)
	dst = append(dst, `,"time":`...)
	if dst, err = e.appendTime(dst, r.Time); err != nil {
		return dst, err
	}
	dst = append(dst, `,"type":`...)
	if dst, err = e.appendString(dst, string(r.Type)); err != nil {
		return dst, err
	}
	if r.System != uuid.Nil {
		dst = append(dst, `,"system":`...)
		dst = appendUUID(dst, r.System)
	}
	if len(r.Controls) > 0 {
		dst = append(dst, `,"controls":`...)
		if dst, err = e.appendStrings(dst, r.Controls); err != nil {
			return dst, err
		}
	}
	if len(r.Subjects) > 0 {
		dst = append(dst, `,"subjects":`...)
		if dst, err = e.appendValue(dst, r.Subjects); err != nil {
			return dst, err
		}
	}
	if r.Outcome != "" {
		dst = append(dst, `,"outcome":`...)
		if dst, err = e.appendString(dst, r.Outcome); err != nil {
			return dst, err
		}
	}
	if len(r.Reasons) > 0 {
		dst = append(dst, `,"reasons":`...)
		if dst, err = e.appendStrings(dst, r.Reasons); err != nil {
			return dst, err
		}
	}
	for _, f := range [...]struct {
		name string
		v    string
	}{
		{`,"actor":`, r.Actor},
		{`,"policyRevision":`, r.PolicyRevision},
		{`,"traceId":`, r.TraceID},
		{`,"spanId":`, r.SpanID},
	} {
		if f.v != "" {
			dst = append(dst, f.name...)
			if dst, err = e.appendString(dst, f.v); err != nil {
				return dst, err
			}
		}
	}
	if len(r.Data) > 0 {
		dst = append(dst, `,"data":`...)
		if dst, err = e.appendRaw(dst, r.Data); err != nil {
			return dst, err
		}
	}
	if len(r.Masked) > 0 {
		dst = append(dst, `,"masked":`...)
		if dst, err = e.appendStrings(dst, r.Masked); err != nil {
			return dst, err
		}
	}
	if r.Prev != "" {
		dst = append(dst, `,"prev":`...)
		if dst, err = e.appendString(dst, r.Prev); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendString appends s as a JSON string; see [AppendJSONString].
func (e *recordEncoder) appendString(dst []byte, s string) ([]byte, error) {
	return AppendJSONString(dst, s), nil
}

// AppendJSONString appends s to dst as a JSON string, byte for byte as an
// encoding/json Encoder with HTML escaping off writes it, and returns the
// extended buffer: '"' and '\\' are escaped with a backslash, control
// characters as \b, \f, \n, \r, \t or \u00XX, U+2028 and U+2029 as
// \u2028 and \u2029, and each byte of invalid UTF-8 is replaced by
// \ufffd; everything else, '<', '>', '&' and other UTF-8 included, is
// copied. It is the string encoding of the records in a log, whose lines
// are hashed, and of the data that writers build by hand. It does not
// allocate beyond growing dst.
func AppendJSONString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func (e *recordEncoder) appendStrings(dst []byte, ss []string) ([]byte, error) {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = e.appendString(dst, s); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

// appendTime appends t as time.Time's MarshalJSON does, for the times it
// formats (years 0 to 9999); it leaves the others, which are errors, to
// encoding/json.
func (e *recordEncoder) appendTime(dst []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 || t.Location() != time.UTC {
		return e.appendValue(dst, t)
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"'), nil
}

// appendRaw appends the JSON text b as encoding/json writes a
// json.RawMessage: compacted. Text with no whitespace byte at all is
// compact already; Record.Validate has checked that it is valid.
func (e *recordEncoder) appendRaw(dst []byte, b []byte) ([]byte, error) {
	if bytes.IndexByte(b, ' ') < 0 && bytes.IndexByte(b, '\n') < 0 &&
		bytes.IndexByte(b, '\t') < 0 && bytes.IndexByte(b, '\r') < 0 {
		return append(dst, b...), nil
	}
	return e.appendValue(dst, json.RawMessage(b))
}

// appendValue appends v as encoding/json encodes it with HTML escaping
// off.
func (e *recordEncoder) appendValue(dst []byte, v any) ([]byte, error) {
	if e.enc == nil {
		e.enc = json.NewEncoder(&e.buf)
		e.enc.SetEscapeHTML(false)
	}
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return dst, err
	}
	return append(dst, bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))...), nil
}

// appendUUID appends id in quotes in its canonical text form.
func appendUUID(dst []byte, id uuid.UUID) []byte {
	var b [38]byte
	b[0], b[37] = '"', '"'
	hex.Encode(b[1:9], id[0:4])
	b[9] = '-'
	hex.Encode(b[10:14], id[4:6])
	b[14] = '-'
	hex.Encode(b[15:19], id[6:8])
	b[19] = '-'
	hex.Encode(b[20:24], id[8:10])
	b[24] = '-'
	hex.Encode(b[25:37], id[10:16])
	return append(dst, b[:]...)
}
