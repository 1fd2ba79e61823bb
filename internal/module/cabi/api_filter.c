/* Command filters. The filter ctx is a per-callback C struct; strings
 * ArgGet returns belong to it (freed after the callback); Insert/Replace
 * take the module's string (Redis: owned by the filter afterwards). */
#include "bridge.h"
#include "_cgo_export.h"

void rmb_call_filter(void *fn, RedisModuleCommandFilterCtx *f) { ((RedisModuleCommandFilterFunc)fn)(f); }

RedisModuleCommandFilter *rm_RegisterCommandFilter(RedisModuleCtx *ctx, RedisModuleCommandFilterFunc cb, int flags) {
    return goRM_RegisterCommandFilter(ctx, (void *)cb, flags);
}

int rm_UnregisterCommandFilter(RedisModuleCtx *ctx, RedisModuleCommandFilter *filter) {
    if (filter == NULL) return REDISMODULE_ERR;
    return goRM_UnregisterCommandFilter(ctx, filter); /* frees filter on success */
}

int rm_CommandFilterArgsCount(RedisModuleCommandFilterCtx *fctx) { return goRM_FilterOp(fctx->h, 0, 0, NULL, 0); }

RedisModuleString *rm_CommandFilterArgGet(RedisModuleCommandFilterCtx *fctx, int pos) {
    return goRM_FilterArgGet(fctx->h, pos);
}

int rm_CommandFilterArgInsert(RedisModuleCommandFilterCtx *fctx, int pos, RedisModuleString *arg) {
    int rc = goRM_FilterOp(fctx->h, 1, pos, arg->ptr, arg->len);
    if (rc == REDISMODULE_OK) rmb_str_decr(arg);
    return rc;
}

int rm_CommandFilterArgReplace(RedisModuleCommandFilterCtx *fctx, int pos, RedisModuleString *arg) {
    int rc = goRM_FilterOp(fctx->h, 2, pos, arg->ptr, arg->len);
    if (rc == REDISMODULE_OK) rmb_str_decr(arg);
    return rc;
}

int rm_CommandFilterArgDelete(RedisModuleCommandFilterCtx *fctx, int pos) { return goRM_FilterOp(fctx->h, 3, pos, NULL, 0); }
