package str

// LCSMatch is one run of the longest common subsequence: a[AStart..AEnd]
// equals b[BStart..BEnd] (inclusive).
type LCSMatch struct {
	AStart, AEnd, BStart, BEnd int
}

// LCS computes the longest common subsequence of a and b with the classic
// dynamic programming table, and walks it back from the end as Redis does
// so that the string and the ranges come out identical to Redis's: among
// equal-length subsequences the same one is chosen, and runs are reported
// from the end of the strings towards their start. If wantRanges is false
// the runs are not collected. The table needs 4*(len(a)+1)*(len(b)+1)
// bytes; callers check that limit first.
func LCS(a, b []byte, wantString, wantRanges bool) (length int, lcs []byte, matches []LCSMatch) {
	alen, blen := len(a), len(b)
	w := blen + 1
	tab := make([]uint32, (alen+1)*w)
	for i := 1; i <= alen; i++ {
		row, prev := tab[i*w:(i+1)*w], tab[(i-1)*w:i*w]
		ai := a[i-1]
		for j := 1; j <= blen; j++ {
			if ai == b[j-1] {
				row[j] = prev[j-1] + 1
			} else if prev[j] > row[j-1] {
				row[j] = prev[j]
			} else {
				row[j] = row[j-1]
			}
		}
	}
	length = int(tab[alen*w+blen])
	if !wantString && !wantRanges {
		return length, nil, nil
	}
	if wantString {
		lcs = make([]byte, length)
	}
	idx := length
	// A run being tracked backwards; aStart == alen means none.
	aStart, aEnd, bStart, bEnd := alen, 0, 0, 0
	i, j := alen, blen
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			if wantString {
				lcs[idx-1] = a[i-1]
			}
			if aStart == alen {
				aStart, aEnd, bStart, bEnd = i-1, i-1, j-1, j-1
			} else if aStart == i && bStart == j {
				aStart--
				bStart--
			} else {
				emit = true
			}
			if aStart == 0 || bStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if tab[(i-1)*w+j] > tab[i*w+j-1] {
				i--
			} else {
				j--
			}
			if aStart != alen {
				emit = true
			}
		}
		if emit {
			if wantRanges {
				matches = append(matches, LCSMatch{aStart, aEnd, bStart, bEnd})
			}
			aStart = alen
		}
	}
	return length, lcs, matches
}
