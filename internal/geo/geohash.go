// Package geo is the geohash arithmetic behind the GEO commands: the
// 52-bit interleaved geohash Redis stores as a sorted-set score, decoding
// a hash back to its cell, the eight neighbouring cells, haversine
// distances and the cells a radius or box search has to scan.
//
// Every floating-point step follows the same operations in the same order
// as redis-server so scores, coordinates and distances agree to the bit
// (explicit float64 conversions keep the compiler from fusing a
// multiply-add where Redis rounds twice).
package geo

import "math"

// Coordinate limits of the Web-Mercator projection Redis indexes.
const (
	LatMin  = -85.05112878
	LatMax  = 85.05112878
	LongMin = -180.0
	LongMax = 180.0
)

// StepMax is the precision of stored hashes: 26 bits per coordinate.
const StepMax = 26

// Range is a closed coordinate interval.
type Range struct{ Min, Max float64 }

// Hash is a geohash of Step bits per coordinate: longitude bits at the odd
// positions, latitude bits at the even ones.
type Hash struct {
	Bits uint64
	Step uint8
}

// IsZero reports whether h is the empty hash (a neighbour excluded from a
// search).
func (h Hash) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

// Area is the cell a hash covers.
type Area struct {
	Hash      Hash
	Long, Lat Range
}

// WGS84 coordinate ranges used for stored hashes.
var (
	wgsLong = Range{LongMin, LongMax}
	wgsLat  = Range{LatMin, LatMax}
)

// spread moves the low 32 bits of v to the even bit positions.
func spread(v uint64) uint64 {
	v &= 0xFFFFFFFF
	v = (v | v<<16) & 0x0000FFFF0000FFFF
	v = (v | v<<8) & 0x00FF00FF00FF00FF
	v = (v | v<<4) & 0x0F0F0F0F0F0F0F0F
	v = (v | v<<2) & 0x3333333333333333
	v = (v | v<<1) & 0x5555555555555555
	return v
}

// squash gathers the even bits of v into its low 32 bits.
func squash(v uint64) uint64 {
	v &= 0x5555555555555555
	v = (v | v>>1) & 0x3333333333333333
	v = (v | v>>2) & 0x0F0F0F0F0F0F0F0F
	v = (v | v>>4) & 0x00FF00FF00FF00FF
	v = (v | v>>8) & 0x0000FFFF0000FFFF
	v = (v | v>>16) & 0x00000000FFFFFFFF
	return v
}

// interleave puts lat at the even bits and long at the odd ones.
func interleave(lat, long uint32) uint64 {
	return spread(uint64(lat)) | spread(uint64(long))<<1
}

// deinterleave is the inverse: latitude in the low word, longitude in the
// high word.
func deinterleave(v uint64) uint64 {
	return squash(v) | squash(v>>1)<<32
}

// Encode hashes a point within the given ranges at step bits per
// coordinate. It fails outside the WGS84 limits or the ranges.
func Encode(longR, latR Range, long, lat float64, step uint8) (Hash, bool) {
	if step > 32 || step == 0 || latR.Max == latR.Min || longR.Max == longR.Min {
		return Hash{}, false
	}
	if long > LongMax || long < LongMin || lat > LatMax || lat < LatMin {
		return Hash{}, false
	}
	if lat < latR.Min || lat > latR.Max || long < longR.Min || long > longR.Max {
		return Hash{Step: step}, false
	}
	latOff := float64(lat-latR.Min) / float64(latR.Max-latR.Min)
	longOff := float64(long-longR.Min) / float64(longR.Max-longR.Min)
	scale := float64(uint64(1) << step)
	latOff = float64(latOff * scale)
	longOff = float64(longOff * scale)
	return Hash{Bits: interleave(toUint32(latOff), toUint32(longOff)), Step: step}, true
}

// toUint32 converts like C's double to uint32_t conversion for the values
// an in-range offset can take (0 .. 2^32).
func toUint32(f float64) uint32 { return uint32(uint64(f)) }

// EncodeWGS84 hashes a point with the WGS84 ranges.
func EncodeWGS84(long, lat float64, step uint8) (Hash, bool) {
	return Encode(wgsLong, wgsLat, long, lat, step)
}

// Align52 shifts a hash to 52 bits, the form stored as a score.
func (h Hash) Align52() uint64 { return h.Bits << (52 - 2*uint(h.Step)) }

// Decode returns the cell of h within the ranges.
func Decode(longR, latR Range, h Hash) (Area, bool) {
	if h.IsZero() || latR.Max == latR.Min || longR.Max == longR.Min {
		return Area{}, false
	}
	sep := deinterleave(h.Bits)
	latScale := latR.Max - latR.Min
	longScale := longR.Max - longR.Min
	ilat := uint32(sep)
	ilong := uint32(sep >> 32)
	div := float64(uint64(1) << h.Step)
	a := Area{Hash: h}
	a.Lat.Min = latR.Min + float64(float64(float64(ilat)/div)*latScale)
	a.Lat.Max = latR.Min + float64(float64(float64(ilat+1)/div)*latScale)
	a.Long.Min = longR.Min + float64(float64(float64(ilong)/div)*longScale)
	a.Long.Max = longR.Min + float64(float64(float64(ilong+1)/div)*longScale)
	return a, true
}

// DecodeWGS84 returns the cell of h in WGS84 ranges.
func DecodeWGS84(h Hash) (Area, bool) { return Decode(wgsLong, wgsLat, h) }

// Center returns the centre of a cell, clamped to the WGS84 limits.
func (a Area) Center() (long, lat float64) {
	long = (a.Long.Min + a.Long.Max) / 2
	long = math.Min(math.Max(long, LongMin), LongMax)
	lat = (a.Lat.Min + a.Lat.Max) / 2
	lat = math.Min(math.Max(lat, LatMin), LatMax)
	return long, lat
}

// DecodeScore returns the point a sorted-set score stands for: the centre
// of its 26-step cell.
func DecodeScore(score float64) (long, lat float64, ok bool) {
	a, ok := DecodeWGS84(Hash{Bits: cUint64(score), Step: StepMax})
	if !ok {
		return 0, 0, false
	}
	long, lat = a.Center()
	return long, lat, true
}

// Score returns the sorted-set score of a point; ok is false outside the
// WGS84 limits.
func Score(long, lat float64) (uint64, bool) {
	h, ok := EncodeWGS84(long, lat, StepMax)
	if !ok {
		return 0, false
	}
	return h.Align52(), true
}

// Neighbors are the eight cells around a hash (zero when excluded).
type Neighbors struct {
	North, East, West, South                   Hash
	NorthEast, SouthEast, NorthWest, SouthWest Hash
}

// moveX shifts a hash one cell east (d > 0) or west (d < 0), wrapping.
func moveX(h Hash, d int) Hash {
	if d == 0 {
		return h
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - 2*uint(h.Step))
	if d > 0 {
		x += zz + 1
	} else {
		x |= zz
		x -= zz + 1
	}
	x &= uint64(0xaaaaaaaaaaaaaaaa) >> (64 - 2*uint(h.Step))
	h.Bits = x | y
	return h
}

// moveY shifts a hash one cell north (d > 0) or south (d < 0), wrapping.
func moveY(h Hash, d int) Hash {
	if d == 0 {
		return h
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - 2*uint(h.Step))
	if d > 0 {
		y += zz + 1
	} else {
		y |= zz
		y -= zz + 1
	}
	y &= uint64(0x5555555555555555) >> (64 - 2*uint(h.Step))
	h.Bits = x | y
	return h
}

// NeighborsOf returns the eight cells around h.
func NeighborsOf(h Hash) Neighbors {
	return Neighbors{
		East:      moveX(h, 1),
		West:      moveX(h, -1),
		South:     moveY(h, -1),
		North:     moveY(h, 1),
		NorthWest: moveY(moveX(h, -1), 1),
		SouthWest: moveY(moveX(h, -1), -1),
		NorthEast: moveY(moveX(h, 1), 1),
		SouthEast: moveY(moveX(h, 1), -1),
	}
}

// StandardHash returns the 11-character base32 geohash of a stored score
// (GEOHASH): the decoded point re-encoded with the standard -90..90
// latitude range, the 11th character always '0'.
func StandardHash(score float64) (string, bool) {
	long, lat, ok := DecodeScore(score)
	if !ok {
		return "", false
	}
	h, _ := Encode(Range{-180, 180}, Range{-90, 90}, long, lat, StepMax)
	const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"
	var buf [11]byte
	for i := 0; i < 11; i++ {
		idx := uint64(0)
		if i < 10 {
			idx = (h.Bits >> (52 - uint(i+1)*5)) & 0x1f
		}
		buf[i] = alphabet[idx]
	}
	return string(buf[:]), true
}

// cUint64 converts like C's (uint64_t) cast as x86-64 compilers emit it
// (truncating conversions whose out-of-range results are 1<<63), so
// arbitrary ZADD scores decode to the same cells as in Redis.
func cUint64(x float64) uint64 {
	const two63 = 9223372036854775808.0
	if x >= two63 {
		return cInt64(x-two63) ^ (1 << 63)
	}
	return cInt64(x)
}

// cInt64 is the x86-64 truncating conversion: 1<<63 when out of range.
func cInt64(x float64) uint64 {
	if x != x || x >= 9223372036854775808.0 || x < -9223372036854775808.0 {
		return 1 << 63
	}
	return uint64(int64(x))
}
