package rdb

// CRC-64/Jones as Redis computes it for RDB footers and DUMP payloads:
// reflected polynomial 0xad93d23594c935a9, initial value 0, no final xor.
// The table is built at start-up; Update processes 8 bytes per step
// (slicing-by-8) so a checksum over a large file stays cheap.

const jonesReflected = 0x95ac9329ac4bc9b5 // 0xad93d23594c935a9 bit-reversed

var crcTables [8][256]uint64

func init() {
	for i := 0; i < 256; i++ {
		c := uint64(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = c>>1 ^ jonesReflected
			} else {
				c >>= 1
			}
		}
		crcTables[0][i] = c
	}
	for i := 0; i < 256; i++ {
		c := crcTables[0][i]
		for t := 1; t < 8; t++ {
			c = crcTables[0][c&0xff] ^ c>>8
			crcTables[t][i] = c
		}
	}
}

// CRC64 continues the checksum crc over p.
func CRC64(crc uint64, p []byte) uint64 {
	for len(p) >= 8 {
		crc ^= uint64(p[0]) | uint64(p[1])<<8 | uint64(p[2])<<16 | uint64(p[3])<<24 |
			uint64(p[4])<<32 | uint64(p[5])<<40 | uint64(p[6])<<48 | uint64(p[7])<<56
		crc = crcTables[7][crc&0xff] ^ crcTables[6][crc>>8&0xff] ^
			crcTables[5][crc>>16&0xff] ^ crcTables[4][crc>>24&0xff] ^
			crcTables[3][crc>>32&0xff] ^ crcTables[2][crc>>40&0xff] ^
			crcTables[1][crc>>48&0xff] ^ crcTables[0][crc>>56]
		p = p[8:]
	}
	for _, b := range p {
		crc = crcTables[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}
