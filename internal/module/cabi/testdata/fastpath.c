/*
 * fastpath: a C module exercising the bridge's fast paths for command
 * contexts (replies encoded in C, cached key type and READ DMA, reused
 * argv strings and key/reply structs), built against
 * include/redismodule.h. Commands:
 *   fp.order              replies through C and through Go, interleaved
 *   fp.keytype <key>      the type cache across writes through the handle and Call
 *   fp.retain <s>         keep argv[1] (RetainString), reply with the previous one
 *   fp.dma <key>          READ DMA twice, around a Call that rewrites the key
 *   fp.loop <key> <n>     n rounds of OpenKey/DMA/CloseKey and Call/FreeCallReply
 *   fp.keep <key>         open a key and keep the handle past the command (misuse)
 *   fp.kepttype           KeyType of the kept handle, then close it
 */
#include <string.h>
#include "redismodule.h"

static int Order(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    RedisModule_ReplyWithStringBuffer(ctx, "a", 1);
    RedisModule_ReplyWithLongLong(ctx, -42);
    RedisModule_ReplyWithError(ctx, "ERR x");
    RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithSimpleString(ctx, "ok");
    RedisModule_ReplyWithEmptyString(ctx);
    RedisModule_ReplyWithNullArray(ctx);
    RedisModule_ReplyWithEmptyArray(ctx);
    RedisModule_ReplyWithCString(ctx, "end");
    RedisModule_ReplySetArrayLength(ctx, 8);
    return REDISMODULE_OK;
}

static int KeyTypeCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    long long t1 = RedisModule_KeyType(k);
    RedisModuleString *v = RedisModule_CreateString(ctx, "v", 1);
    RedisModule_StringSet(k, v);
    RedisModule_FreeString(ctx, v);
    long long t2 = RedisModule_KeyType(k);
    size_t len;
    char *p = RedisModule_StringDMA(k, &len, REDISMODULE_READ);
    RedisModuleString *got = RedisModule_CreateString(ctx, p, len);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "DEL", "s", argv[1]);
    RedisModule_FreeCallReply(r);
    long long t3 = RedisModule_KeyType(k);
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithArray(ctx, 4);
    RedisModule_ReplyWithLongLong(ctx, t1);
    RedisModule_ReplyWithLongLong(ctx, t2);
    RedisModule_ReplyWithString(ctx, got);
    RedisModule_ReplyWithLongLong(ctx, t3);
    RedisModule_FreeString(ctx, got);
    return REDISMODULE_OK;
}

static RedisModuleString *kept;

static int Retain(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    if (kept) {
        RedisModule_ReplyWithString(ctx, kept);
        RedisModule_FreeString(NULL, kept);
    } else {
        RedisModule_ReplyWithNull(ctx);
    }
    RedisModule_RetainString(ctx, argv[1]);
    kept = argv[1];
    return REDISMODULE_OK;
}

static int Dma(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithNull(ctx);
    size_t l1, l2;
    char *p1 = RedisModule_StringDMA(k, &l1, REDISMODULE_READ);
    RedisModuleString *before = RedisModule_CreateString(ctx, p1, l1);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "sc", argv[1], "rewritten");
    RedisModule_FreeCallReply(r);
    char *p2 = RedisModule_StringDMA(k, &l2, REDISMODULE_READ);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithString(ctx, before);
    RedisModule_ReplyWithStringBuffer(ctx, p2, l2);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(k));
    RedisModule_CloseKey(k);
    RedisModule_FreeString(ctx, before);
    return REDISMODULE_OK;
}

static int Loop(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long n;
    if (RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR n");
    long long total = 0;
    for (long long i = 0; i < n; i++) {
        RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
        if (k) {
            size_t len;
            RedisModule_StringDMA(k, &len, REDISMODULE_READ);
            total += (long long)len;
            RedisModule_CloseKey(k);
        }
        RedisModuleCallReply *r = RedisModule_Call(ctx, "GET", "s", argv[1]);
        total += (long long)RedisModule_CallReplyLength(r);
        RedisModule_FreeCallReply(r);
    }
    return RedisModule_ReplyWithLongLong(ctx, total);
}

static RedisModuleKey *keptkey;

static int Keep(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    keptkey = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(keptkey));
}

static int KeptType(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (keptkey == NULL) return RedisModule_ReplyWithNull(ctx);
    long long t = RedisModule_KeyType(keptkey);
    RedisModule_CloseKey(keptkey);
    keptkey = NULL;
    return RedisModule_ReplyWithLongLong(ctx, t);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    /* The tests load this .so into several in-process servers (go test
     * -count=N): what the previous load kept belongs to a server that is
     * gone, so start afresh. */
    kept = NULL;
    keptkey = NULL;
    if (RedisModule_Init(ctx, "fastpath", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "fp.order", Order, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "fp.keytype", KeyTypeCmd, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "fp.retain", Retain, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "fp.dma", Dma, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "fp.loop", Loop, "readonly", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "fp.keep", Keep, "readonly", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "fp.kepttype", KeptType, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
