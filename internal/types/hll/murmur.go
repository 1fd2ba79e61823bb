package hll

import (
	"encoding/binary"
	"math/bits"
)

// murmurSeed is the seed Redis hashes HyperLogLog elements with.
const murmurSeed = 0xadc83b19

// murmurHash64A is Austin Appleby's MurmurHash64A (64-bit, for 64-bit
// platforms), reading the input as little-endian words as Redis does on
// every platform, so register choices match Redis's.
func murmurHash64A(data []byte, seed uint64) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := seed ^ (uint64(len(data)) * m)
	for len(data) >= 8 {
		k := binary.LittleEndian.Uint64(data)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		data = data[8:]
	}
	if len(data) > 0 {
		for i := len(data) - 1; i >= 0; i-- {
			h ^= uint64(data[i]) << (8 * uint(i))
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// patLen returns the register an element maps to and the value it would
// set there: one more than the number of trailing zero bits of the hash
// bits above the register index, capped at q+1.
func patLen(ele []byte) (index int, count uint8) {
	h := murmurHash64A(ele, murmurSeed)
	index = int(h & (registers - 1))
	h >>= p
	h |= 1 << q // bounds the count at q+1
	return index, uint8(bits.TrailingZeros64(h) + 1)
}
