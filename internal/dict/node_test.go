package dict

import (
	"strings"
	"testing"
)

// Keys of every length around the inline-buffer sizes are stored, found,
// survive rehashing and are not affected by later changes to the caller's
// slice.
func TestInlineKeys(t *testing.T) {
	d := New[int]()
	var keys []string
	for l := 0; l <= 70; l++ {
		keys = append(keys, strings.Repeat("k", l), strings.Repeat("x", l)+"!")
	}
	for i, k := range keys {
		b := []byte(k)
		n := d.Insert(b, i)
		for j := range b {
			b[j] = '?' // the dict must have copied the key
		}
		if n.Key != k {
			t.Fatalf("inserted %q, node has %q", k, n.Key)
		}
	}
	for d.RehashBuckets(100) {
	}
	for i, k := range keys {
		n := d.Find([]byte(k))
		if n == nil || n.Val != i || n.Key != k {
			t.Fatalf("lookup %q: %+v", k, n)
		}
	}
	for _, k := range keys[:len(keys)/2] {
		if d.Delete([]byte(k)) == nil {
			t.Fatalf("delete %q failed", k)
		}
	}
	if d.Len() != len(keys)-len(keys)/2 {
		t.Fatalf("len %d", d.Len())
	}
}

func TestInsertAllocs(t *testing.T) {
	d := New[int]()
	key := []byte("key:000000000001")
	n := testing.AllocsPerRun(100, func() {
		d.Insert(key, 1)
		d.Delete(key)
	})
	if n != 1 {
		t.Fatalf("inserting a short key allocates %v times, want 1 (node and key together)", n)
	}
}
