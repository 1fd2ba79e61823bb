package zset

// Constructors for the RDB loader.

// InsertLoaded adds a member that must be absent (the loader checks), with
// no encoding checks: the loader decides the encoding once the whole set
// is read, as Redis does.
func (z *ZSet) InsertLoaded(member []byte, score float64) { z.insert(member, score) }
