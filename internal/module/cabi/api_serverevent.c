/* Server events: the event struct travels by value (two integer
 * registers), which only a C trampoline gets right. */
#include "bridge.h"
#include "_cgo_export.h"

void rmb_call_event(void *fn, RedisModuleCtx *ctx, uint64_t id, uint64_t dataver, uint64_t sub, void *data) {
    RedisModuleEvent e = {id, dataver};
    ((RedisModuleEventCallback)fn)(ctx, e, sub, data);
}

int rm_SubscribeToServerEvent(RedisModuleCtx *ctx, RedisModuleEvent event, RedisModuleEventCallback callback) {
    return goRM_SubscribeToServerEvent(ctx, event.id, event.dataver, (void *)callback);
}

int rm_IsSubEventSupported(RedisModuleEvent event, uint64_t subevent) {
    return goRM_IsSubEventSupported(event.id, subevent);
}

int rm_GetClientInfoById(void *ci, uint64_t id) { return goRM_GetClientInfoById(ci, id); }
