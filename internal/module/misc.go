package module

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
)

// ServerVersion is what GetServerVersion reports: 7.0.15 as 0x00MMmmpp.
const ServerVersion = 0x0007000f

// GetServerVersion is RedisModule_GetServerVersion.
func GetServerVersion() int { return ServerVersion }

// GetRandomBytes is RedisModule_GetRandomBytes.
func GetRandomBytes(dst []byte) { rand.Read(dst) }

// GetRandomHexChars is RedisModule_GetRandomHexChars: len(dst) hex digits.
func GetRandomHexChars(dst []byte) {
	b := make([]byte, (len(dst)+1)/2)
	rand.Read(b)
	h := hex.EncodeToString(b)
	copy(dst, h)
}

// AvoidReplicaTrafficHook, set by the server, reports whether clients are
// paused (CLIENT PAUSE, FAILOVER).
var AvoidReplicaTrafficHook func() bool

// AvoidReplicaTraffic is RedisModule_AvoidReplicaTraffic: true while
// clients are paused, e.g. during a FAILOVER, so modules hold back
// traffic that would move the replication offset.
func AvoidReplicaTraffic() bool {
	if h := AvoidReplicaTrafficHook; h != nil {
		return h()
	}
	return false
}

// PublishMessage is RedisModule_PublishMessage: the number of clients
// that received it.
func (ctx *Ctx) PublishMessage(channel, message *String) int {
	return ctx.eng.host.Publish(channel.Bytes(), message.Bytes())
}

// GetClientNameById is RedisModule_GetClientNameById: nil when the client
// does not exist or has no name.
func (ctx *Ctx) GetClientNameById(id uint64) *String {
	name, ok := ctx.eng.host.ClientName(id)
	if !ok || name == "" {
		return nil
	}
	return ctx.newString([]byte(name))
}

// SetClientNameById is RedisModule_SetClientNameById: ERR with ENOENT for
// an unknown client, EINVAL for an invalid name.
func (ctx *Ctx) SetClientNameById(id uint64, name *String) (int, Errno) {
	if errno := ctx.eng.host.SetClientName(id, name.Bytes()); errno != 0 {
		return ERR, errno
	}
	return OK, 0
}

// GetCommandKeysWithFlags is RedisModule_GetCommandKeysWithFlags: the key
// positions of a full command line and their key-spec flags. ERR with
// ENOENT for an unknown command, EINVAL for a wrong argument count.
func (ctx *Ctx) GetCommandKeysWithFlags(argv [][]byte) (pos []int, flags []int, errno Errno) {
	if len(argv) == 0 {
		return nil, nil, EINVAL
	}
	spec := ctx.eng.host.LookupCommand(strings.ToLower(string(argv[0])))
	if spec == nil {
		return nil, nil, ENOENT
	}
	if len(spec.Subcommands) > 0 && len(argv) > 1 {
		if sub := spec.Sub(argv[1]); sub != nil {
			spec = sub
		}
	}
	if (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity {
		return nil, nil, EINVAL
	}
	if spec.Module != "" && spec.Flags&command.FlagMovableKeys != 0 {
		p, _ := ctx.eng.GetKeys(spec, nil, argv)
		return p, make([]int, len(p)), 0
	}
	for _, k := range spec.GetKeys(argv) {
		pos = append(pos, k.Pos)
		f := 0
		for _, name := range k.Flags {
			for i, n := range keySpecFlagNames {
				if strings.EqualFold(n, name) {
					f |= 1 << i
				}
			}
		}
		flags = append(flags, f)
	}
	// Redis 7.0 reports flags only from its key-extraction procedures.
	pos, flags = redis70Keys(spec.Name, argv, pos)
	return pos, flags, 0
}

// GetCommandKeys is RedisModule_GetCommandKeys.
func (ctx *Ctx) GetCommandKeys(argv [][]byte) ([]int, Errno) {
	p, _, errno := ctx.GetCommandKeysWithFlags(argv)
	return p, errno
}

// ScanCursor is RedisModuleScanCursor.
type ScanCursor struct {
	cursor uint64
	done   bool
}

// ScanCursorCreate is RedisModule_ScanCursorCreate.
func ScanCursorCreate() *ScanCursor { return &ScanCursor{} }

// ScanCursorRestart is RedisModule_ScanCursorRestart.
func (c *ScanCursor) ScanCursorRestart() { c.cursor, c.done = 0, false }

// ScanCursorDestroy is RedisModule_ScanCursorDestroy.
func (c *ScanCursor) ScanCursorDestroy() {}

// ScanFunc is a Scan callback (RedisModuleScanCB); key is opened for
// reading and valid only during the call.
type ScanFunc func(ctx *Ctx, keyname *String, key *Key)

// Scan is RedisModule_Scan: call fn for one batch of keys of the selected
// database; it reports whether more remain. As with SCAN, keys present
// throughout are seen at least once.
func (ctx *Ctx) Scan(cursor *ScanCursor, fn ScanFunc) bool {
	if cursor.done {
		return false
	}
	db := ctx.eng.host.Keyspace().DBs[ctx.dbID()]
	var keys []string
	cursor.cursor = db.Main().Scan(cursor.cursor, func(n *dict.Node[keyspace.Object]) {
		keys = append(keys, n.Key)
	})
	for _, k := range keys {
		name := NewString([]byte(k))
		if db.Lookup(name.Bytes()) == nil {
			continue // expired meanwhile
		}
		key := &Key{ctx: ctx, db: db, dbID: db.ID, name: name, mode: Read}
		fn(ctx, name, key)
		key.closed = true
	}
	if cursor.cursor == 0 {
		cursor.done = true
		return false
	}
	return true
}
