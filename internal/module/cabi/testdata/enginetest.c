/*
 * enginetest: engine behaviour checked against redis-server.
 *   et.callflags <flags> <cmd> [args...]  RM_Call(cmd, flags "v"): the
 *                                         reply, or errno as an integer
 *   et.lru <key> [idle-ms]                SetLRU then GetLRU (idle / 10 s)
 *   et.lfu <key> [freq]                   SetLFU then GetLFU
 *   et.scankey <key>                      ScanKey: field, value pairs, or
 *                                         errno as an integer
 *   et.yield <ms> <flags> [reply]         run ms, calling Yield
 *   et.attrsrc / et.attrproxy             attribute reply, and RM_Call of it
 *                                         replied through ReplyWithCallReply
 *   et.duptype                            whether OnLoad could create the same
 *                                         data type twice (1 each)
 *   et.misc <a> <b>                       memory ratio, certificate, shard
 *                                         publish, allocation sizes, argument
 *                                         redaction (of <a>), channel request
 *   et.measure                            blocked-client background time codes
 *   et.oneshot / et.pipe / et.fired       event-loop callbacks and their count
 *   et.chan                               a getchannels-api command
 *   et.repl <mode>                        replicate: "two" (two Replicates),
 *                                         "one", "verbatim", "call" (Call '!'
 *                                         with and without, and Replicate),
 *                                         "timer" (two from a timer)
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "redismodule.h"

static int CallFlags(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    char fmt[32];
    size_t fl;
    const char *f = RedisModule_StringPtrLen(argv[1], &fl);
    if (fl > 20) return RedisModule_ReplyWithError(ctx, "ERR flags too long");
    memcpy(fmt, f, fl);
    fmt[fl] = 'v';
    fmt[fl + 1] = '\0';
    const char *cmd = RedisModule_StringPtrLen(argv[2], NULL);
    errno = 0;
    RedisModuleCallReply *r = RedisModule_Call(ctx, cmd, fmt, argv + 3, (size_t)(argc - 3));
    if (r == NULL) return RedisModule_ReplyWithLongLong(ctx, errno);
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

static int Lru(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2 || argc > 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_OPEN_KEY_NOTOUCH);
    long long n;
    if (argc == 3) {
        if (RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR n");
        if (RedisModule_SetLRU(k, n) != REDISMODULE_OK) {
            RedisModule_CloseKey(k);
            return RedisModule_ReplyWithError(ctx, "ERR set failed");
        }
    }
    mstime_t idle = 123;
    int ret = RedisModule_GetLRU(k, &idle);
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ret);
    return RedisModule_ReplyWithLongLong(ctx, idle < 0 ? idle : idle / 10000);
}

static int Lfu(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2 || argc > 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_OPEN_KEY_NOTOUCH);
    long long n;
    if (argc == 3) {
        if (RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR n");
        if (RedisModule_SetLFU(k, n) != REDISMODULE_OK) {
            RedisModule_CloseKey(k);
            return RedisModule_ReplyWithError(ctx, "ERR set failed");
        }
    }
    long long freq = 123;
    int ret = RedisModule_GetLFU(k, &freq);
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ret);
    return RedisModule_ReplyWithLongLong(ctx, freq);
}

typedef struct {
    RedisModuleCtx *ctx;
    RedisModuleKey *key;
    long n;
    int badkey;
} scanstate;

static void ScanKeyCB(RedisModuleKey *key, RedisModuleString *field, RedisModuleString *value, void *priv) {
    scanstate *st = priv;
    if (key != st->key) st->badkey = 1;
    RedisModule_ReplyWithString(st->ctx, field);
    if (value)
        RedisModule_ReplyWithString(st->ctx, value);
    else
        RedisModule_ReplyWithNull(st->ctx);
    st->n += 2;
}

static int ScanKey(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModuleScanCursor *c = RedisModule_ScanCursorCreate();
    scanstate st = {ctx, k, 0, 0};
    errno = 0;
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    while (RedisModule_ScanKey(k, c, ScanKeyCB, &st)) {
    }
    RedisModule_ReplyWithLongLong(ctx, errno);
    errno = 0;
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ScanKey(k, c, ScanKeyCB, &st));
    RedisModule_ReplyWithLongLong(ctx, errno);
    RedisModule_ReplyWithLongLong(ctx, st.badkey);
    RedisModule_ReplySetArrayLength(ctx, st.n + 4);
    RedisModule_ScanCursorDestroy(c);
    if (k) RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static long long nowms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int Yield(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3 || argc > 4) return RedisModule_WrongArity(ctx);
    long long ms, flags;
    if (RedisModule_StringToLongLong(argv[1], &ms) != REDISMODULE_OK ||
        RedisModule_StringToLongLong(argv[2], &flags) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR n");
    const char *reply = argc == 4 ? RedisModule_StringPtrLen(argv[3], NULL) : NULL;
    long long end = nowms() + ms;
    while (nowms() < end) {
        RedisModule_Yield(ctx, (int)flags, reply);
        struct timespec d = {0, 100000};
        nanosleep(&d, NULL);
    }
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int AttrSrc(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_ReplyWithAttribute(ctx, 1) != REDISMODULE_OK) return RedisModule_ReplyWithCString(ctx, "noattr");
    RedisModule_ReplyWithCString(ctx, "a");
    RedisModule_ReplyWithLongLong(ctx, 1);
    return RedisModule_ReplyWithCString(ctx, "x");
}

static int AttrProxy(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModuleCallReply *r = RedisModule_Call(ctx, "et.attrsrc", "3");
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyType(r));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyAttribute(r) != NULL);
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

static int dupA, dupB;

static int Misc(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithArray(ctx, 11);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetUsedMemoryRatio() == 0.0f);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetClientCertificate(ctx, RedisModule_GetClientId(ctx)) == NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_PublishMessageShard(ctx, argv[1], argv[2]));
    void *p = RedisModule_Alloc(100);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_MallocSize(p) >= 100);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_MallocUsableSize(p) >= 100);
    RedisModule_Free(p);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_MallocSizeString(argv[1]) > 0);
    RedisModuleDict *d = RedisModule_CreateDict(NULL);
    RedisModule_DictSetC(d, "k", 1, NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_MallocSizeDict(d) > 0);
    RedisModule_FreeDict(NULL, d);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_RedactClientCommandArgument(ctx, 0));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_RedactClientCommandArgument(ctx, argc));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_RedactClientCommandArgument(ctx, 1));
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_IsChannelsPositionRequest(ctx));
}

static int mcodes[4];

static int MeasureReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModule_ReplyWithArray(ctx, 4);
    for (int i = 0; i < 4; i++) RedisModule_ReplyWithLongLong(ctx, mcodes[i]);
    return REDISMODULE_OK;
}

static int Measure(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, MeasureReply, NULL, NULL, 0);
    mcodes[0] = RedisModule_BlockedClientMeasureTimeStart(bc);
    mcodes[1] = RedisModule_BlockedClientMeasureTimeStart(bc);
    mcodes[2] = RedisModule_BlockedClientMeasureTimeEnd(bc);
    mcodes[3] = RedisModule_BlockedClientMeasureTimeEnd(bc);
    RedisModule_UnblockClient(bc, NULL);
    return REDISMODULE_OK;
}

static long long fired;
static int pipefd[2] = {-1, -1};

static void OneShot(void *data) { fired += (long long)(size_t)data; }

static int OneShotCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    errno = 0;
    int bad = RedisModule_EventLoopAddOneShot(NULL, NULL);
    int be = errno;
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_EventLoopAddOneShot(OneShot, (void *)(size_t)1));
    RedisModule_ReplyWithLongLong(ctx, bad);
    return RedisModule_ReplyWithLongLong(ctx, be);
}

static void OnPipe(int fd, void *data, int mask) {
    char buf[16];
    (void)data;
    if ((mask & REDISMODULE_EVENTLOOP_READABLE) && read(fd, buf, sizeof(buf)) > 0) fired += 100;
    RedisModule_EventLoopDel(fd, REDISMODULE_EVENTLOOP_READABLE);
}

static int PipeCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (pipefd[0] < 0 && pipe(pipefd) != 0) return RedisModule_ReplyWithError(ctx, "ERR pipe");
    RedisModule_ReplyWithArray(ctx, 7);
    errno = 0;
    RedisModule_ReplyWithLongLong(ctx, RedisModule_EventLoopAdd(-1, REDISMODULE_EVENTLOOP_READABLE, OnPipe, NULL));
    RedisModule_ReplyWithLongLong(ctx, errno == ERANGE);
    errno = 0;
    RedisModule_ReplyWithLongLong(ctx, RedisModule_EventLoopAdd(pipefd[0], 4, OnPipe, NULL));
    RedisModule_ReplyWithLongLong(ctx, errno == EINVAL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_EventLoopDel(pipefd[0], 8));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_EventLoopAdd(pipefd[0], REDISMODULE_EVENTLOOP_READABLE, OnPipe, NULL));
    return RedisModule_ReplyWithLongLong(ctx, write(pipefd[1], "x", 1));
}

static int Fired(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return RedisModule_ReplyWithLongLong(ctx, fired);
}

static void ReplTimer(RedisModuleCtx *ctx, void *data) {
    (void)data;
    RedisModule_Replicate(ctx, "INCR", "c", "t1");
    RedisModuleCallReply *r = RedisModule_Call(ctx, "INCR", "!c", "t2");
    if (r) RedisModule_FreeCallReply(r);
}

static int Repl(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    const char *m = RedisModule_StringPtrLen(argv[1], NULL);
    RedisModuleCallReply *r;
    if (!strcmp(m, "two")) {
        RedisModule_Replicate(ctx, "INCR", "c", "a");
        RedisModule_Replicate(ctx, "INCR", "c", "b");
    } else if (!strcmp(m, "one")) {
        RedisModule_Replicate(ctx, "INCR", "c", "a");
    } else if (!strcmp(m, "verbatim")) {
        RedisModule_ReplicateVerbatim(ctx);
    } else if (!strcmp(m, "call")) {
        if ((r = RedisModule_Call(ctx, "SET", "!cc", "k", "v"))) RedisModule_FreeCallReply(r);
        if ((r = RedisModule_Call(ctx, "SET", "cc", "quiet", "1"))) RedisModule_FreeCallReply(r);
        RedisModule_Replicate(ctx, "PING", "");
        if ((r = RedisModule_Call(ctx, "SET", "!cccl", "e", "v", "PX", 100000LL))) RedisModule_FreeCallReply(r);
    } else if (!strcmp(m, "timer")) {
        RedisModule_CreateTimer(ctx, 1, ReplTimer, NULL);
    }
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Chan(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (RedisModule_IsChannelsPositionRequest(ctx)) {
        for (int i = 1; i < argc; i++) RedisModule_ChannelAtPosWithFlags(ctx, i, REDISMODULE_CMD_CHANNEL_PUBLISH);
        return REDISMODULE_OK;
    }
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static void *TLoad(RedisModuleIO *io, int encver) {
    (void)io;
    (void)encver;
    return NULL;
}
static void TSave(RedisModuleIO *io, void *value) {
    (void)io;
    (void)value;
}
static void TFree(void *value) { (void)value; }

static int DupType(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, dupA);
    return RedisModule_ReplyWithLongLong(ctx, dupB);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "enginetest", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    struct {
        const char *name;
        RedisModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"et.callflags", CallFlags, ""},     {"et.lru", Lru, "readonly"},
        {"et.lfu", Lfu, "readonly"},         {"et.scankey", ScanKey, "readonly"},
        {"et.yield", Yield, ""},             {"et.attrsrc", AttrSrc, "readonly"},
        {"et.attrproxy", AttrProxy, "readonly"}, {"et.duptype", DupType, "readonly"},
        {"et.misc", Misc, ""},               {"et.measure", Measure, ""},
        {"et.oneshot", OneShotCmd, ""},      {"et.pipe", PipeCmd, ""},
        {"et.fired", Fired, ""},             {"et.chan", Chan, "getchannels-api"},
        {"et.repl", Repl, "write"},
    };
    RedisModuleTypeMethods tm = {.version = REDISMODULE_TYPE_METHOD_VERSION, .rdb_load = TLoad, .rdb_save = TSave, .free = TFree};
    dupA = RedisModule_CreateDataType(ctx, "et-type-1", 0, &tm) != NULL;
    dupB = RedisModule_CreateDataType(ctx, "et-type-1", 0, &tm) != NULL;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
