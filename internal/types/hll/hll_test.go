package hll

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"
)

// Reference values from MurmurHash64A with Redis's seed, as Redis's PFADD
// uses them (register index and run length shown by PFDEBUG GETREG).
func TestMurmurKnown(t *testing.T) {
	// The hash of the empty input is seed ^ 0 mixed twice: check against
	// an independent computation of the finalizer.
	const m = 0xc6a4a7935bd1e995
	h := uint64(murmurSeed)
	h ^= h >> 47
	h *= m
	h ^= h >> 47
	if got := murmurHash64A(nil, murmurSeed); got != h {
		t.Fatalf("empty: %x want %x", got, h)
	}
	// Inputs of every tail length must differ from each other.
	seen := map[uint64]bool{}
	for n := 0; n <= 17; n++ {
		v := murmurHash64A(bytes.Repeat([]byte{'x'}, n), murmurSeed)
		if seen[v] {
			t.Fatalf("collision at length %d", n)
		}
		seen[v] = true
	}
}

func TestNewSparse(t *testing.T) {
	b := New()
	want := []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff")
	if !bytes.Equal(b, want) {
		t.Fatalf("New() = %q", b)
	}
	if !IsValid(b) || Encoding(b) != Sparse {
		t.Fatal("not a valid sparse HLL")
	}
	if c, ok := CachedCount(b); !ok || c != 0 {
		t.Fatal("cache")
	}
	if got := Decode(b); got != "Z:16384" {
		t.Fatalf("decode %q", got)
	}
}

func TestIsValid(t *testing.T) {
	d, _ := ToDense(New())
	tests := []struct {
		b    []byte
		want bool
	}{
		{New(), true},
		{d, true},
		{d[:len(d)-1], false},
		{append(append([]byte(nil), d...), 0), false},
		{[]byte("HYLL"), false},
		{[]byte("HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), false},
		{[]byte("HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), false},
		{[]byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), true},
	}
	for i, tc := range tests {
		if IsValid(tc.b) != tc.want {
			t.Errorf("case %d: IsValid = %v", i, !tc.want)
		}
	}
}

func TestDenseRegisters(t *testing.T) {
	regs := make([]byte, DenseSize-HeaderSize)
	for i := 0; i < registers; i++ {
		denseSetReg(regs, i, uint8(i%64))
	}
	for i := 0; i < registers; i++ {
		if denseGet(regs, i) != uint8(i%64) {
			t.Fatalf("register %d", i)
		}
	}
}

// TestSparseMatchesDense feeds the same elements to a sparse and a dense
// value: registers and counts must agree, and the sparse value must be
// promoted once it outgrows the limit.
func TestSparseMatchesDense(t *testing.T) {
	sparse := New()
	dense, _ := ToDense(New())
	for n := 0; n < 5000; n++ {
		ele := []byte("element:" + strconv.Itoa(n))
		var r1, r2 int
		sparse, r1 = Add(sparse, ele, 3000)
		dense, r2 = Add(dense, ele, 3000)
		if r1 < 0 || r1 != r2 {
			t.Fatalf("element %d: sparse %d dense %d", n, r1, r2)
		}
		if Encoding(sparse) == Sparse && len(sparse) > 3000 {
			t.Fatalf("sparse value of %d bytes", len(sparse))
		}
		if n%97 == 0 {
			conv, ok := ToDense(sparse)
			if !ok || !bytes.Equal(conv[HeaderSize:], dense[HeaderSize:]) {
				t.Fatalf("element %d: registers differ", n)
			}
			c1, _ := Count(sparse)
			c2, _ := Count(dense)
			if c1 != c2 {
				t.Fatalf("counts %d %d", c1, c2)
			}
		}
	}
	if Encoding(sparse) != Dense {
		t.Fatal("never promoted")
	}
	c, _ := Count(dense)
	if c < 4800 || c > 5200 {
		t.Fatalf("estimate %d for 5000", c)
	}
}

func TestCountEmptyAndCache(t *testing.T) {
	b := New()
	if c, ok := Count(b); !ok || c != 0 {
		t.Fatalf("empty count %d", c)
	}
	SetCachedCount(b, 0x0102030405060708&^(1<<63))
	if c, ok := CachedCount(b); !ok || c != 0x0102030405060708 {
		t.Fatalf("cache %x", c)
	}
	InvalidateCache(b)
	if _, ok := CachedCount(b); ok || b[8] != 0x08 {
		t.Fatal("invalidate must only set the top bit")
	}
}

func TestMergeCorrupt(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
	for _, body := range []string{"\x7f\xfe", "\x7f\xff\x00", "\x7f\xfe\x83", "\x7f\xff\x83", "\x7f"} {
		var r Registers
		if r.Merge([]byte(hdr + body)) {
			t.Errorf("body %q merged", body)
		}
		if _, ok := Count([]byte(hdr + body)); ok {
			t.Errorf("body %q counted", body)
		}
		if _, ok := ToDense([]byte(hdr + body)); ok {
			t.Errorf("body %q converted", body)
		}
	}
}

// TestNoPanicOnGarbage runs every operation over random sparse bodies.
func TestNoPanicOnGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		b := []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80")
		for n := rng.IntN(12); n > 0; n-- {
			b = append(b, byte(rng.Uint32()))
		}
		Count(b)
		Decode(b)
		var r Registers
		r.Merge(b)
		ToDense(b)
		c := append([]byte(nil), b...)
		for k := 0; k < 4; k++ {
			var res int
			c, res = Set(c, rng.IntN(registers), uint8(1+rng.IntN(40)), int64(rng.IntN(40)))
			if res < 0 || !IsValid(c) {
				break
			}
		}
	}
}

func TestSelfTest(t *testing.T) {
	if err := SelfTest(3000); err != nil {
		t.Fatal(err)
	}
}
