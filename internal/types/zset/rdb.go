package zset

// Constructors for the RDB loader.

// InsertLoaded adds a member that must be absent (the loader checks), with
// no encoding checks: the loader decides the encoding once the whole set
// is read, as Redis does.
func (z *ZSet) InsertLoaded(member []byte, score float64) { z.insert(member, score) }

// NewSkiplistSized returns an empty skiplist-encoded set whose dict is
// sized for n members, as Redis's loader expands it before inserting.
func NewSkiplistSized(n int) *ZSet {
	z := New(true)
	if n > 4 {
		z.dict.Expand(n)
	}
	return z
}
