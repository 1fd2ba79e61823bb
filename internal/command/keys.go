package command

import (
	"strconv"
	"strings"
)

// KeyRef is one key found in a command line: its position in argv and the
// key-spec flags that say how the command uses it ("RW", "access", ...).
type KeyRef struct {
	Pos   int
	Flags []string
}

// GetKeysFunc extracts keys from a full command line (argv[0] is the command
// name) where the key specs cannot: specs of type "unknown", "incomplete" or
// "variable_flags" (Redis's getkeys_proc). It returns nil when the arguments
// hold no valid keys.
type GetKeysFunc func(argv [][]byte) []KeyRef

// getKeysProcs are the built-in key extraction procedures, by command name.
var getKeysProcs = map[string]GetKeysFunc{}

// RegisterGetKeys installs a key extraction procedure for a command name
// (modules whose keys cannot be described by key specs).
func RegisterGetKeys(name string, fn GetKeysFunc) { getKeysProcs[name] = fn }

// Key-spec flag sets used by the procedures, in COMMAND INFO order.
var (
	flagsROAccess       = []string{"RO", "access"}
	flagsOWUpdate       = []string{"OW", "update"}
	flagsRWAccessUpdate = []string{"RW", "access", "update"}
	flagsRWAccessDelete = []string{"RW", "access", "delete"}
)

func init() {
	// Commands of the "[dest] numkeys key..." shape: the key specs describe
	// them, and these only run when a spec cannot be applied (for example a
	// numkeys that is not a clean integer), mirroring Redis's fallback.
	generic := func(store, count, first int) GetKeysFunc {
		return func(argv [][]byte) []KeyRef { return genericGetKeys(store, count, first, argv) }
	}
	for _, n := range []string{"zunionstore", "zinterstore", "zdiffstore"} {
		getKeysProcs[n] = generic(1, 2, 3)
	}
	for _, n := range []string{"zunion", "zinter", "zdiff", "zintercard", "sintercard", "lmpop", "zmpop"} {
		getKeysProcs[n] = generic(0, 1, 2)
	}
	for _, n := range []string{"eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "blmpop", "bzmpop"} {
		getKeysProcs[n] = generic(0, 2, 3)
	}
	getKeysProcs["sort"] = sortGetKeys
	getKeysProcs["sort_ro"] = func([][]byte) []KeyRef { return []KeyRef{{1, flagsROAccess}} }
	getKeysProcs["migrate"] = migrateGetKeys
	getKeysProcs["georadius"] = georadiusGetKeys
	getKeysProcs["georadiusbymember"] = georadiusGetKeys
	getKeysProcs["xread"] = xreadGetKeys
	getKeysProcs["xreadgroup"] = xreadGetKeys
	getKeysProcs["set"] = setGetKeys
	getKeysProcs["bitfield"] = bitfieldGetKeys
}

// atoi parses a leading decimal integer as C's atoi does ("2abc" is 2,
// garbage is 0).
func atoi(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == '\v' || b[i] == '\f') {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	n := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int(b[i]-'0')
		if n > 1<<31 {
			n = 1 << 31
		}
	}
	if neg {
		return -n
	}
	return n
}

func genericGetKeys(store, count, first int, argv [][]byte) []KeyRef {
	if count >= len(argv) {
		return nil
	}
	num := atoi(argv[count])
	if num < 1 || num > len(argv)-first {
		return nil
	}
	keys := make([]KeyRef, 0, num+1)
	for i := 0; i < num; i++ {
		keys = append(keys, KeyRef{Pos: first + i})
	}
	if store > 0 {
		keys = append(keys, KeyRef{Pos: store})
	}
	return keys
}

func sortGetKeys(argv [][]byte) []KeyRef {
	keys := []KeyRef{{1, flagsROAccess}}
	store := -1
	for i := 2; i < len(argv); i++ {
		a := string(argv[i])
		switch {
		case strings.EqualFold(a, "limit"):
			i += 2
		case strings.EqualFold(a, "get"), strings.EqualFold(a, "by"):
			i++
		case strings.EqualFold(a, "store") && i+1 < len(argv):
			// The last STORE wins, as SORT itself does.
			store = i + 1
		}
	}
	if store > 0 {
		keys = append(keys, KeyRef{store, flagsOWUpdate})
	}
	return keys
}

func migrateGetKeys(argv [][]byte) []KeyRef {
	first, num := 3, 1
	if len(argv) > 6 {
	scan:
		for i := 6; i < len(argv); i++ {
			a := string(argv[i])
			switch {
			case strings.EqualFold(a, "keys"):
				if len(argv[3]) > 0 {
					num = 0 // syntax error, left to MIGRATE itself
				} else {
					first, num = i+1, len(argv)-i-1
				}
				break scan
			case strings.EqualFold(a, "auth"):
				i++
			case strings.EqualFold(a, "auth2"):
				i += 2
			}
		}
	}
	keys := make([]KeyRef, 0, num)
	for i := 0; i < num; i++ {
		keys = append(keys, KeyRef{first + i, flagsRWAccessDelete})
	}
	return keys
}

func georadiusGetKeys(argv [][]byte) []KeyRef {
	stored := -1
	for i := 5; i < len(argv); i++ {
		a := string(argv[i])
		if (strings.EqualFold(a, "store") || strings.EqualFold(a, "storedist")) && i+1 < len(argv) {
			stored = i + 1
			i++
		}
	}
	keys := []KeyRef{{Pos: 1}}
	if stored > 0 {
		keys = append(keys, KeyRef{Pos: stored})
	}
	return keys
}

func xreadGetKeys(argv [][]byte) []KeyRef {
	streams := -1
loop:
	for i := 1; i < len(argv); i++ {
		switch strings.ToLower(string(argv[i])) {
		case "block", "count":
			i++
		case "group":
			i += 2
		case "noack":
		case "streams":
			streams = i
			break loop
		default:
			break loop
		}
	}
	if streams < 0 {
		return nil
	}
	num := len(argv) - streams - 1
	if num == 0 || num%2 != 0 {
		return nil
	}
	num /= 2
	keys := make([]KeyRef, 0, num)
	for i := streams + 1; i < len(argv)-num; i++ {
		keys = append(keys, KeyRef{Pos: i})
	}
	return keys
}

func setGetKeys(argv [][]byte) []KeyRef {
	for i := 3; i < len(argv); i++ {
		if strings.EqualFold(string(argv[i]), "get") {
			return []KeyRef{{1, flagsRWAccessUpdate}}
		}
	}
	return []KeyRef{{1, flagsOWUpdate}}
}

func bitfieldGetKeys(argv [][]byte) []KeyRef {
	readonly := true
loop:
	for i := 2; i < len(argv); i++ {
		rem := len(argv) - i - 1
		a := strings.ToLower(string(argv[i]))
		switch {
		case a == "get" && rem >= 2:
			i += 2
		case (a == "set" || a == "incrby") && rem >= 3:
			readonly = false
			break loop
		case a == "overflow" && rem >= 1:
			i++
		default:
			readonly = false
			break loop
		}
	}
	if readonly {
		return []KeyRef{{1, flagsROAccess}}
	}
	return []KeyRef{{1, flagsRWAccessUpdate}}
}

func hasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

// HasKeys reports whether the command may take keys at all: it has a key
// extraction procedure or a key spec that is not marked not_key (Redis's
// doesCommandHaveKeys).
func (s *Spec) HasKeys() bool {
	if s.GetKeysProc() != nil {
		return true
	}
	for i := range s.KeySpecs {
		if !hasFlag(s.KeySpecs[i].Flags, "not_key") {
			return true
		}
	}
	return false
}

// GetKeysProc returns the command's key extraction procedure, if any.
func (s *Spec) GetKeysProc() GetKeysFunc { return getKeysProcs[s.Name] }

// GetKeys returns the keys of a full command line (argv[0] is the command,
// for subcommands argv[1] the subcommand) as Redis's
// getKeysFromCommandWithSpecs finds them: from the key specs when they are
// reliable, else from the command's procedure. It returns nil when there
// are no keys or the arguments are invalid.
func (s *Spec) GetKeys(argv [][]byte) []KeyRef { return s.AppendKeys(nil, argv) }

// AppendKeys is GetKeys appending to dst, so a caller with a buffer finds
// the keys of a command from its key specs without allocating (ACL checks).
func (s *Spec) AppendKeys(dst []KeyRef, argv [][]byte) []KeyRef {
	hasKeySpec, varFlags := false, false
	for i := range s.KeySpecs {
		if !hasFlag(s.KeySpecs[i].Flags, "not_key") {
			hasKeySpec = true
		}
		if hasFlag(s.KeySpecs[i].Flags, "variable_flags") {
			varFlags = true
		}
	}
	if hasKeySpec && !varFlags {
		if keys, ok := s.appendKeysFromSpecs(dst, argv, false); ok {
			return keys
		}
	}
	if proc := s.GetKeysProc(); proc != nil {
		return proc(argv)
	}
	return nil
}

// KeysFromSpecs applies the key specs only. With partial, specs that cannot
// be applied are skipped instead of failing the whole search.
func (s *Spec) KeysFromSpecs(argv [][]byte, partial bool) ([]KeyRef, bool) {
	return s.keysFromSpecs(argv, partial)
}

func (s *Spec) keysFromSpecs(argv [][]byte, partial bool) ([]KeyRef, bool) {
	return s.appendKeysFromSpecs(nil, argv, partial)
}

func (s *Spec) appendKeysFromSpecs(dst []KeyRef, argv [][]byte, partial bool) ([]KeyRef, bool) {
	argc := len(argv)
	keys := dst[:0]
	for j := range s.KeySpecs {
		ks := &s.KeySpecs[j]
		if hasFlag(ks.Flags, "not_key") {
			continue
		}
		valid := true
		first, last, step := 0, 0, 1
		switch ks.BeginSearch {
		case "index":
			first = ks.Index
		case "keyword":
			start, end := ks.StartFrom, 1
			if ks.StartFrom > 0 {
				end = argc - 1
			} else {
				start = argc + ks.StartFrom
			}
			for i := start; i != end; {
				if i >= argc || i < 1 {
					break
				}
				if strings.EqualFold(string(argv[i]), ks.Keyword) {
					first = i + 1
					break
				}
				if start <= end {
					i++
				} else {
					i--
				}
			}
			if first == 0 {
				continue // keyword absent: this spec has no keys here
			}
		default:
			valid = false
		}
		if valid {
			switch ks.FindKeys {
			case "range":
				step = ks.KeyStep
				switch {
				case ks.LastKey >= 0:
					last = first + ks.LastKey
				case ks.Limit == 0:
					last = argc + ks.LastKey
				default:
					last = first + ((argc-first)/ks.Limit + ks.LastKey)
				}
			case "keynum":
				step = ks.KeyStep
				idx := first + ks.KeyNumIdx
				if idx >= argc || idx < 0 {
					valid = false
					break
				}
				n, err := strconv.ParseInt(string(argv[idx]), 10, 64)
				if err != nil || n < 0 || n > int64(argc) || !canonicalInt(argv[idx]) {
					valid = false
					break
				}
				first += ks.FirstKey
				last = first + int(n) - 1
			default:
				valid = false
			}
		}
		if valid && (last >= argc || last < first || first >= argc) {
			valid = false
		}
		if valid {
			if step <= 0 {
				step = 1
			}
			for i := first; i <= last; i += step {
				keys = append(keys, KeyRef{Pos: i, Flags: ks.Flags})
			}
			if hasFlag(ks.Flags, "incomplete") {
				valid = false
			}
		}
		if !valid {
			if partial {
				continue
			}
			return nil, false
		}
	}
	return keys, true
}

// canonicalInt reports whether b is an integer as Redis's string2ll
// accepts it (no '+', spaces or leading zeros).
func canonicalInt(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if len(b) == 1 && b[0] == '0' {
		return true
	}
	i := 0
	if b[0] == '-' {
		i = 1
	}
	if i >= len(b) || b[i] < '1' || b[i] > '9' {
		return false
	}
	for ; i < len(b); i++ {
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return true
}

// LegacyKeys returns keys by the first/last/step triple alone (Redis's
// getKeysUsingLegacyRangeSpec), for callers that need no flags.
func (s *Spec) LegacyKeys(argv [][]byte) []int {
	if s.FirstKey <= 0 {
		return nil
	}
	last := s.LastKey
	if last < 0 {
		last = len(argv) + last
	}
	step := s.Step
	if step <= 0 {
		step = 1
	}
	var out []int
	for j := s.FirstKey; j <= last; j += step {
		if j >= len(argv) {
			return nil
		}
		out = append(out, j)
	}
	return out
}
