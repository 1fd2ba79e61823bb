package server

import (
	"github.com/modis/modis/internal/keyspace"
)

// Blocking XREAD and XREADGROUP on the server's blocking framework
// (blocking.go): a read that finds nothing blocks with its argv ('$'
// replaced by the concrete last ID) and is re-run when XADD, a new key or
// XGROUP DESTROY signals the key. Redis 7.0 answers a blocked XREADGROUP
// with an error when its group is destroyed (handled in the re-run) or its
// key deleted or overwritten by another type (handled here, when the key
// is modified).

func init() {
	streamBlock = func(c *Client, keys [][]byte, deadline int64, rerun [][]byte) {
		c.blockForKeys(keyspace.KindStream, keys, deadline, func(c *Client) { c.addNullArray() }, rerun)
	}
	streamSignalReadyDB = func(s *Server, db *keyspace.DB, key []byte) { s.signalKeyAsReady(db, key) }
	keyModifiedHooks = append(keyModifiedHooks, unblockDeletedStreamReadgroup)
}

// unblockDeletedStreamReadgroup is Redis's unblockDeletedStreamReadgroupClients:
// XREADGROUP clients blocked on a key that no longer holds a stream get
// "-UNBLOCKED the stream key no longer exists".
func unblockDeletedStreamReadgroup(s *Server, db *keyspace.DB, key []byte) {
	bs := &s.blocking
	if len(bs.waiting) == 0 {
		return
	}
	waiting := bs.waiting[blockKey{db.ID, string(key)}]
	if len(waiting) == 0 {
		return
	}
	if n := db.Main().Find(key); n != nil && n.Val.Kind() == keyspace.KindStream {
		return
	}
	for _, c := range append([]*Client(nil), waiting...) {
		st := bs.clients[c]
		if st == nil || c.closed || st.kind != keyspace.KindStream || st.cp == nil || st.cp.spec.Name != "xreadgroup" {
			continue
		}
		c.addError("UNBLOCKED the stream key no longer exists")
		s.finishBlocked(c, st)
	}
}
