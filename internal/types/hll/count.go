package hll

import (
	"math"
	"strconv"
	"strings"
)

// alphaInf is 1/(2 ln 2), the bias constant of the estimator for an
// unbounded number of registers.
const alphaInf = 0.721347520444481703680

// histogram counts registers by value. Values above q+1 can only come
// from corrupted dense strings; they are counted but not used.
type histogram [64]int

// sigma and tau are the correction series of Ertl's estimator for the
// registers that are zero and the ones that reached q+1. Each stops when
// a term no longer changes the sum. Explicit float64 conversions keep the
// compiler from fusing multiply-adds, which would change the last bit.
func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x = float64(x * x)
		prev := z
		z += float64(x * y)
		y += y
		if prev == z {
			return z
		}
	}
}

func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if prev == z {
			return z / 3
		}
	}
}

// estimate turns a register histogram into a cardinality.
func (h *histogram) estimate() uint64 {
	const m = float64(registers)
	z := m * tau((m-float64(h[q+1]))/m)
	for j := q; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += float64(m * sigma(float64(h[0])/m))
	e := float64(float64(alphaInf*m)*m) / z
	return uint64(math.Round(e))
}

// sparseHisto walks a sparse body; ok is false unless it covers exactly
// every register.
func sparseHisto(s []byte, h *histogram) bool {
	idx := 0
	for i := 0; i < len(s); {
		switch op := s[i]; {
		case isZero(op):
			n := zeroLen(op)
			h[0] += n
			idx += n
			i++
		case isXZero(op):
			n := xzeroLen(op, at(s, i+1))
			h[0] += n
			idx += n
			i += 2
		default:
			n, v := valLen(op), valValue(op)
			h[v] += n
			idx += n
			i++
		}
	}
	return idx == registers
}

// Count computes the cardinality (ignoring the cache); ok is false for a
// corrupted sparse value.
func Count(b []byte) (uint64, bool) {
	var h histogram
	if b[4] == Dense {
		regs := b[HeaderSize:]
		for i := 0; i < registers; i++ {
			h[denseGet(regs, i)]++
		}
	} else if !sparseHisto(b[HeaderSize:], &h) {
		return 0, false
	}
	return h.estimate(), true
}

// Registers holds one byte per register: the union PFCOUNT of several
// keys and PFMERGE compute.
type Registers [registers]uint8

// Merge raises each register to the value's; ok is false for a corrupted
// sparse value.
func (r *Registers) Merge(b []byte) bool {
	if b[4] == Dense {
		regs := b[HeaderSize:]
		for i := range r {
			if v := denseGet(regs, i); v > r[i] {
				r[i] = v
			}
		}
		return true
	}
	s := b[HeaderSize:]
	idx := 0
	for i := 0; i < len(s); {
		switch op := s[i]; {
		case isZero(op):
			idx += zeroLen(op)
			i++
		case isXZero(op):
			idx += xzeroLen(op, at(s, i+1))
			i += 2
		default:
			n, v := valLen(op), uint8(valValue(op))
			if idx+n > registers {
				return false
			}
			for ; n > 0; n-- {
				if v > r[idx] {
					r[idx] = v
				}
				idx++
			}
			i++
		}
	}
	return idx == registers
}

// Count estimates the cardinality of the registers.
func (r *Registers) Count() uint64 {
	var h histogram
	for _, v := range r {
		h[v]++
	}
	return h.estimate()
}

// DenseRegisters returns every register of a dense value (PFDEBUG GETREG).
func DenseRegisters(b []byte) []uint8 {
	out := make([]uint8, registers)
	for i := range out {
		out[i] = denseGet(b[HeaderSize:], i)
	}
	return out
}

// Decode describes a sparse body as PFDEBUG DECODE does: "z:len" for
// ZERO, "Z:len" for XZERO, "v:value,len" for VAL, space separated.
func Decode(b []byte) string {
	var sb strings.Builder
	s := b[HeaderSize:]
	for i := 0; i < len(s); {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		switch op := s[i]; {
		case isZero(op):
			sb.WriteString("z:" + strconv.Itoa(zeroLen(op)))
			i++
		case isXZero(op):
			sb.WriteString("Z:" + strconv.Itoa(xzeroLen(op, at(s, i+1))))
			i += 2
		default:
			sb.WriteString("v:" + strconv.Itoa(valValue(op)) + "," + strconv.Itoa(valLen(op)))
			i++
		}
	}
	return sb.String()
}
