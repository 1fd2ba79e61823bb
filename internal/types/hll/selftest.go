package hll

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// SelfTest is PFSELFTEST: it checks that dense registers read back what
// was written, and that a sparse and a dense HyperLogLog fed the same
// elements agree with each other and stay within the expected error of
// the true cardinality. sparseMax is hll-sparse-max-bytes.
func SelfTest(sparseMax int64) error {
	rng := rand.New(rand.NewPCG(uint64(sparseMax), 0x5eed))
	regs := make([]byte, DenseSize-HeaderSize)
	want := make([]uint8, registers)
	for round := 0; round < 100; round++ {
		for i := range want {
			want[i] = uint8(rng.IntN(regMax + 1))
			denseSetReg(regs, i, want[i])
		}
		for i, v := range want {
			if got := denseGet(regs, i); got != v {
				return fmt.Errorf("Register error: register %d is %d, expected %d", i, got, v)
			}
		}
	}
	sparse := New()
	dense, _ := ToDense(New())
	// The relative standard error is 1.04/sqrt(m); allow five of them.
	relErr := 1.04 / math.Sqrt(registers) * 5
	buf := make([]byte, 0, 24)
	for n := 1; n <= 100000; n++ {
		buf = strconv.AppendInt(append(buf[:0], "ele:"...), int64(n), 10)
		var r1, r2 int
		sparse, r1 = Add(sparse, buf, max(sparseMax, HeaderSize+2))
		dense, r2 = Add(dense, buf, sparseMax)
		if r1 < 0 || r2 < 0 {
			return errors.New("corrupted HLL while adding")
		}
		if n%(1+n/10) != 0 {
			continue
		}
		c1, ok1 := Count(sparse)
		c2, ok2 := Count(dense)
		if !ok1 || !ok2 || c1 != c2 {
			return errors.New("Sparse and dense representations produced different cardinality estimations")
		}
		if n >= 100 && math.Abs(float64(c2)-float64(n))/float64(n) > relErr {
			return fmt.Errorf("error too big: card %d, estimate %d", n, c2)
		}
	}
	return nil
}
