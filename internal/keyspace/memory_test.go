package keyspace

import "testing"

func TestAllocSize(t *testing.T) {
	for _, c := range []struct{ n, want int64 }{
		{0, 0}, {1, 8}, {8, 8}, {9, 16}, {17, 24}, {33, 48}, {100, 112},
		{1000, 1024}, {32768, 32768}, {32769, 40960},
	} {
		if got := AllocSize(c.n); got != c.want {
			t.Errorf("AllocSize(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}

// The estimate returns to exactly zero whatever the sequence of writes.
func TestMemoryAccountingBalances(t *testing.T) {
	ks := New(2)
	db := ks.DBs[0]
	if db.EstimatedBytes() != 0 {
		t.Fatal("new db not empty")
	}
	db.Set([]byte("a"), NewString([]byte("hello")), false)
	one := db.EstimatedBytes()
	if want := keyEntrySize(1) + AllocSize(5); one != want {
		t.Fatalf("one key = %d, want %d", one, want)
	}
	db.Set([]byte("a"), NewString(make([]byte, 1000)), false)
	if got, want := db.EstimatedBytes(), keyEntrySize(1)+AllocSize(1000); got != want {
		t.Fatalf("after overwrite = %d, want %d", got, want)
	}
	db.Set([]byte("n"), NewInt(42), false)
	db.SetExpire([]byte("n"), 1<<40)
	db.SetExpire([]byte("n"), 1<<41) // updating a TTL costs nothing more
	withTTL := db.EstimatedBytes()
	db.Persist([]byte("n"))
	if withTTL-db.EstimatedBytes() != expireNodeSize {
		t.Fatal("persist did not give back the expires entry")
	}
	db.SetExpire([]byte("n"), 1<<40)
	db.Rename([]byte("n"), []byte("a-much-longer-name-for-the-key"))
	// In-place growth, then re-measure.
	o := db.Lookup([]byte("a"))
	o.SetBytes(make([]byte, 5000))
	if d := db.Reaccount([]byte("a")); d != AllocSize(5000)-AllocSize(1000) {
		t.Fatalf("reaccount delta %d", d)
	}
	db.Add([]byte("x"), NewString([]byte("y")))
	Swap(ks.DBs[0], ks.DBs[1])
	if ks.DBs[0].EstimatedBytes() != 0 {
		t.Fatal("swap did not move the estimate")
	}
	db = ks.DBs[1]
	db.Delete([]byte("a"))
	db.Remove([]byte("x"), FreeEvicted)
	db.Delete([]byte("a-much-longer-name-for-the-key"))
	if db.EstimatedBytes() != 0 {
		t.Fatalf("estimate %d after deleting everything", db.EstimatedBytes())
	}
	db.Set([]byte("b"), NewString([]byte("v")), false)
	db.SetExpire([]byte("b"), 1)
	ks.Now = 2
	if db.Lookup([]byte("b")) != nil || db.EstimatedBytes() != 0 {
		t.Fatalf("expired key not given back: %d", db.EstimatedBytes())
	}
	db.Set([]byte("c"), NewString([]byte("v")), false)
	db.Flush()
	if db.EstimatedBytes() != 0 || ks.UsedMemory() != 0 {
		t.Fatal("flush did not reset the estimate")
	}
}
