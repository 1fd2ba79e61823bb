package hash

import "github.com/modis/modis/internal/dict"

// Constructors for the RDB loader.

// AppendLoaded appends a pair to a listpack hash being loaded, without
// looking for the field (the loader checks duplicates itself when asked
// to). It must not be called on a hashtable.
func (h *Hash) AppendLoaded(field, value []byte) {
	h.lp = appendEntry(h.lp, field)
	h.lp = appendEntry(h.lp, value)
	h.n++
}

// NewTable returns an empty hashtable-encoded hash sized for n fields, as
// Redis creates a hash it loads with more fields than
// hash-max-listpack-entries.
func NewTable(n int) *Hash {
	d := dict.New[string]()
	if n > 4 {
		d.Expand(n)
	}
	return &Hash{ht: d}
}

// ConvertToTable switches a listpack hash to a hashtable.
func (h *Hash) ConvertToTable() {
	if h.ht == nil {
		h.convert()
	}
}

// InsertLoaded adds a pair to a hashtable hash being loaded; it reports
// false, changing nothing, when the field is already there.
func (h *Hash) InsertLoaded(field, value []byte) bool {
	if h.ht.Find(field) != nil {
		return false
	}
	h.ht.Insert(field, string(value))
	h.mem += entrySize(len(field), len(value))
	return true
}
