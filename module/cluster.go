package module

import engine "github.com/modis/modis/internal/module"

// Cluster and defrag APIs. Modis has no cluster mode yet and no active
// defragmentation, so these behave as Redis 7.0's do with cluster-enabled
// no and without active defrag: no nodes, ids or messages, and defrag
// callbacks that are registered but never invoked.

// SetClusterFlags flags.
const (
	ClusterFlagNone          = engine.ClusterFlagNone
	ClusterFlagNoFailover    = engine.ClusterFlagNoFailover
	ClusterFlagNoRedirection = engine.ClusterFlagNoRedirection
)

// ClusterNodeInfo is what GetClusterNodeInfo reports of a node.
type ClusterNodeInfo = engine.ClusterNodeInfo

// GetClusterSize is RedisModule_GetClusterSize: the number of cluster
// nodes, 0 outside cluster mode.
func GetClusterSize() int { return engine.GetClusterSize() }

// GetMyClusterID is RedisModule_GetMyClusterID: this node's id; ok is
// false outside cluster mode.
func GetMyClusterID() (id string, ok bool) { return engine.GetMyClusterID() }

// GetClusterNodesList is RedisModule_GetClusterNodesList (the Go list
// needs no FreeClusterNodesList); ok is false outside cluster mode.
func (ctx *Ctx) GetClusterNodesList() (ids []string, ok bool) { return ctx.c.GetClusterNodesList() }

// GetClusterNodeInfo is RedisModule_GetClusterNodeInfo: ErrFailed for an
// unknown node (every node outside cluster mode).
func (ctx *Ctx) GetClusterNodeInfo(id string) (ClusterNodeInfo, error) {
	info, ret := ctx.c.GetClusterNodeInfo(id)
	return info, status(ret)
}

// SendClusterMessage is RedisModule_SendClusterMessage: to the node
// targetID, or to all with an empty targetID; ErrFailed outside cluster
// mode.
func (ctx *Ctx) SendClusterMessage(targetID string, msgType uint8, msg []byte) error {
	return status(ctx.c.SendClusterMessage(targetID, msgType, msg))
}

// RegisterClusterMessageReceiver is
// RedisModule_RegisterClusterMessageReceiver (ignored outside cluster
// mode, as in Redis).
func (ctx *Ctx) RegisterClusterMessageReceiver(msgType uint8, fn func(ctx *Ctx, senderID string, msgType uint8, payload []byte)) {
	var cb engine.ClusterMessageReceiver
	if fn != nil {
		cb = func(c *engine.Ctx, sender string, t uint8, p []byte) { fn(wrapCtx(c), sender, t, p) }
	}
	ctx.c.RegisterClusterMessageReceiver(msgType, cb)
}

// SetClusterFlags is RedisModule_SetClusterFlags.
func (ctx *Ctx) SetClusterFlags(flags uint64) { ctx.c.SetClusterFlags(flags) }

// DefragCtx is RedisModuleDefragCtx.
type DefragCtx = engine.DefragCtx

// RegisterDefragFunc is RedisModule_RegisterDefragFunc. The callback is
// kept but not invoked: Modis has no active defragmentation (Go values
// are moved by nobody; see internal/module/defrag.go).
func (ctx *Ctx) RegisterDefragFunc(fn func(dctx *DefragCtx)) error {
	return status(ctx.c.RegisterDefragFunc(engine.DefragFunc(fn)))
}

// DefragShouldStop is RedisModule_DefragShouldStop.
func DefragShouldStop(dctx *DefragCtx) bool { return engine.DefragShouldStop(dctx) }

// DefragCursorSet is RedisModule_DefragCursorSet.
func DefragCursorSet(dctx *DefragCtx, cursor uint64) error {
	return status(engine.DefragCursorSet(dctx, cursor))
}

// DefragCursorGet is RedisModule_DefragCursorGet.
func DefragCursorGet(dctx *DefragCtx) (uint64, error) {
	v, ret := engine.DefragCursorGet(dctx)
	return v, status(ret)
}

// GetKeyNameFromDefragCtx is RedisModule_GetKeyNameFromDefragCtx (nil in
// the global callback).
func GetKeyNameFromDefragCtx(dctx *DefragCtx) []byte {
	if s := engine.GetKeyNameFromDefragCtx(dctx); s != nil {
		return s.Bytes()
	}
	return nil
}

// GetDbIdFromDefragCtx is RedisModule_GetDbIdFromDefragCtx.
func GetDbIdFromDefragCtx(dctx *DefragCtx) int { return engine.GetDbIdFromDefragCtx(dctx) }
