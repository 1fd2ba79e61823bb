package module

import engine "github.com/modis/modis/internal/module"

// Replication server events (REDISMODULE_EVENT_*) and their data.
const (
	EventReplicationRoleChanged = engine.EventReplicationRoleChanged
	EventReplicaChange          = engine.EventReplicaChange
	EventMasterLinkChange       = engine.EventMasterLinkChange
)

// ReplicationInfo is the data of EventReplicationRoleChanged.
type ReplicationInfo = engine.ReplicationInfo

// Replication context flags (REDISMODULE_CTX_FLAGS_*).
const (
	CtxFlagsSlave                 = engine.CtxFlagsSlave
	CtxFlagsReadonly              = engine.CtxFlagsReadonly
	CtxFlagsReplicated            = engine.CtxFlagsReplicated
	CtxFlagsReplicaIsStale        = engine.CtxFlagsReplicaIsStale
	CtxFlagsReplicaIsConnecting   = engine.CtxFlagsReplicaIsConnecting
	CtxFlagsReplicaIsTransferring = engine.CtxFlagsReplicaIsTransferring
	CtxFlagsReplicaIsOnline       = engine.CtxFlagsReplicaIsOnline
)
