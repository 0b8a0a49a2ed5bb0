// Package lines reads newline-terminated lines of any length, for the
// evidence packages' readers of logs and bundles.
package lines

import (
	"bufio"
	"errors"
	"io"
)

// Reader reads newline-terminated lines of any length.
type Reader struct {
	br   *bufio.Reader
	long []byte
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next line without its newline and whether it ended
// with a newline; a line that does not is the torn tail of the input. At
// the end of the input Next returns io.EOF. The line is valid until the
// next call.
func (lr *Reader) Next() (line []byte, complete bool, err error) {
	b, err := lr.br.ReadSlice('\n')
	switch {
	case err == nil:
		return b[:len(b)-1], true, nil
	case errors.Is(err, bufio.ErrBufferFull):
		lr.long = append(lr.long[:0], b...)
		for {
			b, err = lr.br.ReadSlice('\n')
			lr.long = append(lr.long, b...)
			if err == nil {
				return lr.long[:len(lr.long)-1], true, nil
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if errors.Is(err, io.EOF) {
			return lr.long, false, nil
		}
		return nil, false, err
	case errors.Is(err, io.EOF):
		if len(b) == 0 {
			return nil, false, io.EOF
		}
		return b, false, nil
	default:
		return nil, false, err
	}
}
