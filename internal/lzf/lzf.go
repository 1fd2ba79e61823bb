// Package lzf implements the LZF compression format used by Redis's RDB
// files (liblzf 3.x, as Redis builds it: 16-bit hash table, "very fast"
// hashing). Compress produces the same bytes as Redis's lzf_compress for the
// same input, so sizes derived from it (DEBUG OBJECT serializedlength) and
// RDB string payloads match Redis's.
package lzf

import "errors"

const (
	hlog   = 16
	hsize  = 1 << hlog
	maxLit = 1 << 5
	maxOff = 1 << 13
	maxRef = (1 << 8) + (1 << 3)
)

// idx is liblzf's hash slot for the 3-byte window v (VERY_FAST variant).
func idx(v uint32) uint32 {
	return ((v >> (3*8 - hlog)) - v*5) & (hsize - 1)
}

// Compress compresses in into at most maxOut bytes. It returns nil when the
// result would not fit (as lzf_compress returns 0), including empty input.
func Compress(in []byte, maxOut int) []byte {
	n := len(in)
	if n == 0 || maxOut <= 0 {
		return nil
	}
	// htab holds positions+1 of the last occurrence of each hash (0: none),
	// standing in for liblzf's table of pointers.
	htab := make([]int32, hsize)
	out := make([]byte, 0, maxOut)
	// The literal run header is a placeholder byte at runStart.
	runStart := 0
	out = append(out, 0)
	lit := 0
	ip := 0
	hval := uint32(in[0])<<8 | uint32(in[1%n])
	if n < 2 {
		hval = 0
	}
	full := func(extra int) bool { return len(out)+extra > maxOut }
	for ip < n-2 {
		hval = hval<<8 | uint32(in[ip+2])
		slot := idx(hval)
		ref := int(htab[slot]) - 1
		htab[slot] = int32(ip + 1)
		off := ip - ref - 1
		if ref > 0 && off >= 0 && off < maxOff && in[ref+2] == in[ip+2] && in[ref] == in[ip] && in[ref+1] == in[ip+1] {
			length := 2
			maxlen := n - ip - length
			if maxlen > maxRef {
				maxlen = maxRef
			}
			// liblzf's conservative check: the op pointer sits one past the
			// run header; a back reference needs up to 3 bytes plus a new
			// run header.
			op := len(out)
			if op+3+1 >= maxOut {
				opNoRun := op
				if lit == 0 {
					opNoRun--
				}
				if opNoRun+3+1 >= maxOut {
					return nil
				}
			}
			// Close the literal run (or drop its empty header).
			if lit > 0 {
				out[runStart] = byte(lit - 1)
			} else {
				out = out[:len(out)-1]
			}
			// liblzf first compares up to 16 bytes without looking at
			// maxlen when maxlen > 16, then continues bounded by it; the
			// unbounded steps can end a match past maxlen, and Redis's
			// output depends on that.
			matched := false
			if maxlen > 16 {
				for k := 0; k < 16; k++ {
					length++
					if in[ref+length] != in[ip+length] {
						matched = true
						break
					}
				}
			}
			if !matched {
				for {
					length++
					if length >= maxlen || in[ref+length] != in[ip+length] {
						break
					}
				}
			}
			length -= 2
			ip++
			if length < 7 {
				out = append(out, byte(off>>8)+byte(length<<5))
			} else {
				out = append(out, byte(off>>8)+(7<<5), byte(length-7))
			}
			out = append(out, byte(off))
			runStart = len(out)
			out = append(out, 0)
			lit = 0
			ip += length + 1
			if ip >= n-2 {
				break
			}
			ip -= 2
			hval = uint32(in[ip])<<8 | uint32(in[ip+1])
			hval = hval<<8 | uint32(in[ip+2])
			htab[idx(hval)] = int32(ip + 1)
			ip++
			hval = hval<<8 | uint32(in[ip+2])
			htab[idx(hval)] = int32(ip + 1)
			ip++
		} else {
			if len(out) >= maxOut {
				return nil
			}
			lit++
			out = append(out, in[ip])
			ip++
			if lit == maxLit {
				out[runStart] = byte(lit - 1)
				lit = 0
				runStart = len(out)
				out = append(out, 0)
			}
		}
	}
	if full(3) {
		return nil
	}
	for ip < n {
		lit++
		out = append(out, in[ip])
		ip++
		if lit == maxLit {
			out[runStart] = byte(lit - 1)
			lit = 0
			runStart = len(out)
			out = append(out, 0)
		}
	}
	if lit > 0 {
		out[runStart] = byte(lit - 1)
	} else {
		out = out[:len(out)-1]
	}
	if len(out) > maxOut {
		return nil
	}
	return out
}

// ErrCorrupt is returned by Decompress for malformed input.
var ErrCorrupt = errors.New("lzf: corrupt input")

// Decompress expands in, which must decompress to exactly outLen bytes.
func Decompress(in []byte, outLen int) ([]byte, error) {
	out := make([]byte, 0, outLen)
	for i := 0; i < len(in); {
		ctrl := int(in[i])
		i++
		if ctrl < 1<<5 {
			n := ctrl + 1
			if i+n > len(in) || len(out)+n > outLen {
				return nil, ErrCorrupt
			}
			out = append(out, in[i:i+n]...)
			i += n
			continue
		}
		length := ctrl >> 5
		if length == 7 {
			if i >= len(in) {
				return nil, ErrCorrupt
			}
			length += int(in[i])
			i++
		}
		if i >= len(in) {
			return nil, ErrCorrupt
		}
		ref := len(out) - ((ctrl&0x1f)<<8 | int(in[i])) - 1
		i++
		length += 2
		if ref < 0 || len(out)+length > outLen {
			return nil, ErrCorrupt
		}
		for j := 0; j < length; j++ {
			out = append(out, out[ref+j])
		}
	}
	if len(out) != outLen {
		return nil, ErrCorrupt
	}
	return out, nil
}
