/*
 * bridgeproc: fork children, the cluster APIs outside cluster mode, and
 * defrag registration.
 *   pr.fork <exitcode> <ms> [log]  Fork; the child (optionally logs,)
 *                          sends a heartbeat, sleeps ms and exits with
 *                          exitcode. OK, or "ERR fork failed errno <n>"
 *   pr.forkdone            [exitcode, bysignal, user data ok] of the last
 *                          done handler (-1s before any)
 *   pr.kill [pid]          KillForkChild of the last child (or pid): OK or
 *                          "ERR kill failed"
 *   pr.forkevents          [ForkChild born, died] event counts
 *   pr.pid                 the last child's pid
 *   pr.cluster [info]      [size, myid NULL, nodes list NULL, numnodes,
 *                          nodeinfo rc (-9 unless asked), send rc,
 *                          context flags & CLUSTER]
 *   pr.defrag              RegisterDefragFunc's result at load
 *   pr.bgwork <ms>         blocks; a thread measures ms of background work
 *                          (BlockedClientMeasureTime), then unblocks: OK
 *   pr.sset <key> <s>      a "bridgepro" value holding s (saved twice: with
 *                          SaveStringBuffer and SaveString)
 *   pr.sraw <key>          SaveDataTypeToString of it (the raw bytes)
 *   pr.sload <bytes>       LoadDataTypeFromString: the string, or an error
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "redismodule.h"

static int child_pid = -1;
static int done_exitcode = -1, done_bysignal = -1, done_udok = -1;
static int born, died;
static int defrag_rc = -1;
static int token = 42;

static void forkDone(int exitcode, int bysignal, void *ud) {
    done_exitcode = exitcode;
    done_bysignal = bysignal;
    done_udok = (ud == &token);
}

static int prFork(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long code, ms;
    if (argc < 3 || argc > 4) return RedisModule_WrongArity(ctx);
    if (RedisModule_StringToLongLong(argv[1], &code) != REDISMODULE_OK ||
        RedisModule_StringToLongLong(argv[2], &ms) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad number");
    int pid = RedisModule_Fork(forkDone, &token);
    if (pid == 0) {
        if (argc == 4) RedisModule_Log(ctx, "notice", "child %s", RedisModule_StringPtrLen(argv[3], NULL));
        RedisModule_SendChildHeartbeat(0.5);
        usleep((useconds_t)ms * 1000);
        RedisModule_ExitFromChild((int)code);
    }
    if (pid < 0) {
        char buf[64];
        snprintf(buf, sizeof(buf), "ERR fork failed errno %d", errno);
        return RedisModule_ReplyWithError(ctx, buf);
    }
    child_pid = pid;
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int prForkDone(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, done_exitcode);
    RedisModule_ReplyWithLongLong(ctx, done_bysignal);
    RedisModule_ReplyWithLongLong(ctx, done_udok);
    return REDISMODULE_OK;
}

static int prKill(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long pid = child_pid;
    if (argc == 2 && RedisModule_StringToLongLong(argv[1], &pid) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad pid");
    if (RedisModule_KillForkChild((int)pid) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR kill failed");
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static void onFork(RedisModuleCtx *ctx, RedisModuleEvent e, uint64_t sub, void *data) {
    (void)ctx;
    (void)e;
    (void)data;
    if (sub == REDISMODULE_SUBEVENT_FORK_CHILD_BORN) born++;
    if (sub == REDISMODULE_SUBEVENT_FORK_CHILD_DIED) died++;
}

static int prPid(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return RedisModule_ReplyWithLongLong(ctx, child_pid);
}

static int prForkEvents(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, born);
    RedisModule_ReplyWithLongLong(ctx, died);
    return REDISMODULE_OK;
}

static int prCluster(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    size_t n = 12345;
    char **nodes = RedisModule_GetClusterNodesList(ctx, &n);
    char ip[46], master[REDISMODULE_NODE_ID_LEN];
    int port = 0, flags = 0;
    /* redis-server 7.0 crashes on GetClusterNodeInfo outside cluster mode:
     * asked for only with an argument. */
    int info = argc > 1 ? RedisModule_GetClusterNodeInfo(ctx, "0123456789012345678901234567890123456789", ip, master, &port, &flags) : -9;
    int send = RedisModule_SendClusterMessage(ctx, NULL, 1, "hi", 2);
    RedisModule_SetClusterFlags(ctx, REDISMODULE_CLUSTER_FLAG_NO_REDIRECTION);
    RedisModule_ReplyWithArray(ctx, 7);
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_GetClusterSize());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetMyClusterID() == NULL);
    RedisModule_ReplyWithLongLong(ctx, nodes == NULL);
    RedisModule_ReplyWithLongLong(ctx, (long long)n);
    RedisModule_ReplyWithLongLong(ctx, info);
    RedisModule_ReplyWithLongLong(ctx, send);
    RedisModule_ReplyWithLongLong(ctx, (RedisModule_GetContextFlags(ctx) & REDISMODULE_CTX_FLAGS_CLUSTER) != 0);
    RedisModule_FreeClusterNodesList(nodes);
    return REDISMODULE_OK;
}

static void *bgWorker(void *arg) {
    void **a = arg;
    RedisModuleBlockedClient *bc = a[0];
    long long ms = (long long)(size_t)a[1];
    free(a);
    RedisModule_BlockedClientMeasureTimeStart(bc);
    usleep((useconds_t)ms * 1000);
    RedisModule_BlockedClientMeasureTimeEnd(bc);
    RedisModule_UnblockClient(bc, NULL);
    return NULL;
}

static int bgReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int prBgWork(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long ms;
    if (argc != 2 || RedisModule_StringToLongLong(argv[1], &ms) != REDISMODULE_OK) return RedisModule_WrongArity(ctx);
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, bgReply, NULL, NULL, 0);
    void **a = malloc(2 * sizeof(void *));
    a[0] = bc;
    a[1] = (void *)(size_t)ms;
    pthread_t tid;
    if (pthread_create(&tid, NULL, bgWorker, a) != 0) {
        free(a);
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "ERR no thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

static RedisModuleType *StrType;

typedef struct {
    RedisModuleString *s;
} PrStr;

static void *StrLoad(RedisModuleIO *io, int encver) {
    (void)encver;
    size_t len;
    char *buf = RedisModule_LoadStringBuffer(io, &len);
    RedisModuleString *again = RedisModule_LoadString(io);
    if (RedisModule_IsIOError(io)) {
        if (buf) RedisModule_Free(buf);
        if (again) RedisModule_FreeString(NULL, again);
        return NULL;
    }
    size_t alen;
    const char *a = RedisModule_StringPtrLen(again, &alen);
    if (alen != len || memcmp(a, buf, len) != 0) {
        RedisModule_Free(buf);
        RedisModule_FreeString(NULL, again);
        return NULL;
    }
    RedisModule_Free(buf);
    PrStr *v = RedisModule_Alloc(sizeof(*v));
    v->s = again;
    return v;
}

static void StrSave(RedisModuleIO *io, void *value) {
    PrStr *v = value;
    size_t len;
    const char *p = RedisModule_StringPtrLen(v->s, &len);
    RedisModule_SaveStringBuffer(io, p, len);
    RedisModule_SaveString(io, v->s);
}

static void StrFree(void *value) {
    PrStr *v = value;
    RedisModule_FreeString(NULL, v->s);
    RedisModule_Free(v);
}

static int prSSet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    PrStr *v = RedisModule_Alloc(sizeof(*v));
    v->s = RedisModule_CreateStringFromString(NULL, argv[2]);
    RedisModule_ModuleTypeSetValue(k, StrType, v);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int prSRaw(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (RedisModule_ModuleTypeGetType(k) != StrType) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithNull(ctx);
    }
    RedisModuleString *s = RedisModule_SaveDataTypeToString(ctx, RedisModule_ModuleTypeGetValue(k), StrType);
    RedisModule_CloseKey(k);
    if (s == NULL) return RedisModule_ReplyWithError(ctx, "ERR save failed");
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    return REDISMODULE_OK;
}

static int prSLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    PrStr *v = RedisModule_LoadDataTypeFromString(argv[1], StrType);
    if (v == NULL) return RedisModule_ReplyWithError(ctx, "ERR load failed");
    RedisModule_ReplyWithString(ctx, v->s);
    StrFree(v);
    return REDISMODULE_OK;
}

static int prDefrag(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return RedisModule_ReplyWithLongLong(ctx, defrag_rc);
}

static int globalDefrag(RedisModuleDefragCtx *ctx) {
    (void)ctx;
    return 0;
}

static void onMessage(RedisModuleCtx *ctx, const char *sender, uint8_t type, const unsigned char *payload, uint32_t len) {
    (void)ctx;
    (void)sender;
    (void)type;
    (void)payload;
    (void)len;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "bridgeproc", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "pr.fork", prFork, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.forkdone", prForkDone, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.kill", prKill, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.forkevents", prForkEvents, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.cluster", prCluster, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.bgwork", prBgWork, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.sset", prSSet, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.sraw", prSRaw, "readonly", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.sload", prSLoad, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.pid", prPid, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "pr.defrag", prDefrag, "", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    RedisModuleTypeMethods tm = {.version = REDISMODULE_TYPE_METHOD_VERSION,
                                 .rdb_load = StrLoad,
                                 .rdb_save = StrSave,
                                 .free = StrFree};
    StrType = RedisModule_CreateDataType(ctx, "bridgepro", 0, &tm);
    if (StrType == NULL) return REDISMODULE_ERR;
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_ForkChild, onFork);
    RedisModule_RegisterClusterMessageReceiver(ctx, 1, onMessage);
    defrag_rc = RedisModule_RegisterDefragFunc(ctx, globalDefrag);
    return REDISMODULE_OK;
}
