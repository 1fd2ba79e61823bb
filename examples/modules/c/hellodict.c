/*
 * hellodict: the C counterpart of examples/modules/hellodict. A key-value
 * store kept in a module dictionary (not in the keyspace), with ordered
 * range queries:
 *
 *   HELLODICT.SET key value     (an existing key keeps its value)
 *   HELLODICT.GET key
 *   HELLODICT.KEYRANGE startkey endkey count
 */
#include "redismodule.h"

static RedisModuleDict *Keyspace;

static int Set(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    /* The dict keeps the value string; DictSet refuses an existing key, in
     * which case the retained reference is given back. */
    RedisModule_RetainString(ctx, argv[2]);
    if (RedisModule_DictSet(Keyspace, argv[1], argv[2]) != REDISMODULE_OK) RedisModule_FreeString(ctx, argv[2]);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Get(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleString *v = RedisModule_DictGet(Keyspace, argv[1], NULL);
    if (v == NULL) return RedisModule_ReplyWithNull(ctx);
    return RedisModule_ReplyWithString(ctx, v);
}

static int KeyRange(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long count;
    if (RedisModule_StringToLongLong(argv[3], &count) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid count");
    RedisModuleDictIter *it = RedisModule_DictIteratorStart(Keyspace, ">=", argv[1]);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    long long n = 0;
    RedisModuleString *key;
    while ((key = RedisModule_DictNext(ctx, it, NULL)) != NULL) {
        if (n >= count || RedisModule_DictCompare(it, "<=", argv[2]) == REDISMODULE_ERR) {
            RedisModule_FreeString(ctx, key);
            break;
        }
        RedisModule_ReplyWithString(ctx, key);
        RedisModule_FreeString(ctx, key);
        n++;
    }
    RedisModule_ReplySetArrayLength(ctx, n);
    RedisModule_DictIteratorStop(it);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    if (RedisModule_Init(ctx, "hellodict", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "hellodict.set", Set, "write deny-oom", 1, 1, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hellodict.get", Get, "readonly", 1, 1, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hellodict.keyrange", KeyRange, "readonly", 1, 1, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    Keyspace = RedisModule_CreateDict(NULL);
    return REDISMODULE_OK;
}
