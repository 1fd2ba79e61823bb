/*
 * Compile-time checks of include/redismodule.h against the Redis 7.0 ABI
 * facts (LP64): struct sizes, field offsets, versions and constant values.
 * The file only has to compile; every check is a static assertion. It is
 * built as C (c99 and c11) and as C++ by TestHeaderLayout.
 */
#include <stddef.h>
#include "redismodule.h"

#ifdef __cplusplus
#define CHECK(cond) static_assert(cond, #cond)
#else
#define CHECK(cond) _Static_assert(cond, #cond)
#endif

#define SIZE(type, n) CHECK(sizeof(type) == (n))
#define OFF(type, field, n) CHECK(offsetof(type, field) == (n))

/* ---- return codes and versions ---- */
CHECK(REDISMODULE_OK == 0);
CHECK(REDISMODULE_ERR == 1);
CHECK(REDISMODULE_APIVER_1 == 1);
CHECK(REDISMODULE_TYPE_METHOD_VERSION == 4);
CHECK(REDISMODULE_CLIENTINFO_VERSION == 1);
CHECK(REDISMODULE_REPLICATIONINFO_VERSION == 1);
CHECK(REDISMODULE_FLUSHINFO_VERSION == 1);
CHECK(REDISMODULE_MODULE_CHANGE_VERSION == 1);
CHECK(REDISMODULE_CONFIGCHANGE_VERSION == 1);
CHECK(REDISMODULE_CRON_LOOP_VERSION == 1);
CHECK(REDISMODULE_LOADING_PROGRESS_VERSION == 1);
CHECK(REDISMODULE_SWAPDBINFO_VERSION == 1);

/* ---- keys ---- */
CHECK(REDISMODULE_READ == 1);
CHECK(REDISMODULE_WRITE == 2);
CHECK(REDISMODULE_OPEN_KEY_NOTOUCH == (1 << 16));
CHECK(REDISMODULE_KEYTYPE_EMPTY == 0);
CHECK(REDISMODULE_KEYTYPE_STRING == 1);
CHECK(REDISMODULE_KEYTYPE_LIST == 2);
CHECK(REDISMODULE_KEYTYPE_HASH == 3);
CHECK(REDISMODULE_KEYTYPE_SET == 4);
CHECK(REDISMODULE_KEYTYPE_ZSET == 5);
CHECK(REDISMODULE_KEYTYPE_MODULE == 6);
CHECK(REDISMODULE_KEYTYPE_STREAM == 7);
CHECK(REDISMODULE_NO_EXPIRE == -1);

/* ---- replies ---- */
CHECK(REDISMODULE_REPLY_UNKNOWN == -1);
CHECK(REDISMODULE_REPLY_STRING == 0);
CHECK(REDISMODULE_REPLY_ERROR == 1);
CHECK(REDISMODULE_REPLY_INTEGER == 2);
CHECK(REDISMODULE_REPLY_ARRAY == 3);
CHECK(REDISMODULE_REPLY_NULL == 4);
CHECK(REDISMODULE_REPLY_MAP == 5);
CHECK(REDISMODULE_REPLY_SET == 6);
CHECK(REDISMODULE_REPLY_BOOL == 7);
CHECK(REDISMODULE_REPLY_DOUBLE == 8);
CHECK(REDISMODULE_REPLY_BIG_NUMBER == 9);
CHECK(REDISMODULE_REPLY_VERBATIM_STRING == 10);
CHECK(REDISMODULE_REPLY_ATTRIBUTE == 11);
CHECK(REDISMODULE_POSTPONED_LEN == -1);
CHECK(REDISMODULE_POSTPONED_ARRAY_LEN == -1);

/* ---- lists, zsets, hashes, streams ---- */
CHECK(REDISMODULE_LIST_HEAD == 0);
CHECK(REDISMODULE_LIST_TAIL == 1);
CHECK(REDISMODULE_ZADD_XX == 1);
CHECK(REDISMODULE_ZADD_NX == 2);
CHECK(REDISMODULE_ZADD_ADDED == 4);
CHECK(REDISMODULE_ZADD_UPDATED == 8);
CHECK(REDISMODULE_ZADD_NOP == 16);
CHECK(REDISMODULE_ZADD_GT == 32);
CHECK(REDISMODULE_ZADD_LT == 64);
CHECK(REDISMODULE_HASH_NONE == 0);
CHECK(REDISMODULE_HASH_NX == 1);
CHECK(REDISMODULE_HASH_XX == 2);
CHECK(REDISMODULE_HASH_CFIELDS == 4);
CHECK(REDISMODULE_HASH_EXISTS == 8);
CHECK(REDISMODULE_HASH_COUNT_ALL == 16);
CHECK(REDISMODULE_STREAM_ADD_AUTOID == 1);
CHECK(REDISMODULE_STREAM_ITERATOR_EXCLUSIVE == 1);
CHECK(REDISMODULE_STREAM_ITERATOR_REVERSE == 2);
CHECK(REDISMODULE_STREAM_TRIM_APPROX == 1);

/* ---- context flags ---- */
CHECK(REDISMODULE_CTX_FLAGS_LUA == (1 << 0));
CHECK(REDISMODULE_CTX_FLAGS_MULTI == (1 << 1));
CHECK(REDISMODULE_CTX_FLAGS_MASTER == (1 << 2));
CHECK(REDISMODULE_CTX_FLAGS_SLAVE == (1 << 3));
CHECK(REDISMODULE_CTX_FLAGS_READONLY == (1 << 4));
CHECK(REDISMODULE_CTX_FLAGS_CLUSTER == (1 << 5));
CHECK(REDISMODULE_CTX_FLAGS_AOF == (1 << 6));
CHECK(REDISMODULE_CTX_FLAGS_RDB == (1 << 7));
CHECK(REDISMODULE_CTX_FLAGS_MAXMEMORY == (1 << 8));
CHECK(REDISMODULE_CTX_FLAGS_EVICT == (1 << 9));
CHECK(REDISMODULE_CTX_FLAGS_OOM == (1 << 10));
CHECK(REDISMODULE_CTX_FLAGS_OOM_WARNING == (1 << 11));
CHECK(REDISMODULE_CTX_FLAGS_REPLICATED == (1 << 12));
CHECK(REDISMODULE_CTX_FLAGS_LOADING == (1 << 13));
CHECK(REDISMODULE_CTX_FLAGS_REPLICA_IS_STALE == (1 << 14));
CHECK(REDISMODULE_CTX_FLAGS_REPLICA_IS_CONNECTING == (1 << 15));
CHECK(REDISMODULE_CTX_FLAGS_REPLICA_IS_TRANSFERRING == (1 << 16));
CHECK(REDISMODULE_CTX_FLAGS_REPLICA_IS_ONLINE == (1 << 17));
CHECK(REDISMODULE_CTX_FLAGS_ACTIVE_CHILD == (1 << 18));
CHECK(REDISMODULE_CTX_FLAGS_MULTI_DIRTY == (1 << 19));
CHECK(REDISMODULE_CTX_FLAGS_IS_CHILD == (1 << 20));
CHECK(REDISMODULE_CTX_FLAGS_DENY_BLOCKING == (1 << 21));
CHECK(REDISMODULE_CTX_FLAGS_RESP3 == (1 << 22));
CHECK(REDISMODULE_CTX_FLAGS_ASYNC_LOADING == (1 << 23));
CHECK(_REDISMODULE_CTX_FLAGS_NEXT - 1 == 0xFFFFFF);

/* ---- keyspace notifications ---- */
CHECK(REDISMODULE_NOTIFY_KEYSPACE == (1 << 0));
CHECK(REDISMODULE_NOTIFY_KEYEVENT == (1 << 1));
CHECK(REDISMODULE_NOTIFY_GENERIC == (1 << 2));
CHECK(REDISMODULE_NOTIFY_STRING == (1 << 3));
CHECK(REDISMODULE_NOTIFY_LIST == (1 << 4));
CHECK(REDISMODULE_NOTIFY_SET == (1 << 5));
CHECK(REDISMODULE_NOTIFY_HASH == (1 << 6));
CHECK(REDISMODULE_NOTIFY_ZSET == (1 << 7));
CHECK(REDISMODULE_NOTIFY_EXPIRED == (1 << 8));
CHECK(REDISMODULE_NOTIFY_EVICTED == (1 << 9));
CHECK(REDISMODULE_NOTIFY_STREAM == (1 << 10));
CHECK(REDISMODULE_NOTIFY_KEY_MISS == (1 << 11));
CHECK(REDISMODULE_NOTIFY_LOADED == (1 << 12));
CHECK(REDISMODULE_NOTIFY_MODULE == (1 << 13));
CHECK(REDISMODULE_NOTIFY_NEW == (1 << 14));
CHECK(_REDISMODULE_NOTIFY_NEXT - 1 == 0x7FFF);
CHECK(REDISMODULE_NOTIFY_ALL == 0x27FC);

/* ---- cluster ---- */
CHECK(REDISMODULE_NODE_ID_LEN == 40);
CHECK(REDISMODULE_NODE_MYSELF == 1);
CHECK(REDISMODULE_NODE_MASTER == 2);
CHECK(REDISMODULE_NODE_SLAVE == 4);
CHECK(REDISMODULE_NODE_PFAIL == 8);
CHECK(REDISMODULE_NODE_FAIL == 16);
CHECK(REDISMODULE_NODE_NOFAILOVER == 32);
CHECK(REDISMODULE_CLUSTER_FLAG_NONE == 0);
CHECK(REDISMODULE_CLUSTER_FLAG_NO_FAILOVER == 2);
CHECK(REDISMODULE_CLUSTER_FLAG_NO_REDIRECTION == 4);

/* ---- types, options, configs, misc ---- */
CHECK(REDISMODULE_AUX_BEFORE_RDB == 1);
CHECK(REDISMODULE_AUX_AFTER_RDB == 2);
CHECK(REDISMODULE_OPTIONS_HANDLE_IO_ERRORS == 1);
CHECK(REDISMODULE_OPTION_NO_IMPLICIT_SIGNAL_MODIFIED == 2);
CHECK(REDISMODULE_OPTIONS_HANDLE_REPL_ASYNC_LOAD == 4);
CHECK(REDISMODULE_CONFIG_DEFAULT == 0);
CHECK(REDISMODULE_CONFIG_IMMUTABLE == 1);
CHECK(REDISMODULE_CONFIG_SENSITIVE == 2);
CHECK(REDISMODULE_CONFIG_HIDDEN == 16);
CHECK(REDISMODULE_CONFIG_PROTECTED == 32);
CHECK(REDISMODULE_CONFIG_DENY_LOADING == 64);
CHECK(REDISMODULE_CONFIG_MEMORY == 128);
CHECK(REDISMODULE_CONFIG_BITFLAGS == 256);
CHECK(REDISMODULE_CMDFILTER_NOSELF == 1);
CHECK(REDISMODULE_YIELD_FLAG_NONE == 1);
CHECK(REDISMODULE_YIELD_FLAG_CLIENTS == 2);
CHECK(REDISMODULE_EVENTLOOP_READABLE == 1);
CHECK(REDISMODULE_EVENTLOOP_WRITABLE == 2);
CHECK(REDISMODULE_ACL_LOG_AUTH == 0);
CHECK(REDISMODULE_ACL_LOG_CMD == 1);
CHECK(REDISMODULE_ACL_LOG_KEY == 2);
CHECK(REDISMODULE_ACL_LOG_CHANNEL == 3);
CHECK(sizeof(RedisModuleACLLogEntryReason) == 4);
CHECK(sizeof(REDISMODULE_ERRORMSG_WRONGTYPE) ==
      sizeof("WRONGTYPE Operation against a key holding the wrong kind of value"));
CHECK(sizeof(mstime_t) == 8);
CHECK(sizeof(RedisModuleTimerID) == 8);

/* ---- command info enums and flags ---- */
CHECK(REDISMODULE_CMD_KEY_RO == 1);
CHECK(REDISMODULE_CMD_KEY_RW == 2);
CHECK(REDISMODULE_CMD_KEY_OW == 4);
CHECK(REDISMODULE_CMD_KEY_RM == 8);
CHECK(REDISMODULE_CMD_KEY_ACCESS == 16);
CHECK(REDISMODULE_CMD_KEY_UPDATE == 32);
CHECK(REDISMODULE_CMD_KEY_INSERT == 64);
CHECK(REDISMODULE_CMD_KEY_DELETE == 128);
CHECK(REDISMODULE_CMD_KEY_NOT_KEY == 256);
CHECK(REDISMODULE_CMD_KEY_INCOMPLETE == 512);
CHECK(REDISMODULE_CMD_KEY_VARIABLE_FLAGS == 1024);
CHECK(REDISMODULE_CMD_CHANNEL_PATTERN == 1);
CHECK(REDISMODULE_CMD_CHANNEL_PUBLISH == 2);
CHECK(REDISMODULE_CMD_CHANNEL_SUBSCRIBE == 4);
CHECK(REDISMODULE_CMD_CHANNEL_UNSUBSCRIBE == 8);
CHECK(REDISMODULE_CMD_ARG_NONE == 0);
CHECK(REDISMODULE_CMD_ARG_OPTIONAL == 1);
CHECK(REDISMODULE_CMD_ARG_MULTIPLE == 2);
CHECK(REDISMODULE_CMD_ARG_MULTIPLE_TOKEN == 4);
CHECK(REDISMODULE_ARG_TYPE_STRING == 0);
CHECK(REDISMODULE_ARG_TYPE_INTEGER == 1);
CHECK(REDISMODULE_ARG_TYPE_DOUBLE == 2);
CHECK(REDISMODULE_ARG_TYPE_KEY == 3);
CHECK(REDISMODULE_ARG_TYPE_PATTERN == 4);
CHECK(REDISMODULE_ARG_TYPE_UNIX_TIME == 5);
CHECK(REDISMODULE_ARG_TYPE_PURE_TOKEN == 6);
CHECK(REDISMODULE_ARG_TYPE_ONEOF == 7);
CHECK(REDISMODULE_ARG_TYPE_BLOCK == 8);
CHECK(REDISMODULE_KSPEC_BS_INVALID == 0);
CHECK(REDISMODULE_KSPEC_BS_UNKNOWN == 1);
CHECK(REDISMODULE_KSPEC_BS_INDEX == 2);
CHECK(REDISMODULE_KSPEC_BS_KEYWORD == 3);
CHECK(REDISMODULE_KSPEC_FK_OMITTED == 0);
CHECK(REDISMODULE_KSPEC_FK_UNKNOWN == 1);
CHECK(REDISMODULE_KSPEC_FK_RANGE == 2);
CHECK(REDISMODULE_KSPEC_FK_KEYNUM == 3);

/* ---- client info ---- */
CHECK(REDISMODULE_CLIENTINFO_FLAG_SSL == 1);
CHECK(REDISMODULE_CLIENTINFO_FLAG_PUBSUB == 2);
CHECK(REDISMODULE_CLIENTINFO_FLAG_BLOCKED == 4);
CHECK(REDISMODULE_CLIENTINFO_FLAG_TRACKING == 8);
CHECK(REDISMODULE_CLIENTINFO_FLAG_UNIXSOCKET == 16);
CHECK(REDISMODULE_CLIENTINFO_FLAG_MULTI == 32);

/* ---- server events ---- */
CHECK(REDISMODULE_EVENT_REPLICATION_ROLE_CHANGED == 0);
CHECK(REDISMODULE_EVENT_PERSISTENCE == 1);
CHECK(REDISMODULE_EVENT_FLUSHDB == 2);
CHECK(REDISMODULE_EVENT_LOADING == 3);
CHECK(REDISMODULE_EVENT_CLIENT_CHANGE == 4);
CHECK(REDISMODULE_EVENT_SHUTDOWN == 5);
CHECK(REDISMODULE_EVENT_REPLICA_CHANGE == 6);
CHECK(REDISMODULE_EVENT_MASTER_LINK_CHANGE == 7);
CHECK(REDISMODULE_EVENT_CRON_LOOP == 8);
CHECK(REDISMODULE_EVENT_MODULE_CHANGE == 9);
CHECK(REDISMODULE_EVENT_LOADING_PROGRESS == 10);
CHECK(REDISMODULE_EVENT_SWAPDB == 11);
CHECK(REDISMODULE_EVENT_REPL_BACKUP == 12);
CHECK(REDISMODULE_EVENT_FORK_CHILD == 13);
CHECK(REDISMODULE_EVENT_REPL_ASYNC_LOAD == 14);
CHECK(REDISMODULE_EVENT_EVENTLOOP == 15);
CHECK(REDISMODULE_EVENT_CONFIG == 16);
CHECK(_REDISMODULE_EVENT_NEXT == 17);
/* IsSubEventSupported bounds, in event id order. */
CHECK(_REDISMODULE_EVENT_REPLROLECHANGED_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_PERSISTENCE_NEXT == 6);
CHECK(_REDISMODULE_SUBEVENT_FLUSHDB_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_LOADING_NEXT == 5);
CHECK(_REDISMODULE_SUBEVENT_CLIENT_CHANGE_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_SHUTDOWN_NEXT == 0);
CHECK(_REDISMODULE_SUBEVENT_REPLICA_CHANGE_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_MASTER_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_CRON_LOOP_NEXT == 0);
CHECK(_REDISMODULE_SUBEVENT_MODULE_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_LOADING_PROGRESS_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_SWAPDB_NEXT == 0);
CHECK(_REDISMODULE_SUBEVENT_REPL_BACKUP_NEXT == 3);
CHECK(_REDISMODULE_SUBEVENT_FORK_CHILD_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_REPL_ASYNC_LOAD_NEXT == 3);
CHECK(_REDISMODULE_SUBEVENT_EVENTLOOP_NEXT == 2);
CHECK(_REDISMODULE_SUBEVENT_CONFIG_NEXT == 1);
CHECK(REDISMODULE_SUBEVENT_PERSISTENCE_SYNC_AOF_START == 5);
CHECK(REDISMODULE_SUBEVENT_LOADING_FAILED == 4);
CHECK(REDISMODULE_SUBEVENT_REPL_ASYNC_LOAD_COMPLETED == 2);
CHECK(REDISMODULE_SUBEVENT_EVENTLOOP_AFTER_SLEEP == 1);

/* ---- struct layouts ---- */
SIZE(RedisModuleEvent, 16);
OFF(RedisModuleEvent, id, 0);
OFF(RedisModuleEvent, dataver, 8);

SIZE(RedisModuleStreamID, 16);
OFF(RedisModuleStreamID, ms, 0);
OFF(RedisModuleStreamID, seq, 8);

SIZE(RedisModuleTypeMethods, 144);
OFF(RedisModuleTypeMethods, version, 0);
OFF(RedisModuleTypeMethods, rdb_load, 8);
OFF(RedisModuleTypeMethods, rdb_save, 16);
OFF(RedisModuleTypeMethods, aof_rewrite, 24);
OFF(RedisModuleTypeMethods, mem_usage, 32);
OFF(RedisModuleTypeMethods, digest, 40);
OFF(RedisModuleTypeMethods, free, 48);
OFF(RedisModuleTypeMethods, aux_load, 56);
OFF(RedisModuleTypeMethods, aux_save, 64);
OFF(RedisModuleTypeMethods, aux_save_triggers, 72);
OFF(RedisModuleTypeMethods, free_effort, 80);
OFF(RedisModuleTypeMethods, unlink, 88);
OFF(RedisModuleTypeMethods, copy, 96);
OFF(RedisModuleTypeMethods, defrag, 104);
OFF(RedisModuleTypeMethods, mem_usage2, 112);
OFF(RedisModuleTypeMethods, free_effort2, 120);
OFF(RedisModuleTypeMethods, unlink2, 128);
OFF(RedisModuleTypeMethods, copy2, 136);

SIZE(RedisModuleClientInfoV1, 80);
SIZE(RedisModuleClientInfo, 80);
OFF(RedisModuleClientInfoV1, version, 0);
OFF(RedisModuleClientInfoV1, flags, 8);
OFF(RedisModuleClientInfoV1, id, 16);
OFF(RedisModuleClientInfoV1, addr, 24);
OFF(RedisModuleClientInfoV1, port, 70);
OFF(RedisModuleClientInfoV1, db, 72);
CHECK(sizeof(((RedisModuleClientInfoV1 *)0)->addr) == 46);

SIZE(RedisModuleReplicationInfoV1, 64);
OFF(RedisModuleReplicationInfoV1, version, 0);
OFF(RedisModuleReplicationInfoV1, master, 8);
OFF(RedisModuleReplicationInfoV1, masterhost, 16);
OFF(RedisModuleReplicationInfoV1, masterport, 24);
OFF(RedisModuleReplicationInfoV1, replid1, 32);
OFF(RedisModuleReplicationInfoV1, replid2, 40);
OFF(RedisModuleReplicationInfoV1, repl1_offset, 48);
OFF(RedisModuleReplicationInfoV1, repl2_offset, 56);

SIZE(RedisModuleFlushInfoV1, 16);
OFF(RedisModuleFlushInfoV1, version, 0);
OFF(RedisModuleFlushInfoV1, sync, 8);
OFF(RedisModuleFlushInfoV1, dbnum, 12);

SIZE(RedisModuleModuleChangeV1, 24);
OFF(RedisModuleModuleChangeV1, version, 0);
OFF(RedisModuleModuleChangeV1, module_name, 8);
OFF(RedisModuleModuleChangeV1, module_version, 16);

SIZE(RedisModuleConfigChangeV1, 24);
OFF(RedisModuleConfigChangeV1, version, 0);
OFF(RedisModuleConfigChangeV1, num_changes, 8);
OFF(RedisModuleConfigChangeV1, config_names, 16);

SIZE(RedisModuleCronLoopV1, 16);
OFF(RedisModuleCronLoopV1, version, 0);
OFF(RedisModuleCronLoopV1, hz, 8);

SIZE(RedisModuleLoadingProgressV1, 16);
OFF(RedisModuleLoadingProgressV1, version, 0);
OFF(RedisModuleLoadingProgressV1, hz, 8);
OFF(RedisModuleLoadingProgressV1, progress, 12);

SIZE(RedisModuleSwapDbInfoV1, 16);
OFF(RedisModuleSwapDbInfoV1, version, 0);
OFF(RedisModuleSwapDbInfoV1, dbnum_first, 8);
OFF(RedisModuleSwapDbInfoV1, dbnum_second, 12);

/* The unversioned aliases name the V1 layouts. */
SIZE(RedisModuleReplicationInfo, 64);
SIZE(RedisModuleFlushInfo, 16);
SIZE(RedisModuleModuleChange, 24);
SIZE(RedisModuleConfigChange, 24);
SIZE(RedisModuleCronLoop, 16);
SIZE(RedisModuleLoadingProgress, 16);
SIZE(RedisModuleSwapDbInfo, 16);

SIZE(RedisModuleCommandInfoVersion, 32);
OFF(RedisModuleCommandInfoVersion, version, 0);
OFF(RedisModuleCommandInfoVersion, sizeof_historyentry, 8);
OFF(RedisModuleCommandInfoVersion, sizeof_keyspec, 16);
OFF(RedisModuleCommandInfoVersion, sizeof_arg, 24);

SIZE(RedisModuleCommandHistoryEntry, 16);
OFF(RedisModuleCommandHistoryEntry, since, 0);
OFF(RedisModuleCommandHistoryEntry, changes, 8);

SIZE(RedisModuleCommandKeySpec, 56);
OFF(RedisModuleCommandKeySpec, notes, 0);
OFF(RedisModuleCommandKeySpec, flags, 8);
OFF(RedisModuleCommandKeySpec, begin_search_type, 16);
OFF(RedisModuleCommandKeySpec, bs, 24);
OFF(RedisModuleCommandKeySpec, bs.index.pos, 24);
OFF(RedisModuleCommandKeySpec, bs.keyword.keyword, 24);
OFF(RedisModuleCommandKeySpec, bs.keyword.startfrom, 32);
CHECK(sizeof(((RedisModuleCommandKeySpec *)0)->bs) == 16);
OFF(RedisModuleCommandKeySpec, find_keys_type, 40);
OFF(RedisModuleCommandKeySpec, fk, 44);
OFF(RedisModuleCommandKeySpec, fk.range.lastkey, 44);
OFF(RedisModuleCommandKeySpec, fk.range.keystep, 48);
OFF(RedisModuleCommandKeySpec, fk.range.limit, 52);
OFF(RedisModuleCommandKeySpec, fk.keynum.keynumidx, 44);
OFF(RedisModuleCommandKeySpec, fk.keynum.firstkey, 48);
OFF(RedisModuleCommandKeySpec, fk.keynum.keystep, 52);
CHECK(sizeof(((RedisModuleCommandKeySpec *)0)->fk) == 12);

SIZE(RedisModuleCommandArg, 64);
OFF(RedisModuleCommandArg, name, 0);
OFF(RedisModuleCommandArg, type, 8);
OFF(RedisModuleCommandArg, key_spec_index, 12);
OFF(RedisModuleCommandArg, token, 16);
OFF(RedisModuleCommandArg, summary, 24);
OFF(RedisModuleCommandArg, since, 32);
OFF(RedisModuleCommandArg, flags, 40);
OFF(RedisModuleCommandArg, deprecated_since, 48);
OFF(RedisModuleCommandArg, subargs, 56);

SIZE(RedisModuleCommandInfo, 72);
OFF(RedisModuleCommandInfo, version, 0);
OFF(RedisModuleCommandInfo, summary, 8);
OFF(RedisModuleCommandInfo, complexity, 16);
OFF(RedisModuleCommandInfo, since, 24);
OFF(RedisModuleCommandInfo, history, 32);
OFF(RedisModuleCommandInfo, tips, 40);
OFF(RedisModuleCommandInfo, arity, 48);
OFF(RedisModuleCommandInfo, key_specs, 56);
OFF(RedisModuleCommandInfo, args, 64);

/* Run-time facts that are not integer constant expressions. Returns 0 when
 * all hold, else a bit mask of the failed groups. */
int layout_runtime_checks(void);
int layout_runtime_checks(void) {
    const RedisModuleCommandInfoVersion *v = REDISMODULE_COMMAND_INFO_VERSION;
    RedisModuleClientInfo ci = REDISMODULE_CLIENTINFO_INITIALIZER_V1;
    RedisModuleEvent evs[17];
    int i, bad = 0;
    if (v->version != 1 || v->sizeof_historyentry != 16 ||
        v->sizeof_keyspec != 56 || v->sizeof_arg != 64) bad |= 1;
    if (ci.version != 1) bad |= 2;
    evs[0] = RedisModuleEvent_ReplicationRoleChanged;
    evs[1] = RedisModuleEvent_Persistence;
    evs[2] = RedisModuleEvent_FlushDB;
    evs[3] = RedisModuleEvent_Loading;
    evs[4] = RedisModuleEvent_ClientChange;
    evs[5] = RedisModuleEvent_Shutdown;
    evs[6] = RedisModuleEvent_ReplicaChange;
    evs[7] = RedisModuleEvent_MasterLinkChange;
    evs[8] = RedisModuleEvent_CronLoop;
    evs[9] = RedisModuleEvent_ModuleChange;
    evs[10] = RedisModuleEvent_LoadingProgress;
    evs[11] = RedisModuleEvent_SwapDB;
    evs[12] = RedisModuleEvent_ReplBackup;
    evs[13] = RedisModuleEvent_ForkChild;
    evs[14] = RedisModuleEvent_ReplAsyncLoad;
    evs[15] = RedisModuleEvent_EventLoop;
    evs[16] = RedisModuleEvent_Config;
    for (i = 0; i < 17; i++)
        if (evs[i].id != (uint64_t)i || evs[i].dataver != 1) bad |= 4;
    if (REDISMODULE_HASH_DELETE != (RedisModuleString *)(intptr_t)1) bad |= 8;
    if (!(REDISMODULE_POSITIVE_INFINITE > 1e308) ||
        !(REDISMODULE_NEGATIVE_INFINITE < -1e308)) bad |= 16;
    if (!RedisModule_IsAOFClient(UINT64_MAX) || RedisModule_IsAOFClient(1))
        bad |= 32;
    return bad;
}

#ifdef LAYOUT_MAIN
int main(void) {
    int bad = layout_runtime_checks();
    if (bad) printf("layout run-time checks failed: mask %d\n", bad);
    return bad;
}
#endif
