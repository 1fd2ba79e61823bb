package module

// keyPos is one key position reported by KeyAtPos.
type keyPos struct {
	pos   int
	flags int
}
