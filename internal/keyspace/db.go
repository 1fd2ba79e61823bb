// Package keyspace holds the databases: the main hash table of keys to
// values, the expiry table, lazy and active expiry. It knows nothing about
// clients or the network; the server reacts to key events through Hooks.
package keyspace

import (
	"github.com/modis/modis/internal/dict"
)

// Hooks lets the server observe what the keyspace does on its own.
type Hooks struct {
	// Expired is called after a key was deleted because its TTL passed
	// (lazily or by the active cycle), with the key still readable.
	Expired func(db *DB, key string)
	// Added is called when a key is created (Add, Set of a new key, the
	// destination of Rename), as Redis's dbAdd fires the "new" event.
	Added func(db *DB, key []byte)
	// FreeModule, when set, is called for every module value leaving the
	// keyspace (delete, expiry, overwrite, flush) so its type's free
	// method runs.
	FreeModule func(o *Object)
	// UnlinkModule, when set, is called before FreeModule when a module
	// value leaves its key (delete, expiry, overwrite; not flush), as
	// Redis's moduleNotifyKeyUnlink, with the key and database.
	UnlinkModule func(db *DB, key []byte, o *Object)
	// FreeEffortModule, when set, is called for a module value freed
	// lazily (see FreeReason), between UnlinkModule and FreeModule, as
	// Redis's freeObjAsync asks the type's free effort.
	FreeEffortModule func(db *DB, key []byte, o *Object)
}

// FreeReason says why a value leaves its key. Redis frees lazily (in the
// background, after asking a module value's free effort) for UNLINK and,
// per lazyfree-lazy-* config, for the other reasons; Modis frees every
// value through the garbage collector either way, so the reason decides
// only whether the free effort is asked.
type FreeReason uint8

const (
	FreeUser     FreeReason = iota // DEL (lazyfree-lazy-user-del: DeleteLazy)
	FreeUserLazy                   // UNLINK, DEL with lazyfree-lazy-user-del
	FreeExpired                    // expiry (lazyfree-lazy-expire)
	FreeEvicted                    // eviction (lazyfree-lazy-eviction)
	FreeServer                     // overwritten or deleted by the server: SET, RENAME, RESTORE REPLACE, MOVE, ... (lazyfree-lazy-server-del)
)

// lazy reports whether values leaving for reason are freed lazily.
func (ks *Keyspace) lazy(reason FreeReason) bool {
	switch reason {
	case FreeUserLazy:
		return true
	case FreeExpired:
		return ks.LazyExpire
	case FreeEvicted:
		return ks.LazyEviction
	case FreeServer:
		return ks.LazyServerDel
	}
	return false
}

// release runs the module hooks for a value that left key for reason:
// unlink, the free effort when freed lazily, and (unless the value lives
// on elsewhere, as after MOVE) free.
func (db *DB) release(key string, o *Object, reason FreeReason, free bool) {
	if o.kind != KindModule {
		return
	}
	db.unlinkModule(key, o)
	if db.ks.Hooks.FreeEffortModule != nil && db.ks.lazy(reason) {
		db.ks.Hooks.FreeEffortModule(db, []byte(key), o)
	}
	if free {
		db.freeModule(o)
	}
}

// unlinkModule runs the UnlinkModule hook for a module value.
func (db *DB) unlinkModule(key string, o *Object) {
	if o.kind == KindModule && db.ks.Hooks.UnlinkModule != nil {
		db.ks.Hooks.UnlinkModule(db, []byte(key), o)
	}
}

// freeModule runs the FreeModule hook for a module value.
func (db *DB) freeModule(o *Object) {
	if o.kind == KindModule && db.ks.Hooks.FreeModule != nil {
		db.ks.Hooks.FreeModule(o)
	}
}

// DB is one numbered database.
type DB struct {
	ID      int
	main    *dict.Dict[Object]
	expires *dict.Dict[int64] // key -> absolute unix time in ms
	ks      *Keyspace

	AvgTTL        int64  // running average TTL sampled by the active cycle
	ExpiresCursor uint64 // active expiry scan position

	used int64 // estimated bytes of keys, values and TTLs (memory.go)
}

// Keyspace is the set of databases plus the shared clock.
type Keyspace struct {
	DBs   []*DB
	Hooks Hooks

	// Now is the time in ms used for expiry decisions. The server sets it
	// once per command (and once per EXEC), so a key cannot expire halfway
	// through a command, like Redis's cached mstime.
	Now int64

	// NoExpire makes lookups ignore TTLs (loading, replicas) without
	// deleting anything.
	NoExpire bool

	// IgnoreTTL makes every key live whatever its TTL: a replica applying
	// its master's stream (the master sends the deletions).
	IgnoreTTL bool

	// ExpirePaused, when set and true, has the same effect as NoExpire for
	// the moment: the server installs it for CLIENT PAUSE, during which
	// Redis treats expired keys as gone without deleting them.
	ExpirePaused func() bool

	// LFU is set while an LFU maxmemory policy is configured: Object.LRU
	// then holds the LFU time and counter instead of the LRU clock.
	LFU bool
	// LFULogFactor and LFUDecayTime are lfu-log-factor and lfu-decay-time
	// as configured (New sets Redis's defaults, 10 and 1; decay time 0
	// disables decay).
	LFULogFactor int
	LFUDecayTime int
	// LazyExpire, LazyEviction and LazyServerDel are
	// lazyfree-lazy-expire, -eviction and -server-del (FreeReason).
	LazyExpire, LazyEviction, LazyServerDel bool

	// Snapshot, when set, is told about changes while a snapshot is
	// taken (snapshot.go).
	Snapshot SnapshotTracker
}

// keepExpired reports whether expired keys must stay stored for now.
func (ks *Keyspace) keepExpired() bool {
	return ks.NoExpire || (ks.ExpirePaused != nil && ks.ExpirePaused())
}

// New creates n empty databases.
func New(n int) *Keyspace {
	ks := &Keyspace{DBs: make([]*DB, n), LFULogFactor: 10, LFUDecayTime: 1}
	for i := range ks.DBs {
		ks.DBs[i] = newDB(i, ks)
	}
	return ks
}

func newDB(id int, ks *Keyspace) *DB {
	return &DB{ID: id, main: dict.New[Object](), expires: dict.New[int64](), ks: ks}
}

// Len is the number of keys (DBSIZE), expired-but-not-yet-deleted included.
func (db *DB) Len() int { return db.main.Len() }

// ExpiresLen is the number of keys with a TTL.
func (db *DB) ExpiresLen() int { return db.expires.Len() }

// Main exposes the main table for SCAN, sampling and iteration.
func (db *DB) Main() *dict.Dict[Object] { return db.main }

// Expires exposes the expiry table.
func (db *DB) Expires() *dict.Dict[int64] { return db.expires }

// expiredAt reports whether key has a TTL in the past. Like Redis, a key
// is expired only once the clock is strictly past its expiry time.
func (db *DB) expiredAt(key []byte) bool {
	if db.expires.Len() == 0 || db.ks.IgnoreTTL {
		return false
	}
	e := db.expires.Find(key)
	return e != nil && e.Val < db.ks.Now
}

// expireIfNeeded deletes key if its TTL passed. It reports whether the key
// is (logically) expired.
func (db *DB) expireIfNeeded(key []byte) bool {
	if !db.expiredAt(key) {
		return false
	}
	if db.ks.keepExpired() {
		return true
	}
	db.deleteExpired(key)
	return true
}

func (db *DB) deleteExpired(key []byte) {
	db.snapChange(key)
	n := db.main.Delete(key)
	e := db.expires.Delete(key)
	if n != nil {
		db.accountDel(len(n.Key), &n.Val, e != nil)
	}
	if n != nil && db.ks.Hooks.Expired != nil {
		db.ks.Hooks.Expired(db, n.Key)
	}
	if n != nil {
		db.release(n.Key, &n.Val, FreeExpired, true)
	}
}

// Lookup returns the value of key, or nil. Expired keys are deleted first.
// The pointer is valid until the next write to this DB.
func (db *DB) Lookup(key []byte) *Object {
	if db.expireIfNeeded(key) {
		return nil
	}
	n := db.main.Find(key)
	if n == nil {
		return nil
	}
	db.snapChange(key) // the caller may modify the value in place
	return &n.Val
}

// LookupNode is Lookup returning the table node (key string and value).
func (db *DB) LookupNode(key []byte) *dict.Node[Object] {
	if db.expireIfNeeded(key) {
		return nil
	}
	n := db.main.Find(key)
	if n != nil {
		db.snapChange(key)
	}
	return n
}

// Exists reports whether key exists (after lazy expiry).
func (db *DB) Exists(key []byte) bool { return db.Lookup(key) != nil }

// Add inserts a key that must not exist (check with Lookup first).
func (db *DB) Add(key []byte, o Object) *Object {
	o.LRU = db.ks.newLRU(nil)
	measure(&o)
	db.accountAdd(len(key), &o)
	v := &db.main.Insert(key, o).Val
	db.snapAdded(key)
	if db.ks.Hooks.Added != nil {
		db.ks.Hooks.Added(db, key)
	}
	return v
}

// Set stores o under key, replacing any value. Unless keepTTL, an existing
// TTL is removed (Redis's setKey).
func (db *DB) Set(key []byte, o Object, keepTTL bool) {
	// An expired key is deleted (with its event) before being replaced,
	// as Redis's setKey does through lookupKeyWrite.
	db.expireIfNeeded(key)
	n := db.main.Find(key)
	if n == nil {
		db.Add(key, o)
		return
	}
	db.snapChange(key)
	o.LRU = db.ks.newLRU(&n.Val)
	measure(&o)
	db.used += int64(o.mem) - int64(n.Val.mem)
	if n.Val.ptr != o.ptr {
		db.release(n.Key, &n.Val, FreeServer, true)
	}
	n.Val = o
	if !keepTTL && db.expires.Len() > 0 {
		if db.expires.Delete(key) != nil {
			db.used -= expireNodeSize
		}
	}
}

// Delete removes key and its TTL; it reports whether the key existed.
// Expired keys count as absent.
func (db *DB) Delete(key []byte) bool { return db.delete(key, FreeUser) }

// DeleteLazy is Delete for a lazy free (UNLINK, lazyfree-lazy-user-del):
// as Redis's freeObjAsync, it asks a module value's free effort first.
// Modis frees every value through the garbage collector either way.
func (db *DB) DeleteLazy(key []byte) bool { return db.delete(key, FreeUserLazy) }

// DeleteServer is Delete by the server rather than a user's DEL (RENAME
// or COPY removing their destination, RESTORE REPLACE, a module's
// DeleteKey): lazyfree-lazy-server-del applies, as to Redis's dbDelete.
func (db *DB) DeleteServer(key []byte) bool { return db.delete(key, FreeServer) }

func (db *DB) delete(key []byte, reason FreeReason) bool {
	if db.expireIfNeeded(key) {
		return false
	}
	db.snapChange(key)
	n := db.main.Delete(key)
	if n == nil {
		return false
	}
	hadTTL := db.expires.Len() > 0 && db.expires.Delete(key) != nil
	db.accountDel(len(n.Key), &n.Val, hadTTL)
	db.release(n.Key, &n.Val, reason, true)
	return true
}

// DeleteUnexpired removes key and its TTL without the lazy-expiry check,
// as Redis's dbDelete does: a logically expired key is deleted like any
// other, with no "expired" event (store commands removing their
// destination). It reports whether the key was in the table.
func (db *DB) DeleteUnexpired(key []byte) bool {
	db.snapChange(key)
	n := db.main.Delete(key)
	if n == nil {
		return false
	}
	hadTTL := db.expires.Len() > 0 && db.expires.Delete(key) != nil
	db.accountDel(len(n.Key), &n.Val, hadTTL)
	db.release(n.Key, &n.Val, FreeServer, true)
	return true
}

// Detach removes key and its TTL but keeps its value alive for the
// caller, which stores it elsewhere (MOVE): a module value is told it
// left the key (unlink), and is not freed. The value is returned with
// its expiry (-1 for none); ok is false when the key does not exist.
func (db *DB) Detach(key []byte) (v Object, expire int64, ok bool) {
	db.snapChange(key)
	n := db.main.Delete(key)
	if n == nil {
		return Object{}, -1, false
	}
	expire = -1
	if db.expires.Len() > 0 {
		if e := db.expires.Delete(key); e != nil {
			expire = e.Val
		}
	}
	db.accountDel(len(n.Key), &n.Val, expire >= 0)
	db.release(n.Key, &n.Val, FreeServer, false)
	return n.Val, expire, true
}

// Rename moves the value and TTL of src to dst, which must not exist.
func (db *DB) Rename(src, dst []byte) {
	db.snapChange(src)
	n := db.main.Delete(src)
	var when int64 = -1
	if e := db.expires.Delete(src); e != nil {
		when = e.Val
	}
	db.used += keyEntrySize(len(dst)) - keyEntrySize(len(n.Key))
	nn := db.main.Insert(dst, n.Val)
	if when >= 0 {
		db.expires.InsertString(nn.Key, when)
	}
	db.snapAdded(dst)
	// As Redis's rename (add dst, then delete src): a module value is told
	// it left src; it lives on under dst.
	db.release(n.Key, &nn.Val, FreeServer, false)
	if db.ks.Hooks.Added != nil {
		db.ks.Hooks.Added(db, dst)
	}
}

// SetExpire sets key's absolute expiry time in ms. The key must exist.
func (db *DB) SetExpire(key []byte, when int64) {
	db.snapChange(key)
	if e := db.expires.Find(key); e != nil {
		e.Val = when
		return
	}
	n := db.main.Find(key)
	if n == nil {
		return
	}
	db.expires.InsertString(n.Key, when)
	db.used += expireNodeSize
}

// Expire returns key's absolute expiry in ms, or -1 if it has none.
func (db *DB) Expire(key []byte) int64 {
	if db.expires.Len() == 0 {
		return -1
	}
	if e := db.expires.Find(key); e != nil {
		return e.Val
	}
	return -1
}

// Persist removes key's TTL; it reports whether there was one.
func (db *DB) Persist(key []byte) bool {
	if db.expires.Len() == 0 {
		return false
	}
	db.snapChange(key)
	if db.expires.Delete(key) == nil {
		return false
	}
	db.used -= expireNodeSize
	return true
}

// Flush empties the database and returns the number of keys removed.
func (db *DB) Flush() int {
	if t := db.ks.Snapshot; t != nil {
		t.BeforeFlush(db)
	}
	n := db.main.Len()
	if db.ks.Hooks.FreeModule != nil {
		db.main.Each(func(nd *dict.Node[Object]) bool {
			db.freeModule(&nd.Val)
			return true
		})
	}
	db.main = dict.New[Object]()
	db.expires = dict.New[int64]()
	db.AvgTTL = 0
	db.ExpiresCursor = 0
	db.used = 0
	return n
}

// Swap exchanges the contents of two databases (SWAPDB); IDs stay.
func Swap(a, b *DB) {
	a.main, b.main = b.main, a.main
	a.expires, b.expires = b.expires, a.expires
	a.AvgTTL, b.AvgTTL = b.AvgTTL, a.AvgTTL
	a.ExpiresCursor, b.ExpiresCursor = b.ExpiresCursor, a.ExpiresCursor
	a.used, b.used = b.used, a.used
}

// RandomKey returns a random non-expired key, or "" and false when empty.
// Like Redis it gives up avoiding expired keys after a number of tries when
// every key has a TTL.
func (db *DB) RandomKey() (string, bool) {
	tries := 0
	for {
		n := db.main.Random()
		if n == nil {
			return "", false
		}
		if db.expires.Len() > 0 {
			if e := db.expires.FindString(n.Key); e != nil {
				allVolatile := db.expires.Len() == db.main.Len()
				tries++
				if allVolatile && tries > 100 {
					return n.Key, true
				}
				if e.Val < db.ks.Now && !db.ks.keepExpired() {
					db.deleteExpired([]byte(n.Key))
					continue
				}
			}
		}
		return n.Key, true
	}
}

// IsExpired reports whether a node's key is past its TTL without deleting.
func (db *DB) IsExpired(key string) bool {
	if db.expires.Len() == 0 {
		return false
	}
	e := db.expires.FindString(key)
	return e != nil && e.Val < db.ks.Now
}

// ExpireIfNeeded deletes key if expired and reports whether it was.
func (db *DB) ExpireIfNeeded(key []byte) bool { return db.expireIfNeeded(key) }

// DeleteExpired removes key because its TTL passed, firing Hooks.Expired.
func (db *DB) DeleteExpired(key []byte) { db.deleteExpired(key) }
