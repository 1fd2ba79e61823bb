/* Cluster and active-defrag APIs: thin wrappers over the engine (which
 * behaves as Redis with cluster-enabled no and without active defrag). */
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

void rmb_call_cluster_receiver(void *fn, RedisModuleCtx *ctx, const char *sender, uint8_t type, const char *payload, uint32_t len) {
    ((RedisModuleClusterMessageReceiver)fn)(ctx, sender, type, (const unsigned char *)payload, len);
}

size_t rm_GetClusterSize(void) { return (size_t)goRM_Cluster(NULL, 0, NULL, 0, NULL, 0, 0); }

const char *rm_GetMyClusterID(void) { return goRM_ClusterID(); }

char **rm_GetClusterNodesList(RedisModuleCtx *ctx, size_t *numnodes) { return goRM_ClusterNodes(ctx, numnodes); }

void rm_FreeClusterNodesList(char **ids) {
    if (ids == NULL) return;
    for (int j = 0; ids[j]; j++) rm_Free(ids[j]);
    rm_Free(ids);
}

int rm_GetClusterNodeInfo(RedisModuleCtx *ctx, const char *id, char *ip, char *master_id, int *port, int *flags) {
    return goRM_ClusterNodeInfo(ctx, (char *)id, ip, master_id, port, flags);
}

int rm_SendClusterMessage(RedisModuleCtx *ctx, const char *target_id, uint8_t type, const char *msg, uint32_t len) {
    return (int)goRM_Cluster(ctx, 1, (char *)target_id, type, (char *)msg, len, 0);
}

void rm_RegisterClusterMessageReceiver(RedisModuleCtx *ctx, uint8_t type, RedisModuleClusterMessageReceiver callback) {
    goRM_Cluster(ctx, 2, NULL, type, (char *)callback, 0, 0);
}

void rm_SetClusterFlags(RedisModuleCtx *ctx, uint64_t flags) { goRM_Cluster(ctx, 3, NULL, 0, NULL, 0, flags); }

int rmb_call_defrag(void *fn, RedisModuleDefragCtx *dctx) { return ((RedisModuleDefragFunc)fn)(dctx); }

int rm_RegisterDefragFunc(RedisModuleCtx *ctx, RedisModuleDefragFunc func) {
    return goRM_RegisterDefragFunc(ctx, (void *)func);
}

/* Nothing is ever moved: Modis has no allocator defrag hint (see
 * internal/module/defrag.go), as a Redis built without jemalloc. */
void *rm_DefragAlloc(RedisModuleDefragCtx *ctx, void *ptr) {
    (void)ctx;
    (void)ptr;
    return NULL;
}

RedisModuleString *rm_DefragRedisModuleString(RedisModuleDefragCtx *ctx, RedisModuleString *str) {
    (void)ctx;
    (void)str;
    return NULL;
}

int rm_DefragShouldStop(RedisModuleDefragCtx *ctx) { return ctx ? goRM_Defrag(ctx->h, 0, NULL) : 0; }

int rm_DefragCursorSet(RedisModuleDefragCtx *ctx, unsigned long cursor) {
    return ctx ? goRM_Defrag(ctx->h, 1, &cursor) : REDISMODULE_ERR;
}

int rm_DefragCursorGet(RedisModuleDefragCtx *ctx, unsigned long *cursor) {
    return ctx ? goRM_Defrag(ctx->h, 2, cursor) : REDISMODULE_ERR;
}

int rm_GetDbIdFromDefragCtx(RedisModuleDefragCtx *ctx) { return ctx ? ctx->dbid : -1; }

const RedisModuleString *rm_GetKeyNameFromDefragCtx(RedisModuleDefragCtx *ctx) { return ctx ? ctx->key : NULL; }
