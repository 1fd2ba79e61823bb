package dict

import (
	"strconv"
	"testing"
)

func TestAddLikeDictAddRaw(t *testing.T) {
	d := New[int]()
	for i := 0; i < 4; i++ {
		if _, added := d.Add([]byte(strconv.Itoa(i)), i); !added {
			t.Fatal("not added")
		}
	}
	if d.Buckets() != 4 || d.IsRehashing() {
		t.Fatalf("buckets %d", d.Buckets())
	}
	// Adding an existing key still runs the growth check (4 used, 4
	// buckets), as dictAddRaw does before looking the key up.
	n, added := d.Add([]byte("0"), 99)
	if added || n.Val != 0 {
		t.Fatal("existing key replaced")
	}
	if !d.IsRehashing() || d.Buckets() != 12 {
		t.Fatalf("growth check skipped: buckets %d", d.Buckets())
	}
	for d.IsRehashing() {
		d.FairRandom()
	}
	if d.Buckets() != 8 || d.Len() != 4 {
		t.Fatalf("after rehash: buckets %d len %d", d.Buckets(), d.Len())
	}
}

func TestExpandPresizes(t *testing.T) {
	tests := []struct{ n, buckets int }{{0, 4}, {3, 4}, {5, 8}, {513, 1024}}
	for _, tc := range tests {
		d := New[struct{}]()
		d.Expand(tc.n)
		if d.Buckets() != tc.buckets || d.IsRehashing() {
			t.Errorf("Expand(%d): %d buckets", tc.n, d.Buckets())
		}
	}
}

func TestNodeBytes(t *testing.T) {
	for _, n := range []int{0, 1, 8, 9, 24, 25, 40, 41, 1000} {
		node, key := NodeBytes[struct{}](n)
		wantKey := 0
		if n > 40 {
			wantKey = n
		}
		if node < 24 || key != wantKey || (n <= 40 && node < n+24) {
			t.Errorf("NodeBytes(%d) = %d, %d", n, node, key)
		}
	}
}
