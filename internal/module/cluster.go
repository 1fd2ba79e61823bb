package module

// The cluster APIs. Modis has no cluster mode yet (cluster-enabled yes is
// refused at start-up), so each behaves as Redis 7.0's does on a server
// running with cluster-enabled no: there is no node list and no node id,
// the size is 0, messages are refused and receivers are not registered.
// SetClusterFlags records its flags in every mode, as Redis does; they
// take effect once a cluster exists.

// NodeIDLen is REDISMODULE_NODE_ID_LEN, the length of a cluster node id.
const NodeIDLen = 40

// SetClusterFlags flags (REDISMODULE_CLUSTER_FLAG_*).
const (
	ClusterFlagNone          = 0
	ClusterFlagNoFailover    = 1 << 1
	ClusterFlagNoRedirection = 1 << 2
)

// Node flags GetClusterNodeInfo reports (REDISMODULE_NODE_*).
const (
	NodeMyself     = 1 << 0
	NodeMaster     = 1 << 1
	NodeReplica    = 1 << 2
	NodePFail      = 1 << 3
	NodeFail       = 1 << 4
	NodeNoFailover = 1 << 5
)

// ClusterMessageReceiver is RedisModuleClusterMessageReceiver.
type ClusterMessageReceiver func(ctx *Ctx, senderID string, msgType uint8, payload []byte)

// ClusterNodeInfo is what GetClusterNodeInfo fills in.
type ClusterNodeInfo struct {
	IP       string
	MasterID string
	Port     int
	Flags    int
}

// GetClusterSize is RedisModule_GetClusterSize: the number of nodes in
// the cluster, 0 when cluster mode is off.
func GetClusterSize() int { return 0 }

// GetMyClusterID is RedisModule_GetMyClusterID: this node's id; ok is
// false (C: NULL) when cluster mode is off.
func GetMyClusterID() (id string, ok bool) { return "", false }

// GetClusterNodesList is RedisModule_GetClusterNodesList: the ids of the
// nodes with a known address; ok is false (C: NULL) when cluster mode is
// off.
func (ctx *Ctx) GetClusterNodesList() (ids []string, ok bool) { return nil, false }

// FreeClusterNodesList is RedisModule_FreeClusterNodesList. The Go list is
// garbage collected; the C bridge frees its C copy.
func FreeClusterNodesList(ids []string) {}

// GetClusterNodeInfo is RedisModule_GetClusterNodeInfo: ERR for an
// unknown node, which every id is when cluster mode is off.
func (ctx *Ctx) GetClusterNodeInfo(id string) (ClusterNodeInfo, int) {
	return ClusterNodeInfo{}, ERR
}

// SendClusterMessage is RedisModule_SendClusterMessage: send a module
// message to one node (targetID) or, with an empty targetID, to all. ERR
// when cluster mode is off.
func (ctx *Ctx) SendClusterMessage(targetID string, msgType uint8, msg []byte) int { return ERR }

// RegisterClusterMessageReceiver is
// RedisModule_RegisterClusterMessageReceiver: receive messages of msgType
// sent by this module on other nodes. Ignored when cluster mode is off,
// as in Redis.
func (ctx *Ctx) RegisterClusterMessageReceiver(msgType uint8, cb ClusterMessageReceiver) {}

// SetClusterFlags is RedisModule_SetClusterFlags: NoFailover keeps
// replicas from failing over a master, NoRedirection disables -MOVED and
// -ASK redirections. Recorded server-wide; other bits are ignored.
func (ctx *Ctx) SetClusterFlags(flags uint64) {
	ctx.eng.clusterFlags |= flags & (ClusterFlagNoFailover | ClusterFlagNoRedirection)
}

// ClusterFlags returns the flags modules set with SetClusterFlags.
func (e *Engine) ClusterFlags() uint64 { return e.clusterFlags }
