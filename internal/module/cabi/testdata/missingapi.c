/*
 * missingapi: asks for an API no server provides (its own name) plus the
 * real ones; must load, see the unknown one NULL, and report so.
 */
#include "redismodule.h"

static int (*RedisModule_NoSuchApi)(RedisModuleCtx *ctx);

static int Probe(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_NoSuchApi == NULL);
    RedisModule_ReplyWithLongLong(ctx, RMAPI_FUNC_SUPPORTED(RedisModule_ReplyWithLongLong));
    /* ReplySetPushLength is requested by the header but never registered. */
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_ReplySetPushLength == NULL);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "missingapi", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    int rc = RedisModule_GetApi("RedisModule_NoSuchApi", (void **)&RedisModule_NoSuchApi);
    if (rc != REDISMODULE_ERR) return REDISMODULE_ERR;
    return RedisModule_CreateCommand(ctx, "ma.probe", Probe, "readonly", 0, 0, 0);
}
