package server

import "github.com/modis/modis/internal/module"

// Module server events of replication: ReplicationRoleChanged,
// MasterLinkChange and ReplicaChange, with Redis's sub-event numbers.
const (
	subRoleMaster  = 0 // REDISMODULE_EVENT_REPLROLECHANGED_NOW_MASTER
	subRoleReplica = 1 // ..._NOW_REPLICA
	subLinkUp      = 0 // REDISMODULE_SUBEVENT_MASTER_LINK_UP
	subLinkDown    = 1
	subReplicaOn   = 0 // REDISMODULE_SUBEVENT_REPLICA_CHANGE_ONLINE
	subReplicaOff  = 1
)

// fireRoleChanged fires ReplicationRoleChanged.
func (s *Server) fireRoleChanged(nowMaster bool) {
	if s.modules == nil {
		return
	}
	sub := uint64(subRoleReplica)
	if nowMaster {
		sub = subRoleMaster
	}
	info := &module.ReplicationInfo{
		Master: nowMaster, MasterHost: s.repl.masterHost, MasterPort: s.repl.masterPort,
		ReplID1: s.intro.replID, ReplID2: s.repl.replID2,
		Repl1Offset: uint64(s.repl.offset), Repl2Offset: uint64(max(s.repl.secondOff, 0)),
	}
	s.modules.FireServerEvent(module.EventReplicationRoleChanged, sub, info, nil, 0)
}

// fireReplEvent fires MasterLinkChange or ReplicaChange.
func (s *Server) fireReplEvent(event, sub uint64) {
	if s.modules != nil {
		s.modules.FireServerEvent(event, sub, nil, nil, 0)
	}
}

// replContextFlags is the replication part of RedisModule_GetContextFlags.
func (s *Server) replContextFlags(mc module.Client) int {
	flags := 0
	if s.load.active { // a replica's full-sync load (repl_loading.go)
		flags |= module.CtxFlagsLoading
	}
	if c, ok := mc.(*Client); ok && c != nil && c == s.repl.master {
		flags |= module.CtxFlagsReplicated
	}
	if !s.isReplica() {
		return flags | module.CtxFlagsMaster
	}
	flags |= module.CtxFlagsSlave
	if s.cfg.ReplicaReadOnly {
		flags |= module.CtxFlagsReadonly
	}
	switch s.repl.state {
	case replConnect, replConnecting:
		flags |= module.CtxFlagsReplicaIsConnecting
	case replTransfer:
		flags |= module.CtxFlagsReplicaIsTransferring
	case replConnected:
		flags |= module.CtxFlagsReplicaIsOnline
	}
	if s.repl.state != replConnected {
		flags |= module.CtxFlagsReplicaIsStale
	}
	return flags
}
