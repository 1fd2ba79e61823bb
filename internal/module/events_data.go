package module

// Event payloads beyond those in events.go, one per 7.0 event with data.

// SubeventConfigChange is REDISMODULE_SUBEVENT_CONFIG_CHANGE.
const SubeventConfigChange = 0

// ConfigChangeInfo is RedisModuleConfigChangeV1: the configs one CONFIG
// SET changed, by their registered names (an alias as the alias), in
// argument order.
type ConfigChangeInfo struct {
	Names []string
}

// LoadingProgressInfo is RedisModuleLoadingProgressV1.
type LoadingProgressInfo struct {
	HZ       int
	Progress int // 0..1024, -1 if unknown
}

// ReplicationInfo is RedisModuleReplicationInfoV1 (the
// ReplicationRoleChanged event).
type ReplicationInfo struct {
	Master                   bool
	MasterHost               string
	MasterPort               int
	ReplID1, ReplID2         string
	Repl1Offset, Repl2Offset uint64
}
