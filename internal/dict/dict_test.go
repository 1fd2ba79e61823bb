package dict

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func key(i int) string { return fmt.Sprintf("key:%d", i) }

// rehashingDict returns a dict holding key(0)..key(n'-1) for some n' >= n,
// caught right at the start of an incremental rehash (as a real table is
// when it just outgrew its size), and n'.
func rehashingDict(n int) (*Dict[int], int) {
	d := New[int]()
	i := 0
	for ; i < n || !d.IsRehashing(); i++ {
		for d.RehashBuckets(100) {
		}
		d.Insert([]byte(key(i)), i)
	}
	return d, i
}

// check verifies the table's invariants: every element is in exactly one
// place, findable, counted, and t[0] holds nothing below rehashIdx.
func check(t *testing.T, d *Dict[int], want map[string]int) {
	t.Helper()
	if d.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", d.Len(), len(want))
	}
	seen := map[string]bool{}
	for ti := 0; ti < 2; ti++ {
		tb := &d.t[ti]
		n := 0
		for i, e := range tb.buckets {
			for ; e != nil; e = e.next {
				n++
				if seen[e.Key] {
					t.Fatalf("key %q stored twice", e.Key)
				}
				seen[e.Key] = true
				if HashString(e.Key)&tb.mask != uint64(i) {
					t.Fatalf("key %q in wrong bucket", e.Key)
				}
				if ti == 0 && d.rehashIdx >= 0 && i < d.rehashIdx {
					t.Fatalf("key %q below rehashIdx", e.Key)
				}
			}
		}
		if n != tb.used {
			t.Fatalf("table %d: used = %d, counted %d", ti, tb.used, n)
		}
	}
	for k, v := range want {
		n := d.FindString(k)
		if n == nil || n.Val != v {
			t.Fatalf("Find(%q) = %v, want %d", k, n, v)
		}
	}
}

func TestInsertFindDelete(t *testing.T) {
	d := New[int]()
	want := map[string]int{}
	for i := 0; i < 5000; i++ {
		d.Insert([]byte(key(i)), i)
		want[key(i)] = i
		if i%97 == 0 {
			check(t, d, want)
		}
	}
	check(t, d, want)
	for i := 0; i < 5000; i += 2 {
		if d.Delete([]byte(key(i))) == nil {
			t.Fatalf("Delete(%q) found nothing", key(i))
		}
		delete(want, key(i))
	}
	if d.Delete([]byte("absent")) != nil {
		t.Fatal("Delete of an absent key returned a node")
	}
	check(t, d, want)
	d.Clear()
	check(t, d, map[string]int{})
}

// TestDeleteDuringRehash deletes keys from both tables while a rehash is
// in progress, and keeps every invariant.
func TestDeleteDuringRehash(t *testing.T) {
	d, n := rehashingDict(1000)
	want := map[string]int{}
	for i := 0; i < n; i++ {
		want[key(i)] = i
	}
	if !d.IsRehashing() {
		t.Fatal("expected a rehash in progress")
	}
	d.RehashBuckets(len(d.t[0].buckets) / 3)
	if !d.IsRehashing() {
		t.Fatal("rehash finished too early")
	}
	check(t, d, want)
	for i := 0; i < n; i += 3 {
		if d.DeleteString(key(i)) == nil {
			t.Fatalf("Delete(%q) during rehash found nothing", key(i))
		}
		delete(want, key(i))
	}
	check(t, d, want)
	for d.RehashBuckets(10) {
	}
	if d.IsRehashing() {
		t.Fatal("rehash did not complete")
	}
	check(t, d, want)
}

// TestShrink: after deleting most keys the table shrinks back.
func TestShrink(t *testing.T) {
	d := New[int]()
	want := map[string]int{}
	for i := 0; i < 4096; i++ {
		d.Insert([]byte(key(i)), i)
		want[key(i)] = i
	}
	for d.RehashBuckets(100) {
	}
	big := d.Buckets()
	for i := 0; i < 4000; i++ {
		d.DeleteString(key(i))
		delete(want, key(i))
	}
	d.ShrinkIfNeeded()
	for d.RehashBuckets(100) {
	}
	check(t, d, want)
	if d.Buckets() >= big/8 {
		t.Fatalf("table did not shrink: %d buckets (was %d) for %d keys", d.Buckets(), big, d.Len())
	}
}

// scanAll runs a full SCAN, calling between(step) after every call so the
// test can modify the table mid-scan. It returns how often each key was
// returned.
func scanAll(d *Dict[int], between func(step int)) map[string]int {
	seen := map[string]int{}
	cursor := uint64(0)
	for step := 0; ; step++ {
		cursor = d.Scan(cursor, func(n *Node[int]) { seen[n.Key]++ })
		if cursor == 0 {
			return seen
		}
		between(step)
	}
}

// TestScanGuarantee checks SCAN's promise: an element present in the table
// from the start to the end of a full iteration is returned at least once,
// whatever happens to the table in between: growth, shrinking, and scans
// that start or end while an incremental rehash is in progress.
func TestScanGuarantee(t *testing.T) {
	cases := []struct {
		name    string
		stable  int // keys present for the whole scan
		extra   int // keys present at the start that may be deleted
		between func(d *Dict[int], r *rand.Rand, step int, added *int)
	}{
		{"static", 1000, 0, func(d *Dict[int], r *rand.Rand, step int, added *int) {}},
		{"grow", 200, 0, func(d *Dict[int], r *rand.Rand, step int, added *int) {
			// Insert a burst per step: several table doublings mid-scan
			// (bounded: a table growing faster than the scan advances keeps
			// the scan going forever, in Redis too).
			for i := 0; i < 50 && *added < 8000; i++ {
				d.Insert([]byte(fmt.Sprintf("new:%d", *added)), 0)
				*added++
			}
		}},
		{"grow-slow-rehash", 300, 0, func(d *Dict[int], r *rand.Rand, step int, added *int) {
			// Keep the rehash in progress across many scan calls.
			d.pauseRehash++
			for i := 0; i < 20 && *added < 8000; i++ {
				d.Insert([]byte(fmt.Sprintf("new:%d", *added)), 0)
				*added++
			}
			d.pauseRehash--
			d.RehashBuckets(1)
		}},
		{"shrink", 100, 4000, func(d *Dict[int], r *rand.Rand, step int, added *int) {
			// Delete the extras in big bursts early in the scan so the
			// table shrinks (several times) while it is being scanned.
			for i := step * 400; i < step*400+400 && i < 20000; i++ {
				d.DeleteString(fmt.Sprintf("extra:%d", i))
			}
			d.ShrinkIfNeeded()
			d.RehashBuckets(1 + r.IntN(100))
		}},
		{"churn", 500, 500, func(d *Dict[int], r *rand.Rand, step int, added *int) {
			for i := 0; i < 10; i++ {
				if r.IntN(2) == 0 && *added < 4000 {
					d.Insert([]byte(fmt.Sprintf("new:%d", *added)), 0)
					*added++
				} else {
					d.DeleteString(fmt.Sprintf("extra:%d", r.IntN(500)))
				}
			}
			if r.IntN(3) == 0 {
				d.ShrinkIfNeeded()
			}
			d.RehashBuckets(r.IntN(3))
		}},
	}
	for _, tc := range cases {
		for seed := uint64(0); seed < 5; seed++ {
			t.Run(fmt.Sprintf("%s/%d", tc.name, seed), func(t *testing.T) {
				r := rand.New(rand.NewPCG(seed, 42))
				d := New[int]()
				for i := 0; i < tc.stable; i++ {
					d.Insert([]byte(key(i)), i)
				}
				for i := 0; i < tc.extra; i++ {
					d.Insert([]byte(fmt.Sprintf("extra:%d", i)), i)
				}
				// Start some scans in the middle of a rehash.
				if seed%2 == 1 {
					for d.RehashBuckets(100) {
					}
					for i := 0; !d.IsRehashing(); i++ {
						d.Insert([]byte(fmt.Sprintf("extra:%d", tc.extra+i)), 0)
					}
				}
				added := 0
				sizes := map[int]bool{d.Buckets(): true}
				rehashed := false
				seen := scanAll(d, func(step int) {
					tc.between(d, r, step, &added)
					sizes[d.Buckets()] = true
					rehashed = rehashed || d.IsRehashing()
				})
				if tc.name != "static" && (len(sizes) < 3 || !rehashed) {
					t.Fatalf("the table was not resized during the scan (sizes %v)", sizes)
				}
				for i := 0; i < tc.stable; i++ {
					if seen[key(i)] == 0 {
						t.Fatalf("key %q present for the whole scan was never returned", key(i))
					}
				}
			})
		}
	}
}

// TestScanNoDuplicatesWhenStable: without resizing, every element comes
// back exactly once.
func TestScanNoDuplicatesWhenStable(t *testing.T) {
	d := New[int]()
	for i := 0; i < 3000; i++ {
		d.Insert([]byte(key(i)), i)
	}
	for d.RehashBuckets(100) {
	}
	seen := scanAll(d, func(int) {})
	if len(seen) != 3000 {
		t.Fatalf("scan returned %d distinct keys, want 3000", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("key %q returned %d times", k, n)
		}
	}
}

func TestScanEmpty(t *testing.T) {
	d := New[int]()
	if c := d.Scan(12345, func(*Node[int]) { t.Fatal("callback on empty dict") }); c != 0 {
		t.Fatalf("cursor = %d, want 0", c)
	}
}

// TestRandom: every key is eventually returned, in and out of rehashing.
func TestRandom(t *testing.T) {
	for _, rehashing := range []bool{false, true} {
		t.Run(fmt.Sprint("rehashing=", rehashing), func(t *testing.T) {
			if New[int]().Random() != nil {
				t.Fatal("Random on empty dict returned a node")
			}
			d, n := rehashingDict(100)
			if !rehashing {
				for d.RehashBuckets(100) {
				}
			}
			seen := map[string]bool{}
			for i := 0; i < n*200 && len(seen) < n; i++ {
				e := d.Random()
				if e == nil || d.FindString(e.Key) != e {
					t.Fatalf("Random returned a node not in the dict: %v", e)
				}
				seen[e.Key] = true
			}
			if len(seen) != n {
				t.Fatalf("Random reached %d of %d keys", len(seen), n)
			}
		})
	}
}

// TestSample: Sample returns at most count live nodes, stops when told to,
// and works while rehashing.
func TestSample(t *testing.T) {
	d := New[int]()
	d.Sample(5, func(*Node[int]) bool { t.Fatal("callback on empty dict"); return true })
	d, _ = rehashingDict(1000)
	for _, count := range []int{1, 5, 20, 5000} {
		got := 0
		d.Sample(count, func(n *Node[int]) bool {
			if d.FindString(n.Key) != n {
				t.Fatalf("Sample returned a node not in the dict: %q", n.Key)
			}
			got++
			return true
		})
		if got > count || got == 0 {
			t.Fatalf("Sample(%d) returned %d nodes", count, got)
		}
	}
	got := 0
	d.Sample(10, func(*Node[int]) bool { got++; return false })
	if got != 1 {
		t.Fatalf("Sample did not stop when fn returned false: %d calls", got)
	}
	// Over many calls every key is sampled at some point.
	seen := map[string]bool{}
	for i := 0; i < 5000 && len(seen) < d.Len(); i++ {
		d.Sample(20, func(n *Node[int]) bool { seen[n.Key] = true; return true })
	}
	if len(seen) != d.Len() {
		t.Fatalf("Sample reached %d of %d keys", len(seen), d.Len())
	}
}

// TestEach visits every element once, also mid-rehash.
func TestEach(t *testing.T) {
	d, _ := rehashingDict(500)
	d.RehashBuckets(3)
	seen := map[string]int{}
	d.Each(func(n *Node[int]) bool { seen[n.Key]++; return true })
	if len(seen) != d.Len() {
		t.Fatalf("Each visited %d of %d", len(seen), d.Len())
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("Each visited %q %d times", k, n)
		}
	}
}

// TestRandomOps interleaves every operation the server performs (insert,
// delete, find, scan steps, cron rehash, shrink) against a model map.
func TestRandomOps(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		d := New[int]()
		want := map[string]int{}
		cursor := uint64(0)
		for op := 0; op < 20000; op++ {
			k := key(r.IntN(3000))
			switch x := r.IntN(100); {
			case x < 45:
				if _, ok := want[k]; !ok {
					d.Insert([]byte(k), op)
					want[k] = op
				}
			case x < 80:
				n := d.DeleteString(k)
				if _, ok := want[k]; ok != (n != nil) {
					t.Fatalf("seed %d op %d: Delete(%q) = %v, model has it: %v", seed, op, k, n, ok)
				}
				delete(want, k)
			case x < 90:
				var batch []string
				cursor = d.Scan(cursor, func(n *Node[int]) { batch = append(batch, n.Key) })
				for _, k := range batch {
					if r.IntN(2) == 0 {
						d.DeleteString(k)
						delete(want, k)
					}
				}
			case x < 95:
				d.RehashBuckets(r.IntN(20))
			default:
				d.ShrinkIfNeeded()
			}
			if op%500 == 0 {
				check(t, d, want)
			}
		}
		check(t, d, want)
	}
}
