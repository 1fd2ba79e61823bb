package dict

// TableStats describes one of the two hash tables for DEBUG HTSTATS.
type TableStats struct {
	Size   int   // buckets
	Used   int   // elements
	Chains []int // chain length of every bucket
}

// Stats returns the main table's stats and, while rehashing, the target's.
func (d *Dict[V]) Stats() []TableStats {
	n := 1
	if d.IsRehashing() {
		n = 2
	}
	out := make([]TableStats, 0, n)
	for i := 0; i < n; i++ {
		t := &d.t[i]
		st := TableStats{Size: len(t.buckets), Used: t.used, Chains: make([]int, len(t.buckets))}
		for b, node := range t.buckets {
			for ; node != nil; node = node.next {
				st.Chains[b]++
			}
		}
		out = append(out, st)
	}
	return out
}
