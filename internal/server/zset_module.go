package server

// ZsetLimits gives the module engine the zset-max-listpack-* settings for
// the sorted sets that module APIs create and grow.
func (h *moduleHost) ZsetLimits() (entries, value int64) {
	return h.s.cfg.ZsetMaxListpackEntries, h.s.cfg.ZsetMaxListpackValue
}

// The engine finds ZsetLimits by a type assertion; keep it implemented.
var _ interface{ ZsetLimits() (int64, int64) } = (*moduleHost)(nil)
