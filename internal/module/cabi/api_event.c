/* Keyspace notifications and pub/sub. Subscriber callbacks run through a
 * C trampoline with a fresh context and a C copy of the key. */
#include "bridge.h"
#include "_cgo_export.h"

int rmb_call_notify(void *fn, RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key) {
    return ((RedisModuleNotificationFunc)fn)(ctx, type, event, key);
}

int rm_SubscribeToKeyspaceEvents(RedisModuleCtx *ctx, int types, RedisModuleNotificationFunc cb) {
    return goRM_SubscribeToKeyspaceEvents(ctx, types, (void *)cb);
}

int rm_NotifyKeyspaceEvent(RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key) {
    if (key == NULL || event == NULL) return REDISMODULE_ERR;
    return goRM_NotifyKeyspaceEvent(ctx, type, (char *)event, key->ptr, key->len);
}

int rm_GetNotifyKeyspaceEvents(void) { return (int)goRM_CtxOp(NULL, 8, 0, 0); }
int rm_GetKeyspaceNotificationFlagsAll(void) { return (int)goRM_CtxOp(NULL, 9, 0, 0); }

int rm_PublishMessage(RedisModuleCtx *ctx, RedisModuleString *channel, RedisModuleString *message) {
    return goRM_PublishMessage(ctx, channel->ptr, channel->len, message->ptr, message->len);
}
