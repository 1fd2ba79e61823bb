// Package rdb reads and writes Redis's RDB format, version 10 (Redis 7.0):
// whole files (SAVE, BGSAVE, loading at start-up) and single values (DUMP
// and RESTORE payloads).
//
// Writing produces the bytes Redis 7.0 would write for the same data:
// every value in the encoding Redis uses for it (listpacks for small
// hashes and sorted sets, intsets, quicklists of listpack nodes, stream
// listpacks with groups), strings integer-encoded or LZF-compressed as
// Redis does. Loading accepts every encoding a Redis 7.0 server accepts,
// including those older versions wrote (ziplists, zipmaps, the first
// quicklist format, text-encoded sorted set scores...), and converts values
// to the in-memory encodings Redis would pick under the configured
// thresholds. Loading validates as it goes and never panics, whatever the
// input; the error returned says what is wrong.
package rdb

import "github.com/modis/modis/internal/keyspace"

// Version is the RDB version written (RDB_VERSION of Redis 7.0).
const Version = 10

// Opcodes and value types (RDB_OPCODE_*, RDB_TYPE_*).
const (
	TypeString           = 0
	TypeList             = 1
	TypeSet              = 2
	TypeZSet             = 3
	TypeHash             = 4
	TypeZSet2            = 5
	TypeModule           = 6
	TypeModule2          = 7
	TypeHashZipmap       = 9
	TypeListZiplist      = 10
	TypeSetIntset        = 11
	TypeZSetZiplist      = 12
	TypeHashZiplist      = 13
	TypeListQuicklist    = 14
	TypeStreamListpacks  = 15
	TypeHashListpack     = 16
	TypeZSetListpack     = 17
	TypeListQuicklist2   = 18
	TypeStreamListpacks2 = 19

	OpFunction2    = 245
	OpFunction     = 246
	OpModuleAux    = 247
	OpIdle         = 248
	OpFreq         = 249
	OpAux          = 250
	OpResizeDB     = 251
	OpExpireTimeMs = 252
	OpExpireTime   = 253
	OpSelectDB     = 254
	OpEOF          = 255
)

// Module value opcodes (RDB_MODULE_OPCODE_*), inside module payloads.
const (
	ModOpEOF    = 0
	ModOpSInt   = 1
	ModOpUInt   = 2
	ModOpFloat  = 3
	ModOpDouble = 4
	ModOpString = 5
)

// Quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2.
const (
	containerPlain  = 1
	containerPacked = 2
)

// Options control writing.
type Options struct {
	// Compression is rdbcompression: strings longer than 20 bytes are
	// written LZF-compressed when that saves at least 4 bytes.
	Compression bool
	// Checksum is rdbchecksum: the footer carries the CRC-64 of the file;
	// when off it is 0.
	Checksum bool
	// DB is the database of the keys written (module types see it through
	// RedisModule_GetDbIdFromIO).
	DB int
	// SaveModule serializes a module value: its 64-bit type id (name and
	// encoding version) and its payload in the module opcode format,
	// terminated by ModOpEOF (what internal/module's SaveValue returns).
	// Without it, module values cannot be written.
	SaveModule func(key []byte, db int, o *keyspace.Object) (id uint64, payload []byte, err error)
	// Idle, when set, gives the idle time in seconds written before a
	// key's value (RDB_OPCODE_IDLE) when the maxmemory-policy is an LRU
	// one; ok false writes none.
	Idle func(o *keyspace.Object) (seconds uint64, ok bool)
	// Freq, when set, gives the LFU counter written before a key's value
	// (RDB_OPCODE_FREQ) when the maxmemory-policy is an LFU one.
	Freq func(o *keyspace.Object) (counter uint8, ok bool)
}

// Limits are the encoding thresholds applied to loaded values, the config
// options of the same names.
type Limits struct {
	HashMaxListpackEntries int64
	HashMaxListpackValue   int64
	SetMaxIntsetEntries    int64
	ZsetMaxListpackEntries int64
	ZsetMaxListpackValue   int64
	ListMaxListpackSize    int
	ListCompressDepth      int
}

// DefaultLimits are Redis's defaults.
var DefaultLimits = Limits{
	HashMaxListpackEntries: 512, HashMaxListpackValue: 64,
	SetMaxIntsetEntries:    512,
	ZsetMaxListpackEntries: 128, ZsetMaxListpackValue: 64,
	ListMaxListpackSize: -2,
}

// LoadOptions control loading.
type LoadOptions struct {
	Limits Limits
	// Sanitize asks for Redis's deep integrity validation
	// (sanitize-dump-payload): every entry of a listpack, ziplist or
	// intset blob is checked, and duplicates refused. Structural checks
	// needed to never misbehave are done regardless.
	Sanitize bool
	// Sanitizations, when set, counts the blobs deep-validated because of
	// Sanitize, as Redis's stat_dump_payload_sanitizations (INFO
	// dump_payload_sanitizations): each intset, listpack of a hash,
	// sorted set or list node, and stream node.
	Sanitizations *int64
	// IgnoreChecksum skips verifying the footer checksum (rdbchecksum no);
	// a zero footer is never verified, as in Redis.
	IgnoreChecksum bool
	// LoadModule rebuilds a module value from its type id and payload (in
	// the module opcode format, strings plain, terminated by ModOpEOF).
	// Without it, module values are an error.
	LoadModule func(id uint64, payload []byte, key []byte, db int) (keyspace.Object, error)
}

// KeyInfo is what a file says about a key besides its value.
type KeyInfo struct {
	ExpireMs int64 // absolute unix ms, -1 when none
	Idle     int64 // RDB_OPCODE_IDLE seconds, -1 when none
	Freq     int   // RDB_OPCODE_FREQ counter, -1 when none
}

// Sink receives what Load reads, in file order. An error returned by a
// method stops the load and is returned by Load.
type Sink interface {
	// Aux is an AUX field (redis-ver, ctime, used-mem, repl-id, ...).
	Aux(key, value []byte) error
	// SelectDB starts the keys of database db.
	SelectDB(db int) error
	// ResizeDB is the RESIZEDB hint for the current database.
	ResizeDB(keys, expires uint64) error
	// Key is one key of database db. The sink takes ownership of key and
	// o. Keys whose value turned out empty (possible in old files) are
	// skipped by Load.
	Key(db int, key []byte, o keyspace.Object, info KeyInfo) error
	// ModuleAux is a module's aux data: type id, when (before or after
	// the keyspace, REDISMODULE_AUX_*), payload as for LoadModule.
	ModuleAux(id uint64, when int, payload []byte) error
	// Function is a function library's code (RDB_OPCODE_FUNCTION2).
	Function(code []byte) error
}
