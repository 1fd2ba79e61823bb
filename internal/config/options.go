package config

import (
	"errors"
	"strings"
)

// optionTable lists every redis.conf option of Redis 7.0 with its type,
// bounds, default and flags. The alias (old name) of an option is passed
// in the second argument.
func optionTable() []*Option {
	const (
		I  = Immutable
		S  = Sensitive
		H  = Hidden
		P  = Protected
		DL = DenyLoading
		M  = MultiArg
	)
	yesNoLocal := []string{"no", "yes", "local"}
	return []*Option{
		// Booleans.
		boolOpt("rdbchecksum", "", I, true, func(c *Config) *bool { return &c.RDBChecksum }),
		boolOpt("daemonize", "", I, false, func(c *Config) *bool { return &c.Daemonize }),
		boolOpt("io-threads-do-reads", "", I, false, func(c *Config) *bool { return &c.IOThreadsDoReads }),
		boolOpt("always-show-logo", "", I, false, func(c *Config) *bool { return &c.AlwaysShowLogo }),
		boolOpt("protected-mode", "", 0, true, func(c *Config) *bool { return &c.ProtectedMode }),
		boolOpt("rdbcompression", "", 0, true, func(c *Config) *bool { return &c.RDBCompression }),
		boolOpt("rdb-del-sync-files", "", 0, false, func(c *Config) *bool { return &c.RDBDelSyncFiles }),
		boolOpt("activerehashing", "", 0, true, func(c *Config) *bool { return &c.ActiveRehashing }),
		boolOpt("stop-writes-on-bgsave-error", "", 0, true, func(c *Config) *bool { return &c.StopWritesOnBgsaveError }),
		boolOpt("set-proc-title", "", I, true, func(c *Config) *bool { return &c.SetProcTitle }),
		boolOpt("dynamic-hz", "", 0, true, func(c *Config) *bool { return &c.DynamicHZ }),
		boolOpt("lazyfree-lazy-eviction", "", 0, false, func(c *Config) *bool { return &c.LazyfreeLazyEviction }),
		boolOpt("lazyfree-lazy-expire", "", 0, false, func(c *Config) *bool { return &c.LazyfreeLazyExpire }),
		boolOpt("lazyfree-lazy-server-del", "", 0, false, func(c *Config) *bool { return &c.LazyfreeLazyServerDel }),
		boolOpt("lazyfree-lazy-user-del", "", 0, false, func(c *Config) *bool { return &c.LazyfreeLazyUserDel }),
		boolOpt("lazyfree-lazy-user-flush", "", 0, false, func(c *Config) *bool { return &c.LazyfreeLazyUserFlush }),
		boolOpt("repl-disable-tcp-nodelay", "", 0, false, func(c *Config) *bool { return &c.ReplDisableTCPNoDelay }),
		boolOpt("repl-diskless-sync", "", 0, true, func(c *Config) *bool { return &c.ReplDisklessSync }),
		boolOpt("aof-rewrite-incremental-fsync", "", 0, true, func(c *Config) *bool { return &c.AOFRewriteIncrementalFsync }),
		boolOpt("no-appendfsync-on-rewrite", "", 0, false, func(c *Config) *bool { return &c.NoAppendfsyncOnRewrite }),
		boolOpt("cluster-require-full-coverage", "", 0, true, func(c *Config) *bool { return &c.ClusterRequireFullCoverage }),
		boolOpt("rdb-save-incremental-fsync", "", 0, true, func(c *Config) *bool { return &c.RDBSaveIncrementalFsync }),
		boolOpt("aof-load-truncated", "", 0, true, func(c *Config) *bool { return &c.AOFLoadTruncated }),
		boolOpt("aof-use-rdb-preamble", "", 0, true, func(c *Config) *bool { return &c.AOFUseRDBPreamble }),
		boolOpt("aof-timestamp-enabled", "", 0, false, func(c *Config) *bool { return &c.AOFTimestampEnabled }),
		boolOpt("cluster-replica-no-failover", "cluster-slave-no-failover", 0, false, func(c *Config) *bool { return &c.ClusterReplicaNoFailover }),
		boolOpt("replica-lazy-flush", "slave-lazy-flush", 0, false, func(c *Config) *bool { return &c.ReplicaLazyFlush }),
		boolOpt("replica-serve-stale-data", "slave-serve-stale-data", 0, true, func(c *Config) *bool { return &c.ReplicaServeStaleData }),
		boolOpt("replica-read-only", "slave-read-only", 0, true, func(c *Config) *bool { return &c.ReplicaReadOnly }),
		boolOpt("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, true, func(c *Config) *bool { return &c.ReplicaIgnoreMaxmemory }),
		boolOpt("jemalloc-bg-thread", "", 0, true, func(c *Config) *bool { return &c.JemallocBgThread }),
		boolOpt("activedefrag", "", 0, false, func(c *Config) *bool { return &c.ActiveDefrag }),
		boolOpt("syslog-enabled", "", I, false, func(c *Config) *bool { return &c.SyslogEnabled }),
		boolOpt("cluster-enabled", "", I, false, func(c *Config) *bool { return &c.ClusterEnabled }),
		boolOpt("appendonly", "", DL, false, func(c *Config) *bool { return &c.AppendOnly }),
		boolOpt("cluster-allow-reads-when-down", "", 0, false, func(c *Config) *bool { return &c.ClusterAllowReadsWhenDown }),
		boolOpt("cluster-allow-pubsubshard-when-down", "", 0, true, func(c *Config) *bool { return &c.ClusterAllowPubsubshardWhenDown }),
		boolOpt("crash-log-enabled", "", 0, true, func(c *Config) *bool { return &c.CrashLogEnabled }),
		boolOpt("crash-memcheck-enabled", "", 0, true, func(c *Config) *bool { return &c.CrashMemcheckEnabled }),
		boolOpt("use-exit-on-panic", "", H, false, func(c *Config) *bool { return &c.UseExitOnPanic }),
		boolOpt("disable-thp", "", I, true, func(c *Config) *bool { return &c.DisableTHP }),
		boolOpt("cluster-allow-replica-migration", "", 0, true, func(c *Config) *bool { return &c.ClusterAllowReplicaMigration }),
		boolOpt("replica-announced", "", 0, true, func(c *Config) *bool { return &c.ReplicaAnnounced }),
		boolOpt("latency-tracking", "", 0, true, func(c *Config) *bool { return &c.LatencyTracking }),
		boolOpt("aof-disable-auto-gc", "", 0, false, func(c *Config) *bool { return &c.AOFDisableAutoGC }),
		boolOpt("replica-ignore-disk-write-errors", "", 0, false, func(c *Config) *bool { return &c.ReplicaIgnoreDiskWriteErrors }),

		// Strings.
		strOpt("aclfile", "", I, false, "", nil, func(c *Config) *string { return &c.ACLFile }),
		strOpt("unixsocket", "", I, true, "", nil, func(c *Config) *string { return &c.Unixsocket }),
		strOpt("pidfile", "", I, true, "", nil, func(c *Config) *string { return &c.PidFile }),
		strOpt("replica-announce-ip", "slave-announce-ip", 0, true, "", nil, func(c *Config) *string { return &c.ReplicaAnnounceIP }),
		strOpt("masteruser", "", S, true, "", nil, func(c *Config) *string { return &c.MasterUser }),
		strOpt("cluster-announce-ip", "", 0, true, "", nil, func(c *Config) *string { return &c.ClusterAnnounceIP }),
		strOpt("cluster-config-file", "", I, false, "nodes.conf", nil, func(c *Config) *string { return &c.ClusterConfigFile }),
		strOpt("cluster-announce-hostname", "", 0, true, "", validHostname, func(c *Config) *string { return &c.ClusterAnnounceHostname }),
		strOpt("syslog-ident", "", I, false, "redis", nil, func(c *Config) *string { return &c.SyslogIdent }),
		strOpt("dbfilename", "", P, false, "dump.rdb", validDBFilename, func(c *Config) *string { return &c.DBFilename }),
		strOpt("appendfilename", "", I, false, "appendonly.aof", validAOFFilename, func(c *Config) *string { return &c.AppendFilename }),
		strOpt("appenddirname", "", I, false, "appendonlydir", validAOFDirname, func(c *Config) *string { return &c.AppendDirname }),
		strOpt("server_cpulist", "", I, true, "", nil, func(c *Config) *string { return &c.ServerCPUList }),
		strOpt("bio_cpulist", "", I, true, "", nil, func(c *Config) *string { return &c.BioCPUList }),
		strOpt("aof_rewrite_cpulist", "", I, true, "", nil, func(c *Config) *string { return &c.AOFRewriteCPUList }),
		strOpt("bgsave_cpulist", "", I, true, "", nil, func(c *Config) *string { return &c.BgsaveCPUList }),
		strOpt("ignore-warnings", "", 0, false, "", nil, func(c *Config) *string { return &c.IgnoreWarnings }),
		strOpt("proc-title-template", "", 0, false, "{title} {listen-addr} {server-mode}", validProcTitleTemplate, func(c *Config) *string { return &c.ProcTitleTemplate }),
		strOpt("bind-source-addr", "", 0, true, "", nil, func(c *Config) *string { return &c.BindSourceAddr }),
		strOpt("logfile", "", I, false, "", nil, func(c *Config) *string { return &c.LogFile }),
		strOpt("masterauth", "", S, true, "", nil, func(c *Config) *string { return &c.MasterAuth }),
		strOpt("requirepass", "", S, true, "", nil, func(c *Config) *string { return &c.RequirePass }),

		// Enumerations.
		enumOpt("supervised", I, []string{"upstart", "systemd", "auto", "no"}, nil, "no", func(c *Config) *string { return &c.Supervised }),
		enumOpt("syslog-facility", I, []string{"user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}, nil, "local0", func(c *Config) *string { return &c.SyslogFacility }),
		enumOpt("repl-diskless-load", DL, []string{"disabled", "on-empty-db", "swapdb"}, nil, "disabled", func(c *Config) *string { return &c.ReplDisklessLoad }),
		enumOpt("loglevel", 0, []string{"debug", "verbose", "notice", "warning"}, nil, "notice", func(c *Config) *string { return &c.LogLevel }),
		enumOpt("maxmemory-policy", 0, []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}, nil, "noeviction", func(c *Config) *string { return &c.MaxMemoryPolicy }),
		enumOpt("appendfsync", 0, []string{"everysec", "always", "no"}, nil, "everysec", func(c *Config) *string { return &c.AppendFsync }),
		enumOpt("oom-score-adj", 0, []string{"no", "yes", "relative", "absolute"}, []int{0, 1, 1, 2}, "no", func(c *Config) *string { return &c.OOMScoreAdj }),
		enumOpt("acl-pubsub-default", 0, []string{"allchannels", "resetchannels"}, nil, "resetchannels", func(c *Config) *string { return &c.ACLPubsubDefault }),
		enumOpt("sanitize-dump-payload", 0, []string{"no", "yes", "clients"}, nil, "no", func(c *Config) *string { return &c.SanitizeDumpPayload }),
		enumOpt("enable-protected-configs", I, yesNoLocal, nil, "no", func(c *Config) *string { return &c.EnableProtectedConfigs }),
		enumOpt("enable-debug-command", I, yesNoLocal, nil, "no", func(c *Config) *string { return &c.EnableDebugCommand }),
		enumOpt("enable-module-command", I, yesNoLocal, nil, "no", func(c *Config) *string { return &c.EnableModuleCommand }),
		enumOpt("propagation-error-behavior", 0, []string{"ignore", "panic", "panic-on-replicas"}, nil, "ignore", func(c *Config) *string { return &c.PropagationErrorBehavior }),
		shutdownFlagsOption("shutdown-on-sigint", func(c *Config) *string { return &c.ShutdownOnSigint }),
		shutdownFlagsOption("shutdown-on-sigterm", func(c *Config) *string { return &c.ShutdownOnSigterm }),
		enumOpt("cluster-preferred-endpoint-type", 0, []string{"ip", "hostname", "unknown-endpoint"}, nil, "ip", func(c *Config) *string { return &c.ClusterPreferredEndpointType }),

		// Integers.
		num("databases", "", I, 0, 1, intMax, 16, func(c *Config) *int { return &c.Databases }),
		num("port", "", 0, 0, 0, 65535, 6379, func(c *Config) *int { return &c.Port }),
		num("io-threads", "", I, 0, 1, 128, 1, func(c *Config) *int { return &c.IOThreads }),
		num("auto-aof-rewrite-percentage", "", 0, 0, 0, intMax, 100, func(c *Config) *int { return &c.AutoAOFRewritePercentage }),
		num("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, 0, intMax, 10, func(c *Config) *int { return &c.ClusterReplicaValidityFactor }),
		num("list-max-listpack-size", "list-max-ziplist-size", 0, 0, intMin, intMax, -2, func(c *Config) *int { return &c.ListMaxListpackSize }),
		num("tcp-keepalive", "", 0, 0, 0, intMax, 300, func(c *Config) *int { return &c.TCPKeepalive }),
		num("cluster-migration-barrier", "", 0, 0, 0, intMax, 1, func(c *Config) *int { return &c.ClusterMigrationBarrier }),
		num("active-defrag-cycle-min", "", 0, 0, 1, 99, 1, func(c *Config) *int { return &c.ActiveDefragCycleMin }),
		num("active-defrag-cycle-max", "", 0, 0, 1, 99, 25, func(c *Config) *int { return &c.ActiveDefragCycleMax }),
		num("active-defrag-threshold-lower", "", 0, 0, 0, 1000, 10, func(c *Config) *int { return &c.ActiveDefragThresholdLower }),
		num("active-defrag-threshold-upper", "", 0, 0, 0, 1000, 100, func(c *Config) *int { return &c.ActiveDefragThresholdUpper }),
		num("lfu-log-factor", "", 0, 0, 0, intMax, 10, func(c *Config) *int { return &c.LFULogFactor }),
		num("lfu-decay-time", "", 0, 0, 0, intMax, 1, func(c *Config) *int { return &c.LFUDecayTime }),
		num("replica-priority", "slave-priority", 0, 0, 0, intMax, 100, func(c *Config) *int { return &c.ReplicaPriority }),
		num("repl-diskless-sync-delay", "", 0, 0, 0, intMax, 5, func(c *Config) *int { return &c.ReplDisklessSyncDelay }),
		num("maxmemory-samples", "", 0, 0, 1, intMax, 5, func(c *Config) *int { return &c.MaxMemorySamples }),
		num("maxmemory-eviction-tenacity", "", 0, 0, 0, 100, 10, func(c *Config) *int { return &c.MaxMemoryEvictionTenacity }),
		num("timeout", "", 0, 0, 0, intMax, 0, func(c *Config) *int { return &c.Timeout }),
		num("replica-announce-port", "slave-announce-port", 0, 0, 0, 65535, 0, func(c *Config) *int { return &c.ReplicaAnnouncePort }),
		num("tcp-backlog", "", I, 0, 0, intMax, 511, func(c *Config) *int { return &c.TCPBacklog }),
		num("cluster-port", "", I, 0, 0, 65535, 0, func(c *Config) *int { return &c.ClusterPort }),
		num("cluster-announce-bus-port", "", 0, 0, 0, 65535, 0, func(c *Config) *int { return &c.ClusterAnnounceBusPort }),
		num("cluster-announce-port", "", 0, 0, 0, 65535, 0, func(c *Config) *int { return &c.ClusterAnnouncePort }),
		num("cluster-announce-tls-port", "", 0, 0, 0, 65535, 0, func(c *Config) *int { return &c.ClusterAnnounceTLSPort }),
		num("repl-timeout", "", 0, 0, 1, intMax, 60, func(c *Config) *int { return &c.ReplTimeout }),
		num("repl-ping-replica-period", "repl-ping-slave-period", 0, 0, 1, intMax, 10, func(c *Config) *int { return &c.ReplPingReplicaPeriod }),
		num("list-compress-depth", "", 0, 0, 0, intMax, 0, func(c *Config) *int { return &c.ListCompressDepth }),
		num("rdb-key-save-delay", "", H, 0, intMin, intMax, 0, func(c *Config) *int { return &c.RDBKeySaveDelay }),
		num("key-load-delay", "", H, 0, intMin, intMax, 0, func(c *Config) *int { return &c.KeyLoadDelay }),
		num("active-expire-effort", "", 0, 0, 1, 10, 1, func(c *Config) *int { return &c.ActiveExpireEffort }),
		hzOption(),
		num("min-replicas-to-write", "min-slaves-to-write", 0, 0, 0, intMax, 0, func(c *Config) *int { return &c.MinReplicasToWrite }),
		num("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, 0, intMax, 10, func(c *Config) *int { return &c.MinReplicasMaxLag }),
		num("watchdog-period", "", H, 0, 0, intMax, 0, func(c *Config) *int { return &c.WatchdogPeriod }),
		num("shutdown-timeout", "", 0, 0, 0, intMax, 10, func(c *Config) *int { return &c.ShutdownTimeout }),
		num("repl-diskless-sync-max-replicas", "", 0, 0, 0, intMax, 0, func(c *Config) *int { return &c.ReplDisklessSyncMaxReplicas }),
		unsignedNum(num("maxclients", "", 0, 0, 1, uintMax, 10000, func(c *Config) *int { return &c.MaxClients })),
		unsignedNum(num("socket-mark-id", "", I, 0, 0, uintMax, 0, func(c *Config) *int64 { return &c.SocketMarkID })),
		unsignedNum(num("unixsocketperm", "", I, numOctal, 0, 0o777, 0, func(c *Config) *int { return &c.Unixsocketperm })),
		num("active-defrag-max-scan-fields", "", 0, 0, 1, longMax, 1000, func(c *Config) *int64 { return &c.ActiveDefragMaxScanFields }),
		num("slowlog-max-len", "", 0, 0, 0, longMax, 128, func(c *Config) *int { return &c.SlowlogMaxLen }),
		num("acllog-max-len", "", 0, 0, 0, longMax, 128, func(c *Config) *int { return &c.ACLLogMaxLen }),
		num("busy-reply-threshold", "lua-time-limit", 0, 0, 0, longMax, 5000, func(c *Config) *int64 { return &c.BusyReplyThreshold }),
		num("cluster-node-timeout", "", 0, 0, 0, llongMax, 15000, func(c *Config) *int64 { return &c.ClusterNodeTimeout }),
		num("slowlog-log-slower-than", "", 0, 0, -1, llongMax, 10000, func(c *Config) *int64 { return &c.SlowlogLogSlowerThan }),
		num("latency-monitor-threshold", "", 0, 0, 0, llongMax, 0, func(c *Config) *int64 { return &c.LatencyMonitorThreshold }),
		num("proto-max-bulk-len", "", 0, numMemory, 1024*1024, longMax, 512*1024*1024, func(c *Config) *int64 { return &c.ProtoMaxBulkLen }),
		num("stream-node-max-entries", "", 0, 0, 0, llongMax, 100, func(c *Config) *int64 { return &c.StreamNodeMaxEntries }),
		num("repl-backlog-size", "", 0, numMemory, 1, llongMax, 1024*1024, func(c *Config) *int64 { return &c.ReplBacklogSize }),
		unsignedNum(num("maxmemory", "", 0, numMemory, 0, ullMax, 0, func(c *Config) *int64 { return &c.MaxMemory })),
		unsignedNum(num("cluster-link-sendbuf-limit", "", 0, numMemory, 0, ullMax, 0, func(c *Config) *int64 { return &c.ClusterLinkSendbufLimit })),
		unsignedNum(num("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, 0, 0, longMax, 512, func(c *Config) *int64 { return &c.HashMaxListpackEntries })),
		unsignedNum(num("set-max-intset-entries", "", 0, 0, 0, longMax, 512, func(c *Config) *int64 { return &c.SetMaxIntsetEntries })),
		unsignedNum(num("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, 0, 0, longMax, 128, func(c *Config) *int64 { return &c.ZsetMaxListpackEntries })),
		unsignedNum(num("active-defrag-ignore-bytes", "", 0, numMemory, 1, llongMax, 100<<20, func(c *Config) *int64 { return &c.ActiveDefragIgnoreBytes })),
		unsignedNum(num("hash-max-listpack-value", "hash-max-ziplist-value", 0, numMemory, 0, longMax, 64, func(c *Config) *int64 { return &c.HashMaxListpackValue })),
		unsignedNum(num("stream-node-max-bytes", "", 0, numMemory, 0, longMax, 4096, func(c *Config) *int64 { return &c.StreamNodeMaxBytes })),
		unsignedNum(num("zset-max-listpack-value", "zset-max-ziplist-value", 0, numMemory, 0, longMax, 64, func(c *Config) *int64 { return &c.ZsetMaxListpackValue })),
		unsignedNum(num("hll-sparse-max-bytes", "", 0, numMemory, 0, longMax, 3000, func(c *Config) *int64 { return &c.HLLSparseMaxBytes })),
		unsignedNum(num("tracking-table-max-keys", "", 0, 0, 0, longMax, 1000000, func(c *Config) *int64 { return &c.TrackingTableMaxKeys })),
		unsignedNum(num("client-query-buffer-limit", "", 0, numMemory, 1024*1024, longMax, 1024*1024*1024, func(c *Config) *int64 { return &c.ClientQueryBufferLimit })),
		num("maxmemory-clients", "", 0, numMemory|numPercent, -100, longMax, 0, func(c *Config) *int64 { return &c.MaxMemoryClients }),
		num("repl-backlog-ttl", "", 0, 0, 0, longMax, 3600, func(c *Config) *int64 { return &c.ReplBacklogTTL }),
		num("auto-aof-rewrite-min-size", "", 0, numMemory, 0, llongMax, 64*1024*1024, func(c *Config) *int64 { return &c.AutoAOFRewriteMinSize }),
		num("loading-process-events-interval-bytes", "", H, 0, 1024, intMax, 2*1024*1024, func(c *Config) *int64 { return &c.LoadingProcessEventsIntervalBytes }),

		// TLS (Debian's redis-server is built with TLS support).
		num("tls-port", "", 0, 0, 0, 65535, 0, func(c *Config) *int { return &c.TLSPort }),
		num("tls-session-cache-size", "", 0, 0, 0, intMax, 20*1024, func(c *Config) *int { return &c.TLSSessionCacheSize }),
		num("tls-session-cache-timeout", "", 0, 0, 0, intMax, 300, func(c *Config) *int { return &c.TLSSessionCacheTimeout }),
		boolOpt("tls-cluster", "", 0, false, func(c *Config) *bool { return &c.TLSCluster }),
		boolOpt("tls-replication", "", 0, false, func(c *Config) *bool { return &c.TLSReplication }),
		enumOpt("tls-auth-clients", 0, []string{"no", "yes", "optional"}, nil, "yes", func(c *Config) *string { return &c.TLSAuthClients }),
		boolOpt("tls-prefer-server-ciphers", "", 0, false, func(c *Config) *bool { return &c.TLSPreferServerCiphers }),
		boolOpt("tls-session-caching", "", 0, true, func(c *Config) *bool { return &c.TLSSessionCaching }),
		strOpt("tls-cert-file", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSCertFile }),
		strOpt("tls-key-file", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSKeyFile }),
		strOpt("tls-key-file-pass", "", S, true, "", nil, func(c *Config) *string { return &c.TLSKeyFilePass }),
		strOpt("tls-client-cert-file", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSClientCertFile }),
		strOpt("tls-client-key-file", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSClientKeyFile }),
		strOpt("tls-client-key-file-pass", "", S, true, "", nil, func(c *Config) *string { return &c.TLSClientKeyFilePass }),
		strOpt("tls-dh-params-file", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSDHParamsFile }),
		strOpt("tls-ca-cert-file", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSCACertFile }),
		strOpt("tls-ca-cert-dir", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSCACertDir }),
		strOpt("tls-protocols", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSProtocols }),
		strOpt("tls-ciphers", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSCiphers }),
		strOpt("tls-ciphersuites", "", 0, true, "", nil, func(c *Config) *string { return &c.TLSCiphersuites }),

		// Options with their own syntax (special.go).
		special("dir", "", P|DL, setDir, getDir, rewriteDir),
		special("save", "", M, setSave, getSave, rewriteSave),
		special("client-output-buffer-limit", "", M, setClientOutputBufferLimit, getClientOutputBufferLimit, rewriteClientOutputBufferLimit),
		special("oom-score-adj-values", "", M, setOOMScoreAdjValues, getOOMScoreAdjValues, rewriteOOMScoreAdjValues),
		special("notify-keyspace-events", "", 0, setNotifyKeyspaceEvents, getNotifyKeyspaceEvents, rewriteNotifyKeyspaceEvents),
		special("bind", "", M, setBind, getBind, rewriteBind),
		special("replicaof", "slaveof", I|M, setReplicaOf, getReplicaOf, rewriteReplicaOf),
		special("latency-tracking-info-percentiles", "", M, setPercentiles, getPercentiles, rewritePercentiles),
	}
}

// hzOption is hz: any non-negative value is accepted, the effective value
// is clamped to 1..500 as Redis does.
func hzOption() *Option {
	o := num("hz", "", 0, 0, 0, intMax, 10, func(c *Config) *int { return &c.HZ })
	o.onSet = func(c *Config) { c.HZ = clampHZ(c.HZ) }
	return o
}

func clampHZ(hz int) int {
	if hz < 1 {
		return 1
	}
	if hz > 500 {
		return 500
	}
	return hz
}

// shutdownFlags are the words of shutdown-on-sigint/sigterm, in the order
// CONFIG GET lists them; "default" is the empty set.
var shutdownFlags = []string{"save", "nosave", "now", "force"}

// shutdownFlagsOption is a set of flags stored as its canonical spelling
// ("default", or the words set, in table order).
func shutdownFlagsOption(name string, p func(*Config) *string) *Option {
	set := func(c *Config, args []string, _ *loadState) error {
		bits := 0
		for _, a := range args {
			found := strings.EqualFold(a, "default")
			for i, f := range shutdownFlags {
				if strings.EqualFold(a, f) {
					bits |= 1 << i
					found = true
				}
			}
			if !found {
				return errors.New("argument(s) must be one of the following: default, save, nosave, now, force")
			}
		}
		if len(args) == 0 {
			return errors.New("argument(s) must be one of the following: default, save, nosave, now, force")
		}
		if bits&3 == 3 {
			return errors.New("shutdown options SAVE and NOSAVE can't be used simultaneously")
		}
		var words []string
		for i, f := range shutdownFlags {
			if bits&(1<<i) != 0 {
				words = append(words, f)
			}
		}
		if len(words) == 0 {
			*p(c) = "default"
		} else {
			*p(c) = strings.Join(words, " ")
		}
		return nil
	}
	get := func(c *Config) string { return *p(c) }
	rewrite := func(c *Config, st *rewriteState, name string) {
		st.rewriteLine(name, name+" "+*p(c), *p(c) != "default")
	}
	o := special(name, "", MultiArg, set, get, rewrite)
	o.init = func(c *Config) { *p(c) = "default" }
	return o
}
