// Package list is the LIST value of Modis: a quicklist, a doubly linked
// deque of compact nodes, each holding a run of elements packed in one byte
// slice.
//
// The node boundaries follow Redis 7.0's quicklist exactly: a node accepts
// a new element while the listpack Redis would build for it stays within
// the fill limit (list-max-listpack-size: negative = bytes per node, -1 4 KB
// up to -5 64 KB; positive = elements per node, with an 8 KB safety limit),
// LINSERT splits full nodes and merges neighbours as Redis does, and every
// node tracks the byte size of the equivalent Redis listpack (LPBytes). So
// MEMORY USAGE, which Redis derives from its node allocations, can be
// computed to the byte, while Modis stores elements in its own simpler
// format: the bytes of all elements back to back plus an offset per
// element.
//
// Push and pop at either end touch only the end node (at most a few KB of
// memmove); index access walks nodes from the nearer end.
//
// Not modelled: Redis's plain nodes for single elements of 1 GB or more
// (beyond the default proto-max-bulk-len) and node compression
// (list-compress-depth), which changes no reply.
package list
