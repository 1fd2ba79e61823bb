package scripting

// rand48 is the 48-bit linear congruential generator behind Redis's
// math.random (its redisLrand48): scripts see the same sequence as on
// Redis, which matters because script effects replay on replicas.
type rand48 struct{ x uint64 }

// Rand is the generator of a server: like Redis's, it is shared by
// scripts and functions, never reseeded by SCRIPT FLUSH, and starts from
// lrand48's default state.
type Rand = rand48

// NewRand returns a generator in lrand48's default state.
func NewRand() *Rand { return &rand48{x: 0x1234ABCD330E} }

const (
	rand48A    = 0x5DEECE66D
	rand48C    = 0xB
	rand48Mask = 1<<48 - 1
	rand48Max  = 1<<31 - 1 // INT32_MAX
)

// seed is srand48: the high 32 bits from seed, the low 16 fixed.
func (r *rand48) seed(v int32) { r.x = uint64(uint32(v))<<16 | 0x330E }

// next returns the next non-negative 31-bit value (lrand48).
func (r *rand48) next() int32 {
	r.x = (rand48A*r.x + rand48C) & rand48Mask
	return int32(r.x >> 17)
}
