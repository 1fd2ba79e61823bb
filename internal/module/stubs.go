package module

// timerTable holds module timers (timers are not implemented yet).
type timerTable struct{}

// keyspaceSub is one SubscribeToKeyspaceEvents subscription.
type keyspaceSub struct {
	module *Module
}

// keyPos is one key position reported by KeyAtPos.
type keyPos struct {
	pos   int
	flags int
}

// BlockedClient is RedisModuleBlockedClient (blocking is not implemented
// yet; the reply plumbing of thread-safe contexts already targets it).
type BlockedClient struct {
	proto   int
	replies []byte
	errors  []string
}

func (bc *BlockedClient) addReply(b []byte) { bc.replies = append(bc.replies, b...) }
