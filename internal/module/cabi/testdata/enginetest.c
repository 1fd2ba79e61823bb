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
 */
#include <errno.h>
#include <string.h>
#include <time.h>
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

static int dup1, dup2;

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
    RedisModule_ReplyWithLongLong(ctx, dup1);
    return RedisModule_ReplyWithLongLong(ctx, dup2);
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
    };
    RedisModuleTypeMethods tm = {.version = REDISMODULE_TYPE_METHOD_VERSION, .rdb_load = TLoad, .rdb_save = TSave, .free = TFree};
    dup1 = RedisModule_CreateDataType(ctx, "et-type-1", 0, &tm) != NULL;
    dup2 = RedisModule_CreateDataType(ctx, "et-type-1", 0, &tm) != NULL;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
