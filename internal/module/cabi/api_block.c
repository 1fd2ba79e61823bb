/* Blocking and thread-safe contexts. A RedisModuleBlockedClient is a C
 * struct with a handle to the engine's handle; it is freed when the module
 * gives it back (UnblockClient / AbortBlock), as in Redis after which the
 * module must not touch it. These APIs are callable from module threads:
 * the Go exports they reach take no lock except where the API says so
 * (ThreadSafeContextLock). */
#include "bridge.h"
#include "_cgo_export.h"

typedef void (*free_priv_fn)(RedisModuleCtx *, void *);

void rmb_call_free_priv(void *fn, RedisModuleCtx *ctx, void *priv) { ((free_priv_fn)fn)(ctx, priv); }

RedisModuleBlockedClient *rm_BlockClient(RedisModuleCtx *ctx, RedisModuleCmdFunc reply_callback,
                                         RedisModuleCmdFunc timeout_callback,
                                         void (*free_privdata)(RedisModuleCtx *, void *), long long timeout_ms) {
    rmb_reply_flush(ctx); /* replies so far go before its error reply */
    return goRM_BlockClient(ctx, (void *)reply_callback, (void *)timeout_callback,
                                                        (void *)free_privdata, timeout_ms);
}

RedisModuleBlockedClient *rm_BlockClientOnKeys(RedisModuleCtx *ctx, RedisModuleCmdFunc reply_callback,
                                               RedisModuleCmdFunc timeout_callback,
                                               void (*free_privdata)(RedisModuleCtx *, void *), long long timeout_ms,
                                               RedisModuleString **keys, int numkeys, void *privdata) {
    rmb_reply_flush(ctx); /* replies so far go before its error reply */
    return goRM_BlockClientOnKeys(ctx, (void *)reply_callback, (void *)timeout_callback,
                                                              (void *)free_privdata, timeout_ms, keys, numkeys,
                                                              privdata);
}

void rm_SignalKeyAsReady(RedisModuleCtx *ctx, RedisModuleString *key) { goRM_SignalKeyAsReady(ctx, key->ptr, key->len); }

RedisModuleString *rm_GetBlockedClientReadyKey(RedisModuleCtx *ctx) { return goRM_GetBlockedClientReadyKey(ctx); }

int rm_UnblockClient(RedisModuleBlockedClient *bc, void *privdata) {
    if (bc == NULL) return REDISMODULE_ERR;
    return goRM_UnblockClient(bc->h, privdata, 0); /* frees bc on success */
}

int rm_AbortBlock(RedisModuleBlockedClient *bc) {
    if (bc == NULL) return REDISMODULE_ERR;
    return goRM_UnblockClient(bc->h, NULL, 1); /* frees bc on success */
}

int rm_IsBlockedReplyRequest(RedisModuleCtx *ctx) { return (int)goRM_CtxOp(ctx, 10, 0, 0); }
int rm_IsBlockedTimeoutRequest(RedisModuleCtx *ctx) { return (int)goRM_CtxOp(ctx, 11, 0, 0); }
int rm_BlockedClientDisconnected(RedisModuleCtx *ctx) { return (int)goRM_CtxOp(ctx, 12, 0, 0); }
void *rm_GetBlockedClientPrivateData(RedisModuleCtx *ctx) { return goRM_GetBlockedClientPrivateData(ctx); }

RedisModuleCtx *rm_GetThreadSafeContext(RedisModuleBlockedClient *bc) {
    return goRM_GetThreadSafeContext(NULL, bc ? bc->h : 0);
}

RedisModuleCtx *rm_GetDetachedThreadSafeContext(RedisModuleCtx *ctx) { return goRM_GetThreadSafeContext(ctx, 0); }

void rm_FreeThreadSafeContext(RedisModuleCtx *ctx) {
    if (ctx == NULL) return;
    uintptr_t h = ctx->h;
    rmb_ctx_collect(ctx);
    goRM_TSCtxOp(h, 0); /* engine flush; deletes the handle */
    ctx->h = 0;
    ctx->automem = 0;
    rmb_ctx_free(ctx);
}

void rm_ThreadSafeContextLock(RedisModuleCtx *ctx) { goRM_TSCtxOp(ctx->h, 1); }
int rm_ThreadSafeContextTryLock(RedisModuleCtx *ctx) { return goRM_TSCtxOp(ctx->h, 2); }
void rm_ThreadSafeContextUnlock(RedisModuleCtx *ctx) { goRM_TSCtxOp(ctx->h, 3); }
