package aof

import (
	"bufio"
	"errors"
	"io"
)

// maxLine is the line buffer Redis reads the command headers and
// annotations with (AOF_ANNOTATION_LINE_MAX_LEN): a longer line is read
// in pieces.
const maxLine = 1024

// ErrTruncated is a file that ends in the middle of a command (Redis's
// "Unexpected end of file"), which aof-load-truncated may repair.
var ErrTruncated = errors.New("unexpected end of file")

// ErrFormat is content that is not a command stream (Redis's "Bad file
// format").
var ErrFormat = errors.New("bad file format")

// Reader reads the commands of an .aof file (RESP arrays of bulk strings,
// with "#" annotation lines between them), tracking the offset after the
// last complete command so a truncated tail can be cut off.
type Reader struct {
	r   *bufio.Reader
	off int64 // bytes consumed
	buf []byte
}

// NewReader reads commands from r, which starts at offset off of its
// file (after an RDB preamble, for instance).
func NewReader(r io.Reader, off int64) *Reader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &Reader{r: br, off: off}
}

// Offset is the file offset after what has been read.
func (r *Reader) Offset() int64 { return r.off }

// line reads like C's fgets with a maxLine buffer: up to the newline
// (included) or maxLine-1 bytes. It returns nil at the end of input.
func (r *Reader) line() ([]byte, error) {
	r.buf = r.buf[:0]
	for len(r.buf) < maxLine-1 {
		c, err := r.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				if len(r.buf) == 0 {
					return nil, nil
				}
				return r.buf, nil
			}
			return nil, err
		}
		r.off++
		r.buf = append(r.buf, c)
		if c == '\n' {
			break
		}
	}
	return r.buf, nil
}

// Next returns the next command. At the clean end of the input it
// returns io.EOF; a command cut short returns ErrTruncated; content that
// is not a command ErrFormat; other read errors as they are.
func (r *Reader) Next() ([][]byte, error) {
	for {
		ln, err := r.line()
		if err != nil {
			return nil, err
		}
		if ln == nil {
			return nil, io.EOF
		}
		if ln[0] == '#' {
			continue // annotation
		}
		if ln[0] != '*' {
			return nil, ErrFormat
		}
		if len(ln) == 1 {
			// "*" and nothing else before the end of the file.
			return nil, ErrTruncated
		}
		argc := atoll(cString(ln[1:]))
		if argc < 1 || argc > 1<<31-1 {
			return nil, ErrFormat
		}
		argv := make([][]byte, 0, min(argc, 1024))
		for j := int64(0); j < argc; j++ {
			ln, err := r.line()
			if err != nil {
				return nil, err
			}
			if ln == nil {
				return nil, ErrTruncated
			}
			if ln[0] != '$' {
				return nil, ErrFormat
			}
			n := atoll(cString(ln[1:]))
			if n < 0 || n > 1<<40 {
				return nil, ErrFormat
			}
			arg, err := r.bulk(n + 2)
			if err != nil {
				return nil, err
			}
			argv = append(argv, arg[:n:n])
		}
		return argv, nil
	}
}

// bulk reads n bytes, growing the buffer as data arrives so that a
// corrupt huge length cannot make it allocate more than the file holds.
func (r *Reader) bulk(n int64) ([]byte, error) {
	const step = 1 << 20
	arg := make([]byte, 0, min(n, step))
	for int64(len(arg)) < n {
		k := min(n-int64(len(arg)), step)
		if int64(cap(arg)-len(arg)) < k {
			arg = append(arg[:cap(arg)], make([]byte, k)...)[:len(arg)]
		}
		m, err := io.ReadFull(r.r, arg[len(arg):len(arg)+int(k)])
		r.off += int64(m)
		arg = arg[:len(arg)+m]
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil, ErrTruncated
			}
			return nil, err
		}
	}
	return arg, nil
}

// cString is b up to its first NUL, as C code reading a line sees it.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// AppendCommand appends argv as a RESP array of bulk strings, the form
// commands take in an AOF.
func AppendCommand(dst []byte, argv ...[]byte) []byte {
	dst = appendHeader(dst, '*', int64(len(argv)))
	for _, a := range argv {
		dst = appendHeader(dst, '$', int64(len(a)))
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

func appendHeader(dst []byte, c byte, n int64) []byte {
	dst = append(dst, c)
	dst = appendInt(dst, n)
	return append(dst, '\r', '\n')
}

func appendInt(dst []byte, n int64) []byte {
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(dst, tmp[i:]...)
}
