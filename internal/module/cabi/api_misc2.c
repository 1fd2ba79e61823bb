/* Smaller APIs: memory/latency introspection, shard publishing, client
 * certificates, argument redaction, channel positions, blocked-client
 * background time, event-loop callbacks, allocation sizes, _Assert. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include "bridge.h"
#include "_cgo_export.h"

void rmb_set_errno(int e);

float rm_GetUsedMemoryRatio(void) { return goRM_UsedMemoryRatio(); }

void rm_LatencyAddSample(const char *event, mstime_t latency) {
    if (event) goRM_LatencyAddSample((char *)event, latency);
}

int rm_PublishMessageShard(RedisModuleCtx *ctx, RedisModuleString *channel, RedisModuleString *message) {
    if (ctx == NULL || channel == NULL || message == NULL) return 0;
    return goRM_PublishShard(ctx, channel->ptr, channel->len, message->ptr, message->len);
}

RedisModuleString *rm_GetClientCertificate(RedisModuleCtx *ctx, unsigned long long client_id) {
    if (ctx == NULL) return NULL;
    return goRM_GetClientCertificate(ctx, client_id);
}

int rm_RedactClientCommandArgument(RedisModuleCtx *ctx, int pos) {
    if (ctx == NULL) return REDISMODULE_ERR;
    return goRM_CtxPos(ctx, 0, pos, 0);
}

int rm_IsChannelsPositionRequest(RedisModuleCtx *ctx) { return ctx ? goRM_CtxPos(ctx, 1, 0, 0) : 0; }

void rm_ChannelAtPosWithFlags(RedisModuleCtx *ctx, int pos, int flags) {
    if (ctx) goRM_CtxPos(ctx, 2, pos, flags);
}

int rm_BlockedClientMeasureTimeStart(RedisModuleBlockedClient *bc) {
    return bc ? goRM_BCMeasure(bc->h, 0) : REDISMODULE_ERR;
}

int rm_BlockedClientMeasureTimeEnd(RedisModuleBlockedClient *bc) {
    return bc ? goRM_BCMeasure(bc->h, 1) : REDISMODULE_ERR;
}

void rmb_call_oneshot(void *fn, void *data) { ((RedisModuleEventLoopOneShotFunc)fn)(data); }

int rm_EventLoopAddOneShot(RedisModuleEventLoopOneShotFunc func, void *user_data) {
    if (func == NULL) {
        rmb_set_errno(22);
        return REDISMODULE_ERR;
    }
    return goRM_EventLoopOneShot((void *)func, user_data);
}

void rmb_call_fdfunc(void *fn, int fd, void *data, int mask) { ((RedisModuleEventLoopFunc)fn)(fd, data, mask); }

int rm_EventLoopAdd(int fd, int mask, RedisModuleEventLoopFunc func, void *user_data) {
    int e = 0;
    int ret = goRM_EventLoopAdd(fd, mask, (void *)func, user_data, &e);
    if (e) rmb_set_errno(e);
    return ret;
}

int rm_EventLoopDel(int fd, int mask) {
    int e = 0;
    int ret = goRM_EventLoopDel(fd, mask, &e);
    if (e) rmb_set_errno(e);
    return ret;
}

/* Allocation sizes: rm_Alloc is malloc, so the usable size is the
 * allocator's. */
size_t rm_MallocSize(void *ptr) { return ptr ? malloc_usable_size(ptr) : 0; }
size_t rm_MallocUsableSize(void *ptr) { return ptr ? malloc_usable_size(ptr) : 0; }

size_t rm_MallocSizeString(RedisModuleString *str) {
    if (str == NULL) return 0;
    return malloc_usable_size(str) + (str->ptr ? malloc_usable_size(str->ptr) : 0);
}

size_t rm_MallocSizeDict(RedisModuleDict *dict) {
    if (dict == NULL) return 0;
    return malloc_usable_size(dict) + goRM_DictMemory(dict->h);
}

/* RedisModule_Assert's target: log like Redis's assertion report, then
 * crash (the module asked for it). */
void rm__Assert(const char *estr, const char *file, int line) {
    fprintf(stderr, "=== ASSERTION FAILED ===\n==> %s:%d '%s' is not true\n", file ? file : "?", line,
            estr ? estr : "?");
    fflush(stderr);
    abort();
}
