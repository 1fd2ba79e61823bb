/*
 * bridgemore: long doubles, values as strings, v4 type methods, clients
 * by id, ResetDataset and the blocked-client handle APIs.
 *   mx.ld <s>              StringToLongDouble, then [ReplyWithLongDouble,
 *                          CreateStringFromLongDouble human, and not]
 *   mx.tset <key> <n>      a "bridgemor" value {n, n/3 as long double}
 *   mx.tget <key>          [n, the long double]
 *   mx.tstr <key> [len]    SaveDataTypeToString + LoadDataTypeFromString:
 *                          [string non-empty (or its length), n, long
 *                          double] of the copy
 *   mx.counts              [free, unlink2, copy2, mem_usage2, free_effort2,
 *                          aux_save, aux_load] calls
 *   mx.setname <id|self> <name>  SetClientNameById: OK or "ERR errno <n>"
 *   mx.reset               ResetDataset
 *   mx.block               blocks; a thread unblocks it; the reply callback
 *                          checks GetBlockedClientHandle
 *   mx.hang                blocks until the client disconnects (the
 *                          disconnect callback unblocks it)
 *   mx.disconnects         [disconnect callbacks, of which with the right bc]
 *   mx.keyto <key> <ms>    BlockClientOnKeys with private data; the timeout
 *                          callback replies [handle matches, private data]
 *   mx.hold <n>            RedisModule_Alloc(n), kept until mx.release
 *   mx.release             frees what mx.hold took
 *   mx.evlog               what the Config, LoadingProgress,
 *                          ReplicationRoleChanged and Loading events
 *                          carried (text, last of each)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "redismodule.h"

typedef struct {
    long long n;
    long double ld;
} MxVal;

static RedisModuleType *MxType;
static long long nfree, nunlink, ncopy, nmem, neffort, nauxsave, nauxload;

static void MxFree(void *v) {
    nfree++;
    RedisModule_Free(v);
}

static void MxSave(RedisModuleIO *io, void *value) {
    MxVal *v = value;
    RedisModule_SaveSigned(io, v->n);
    RedisModule_SaveLongDouble(io, v->ld);
}

static void *MxLoad(RedisModuleIO *io, int encver) {
    (void)encver;
    MxVal *v = RedisModule_Alloc(sizeof(*v));
    v->n = RedisModule_LoadSigned(io);
    v->ld = RedisModule_LoadLongDouble(io);
    if (RedisModule_IsIOError(io)) {
        RedisModule_Free(v);
        return NULL;
    }
    return v;
}

static size_t MxMem2(RedisModuleKeyOptCtx *ctx, const void *value, size_t samples) {
    (void)ctx, (void)value, (void)samples;
    nmem++;
    return sizeof(MxVal);
}

static size_t MxEffort2(RedisModuleKeyOptCtx *ctx, const void *value) {
    (void)ctx, (void)value;
    neffort++;
    return 1;
}

static void MxUnlink2(RedisModuleKeyOptCtx *ctx, const void *value) {
    (void)ctx, (void)value;
    nunlink++;
}

static void *MxCopy2(RedisModuleKeyOptCtx *ctx, const void *value) {
    (void)ctx;
    ncopy++;
    MxVal *v = RedisModule_Alloc(sizeof(*v));
    *v = *(const MxVal *)value;
    return v;
}

static void MxAuxSave(RedisModuleIO *io, int when) {
    nauxsave++;
    RedisModule_SaveUnsigned(io, (uint64_t)when);
}

static int MxAuxLoad(RedisModuleIO *io, int encver, int when) {
    (void)encver;
    nauxload++;
    return RedisModule_LoadUnsigned(io) == (uint64_t)when ? REDISMODULE_OK : REDISMODULE_ERR;
}

static int LdCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long double ld;
    if (RedisModule_StringToLongDouble(argv[1], &ld) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR not a long double");
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongDouble(ctx, ld);
    RedisModuleString *h = RedisModule_CreateStringFromLongDouble(ctx, ld, 1);
    RedisModuleString *g = RedisModule_CreateStringFromLongDouble(ctx, ld, 0);
    RedisModule_ReplyWithString(ctx, h);
    RedisModule_ReplyWithString(ctx, g);
    RedisModule_FreeString(ctx, h);
    RedisModule_FreeString(ctx, g);
    return REDISMODULE_OK;
}

static MxVal *lookup(RedisModuleCtx *ctx, RedisModuleString *name, int mode, RedisModuleKey **kp) {
    RedisModuleKey *k = RedisModule_OpenKey(ctx, name, mode);
    *kp = k;
    if (RedisModule_ModuleTypeGetType(k) != MxType) return NULL;
    return RedisModule_ModuleTypeGetValue(k);
}

static int TSetCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long n;
    if (RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR not an integer");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int t = RedisModule_KeyType(k);
    if (t != REDISMODULE_KEYTYPE_EMPTY && RedisModule_ModuleTypeGetType(k) != MxType) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    MxVal *v = RedisModule_Alloc(sizeof(*v));
    v->n = n;
    v->ld = (long double)n / 3.0L;
    RedisModule_ModuleTypeSetValue(k, MxType, v);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int TGetCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k;
    MxVal *v = lookup(ctx, argv[1], REDISMODULE_READ, &k);
    if (v == NULL) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithNull(ctx);
    }
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, v->n);
    RedisModule_ReplyWithLongDouble(ctx, v->ld);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static int TStrCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2 && argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k;
    MxVal *v = lookup(ctx, argv[1], REDISMODULE_READ, &k);
    if (v == NULL) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithNull(ctx);
    }
    RedisModuleString *s = RedisModule_SaveDataTypeToString(ctx, v, MxType);
    RedisModule_CloseKey(k);
    if (s == NULL) return RedisModule_ReplyWithError(ctx, "ERR save failed");
    size_t len;
    RedisModule_StringPtrLen(s, &len);
    MxVal *c = RedisModule_LoadDataTypeFromString(s, MxType);
    RedisModule_FreeString(ctx, s);
    if (c == NULL) return RedisModule_ReplyWithError(ctx, "ERR load failed");
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, argc == 3 ? (long long)len : len > 0);
    RedisModule_ReplyWithLongLong(ctx, c->n);
    RedisModule_ReplyWithLongDouble(ctx, c->ld);
    RedisModule_Free(c);
    return REDISMODULE_OK;
}

static int CountsCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    long long c[] = {nfree, nunlink, ncopy, nmem, neffort, nauxsave, nauxload};
    RedisModule_ReplyWithArray(ctx, 7);
    for (int i = 0; i < 7; i++) RedisModule_ReplyWithLongLong(ctx, c[i]);
    return REDISMODULE_OK;
}

static int SetNameCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    unsigned long long id;
    size_t l;
    const char *p = RedisModule_StringPtrLen(argv[1], &l);
    if (l == 4 && memcmp(p, "self", 4) == 0)
        id = RedisModule_GetClientId(ctx);
    else if (RedisModule_StringToULongLong(argv[1], &id) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad id");
    errno = 0;
    if (RedisModule_SetClientNameById(id, argv[2]) == REDISMODULE_OK) return RedisModule_ReplyWithSimpleString(ctx, "OK");
    char buf[64];
    snprintf(buf, sizeof(buf), "ERR errno %d", errno);
    return RedisModule_ReplyWithError(ctx, buf);
}

static int ResetCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    RedisModule_ResetDataset(1, 0);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

/* Blocking: the private data is the handle itself, so the reply callback
 * can check GetBlockedClientHandle against it. */
static int BlockReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    void *priv = RedisModule_GetBlockedClientPrivateData(ctx);
    RedisModuleBlockedClient *bc = RedisModule_GetBlockedClientHandle(ctx);
    return RedisModule_ReplyWithSimpleString(ctx, bc != NULL && bc == priv ? "handle-ok" : "handle-bad");
}

static void NoFree(RedisModuleCtx *ctx, void *priv) { (void)ctx, (void)priv; }

static void *Worker(void *arg) {
    RedisModuleBlockedClient *bc = arg;
    usleep(10000);
    RedisModule_UnblockClient(bc, bc);
    return NULL;
}

static int BlockCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, BlockReply, NULL, NoFree, 0);
    pthread_t tid;
    if (pthread_create(&tid, NULL, Worker, bc) != 0) {
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "ERR thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

static RedisModuleBlockedClient *hung;
static long long ndisc, ndiscok;

static void Disconnected(RedisModuleCtx *ctx, RedisModuleBlockedClient *bc) {
    (void)ctx;
    ndisc++;
    if (bc == hung) ndiscok++;
    hung = NULL;
    RedisModule_UnblockClient(bc, NULL);
}

static int HangCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    hung = RedisModule_BlockClient(ctx, NULL, NULL, NULL, 0);
    RedisModule_SetDisconnectCallback(hung, Disconnected);
    return REDISMODULE_OK;
}

static RedisModuleBlockedClient *keyblocked;
static char keypriv[] = "key-private";

static int KeyToReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)ctx, (void)argv, (void)argc;
    return REDISMODULE_ERR; /* never served: wait for the timeout */
}

static int KeyToTimeout(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    char *priv = RedisModule_GetBlockedClientPrivateData(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetBlockedClientHandle(ctx) == keyblocked);
    return RedisModule_ReplyWithCString(ctx, priv ? priv : "(null)");
}

static int KeyToCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long ms;
    if (RedisModule_StringToLongLong(argv[2], &ms) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR ms");
    keyblocked = RedisModule_BlockClientOnKeys(ctx, KeyToReply, KeyToTimeout, NULL, ms, argv + 1, 1, keypriv);
    return REDISMODULE_OK;
}

static int DiscCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ndisc);
    RedisModule_ReplyWithLongLong(ctx, ndiscok);
    return REDISMODULE_OK;
}

static void *held[64];
static int nheld;

static int HoldCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long n;
    if (argc != 2 || RedisModule_StringToLongLong(argv[1], &n) != REDISMODULE_OK || n <= 0 || nheld == 64)
        return RedisModule_ReplyWithError(ctx, "ERR bad size");
    held[nheld++] = RedisModule_Alloc((size_t)n);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int ReleaseCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    while (nheld > 0) RedisModule_Free(held[--nheld]);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static char evconfig[512], evprogress[64], evrole[256], evloading[64];

static void OnEvent(RedisModuleCtx *ctx, RedisModuleEvent e, uint64_t sub, void *data) {
    (void)ctx;
    if (e.id == REDISMODULE_EVENT_CONFIG) {
        RedisModuleConfigChangeV1 *cc = data;
        size_t off = (size_t)snprintf(evconfig, sizeof(evconfig), "v%llu sub%llu n%u:", (unsigned long long)cc->version,
                                      (unsigned long long)sub, cc->num_changes);
        for (uint32_t i = 0; i < cc->num_changes && off < sizeof(evconfig); i++)
            off += (size_t)snprintf(evconfig + off, sizeof(evconfig) - off, " %s", cc->config_names[i]);
    } else if (e.id == REDISMODULE_EVENT_LOADING_PROGRESS) {
        RedisModuleLoadingProgressV1 *lp = data;
        snprintf(evprogress, sizeof(evprogress), "v%llu sub%llu hz%d p%d", (unsigned long long)lp->version,
                 (unsigned long long)sub, lp->hz, lp->progress);
    } else if (e.id == REDISMODULE_EVENT_REPLICATION_ROLE_CHANGED) {
        RedisModuleReplicationInfoV1 *ri = data;
        if (ri == NULL)
            snprintf(evrole, sizeof(evrole), "sub%llu null", (unsigned long long)sub);
        else
            snprintf(evrole, sizeof(evrole), "v%llu sub%llu m%d %s:%d %s %s %llu %llu", (unsigned long long)ri->version,
                     (unsigned long long)sub, ri->master, ri->masterhost ? ri->masterhost : "-", ri->masterport,
                     ri->replid1, ri->replid2, (unsigned long long)ri->repl1_offset,
                     (unsigned long long)ri->repl2_offset);
    } else if (e.id == REDISMODULE_EVENT_LOADING) {
        snprintf(evloading, sizeof(evloading), "sub%llu %s", (unsigned long long)sub, data ? "data" : "null");
    }
}

static int EvLogCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    RedisModule_ReplyWithArray(ctx, 4);
    RedisModule_ReplyWithCString(ctx, evconfig);
    RedisModule_ReplyWithCString(ctx, evprogress);
    RedisModule_ReplyWithCString(ctx, evrole);
    RedisModule_ReplyWithCString(ctx, evloading);
    return REDISMODULE_OK;
}

/* Load argument "fail": OnLoad fails after creating the type, the
 * commands and the event subscriptions. */
int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "bridgemore", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModuleTypeMethods tm = {
        .version = REDISMODULE_TYPE_METHOD_VERSION,
        .rdb_load = MxLoad,
        .rdb_save = MxSave,
        .free = MxFree,
        .aux_load = MxAuxLoad,
        .aux_save = MxAuxSave,
        .aux_save_triggers = REDISMODULE_AUX_BEFORE_RDB,
        .mem_usage2 = MxMem2,
        .free_effort2 = MxEffort2,
        .unlink2 = MxUnlink2,
        .copy2 = MxCopy2,
    };
    MxType = RedisModule_CreateDataType(ctx, "bridgemor", 0, &tm);
    if (MxType == NULL) return REDISMODULE_ERR;
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_Config, OnEvent);
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_LoadingProgress, OnEvent);
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_ReplicationRoleChanged, OnEvent);
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_Loading, OnEvent);
    struct {
        const char *name;
        RedisModuleCmdFunc fn;
        const char *flags;
        int k;
    } cmds[] = {
        {"mx.ld", LdCmd, "readonly", 0},
        {"mx.tset", TSetCmd, "write", 1},
        {"mx.tget", TGetCmd, "readonly", 1},
        {"mx.tstr", TStrCmd, "readonly", 1},
        {"mx.counts", CountsCmd, "readonly", 0},
        {"mx.setname", SetNameCmd, "readonly", 0},
        {"mx.reset", ResetCmd, "write", 0},
        {"mx.block", BlockCmd, "readonly", 0},
        {"mx.hang", HangCmd, "readonly", 0},
        {"mx.disconnects", DiscCmd, "readonly", 0},
        {"mx.evlog", EvLogCmd, "readonly", 0},
        {"mx.keyto", KeyToCmd, "readonly", 1},
        {"mx.hold", HoldCmd, "readonly", 0},
        {"mx.release", ReleaseCmd, "readonly", 0},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, cmds[i].k, cmds[i].k, cmds[i].k) ==
            REDISMODULE_ERR)
            return REDISMODULE_ERR;
    if (argc == 1 && strcmp(RedisModule_StringPtrLen(argv[0], NULL), "fail") == 0) return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
