package server

// partialSort orders v with cmp so that at least the elements of indexes
// lo..hi hold their sorted values, as Redis's pqsort does for SORT ... BY
// ... LIMIT and GEO searches with COUNT. It is the Bentley-McIlroy
// quicksort (median of three, ninther above 40 elements, fat partition,
// insertion sort below 7 elements; Redis 7.0 dropped the switch to
// insertion sort for already partitioned input) skipping the partitions
// outside lo..hi; equal elements end up in the order that algorithm
// leaves them, which is what a client of redis-server sees.
func partialSort[T any](v []T, cmp func(a, b *T) int, lo, hi int) {
	// Bounds are compared in half-element units so that an empty range
	// (hi = lo-1) still sits between elements, as Redis's byte pointers.
	pqsortRange(v, cmp, 0, len(v), 2*lo, 2*(hi+1)-1)
}

func pqsortRange[T any](v []T, cmp func(a, b *T) int, a, n, lr, rr int) {
	swap := func(i, j int) { v[i], v[j] = v[j], v[i] }
	less := func(i, j int) int { return cmp(&v[i], &v[j]) }
	med3 := func(x, y, z int) int {
		if less(x, y) < 0 {
			if less(y, z) < 0 {
				return y
			}
			if less(x, z) < 0 {
				return z
			}
			return x
		}
		if less(y, z) > 0 {
			return y
		}
		if less(x, z) < 0 {
			return x
		}
		return z
	}
	insertion := func() {
		for m := a + 1; m < a+n; m++ {
			for l := m; l > a && less(l-1, l) > 0; l-- {
				swap(l, l-1)
			}
		}
	}
	for {
		if n < 7 {
			insertion()
			return
		}
		m := a + n/2
		if n > 7 {
			l, p := a, a+n-1
			if n > 40 {
				d := n / 8
				l = med3(l, l+d, l+2*d)
				m = med3(m-d, m, m+d)
				p = med3(p-2*d, p-d, p)
			}
			m = med3(l, m, p)
		}
		swap(a, m)
		pa, pb := a+1, a+1
		pc, pd := a+n-1, a+n-1
		for {
			for pb <= pc {
				r := less(pb, a)
				if r > 0 {
					break
				}
				if r == 0 {
					swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				r := less(pc, a)
				if r < 0 {
					break
				}
				if r == 0 {
					swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			swap(pb, pc)
			pb++
			pc--
		}
		pn := a + n
		r := min(pa-a, pb-pa)
		for i := 0; i < r; i++ {
			swap(a+i, pb-r+i)
		}
		r = min(pd-pc, pn-pd-1)
		for i := 0; i < r; i++ {
			swap(pb+i, pn-r+i)
		}
		outside := func(start, cnt int) bool {
			l, h := 2*start, 2*(start+cnt)-1
			return (lr < l && rr < l) || (lr > h && rr > h)
		}
		if r := pb - pa; r > 1 && !outside(a, r) {
			pqsortRange(v, cmp, a, r, lr, rr)
		}
		r = pd - pc
		if r <= 1 {
			return
		}
		a, n = pn-r, r
		if outside(a, n) {
			return
		}
	}
}
