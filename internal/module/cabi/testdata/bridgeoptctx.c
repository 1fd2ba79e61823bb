/* bridgeoptctx: a data type whose v4 methods (mem_usage2, copy2,
 * free_effort2, unlink2) and digest record the key names and db ids they
 * are given (GetKeyNameFromOptCtx, GetToKeyNameFromOptCtx,
 * GetDbIdFromOptCtx, GetToDbIdFromOptCtx, GetKeyNameFromDigest,
 * GetDbIdFromDigest).
 *   ox.set key n   store n in key (a new value)
 *   ox.log         the records so far, oldest first; clears them */
#include <stdio.h>
#include <string.h>
#include "redismodule.h"

static RedisModuleType *OxType;
static char oxlog[16][160];
static int oxn;

static void record(const char *what, const RedisModuleString *k1, int db1, const RedisModuleString *k2, int db2) {
    if (oxn >= 16) return;
    size_t l1 = 0, l2 = 0;
    const char *s1 = k1 ? RedisModule_StringPtrLen(k1, &l1) : "(null)";
    const char *s2 = k2 ? RedisModule_StringPtrLen(k2, &l2) : "(null)";
    if (!k1) l1 = 6;
    if (!k2) l2 = 6;
    snprintf(oxlog[oxn++], sizeof(oxlog[0]), "%s %.*s %d %.*s %d", what, (int)l1, s1, db1, (int)l2, s2, db2);
}

static void recordOpt(const char *what, RedisModuleKeyOptCtx *o) {
    record(what, RedisModule_GetKeyNameFromOptCtx(o), RedisModule_GetDbIdFromOptCtx(o),
           RedisModule_GetToKeyNameFromOptCtx(o), RedisModule_GetToDbIdFromOptCtx(o));
}

static void *OxLoad(RedisModuleIO *io, int encver) {
    (void)encver;
    long long *v = RedisModule_Alloc(sizeof(*v));
    *v = (long long)RedisModule_LoadSigned(io);
    return v;
}
static void OxSave(RedisModuleIO *io, void *v) { RedisModule_SaveSigned(io, *(long long *)v); }
static void OxFree(void *v) { RedisModule_Free(v); }

static size_t OxMem2(RedisModuleKeyOptCtx *o, const void *v, size_t samples) {
    (void)v;
    char w[40];
    snprintf(w, sizeof(w), "mem%zu", samples);
    recordOpt(w, o);
    return 8;
}
static size_t OxEffort2(RedisModuleKeyOptCtx *o, const void *v) {
    (void)v;
    recordOpt("effort", o);
    return 1;
}
static void OxUnlink2(RedisModuleKeyOptCtx *o, const void *v) {
    (void)v;
    recordOpt("unlink", o);
}
static void *OxCopy2(RedisModuleKeyOptCtx *o, const void *v) {
    recordOpt("copy", o);
    long long *n = RedisModule_Alloc(sizeof(*n));
    *n = *(const long long *)v;
    return n;
}
static void OxDigest(RedisModuleDigest *d, void *v) {
    record("digest", RedisModule_GetKeyNameFromDigest(d), RedisModule_GetDbIdFromDigest(d), NULL, -1);
    RedisModule_DigestAddLongLong(d, *(long long *)v);
    RedisModule_DigestEndSequence(d);
}

static int OxSet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long n;
    if (RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR bad n");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    long long *v = RedisModule_Alloc(sizeof(*v));
    *v = n;
    if (RedisModule_ModuleTypeSetValue(k, OxType, v) != REDISMODULE_OK) {
        RedisModule_Free(v);
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR set failed");
    }
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int OxLog(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    RedisModule_ReplyWithArray(ctx, oxn);
    for (int i = 0; i < oxn; i++) RedisModule_ReplyWithCString(ctx, oxlog[i]);
    oxn = 0;
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    if (RedisModule_Init(ctx, "bridgeoptctx", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModuleTypeMethods tm = {
        .version = REDISMODULE_TYPE_METHOD_VERSION,
        .rdb_load = OxLoad,
        .rdb_save = OxSave,
        .free = OxFree,
        .digest = OxDigest,
        .mem_usage2 = OxMem2,
        .free_effort2 = OxEffort2,
        .unlink2 = OxUnlink2,
        .copy2 = OxCopy2,
    };
    OxType = RedisModule_CreateDataType(ctx, "bridgeopt", 0, &tm);
    if (OxType == NULL) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "ox.set", OxSet, "write", 1, 1, 1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "ox.log", OxLog, "", 0, 0, 0) == REDISMODULE_ERR) return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
