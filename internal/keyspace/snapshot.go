package keyspace

// SnapshotTracker is told about every change to the keyspace while a
// point-in-time snapshot is being taken without fork
// (internal/persist/snapshot): before a key's value or TTL may change or
// the key goes away, the tracker serializes the old value if the snapshot
// still needs it (copy-on-write per key). Every DB method that reads a value
// for possible modification or changes one calls it, so command code needs
// nothing special.
type SnapshotTracker interface {
	// BeforeChange is called before key's value may be modified in place
	// (any Lookup, which hands out a pointer), replaced, deleted, expired,
	// renamed, or its TTL changed. The key may not exist.
	BeforeChange(db *DB, key []byte)
	// Added is called after key was created in db.
	Added(db *DB, key []byte)
	// BeforeFlush is called before db is emptied as a whole.
	BeforeFlush(db *DB)
}

// snapChange tells the snapshot tracker, if any, that key may change.
func (db *DB) snapChange(key []byte) {
	if t := db.ks.Snapshot; t != nil {
		t.BeforeChange(db, key)
	}
}

// snapAdded tells the snapshot tracker, if any, that key was created.
func (db *DB) snapAdded(key []byte) {
	if t := db.ks.Snapshot; t != nil {
		t.Added(db, key)
	}
}
