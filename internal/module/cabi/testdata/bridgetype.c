/*
 * bridgetype: a module data type "bridgetyp" holding one integer.
 *   bt.tset <key> <n>   create or update (WRONGTYPE for other values)
 *   bt.tget <key>       the integer, or null
 *   bt.tswap <key> <n>  ModuleTypeReplaceValue, replies the old integer
 *   bt.tfrees           how many values the free method released
 */
#include <string.h>
#include "redismodule.h"

static RedisModuleType *BtType;
static long long frees;

static void TypeFree(void *value) {
    frees++;
    RedisModule_Free(value);
}

static size_t TypeMem(const void *value) {
    (void)value;
    return sizeof(long long);
}

/* RDB: the integer plus a few typed fields checked on load. */
static void TypeSave(RedisModuleIO *io, void *value) {
    long long *v = value;
    RedisModule_SaveSigned(io, *v);
    RedisModule_SaveStringBuffer(io, "tag", 3);
    RedisModule_SaveDouble(io, 1.5);
    RedisModule_SaveFloat(io, 2.5f);
    RedisModule_SaveUnsigned(io, 7);
    RedisModule_SaveString(io, (RedisModuleString *)RedisModule_GetKeyNameFromIO(io));
    RedisModule_Log(RedisModule_GetContextFromIO(io), "notice", "saved %lld db %d", *v, RedisModule_GetDbIdFromIO(io));
}

static void *TypeLoad(RedisModuleIO *io, int encver) {
    if (encver != 0) return NULL;
    long long n = RedisModule_LoadSigned(io);
    size_t len;
    char *tag = RedisModule_LoadStringBuffer(io, &len);
    int ok = tag && len == 3 && memcmp(tag, "tag", 3) == 0;
    RedisModule_Free(tag);
    ok = ok && RedisModule_LoadDouble(io) == 1.5 && RedisModule_LoadFloat(io) == 2.5f && RedisModule_LoadUnsigned(io) == 7;
    RedisModuleString *key = RedisModule_LoadString(io);
    size_t kl;
    const char *kp = RedisModule_StringPtrLen(key, &kl);
    RedisModule_LogIOError(io, "notice", "loaded %lld saved-as %.*s", n, (int)kl, kp);
    RedisModule_FreeString(NULL, key);
    if (!ok || RedisModule_IsIOError(io)) return NULL;
    long long *v = RedisModule_Alloc(sizeof(*v));
    *v = n;
    return v;
}

static void TypeRewrite(RedisModuleIO *aof, RedisModuleString *key, void *value) {
    RedisModule_EmitAOF(aof, "BT.TSET", "sl", key, *(long long *)value);
}

static void TypeDigest(RedisModuleDigest *md, void *value) {
    RedisModule_DigestAddLongLong(md, *(long long *)value);
    RedisModule_DigestAddStringBuffer(md, "x", 1);
    RedisModule_DigestEndSequence(md);
}

static int TSet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long n;
    if (RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid value");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int t = RedisModule_KeyType(k);
    if (t != REDISMODULE_KEYTYPE_EMPTY && RedisModule_ModuleTypeGetType(k) != BtType) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    if (t == REDISMODULE_KEYTYPE_EMPTY) {
        long long *v = RedisModule_Alloc(sizeof(*v));
        *v = n;
        RedisModule_ModuleTypeSetValue(k, BtType, v);
    } else {
        long long *v = RedisModule_ModuleTypeGetValue(k);
        *v = n;
    }
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int TGet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithNull(ctx);
    if (RedisModule_ModuleTypeGetType(k) != BtType) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    long long *v = RedisModule_ModuleTypeGetValue(k);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, *v);
}

static int TSwap(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long n;
    RedisModule_StringToLongLong(argv[2], &n);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    long long *nv = RedisModule_Alloc(sizeof(*nv));
    *nv = n;
    void *old = NULL;
    if (RedisModule_ModuleTypeReplaceValue(k, BtType, nv, &old) != REDISMODULE_OK) {
        RedisModule_Free(nv);
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR replace failed");
    }
    RedisModule_CloseKey(k);
    long long o = *(long long *)old;
    RedisModule_Free(old);
    return RedisModule_ReplyWithLongLong(ctx, o);
}

static int TFrees(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc == 2) return RedisModule_ReplyWithLongLong(ctx, RedisModule_GetTypeMethodVersion());
    return RedisModule_ReplyWithLongLong(ctx, frees);
}

static void InfoFunc(RedisModuleInfoCtx *ctx, int for_crash_report) {
    (void)for_crash_report;
    RedisModule_InfoAddSection(ctx, "stats");
    RedisModule_InfoAddFieldLongLong(ctx, "frees", frees);
    RedisModule_InfoAddFieldCString(ctx, "name", "bt");
    RedisModule_InfoAddFieldDouble(ctx, "ratio", 0.5);
    RedisModule_InfoAddFieldULongLong(ctx, "big", 18446744073709551615ULL);
    RedisModule_InfoBeginDictField(ctx, "dict");
    RedisModule_InfoAddFieldLongLong(ctx, "a", 1);
    RedisModule_InfoAddFieldCString(ctx, "b", "two");
    RedisModule_InfoEndDictField(ctx);
}

static long long Twice(long long x) { return 2 * x; }

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "bridgetype", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModuleTypeMethods tm = {
        .version = REDISMODULE_TYPE_METHOD_VERSION,
        .rdb_load = TypeLoad,
        .rdb_save = TypeSave,
        .aof_rewrite = TypeRewrite,
        .digest = TypeDigest,
        .mem_usage = TypeMem,
        .free = TypeFree,
    };
    if (RedisModule_RegisterInfoFunc(ctx, InfoFunc) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_ExportSharedAPI(ctx, "bt_twice", (void *)Twice) == REDISMODULE_ERR) return REDISMODULE_ERR;
    BtType = RedisModule_CreateDataType(ctx, "bridgetyp", 0, &tm);
    if (BtType == NULL) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "bt.tset", TSet, "write deny-oom", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "bt.tget", TGet, "readonly", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "bt.tswap", TSwap, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "bt.tfrees", TFrees, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
