package rdb

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/modis/modis/internal/lzf"
)

// ErrShortRead is the error for input that ends early, Redis's message for
// it when loading a file.
var ErrShortRead = errors.New("Short read or OOM loading DB. Unrecoverable error, aborting now.")

// ErrSignature is returned for input that does not start with "REDIS".
var ErrSignature = errors.New("Wrong signature trying to load DB from file")

// CorruptError is bad content: what is wrong, and the offset in the input
// where reading stood.
type CorruptError struct {
	Offset int64
	Msg    string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("Internal error in RDB reading offset %d, function at rdb.c:0 -> %s", e.Offset, e.Msg)
}

// VersionError is an RDB version this server cannot read.
type VersionError struct{ Version int }

func (e *VersionError) Error() string {
	return fmt.Sprintf("Can't handle RDB format version %d", e.Version)
}

// ChecksumError is a footer checksum that does not match the content.
type ChecksumError struct{ Expected, Got uint64 }

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("Wrong RDB checksum expected: (%x) but got (%x). Aborting now.", e.Expected, e.Got)
}

// reader reads RDB primitives, keeping the offset and the running CRC.
type reader struct {
	br  *bufio.Reader
	off int64
	crc uint64
	sum bool // update crc
	tmp [16]byte
	// bytes input (DUMP payloads) is read without bufio.
	b []byte
}

func newReader(r io.Reader) *reader {
	if br, ok := r.(*bufio.Reader); ok {
		return &reader{br: br, sum: true}
	}
	return &reader{br: bufio.NewReaderSize(r, 64<<10), sum: true}
}

func newBytesReader(b []byte) *reader { return &reader{b: b} }

func (r *reader) corrupt(format string, args ...any) error {
	return &CorruptError{Offset: r.off, Msg: fmt.Sprintf(format, args...)}
}

// full fills p entirely.
func (r *reader) full(p []byte) error {
	if r.br == nil {
		if len(r.b) < len(p) {
			return ErrShortRead
		}
		copy(p, r.b)
		r.b = r.b[len(p):]
	} else if _, err := io.ReadFull(r.br, p); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return ErrShortRead
		}
		return err
	}
	r.off += int64(len(p))
	if r.sum {
		r.crc = CRC64(r.crc, p)
	}
	return nil
}

// bytesN reads n bytes into a new slice, growing it as data arrives so a
// bogus huge length on short input fails without a huge allocation.
func (r *reader) bytesN(n uint64) ([]byte, error) {
	if r.br == nil {
		if uint64(len(r.b)) < n {
			return nil, ErrShortRead
		}
		out := append([]byte(nil), r.b[:n]...)
		r.b = r.b[n:]
		r.off += int64(n)
		return out, nil
	}
	const chunk = 1 << 20
	if n <= chunk {
		out := make([]byte, n)
		return out, r.full(out)
	}
	if n > math.MaxInt32*4 {
		return nil, ErrShortRead
	}
	out := make([]byte, 0, chunk)
	for uint64(len(out)) < n {
		k := min(n-uint64(len(out)), chunk)
		l := len(out)
		out = append(out, make([]byte, k)...)
		if err := r.full(out[l:]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *reader) byte() (byte, error) {
	if err := r.full(r.tmp[:1]); err != nil {
		return 0, err
	}
	return r.tmp[0], nil
}

// lenEnc reads a length; enc reports the 0b11 special-encoding form, whose
// 6 low bits are then returned.
func (r *reader) lenEnc() (n uint64, enc bool, err error) {
	b, err := r.byte()
	if err != nil {
		return 0, false, err
	}
	switch b >> 6 {
	case 0:
		return uint64(b & 0x3F), false, nil
	case 1:
		c, err := r.byte()
		return uint64(b&0x3F)<<8 | uint64(c), false, err
	case 3:
		return uint64(b & 0x3F), true, nil
	}
	switch b {
	case 0x80:
		if err := r.full(r.tmp[:4]); err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(r.tmp[:])), false, nil
	case 0x81:
		if err := r.full(r.tmp[:8]); err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(r.tmp[:]), false, nil
	}
	return 0, false, r.corrupt("Unknown length encoding %d in rdbLoadLen()", b)
}

// length reads a plain length (an encoded form counts as its 6 bits, as
// rdbLoadLen does).
func (r *reader) length() (uint64, error) {
	n, _, err := r.lenEnc()
	return n, err
}

// count reads a length used as an element count, refusing counts that no
// input could satisfy (each element takes at least min bytes).
func (r *reader) count() (int, error) {
	n, err := r.length()
	if err != nil {
		return 0, err
	}
	if n > 1<<40 {
		return 0, ErrShortRead
	}
	return int(n), nil
}

// sizeHint bounds a count read from the input for presizing tables: by
// the bytes left for in-memory input, else by a fixed cap, so a bogus count
// cannot make a huge allocation.
func (r *reader) sizeHint(n int) int {
	if r.br == nil {
		return min(n, len(r.b))
	}
	return min(n, 1<<20)
}

// str reads a string in any encoding: plain, integer or LZF.
func (r *reader) str() ([]byte, error) {
	n, enc, err := r.lenEnc()
	if err != nil {
		return nil, err
	}
	if !enc {
		return r.bytesN(n)
	}
	switch n {
	case encInt8:
		b, err := r.byte()
		return strconv.AppendInt(nil, int64(int8(b)), 10), err
	case encInt16:
		if err := r.full(r.tmp[:2]); err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int16(binary.LittleEndian.Uint16(r.tmp[:]))), 10), nil
	case encInt32:
		if err := r.full(r.tmp[:4]); err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(r.tmp[:]))), 10), nil
	case encLZF:
		clen, err := r.length()
		if err != nil {
			return nil, err
		}
		ulen, err := r.length()
		if err != nil {
			return nil, err
		}
		c, err := r.bytesN(clen)
		if err != nil {
			return nil, err
		}
		// LZF expands at most ~ 264/2 times per control byte pair; a
		// claimed length far beyond that is corrupt, not a reason to
		// allocate.
		if ulen == 0 || ulen > uint64(len(c))*256+64 {
			return nil, r.corrupt("Invalid LZF compressed string")
		}
		out, err := lzf.Decompress(c, int(ulen))
		if err != nil || len(out) != int(ulen) {
			return nil, r.corrupt("Invalid LZF compressed string")
		}
		return out, nil
	}
	return nil, r.corrupt("Unknown RDB string encoding type %d", n)
}

// u64le reads 8 bytes little endian (millisecond times, binary doubles).
func (r *reader) u64le() (uint64, error) {
	if err := r.full(r.tmp[:8]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(r.tmp[:]), nil
}

// textDouble reads a double of the old ZSET format: a length byte (253
// nan, 254 +inf, 255 -inf) and that many bytes of text.
func (r *reader) textDouble() (float64, error) {
	n, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	buf := make([]byte, n)
	if err := r.full(buf); err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(string(buf), 64)
	if err != nil {
		return 0, r.corrupt("Invalid double value")
	}
	return v, nil
}
