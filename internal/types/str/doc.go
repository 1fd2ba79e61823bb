// Package str holds the pure algorithms behind the string and bitmap
// commands: emulation of the x87 80-bit long double arithmetic that
// INCRBYFLOAT relies on, bit-field arithmetic for BITFIELD, population
// count and bit search for BITCOUNT and BITPOS, and the longest common
// subsequence for LCS. Nothing here knows about clients or the keyspace.
package str
