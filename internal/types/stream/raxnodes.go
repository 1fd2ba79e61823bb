package stream

import "github.com/modis/modis/internal/rax"

// RaxNodes is the number of nodes Redis's radix tree would have for the
// stream's node keys (XINFO radix-tree-nodes). A rax holding a set of keys
// has, for keys none of which is a prefix of another (stream keys are all
// 16 bytes): the head; below a node whose keys share a non-empty common
// prefix, one compressed node and the node after the prefix; below a node
// whose keys branch at once, one child node per distinct next byte; and a
// leaf node per key. An empty rax is just its head.
func (s *Stream) RaxNodes() int { return raxNodes(s.rax) }

// PELNodes is the node count of a pending entries list's rax.
func PELNodes(t *rax.Tree[*NACK]) int { return raxNodes(t) }

func raxNodes[V any](t *rax.Tree[V]) int {
	keys := make([][]byte, 0, t.Len())
	it := t.Iterator()
	it.Seek("^", nil)
	for k, _, ok := it.Next(); ok; k, _, ok = it.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	return raxNodeCount(keys, 0)
}

// raxNodeCount counts the nodes of the subtree at depth d for sorted keys
// sharing their first d bytes.
func raxNodeCount(keys [][]byte, d int) int {
	if len(keys) == 0 {
		return 1
	}
	if len(keys) == 1 {
		if len(keys[0]) == d {
			return 1
		}
		return 2 // compressed node with the rest, then the key's leaf
	}
	// Longest common prefix beyond d: first and last keys bound it.
	first, last := keys[0][d:], keys[len(keys)-1][d:]
	l := 0
	for l < len(first) && l < len(last) && first[l] == last[l] {
		l++
	}
	if l > 0 {
		return 1 + raxNodeCount(keys, d+l)
	}
	n := 1
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][d] == keys[i][d] {
			j++
		}
		n += raxNodeCount(keys[i:j], d+1)
		i = j
	}
	return n
}
