package server

// The module engine's StreamHost: node limits for RedisModule_StreamAdd
// and waking clients blocked on a stream a module appended to.

func (h *moduleHost) StreamNodeLimits() (maxBytes, maxEntries int64) {
	return h.s.cfg.StreamNodeMaxBytes, h.s.cfg.StreamNodeMaxEntries
}

func (h *moduleHost) SignalStreamReady(db int, key []byte) {
	streamSignalReadyDB(h.s, h.s.ks.DBs[db], key)
}
