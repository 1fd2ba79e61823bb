package server

// module.Host extensions the smaller module APIs use (module/misc2.go).

// UsedMemoryRatio is used memory / maxmemory (module.MemoryHost).
func (h *moduleHost) UsedMemoryRatio() float64 {
	if h.s.cfg.MaxMemory <= 0 {
		return 0
	}
	return float64(h.s.usedMemory()) / float64(h.s.cfg.MaxMemory)
}

// LatencyAddSample feeds the latency monitor (module.LatencyHost).
func (h *moduleHost) LatencyAddSample(event string, ms int64) {
	h.s.latencyAddSampleIfNeeded(event, ms)
}

// PublishShard is SPUBLISH for modules (module.ShardPublisher).
func (h *moduleHost) PublishShard(channel, message []byte) int {
	return h.s.publishKind(subShard, channel, message)
}

// ModRedactArg hides an argument of the current command from SLOWLOG and
// MONITOR (module.Redactor).
func (c *Client) ModRedactArg(pos int) {
	if pos > 0 && pos < len(c.argv) {
		c.argv[pos] = redactedArg
	}
}

var redactedArg = []byte("(redacted)")
