/* Timers family: the engine schedules, the callback runs through a C
 * trampoline with a fresh context. The module's data pointer is kept
 * opaque (never dereferenced by the server). */
#include "bridge.h"
#include "_cgo_export.h"

void rmb_call_timer(void *fn, RedisModuleCtx *ctx, void *data) { ((RedisModuleTimerProc)fn)(ctx, data); }

RedisModuleTimerID rm_CreateTimer(RedisModuleCtx *ctx, mstime_t period, RedisModuleTimerProc callback, void *data) {
    return goRM_CreateTimer(ctx, period, (void *)callback, data);
}

int rm_StopTimer(RedisModuleCtx *ctx, RedisModuleTimerID id, void **data) {
    uint64_t remaining;
    return goRM_TimerOp(ctx, id, 0, &remaining, data);
}

int rm_GetTimerInfo(RedisModuleCtx *ctx, RedisModuleTimerID id, uint64_t *remaining, void **data) {
    return goRM_TimerOp(ctx, id, 1, remaining, data);
}
