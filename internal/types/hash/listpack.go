package hash

import "github.com/modis/modis/internal/listpack"

// Redis's listpack byte format, produced on demand so that MEMORY USAGE
// and DEBUG OBJECT can report the sizes Redis reports for the same hash
// (and so the RDB writer can save a listpack-encoded hash as Redis does).

// AppendListpack appends the hash's pairs encoded as a Redis listpack:
// every field and value in turn, each as an integer when it is a canonical
// 64-bit integer or else as a string.
func (h *Hash) AppendListpack(dst []byte) []byte {
	start := len(dst)
	dst = listpack.AppendHeader(dst)
	n := 0
	h.Each(func(f, v []byte) bool {
		dst = listpack.AppendEntry(dst, f)
		dst = listpack.AppendEntry(dst, v)
		n += 2
		return true
	})
	return listpack.Finish(dst, start, n)
}

// ListpackSize is len(AppendListpack(nil)) without building it.
func (h *Hash) ListpackSize() int {
	size := listpack.Overhead
	h.Each(func(f, v []byte) bool {
		size += listpack.EntrySize(f) + listpack.EntrySize(v)
		return true
	})
	return size
}
