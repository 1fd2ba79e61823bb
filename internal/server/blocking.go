package server

import (
	"math"
	"time"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/str"
)

// Blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK, ...), Redis's blocked.c.
//
// A command that finds no data calls blockForKeys instead of replying. The
// client is parked like a module-blocked client (modParked): its connection
// runs no further command until it is unblocked, and it shows flag 'b' and
// never idles out. Keys that gain data are signalled ready (key creation
// does it through keyAddedHooks; XADD calls signalKeyAsReady itself), and
// after the command that made them ready the server re-runs, in FIFO
// order, the commands of the clients blocked on them. Re-running the
// command, rather than having each family serve waiting clients itself,
// keeps one implementation of every pop; Redis 7.0 serves with type-specific
// code, so to stay faithful a client is only re-run for a key whose type is
// the one it waits for (a BLPOP client ignores a zset created on its key).
// If the re-run finds nothing (another client took the data first) the
// command calls blockForKeys again and the client simply stays blocked.
//
// The command's statistics are counted once, when the client is served or
// times out, as Redis's updateStatsOnUnblock does; MONITOR sees the command
// once, when it is issued.

// blockKey names a key of a database that clients wait on.
type blockKey struct {
	db  int
	key string
}

// blockState is what a client blocked on keys waits for.
type blockState struct {
	kind      keyspace.Kind
	db        *keyspace.DB
	keys      []string
	argv      [][]byte // the command to re-run, owned by the state
	cp        *cmdProc
	onTimeout func(c *Client)
	timer     *time.Timer
	since     time.Time
}

// blockingState holds the server's blocked clients and ready keys.
type blockingState struct {
	clients  map[*Client]*blockState
	waiting  map[blockKey][]*Client // FIFO per key
	ready    []blockKey
	readySet map[blockKey]struct{}
	serving  bool
}

// blockForKeys blocks c until one of keys, holding a value of kind, is
// signalled ready, deadline (absolute unix ms; 0 = never) passes, or CLIENT
// UNBLOCK. The command handler must not have replied and must return right
// after. rerunArgv, if not nil, replaces the command's arguments for the
// re-run (XREAD turns '$' into the concrete ID); it is kept as given.
// Where a client cannot block (MULTI/EXEC, a module's Call) onTimeout
// answers at once.
func (c *Client) blockForKeys(kind keyspace.Kind, keys [][]byte, deadline int64, onTimeout func(c *Client), rerunArgv [][]byte) {
	s := c.srv
	if c.rerunning {
		// Served too late: another client took the data. Stay blocked.
		c.blockedNow = true
		return
	}
	if _, fake := c.conn.(fakeConn); fake || c.multi != nil {
		onTimeout(c)
		return
	}
	bs := &s.blocking
	if bs.clients == nil {
		bs.clients = make(map[*Client]*blockState)
		bs.waiting = make(map[blockKey][]*Client)
		bs.readySet = make(map[blockKey]struct{})
	}
	st := &blockState{kind: kind, db: c.db, cp: c.cmd, onTimeout: onTimeout, since: time.Now()}
	if rerunArgv != nil {
		st.argv = rerunArgv
	} else {
		st.argv = make([][]byte, len(c.argv))
		for i, a := range c.argv {
			st.argv[i] = append([]byte(nil), a...)
		}
	}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		ks := string(k)
		if seen[ks] {
			continue
		}
		seen[ks] = true
		st.keys = append(st.keys, ks)
		bk := blockKey{c.db.ID, ks}
		bs.waiting[bk] = append(bs.waiting[bk], c)
	}
	bs.clients[c] = st
	c.blockedNow = true
	s.parkClient(c)
	if deadline > 0 {
		d := time.Until(time.UnixMilli(deadline))
		st.timer = time.AfterFunc(d, func() { s.blockTimedOut(c, st) })
	}
}

// blockTimedOut runs on the timer's goroutine.
func (s *Server) blockTimedOut(c *Client, st *blockState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocking.clients[c] != st || c.closed {
		return
	}
	s.beforeCommand()
	st.onTimeout(c)
	s.finishBlocked(c, st)
}

// finishBlocked counts the command of a client unblocked without a re-run
// (timeout, CLIENT UNBLOCK) and releases it.
func (s *Server) finishBlocked(c *Client, st *blockState) {
	st.cp.calls++
	st.cp.usec += time.Since(st.since).Microseconds()
	if c.errored {
		st.cp.failedCalls++
	}
	s.stats.commandsProcessed++
	s.unblockKeys(c, st)
}

// unblockKeys forgets c's block and lets its connection go on.
func (s *Server) unblockKeys(c *Client, st *blockState) {
	bs := &s.blocking
	if st.timer != nil {
		st.timer.Stop()
	}
	delete(bs.clients, c)
	for _, k := range st.keys {
		bk := blockKey{st.db.ID, k}
		list := bs.waiting[bk]
		for i, w := range list {
			if w == c {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(bs.waiting, bk)
		} else {
			bs.waiting[bk] = list
		}
	}
	s.unparkClient(c)
}

// signalKeyAsReady marks key of db as having new data for the clients
// blocked on it (Redis's signalKeyAsReady).
func (s *Server) signalKeyAsReady(db *keyspace.DB, key []byte) {
	bs := &s.blocking
	if len(bs.waiting) == 0 {
		return
	}
	bk := blockKey{db.ID, string(key)}
	if _, ok := bs.waiting[bk]; !ok {
		return
	}
	if _, ok := bs.readySet[bk]; ok {
		return
	}
	bs.readySet[bk] = struct{}{}
	bs.ready = append(bs.ready, bk)
}

// handleClientsBlockedOnKeys serves the clients blocked on keys made ready
// (Redis's handleClientsBlockedOnKeys). Serving can make more keys ready
// (BLMOVE pushes), so it loops until none are left.
func (s *Server) handleClientsBlockedOnKeys() {
	bs := &s.blocking
	if len(bs.ready) == 0 || bs.serving {
		return
	}
	bs.serving = true
	defer func() { bs.serving = false }()
	prev := s.current
	for len(bs.ready) > 0 {
		ready := bs.ready
		bs.ready = nil
		for _, bk := range ready {
			delete(bs.readySet, bk)
			waiting := append([]*Client(nil), bs.waiting[bk]...)
			for _, c := range waiting {
				st := bs.clients[c]
				if st == nil || c.closed {
					continue
				}
				n := st.db.Main().Find([]byte(bk.key))
				if n == nil {
					break // served until empty (and deleted)
				}
				if n.Val.Kind() != st.kind {
					continue // waits for another type on this key
				}
				s.rerunBlocked(c, st)
			}
		}
	}
	s.current = prev
}

// rerunBlocked re-runs a blocked client's command; it stays blocked if
// the command blocks again.
func (s *Server) rerunBlocked(c *Client, st *blockState) {
	argv, db, cmd := c.argv, c.db, c.cmd
	c.argv, c.db, c.cmd = st.argv, st.db, st.cp
	c.rerunning, c.blockedNow, c.errored = true, false, false
	s.current = c
	s.call(c, st.cp)
	c.rerunning = false
	again := c.blockedNow
	c.blockedNow = false
	c.argv, c.db, c.cmd = argv, db, cmd
	if !again {
		s.unblockKeys(c, st)
	}
}

// parkClient makes c's connection wait before its next command.
func (s *Server) parkClient(c *Client) {
	if s.modParked == nil {
		s.modParked = make(map[*Client]chan struct{})
	}
	if s.modParked[c] == nil {
		s.modParked[c] = make(chan struct{})
	}
}

// unparkClient lets c's connection go on and sends what it has to say.
func (s *Server) unparkClient(c *Client) {
	if ch := s.modParked[c]; ch != nil {
		delete(s.modParked, c)
		close(ch)
	}
	if s.modHandoff[c] {
		// The event loop is handing c to a goroutine (its next command
		// waited for this unblock); that goroutine writes the output. A
		// writer started now could race with the hand-off's change of
		// connection.
		return
	}
	c.wakeWriterLocked()
}

// blockedClientCount is INFO's blocked_clients: clients blocked on keys
// or by a module.
func (s *Server) blockedClientCount() int64 { return int64(len(s.modParked)) }

// parseBlockTimeout reads a timeout in seconds (a long double), as Redis
// 7.0's getTimeoutFromObjectOrReply: the deadline in unix ms, 0 for
// "forever". Like the C cast of a too large value, anything at or beyond
// 2^63 ms reads as negative.
func parseBlockTimeout(c *Client, arg []byte) (int64, bool) {
	ld, ok := str.ParseLongDouble(arg)
	if !ok {
		c.addError("ERR timeout is not a float or out of range")
		return 0, false
	}
	ms, ok := ld.CeilMillis()
	if !ok || ms < 0 {
		c.addError("ERR timeout is negative")
		return 0, false
	}
	return blockDeadline(ms), true
}

// parseBlockTimeoutMs reads a timeout in milliseconds (XREAD BLOCK).
func parseBlockTimeoutMs(c *Client, arg []byte) (int64, bool) {
	ms, ok := keyspace.ParseCanonicalInt(arg)
	if !ok {
		c.addError("ERR timeout is not an integer or out of range")
		return 0, false
	}
	if ms < 0 {
		c.addError("ERR timeout is negative")
		return 0, false
	}
	return blockDeadline(ms), true
}

// blockDeadline turns a relative timeout into an absolute one; a timeout
// too large to add to the clock blocks forever.
func blockDeadline(ms int64) int64 {
	if ms == 0 {
		return 0
	}
	now := time.Now().UnixMilli()
	if ms > math.MaxInt64-now {
		return 0
	}
	return now + ms
}

func init() {
	keyAddedHooks = append(keyAddedHooks, func(s *Server, db *keyspace.DB, key []byte) {
		if len(s.blocking.waiting) == 0 {
			return
		}
		if n := db.Main().Find(key); n != nil {
			switch n.Val.Kind() {
			case keyspace.KindList, keyspace.KindZSet, keyspace.KindStream:
				s.signalKeyAsReady(db, key)
			}
		}
	})
	// SWAPDB makes the keys of the swapped databases ready for the clients
	// waiting in them (Redis's scanDatabaseForReadyKeys).
	dbSwappedHooks = append(dbSwappedHooks, func(s *Server, a, b *keyspace.DB) {
		for bk := range s.blocking.waiting {
			if bk.db != a.ID && bk.db != b.ID {
				continue
			}
			db := a
			if bk.db == b.ID {
				db = b
			}
			if db.Main().Find([]byte(bk.key)) != nil {
				s.signalKeyAsReady(db, []byte(bk.key))
			}
		}
	})
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) {
		if st := s.blocking.clients[c]; st != nil {
			s.unblockKeys(c, st)
		}
	})
	prevUnblock := unblockClientHook
	unblockClientHook = func(t *Client, withError bool) bool {
		st := t.srv.blocking.clients[t]
		if st == nil {
			return prevUnblock != nil && prevUnblock(t, withError)
		}
		if withError {
			t.addError("UNBLOCKED client unblocked via CLIENT UNBLOCK")
		} else {
			st.onTimeout(t)
		}
		t.srv.finishBlocked(t, st)
		return true
	}
}
