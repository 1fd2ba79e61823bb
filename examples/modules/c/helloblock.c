/*
 * helloblock: the C counterpart of examples/modules/helloblock. Blocking
 * commands served by worker threads:
 *
 *   HELLO.BLOCK delay timeout   a random number after delay seconds, or
 *                               "Request timedout" after timeout ms
 *   HELLO.KEYS                  every key, collected by a thread running
 *                               SCAN through a thread-safe context
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "redismodule.h"

static int BlockReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    long long *v = RedisModule_GetBlockedClientPrivateData(ctx);
    return RedisModule_ReplyWithLongLong(ctx, *v);
}

static int BlockTimeout(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    return RedisModule_ReplyWithSimpleString(ctx, "Request timedout");
}

static void FreeData(RedisModuleCtx *ctx, void *data) {
    (void)ctx;
    RedisModule_Free(data);
}

static void Disconnected(RedisModuleCtx *ctx, RedisModuleBlockedClient *bc) {
    RedisModule_Log(ctx, "warning", "Blocked client %p disconnected!", (void *)bc);
}

struct job {
    RedisModuleBlockedClient *bc;
    long long delay;
};

static void *BlockWorker(void *arg) {
    struct job *j = arg;
    sleep((unsigned)j->delay);
    long long *v = RedisModule_Alloc(sizeof(*v));
    *v = rand();
    RedisModule_UnblockClient(j->bc, v);
    RedisModule_Free(j);
    return NULL;
}

static int Block(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long delay, timeout;
    if (RedisModule_StringToLongLong(argv[1], &delay) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid count");
    if (RedisModule_StringToLongLong(argv[2], &timeout) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid count");
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, BlockReply, BlockTimeout, FreeData, timeout);
    RedisModule_SetDisconnectCallback(bc, Disconnected);
    struct job *j = RedisModule_Alloc(sizeof(*j));
    j->bc = bc;
    j->delay = delay;
    pthread_t tid;
    if (pthread_create(&tid, NULL, BlockWorker, j) != 0) {
        RedisModule_Free(j);
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "-ERR Can't start thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

static void *KeysWorker(void *arg) {
    RedisModuleBlockedClient *bc = arg;
    RedisModuleCtx *ctx = RedisModule_GetThreadSafeContext(bc);
    long long cursor = 0;
    long n = 0;
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    do {
        RedisModule_ThreadSafeContextLock(ctx);
        RedisModuleCallReply *r = RedisModule_Call(ctx, "SCAN", "l", cursor);
        RedisModule_ThreadSafeContextUnlock(ctx);
        RedisModuleString *cs = RedisModule_CreateStringFromCallReply(RedisModule_CallReplyArrayElement(r, 0));
        RedisModule_StringToLongLong(cs, &cursor);
        RedisModule_FreeString(ctx, cs);
        RedisModuleCallReply *keys = RedisModule_CallReplyArrayElement(r, 1);
        size_t nk = RedisModule_CallReplyLength(keys);
        for (size_t i = 0; i < nk; i++) RedisModule_ReplyWithCallReply(ctx, RedisModule_CallReplyArrayElement(keys, i));
        n += (long)nk;
        RedisModule_FreeCallReply(r);
    } while (cursor != 0);
    RedisModule_ReplySetArrayLength(ctx, n);
    RedisModule_FreeThreadSafeContext(ctx);
    RedisModule_UnblockClient(bc, NULL);
    return NULL;
}

static int Keys(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, NULL, NULL, NULL, 0);
    pthread_t tid;
    if (pthread_create(&tid, NULL, KeysWorker, bc) != 0) {
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "-ERR Can't start thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    if (RedisModule_Init(ctx, "helloblock", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "hello.block", Block, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hello.keys", Keys, "", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
