package module

import "strings"

// Keys and flags GetCommandKeysWithFlags reports for built-in commands,
// as redis-server 7.0.15 does: it prefers a command's key-extraction
// procedure to its key specs, and copies flags only from the procedures of
// SET, SORT, SORT_RO, BITFIELD and MIGRATE; keys found through key specs
// come back with flags 0. The procedure of ZUNIONSTORE, ZINTERSTORE and
// ZDIFFSTORE lists the source keys before the destination. Checked
// against redis-server with the cabi test module (bt.cmdkeys).

// Key flag bits (REDISMODULE_CMD_KEY_*).
const (
	keyFlagRO     = 1 << 0
	keyFlagRW     = 1 << 1
	keyFlagOW     = 1 << 2
	keyFlagAccess = 1 << 4
	keyFlagUpdate = 1 << 5
	keyFlagDelete = 1 << 7
)

// redis70Keys reorders the key positions pos (in key-spec order) of the
// command name with argv as Redis 7.0 reports them, and returns their
// flags.
func redis70Keys(name string, argv [][]byte, pos []int) ([]int, []int) {
	switch name {
	case "zunionstore", "zinterstore", "zdiffstore":
		if len(pos) > 1 && pos[0] == 1 {
			pos = append(append(pos[:0:0], pos[1:]...), pos[0])
		}
	}
	flags := make([]int, len(pos))
	for i, p := range pos {
		switch name {
		case "set":
			flags[i] = keyFlagOW | keyFlagUpdate
			for _, a := range argv[3:] {
				if strings.EqualFold(string(a), "get") {
					flags[i] = keyFlagRW | keyFlagAccess | keyFlagUpdate
				}
			}
		case "sort", "sort_ro":
			flags[i] = keyFlagRO | keyFlagAccess
			if p != 1 {
				flags[i] = keyFlagOW | keyFlagUpdate // the STORE destination
			}
		case "bitfield":
			flags[i] = keyFlagRO | keyFlagAccess
			if bitfieldWrites(argv) {
				flags[i] = keyFlagRW | keyFlagAccess | keyFlagUpdate
			}
		case "migrate":
			flags[i] = keyFlagRW | keyFlagAccess | keyFlagDelete
		}
	}
	return pos, flags
}

// bitfieldWrites reports whether BITFIELD's operations include a write
// (SET or INCRBY), reading them as the command would; anything it cannot
// read counts as a write.
func bitfieldWrites(argv [][]byte) bool {
	for i := 2; i < len(argv); i++ {
		left := len(argv) - i - 1
		switch op := strings.ToLower(string(argv[i])); {
		case op == "get" && left >= 2:
			i += 2
		case (op == "set" || op == "incrby") && left >= 3:
			return true
		case op == "overflow" && left >= 1:
			i++
		default:
			return true
		}
	}
	return false
}
