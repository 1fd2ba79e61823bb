package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/listpack"
)

// Readers of the packed blobs RDB files embed as strings: listpacks,
// ziplists (older files) and zipmaps (much older files). Each walks the
// whole blob, checking every length against the blob's bounds, so a
// corrupt blob is an error and never an out-of-range access. Elements come
// out as bytes: integers stored compactly are formatted as decimal text,
// the form Modis keeps them in.

var errBlob = errors.New("bad blob")

// elem is one element of a blob: bytes, or an integer when isInt.
type elem struct {
	s     []byte
	v     int64
	isInt bool
}

// bytes returns the element's string form, using buf for integers.
func (e elem) bytes(buf []byte) []byte {
	if e.isInt {
		return strconv.AppendInt(buf[:0], e.v, 10)
	}
	return e.s
}

// int returns the element as an integer: its value, or its text when that
// is a canonical integer.
func (e elem) int() (int64, bool) {
	if e.isInt {
		return e.v, true
	}
	return keyspace.ParseCanonicalInt(e.s)
}

// walkListpack calls fn with each element of listpack lp, checking the
// header, every entry's encoding, length and back-length, the terminator,
// and the element count when the header holds it exactly.
func walkListpack(lp []byte, fn func(e elem) error) error {
	if len(lp) < listpack.Overhead {
		return errBlob
	}
	if binary.LittleEndian.Uint32(lp) != uint32(len(lp)) || lp[len(lp)-1] != listpack.End {
		return errBlob
	}
	hdrCount := int(binary.LittleEndian.Uint16(lp[4:]))
	p, end := listpack.HeaderSize, len(lp)-1
	count := 0
	var bl [5]byte
	for p < end {
		start := p
		b := lp[p]
		var e elem
		need := func(n int) bool { return n >= 0 && p+n <= end }
		switch {
		case b < 0x80: // 7-bit unsigned
			e = elem{v: int64(b), isInt: true}
			p++
		case b&0xC0 == 0x80: // 6-bit string length
			n := int(b & 0x3F)
			if !need(1 + n) {
				return errBlob
			}
			e.s = lp[p+1 : p+1+n]
			p += 1 + n
		case b&0xE0 == 0xC0: // 13-bit signed
			if !need(2) {
				return errBlob
			}
			v := int64(b&0x1F)<<8 | int64(lp[p+1])
			if v >= 1<<12 {
				v -= 1 << 13
			}
			e = elem{v: v, isInt: true}
			p += 2
		case b&0xF0 == 0xE0: // 12-bit string length
			if !need(2) {
				return errBlob
			}
			n := int(b&0x0F)<<8 | int(lp[p+1])
			if !need(2 + n) {
				return errBlob
			}
			e.s = lp[p+2 : p+2+n]
			p += 2 + n
		case b == 0xF0: // 32-bit string length
			if !need(5) {
				return errBlob
			}
			n := int64(binary.LittleEndian.Uint32(lp[p+1:]))
			if n > int64(end-p-5) {
				return errBlob
			}
			e.s = lp[p+5 : p+5+int(n)]
			p += 5 + int(n)
		case b == 0xF1:
			if !need(3) {
				return errBlob
			}
			e = elem{v: int64(int16(binary.LittleEndian.Uint16(lp[p+1:]))), isInt: true}
			p += 3
		case b == 0xF2:
			if !need(4) {
				return errBlob
			}
			u := uint32(lp[p+1]) | uint32(lp[p+2])<<8 | uint32(lp[p+3])<<16
			e = elem{v: int64(int32(u<<8) >> 8), isInt: true}
			p += 4
		case b == 0xF3:
			if !need(5) {
				return errBlob
			}
			e = elem{v: int64(int32(binary.LittleEndian.Uint32(lp[p+1:]))), isInt: true}
			p += 5
		case b == 0xF4:
			if !need(9) {
				return errBlob
			}
			e = elem{v: int64(binary.LittleEndian.Uint64(lp[p+1:])), isInt: true}
			p += 9
		default:
			return errBlob
		}
		l := p - start
		want := listpack.AppendBacklen(bl[:0], l)
		if p+len(want) > end || !bytes.Equal(lp[p:p+len(want)], want) {
			return errBlob
		}
		p += len(want)
		count++
		if err := fn(e); err != nil {
			return err
		}
	}
	if hdrCount != 65535 && hdrCount != count {
		return errBlob
	}
	return nil
}

// walkZiplist calls fn with each element of ziplist zl, checking the
// header (total bytes, tail offset, count when exact), every entry's
// previous-length and encoding, and the terminator.
func walkZiplist(zl []byte, fn func(e elem) error) error {
	const hdr = 10
	if len(zl) < hdr+1 || binary.LittleEndian.Uint32(zl) != uint32(len(zl)) || zl[len(zl)-1] != 0xFF {
		return errBlob
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	hdrCount := int(binary.LittleEndian.Uint16(zl[8:]))
	p, end := hdr, len(zl)-1
	prev, count, last := 0, 0, hdr
	for p < end {
		start := p
		// Previous entry length: 1 byte, or 0xFE and 4 bytes.
		var pl int
		if zl[p] < 0xFE {
			pl = int(zl[p])
			p++
		} else if zl[p] == 0xFE {
			if p+5 > end {
				return errBlob
			}
			pl = int(binary.LittleEndian.Uint32(zl[p+1:]))
			p += 5
		} else {
			return errBlob
		}
		if pl != prev {
			return errBlob
		}
		if p >= end {
			return errBlob
		}
		b := zl[p]
		var e elem
		need := func(n int) bool { return n >= 0 && p+n <= end }
		switch {
		case b>>6 == 0:
			n := int(b & 0x3F)
			if !need(1 + n) {
				return errBlob
			}
			e.s = zl[p+1 : p+1+n]
			p += 1 + n
		case b>>6 == 1:
			if !need(2) {
				return errBlob
			}
			n := int(b&0x3F)<<8 | int(zl[p+1])
			if !need(2 + n) {
				return errBlob
			}
			e.s = zl[p+2 : p+2+n]
			p += 2 + n
		case b == 0x80:
			if !need(5) {
				return errBlob
			}
			n := int64(binary.BigEndian.Uint32(zl[p+1:]))
			if n > int64(end-p-5) {
				return errBlob
			}
			e.s = zl[p+5 : p+5+int(n)]
			p += 5 + int(n)
		case b == 0xC0:
			if !need(3) {
				return errBlob
			}
			e = elem{v: int64(int16(binary.LittleEndian.Uint16(zl[p+1:]))), isInt: true}
			p += 3
		case b == 0xD0:
			if !need(5) {
				return errBlob
			}
			e = elem{v: int64(int32(binary.LittleEndian.Uint32(zl[p+1:]))), isInt: true}
			p += 5
		case b == 0xE0:
			if !need(9) {
				return errBlob
			}
			e = elem{v: int64(binary.LittleEndian.Uint64(zl[p+1:])), isInt: true}
			p += 9
		case b == 0xF0:
			if !need(4) {
				return errBlob
			}
			u := uint32(zl[p+1]) | uint32(zl[p+2])<<8 | uint32(zl[p+3])<<16
			e = elem{v: int64(int32(u<<8) >> 8), isInt: true}
			p += 4
		case b == 0xFE:
			if !need(2) {
				return errBlob
			}
			e = elem{v: int64(int8(zl[p+1])), isInt: true}
			p += 2
		case b >= 0xF1 && b <= 0xFD:
			e = elem{v: int64(b&0x0F) - 1, isInt: true}
			p++
		default:
			return errBlob
		}
		prev, last = p-start, start
		count++
		if err := fn(e); err != nil {
			return err
		}
	}
	if tail != last || (hdrCount != 65535 && hdrCount != count) {
		return errBlob
	}
	return nil
}

// walkZipmap calls fn with each key and value of zipmap zm, checking
// lengths, free bytes and the terminator.
func walkZipmap(zm []byte, fn func(k, v []byte) error) error {
	if len(zm) < 2 || zm[len(zm)-1] != 0xFF {
		return errBlob
	}
	p, end := 1, len(zm)-1
	readLen := func() (int, bool) {
		if p >= end {
			return 0, false
		}
		b := zm[p]
		if b < 254 {
			p++
			return int(b), true
		}
		if b == 254 && p+5 <= end {
			n := int(binary.LittleEndian.Uint32(zm[p+1:]))
			p += 5
			return n, n >= 0
		}
		return 0, false
	}
	count := 0
	for p < end {
		kl, ok := readLen()
		if !ok || kl > end-p {
			return errBlob
		}
		k := zm[p : p+kl]
		p += kl
		vl, ok := readLen()
		if !ok || p >= end {
			return errBlob
		}
		free := int(zm[p])
		p++
		if vl > end-p || free > end-p-vl {
			return errBlob
		}
		v := zm[p : p+vl]
		p += vl + free
		count++
		if err := fn(k, v); err != nil {
			return err
		}
	}
	if zm[0] < 254 && int(zm[0]) != count {
		return errBlob
	}
	return nil
}
