/*
 * cmodbench: the C twin of bench/modbench, loaded into both Modis and
 * redis-server by bench/module.sh to compare the cost of the module API.
 *
 *   CMODBENCH.DMAGET key   OpenKey(READ) + StringDMA + ReplyWithStringBuffer
 *   CMODBENCH.CALLGET key  Call("GET", "s") + ReplyWithCallReply
 *
 * Both reply exactly as GET does (nil for a missing key, WRONGTYPE for a
 * value that is not a string). Build:
 *   cc -O2 -fPIC -shared -Iinclude -o cmodbench.so bench/cmodbench/cmodbench.c
 */
#include "redismodule.h"

static int DmaGet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (key == NULL) return RedisModule_ReplyWithNull(ctx);
    if (RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_STRING) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    size_t len;
    char *p = RedisModule_StringDMA(key, &len, REDISMODULE_READ);
    RedisModule_ReplyWithStringBuffer(ctx, p, len);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int CallGet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "GET", "s", argv[1]);
    if (r == NULL) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "cmodbench", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "cmodbench.dmaget", DmaGet, "readonly fast", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "cmodbench.callget", CallGet, "readonly fast", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
