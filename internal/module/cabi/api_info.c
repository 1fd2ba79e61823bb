/* INFO family: a RedisModuleInfoCtx is a per-callback C struct holding a
 * handle to the engine's InfoCtx. */
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

void rmb_call_info(void *fn, RedisModuleInfoCtx *ic, int for_crash_report) {
    ((RedisModuleInfoFunc)fn)(ic, for_crash_report);
}

int rm_RegisterInfoFunc(RedisModuleCtx *ctx, RedisModuleInfoFunc cb) { return goRM_RegisterInfoFunc(ctx, (void *)cb); }

int rm_InfoAddSection(RedisModuleInfoCtx *ctx, const char *name) {
    return goRM_Info(ctx->h, 0, (char *)(name ? name : ""), NULL, 0, 0, 0);
}
int rm_InfoBeginDictField(RedisModuleInfoCtx *ctx, const char *name) {
    return goRM_Info(ctx->h, 1, (char *)name, NULL, 0, 0, 0);
}
int rm_InfoEndDictField(RedisModuleInfoCtx *ctx) { return goRM_Info(ctx->h, 2, NULL, NULL, 0, 0, 0); }
int rm_InfoAddFieldString(RedisModuleInfoCtx *ctx, const char *field, RedisModuleString *value) {
    return goRM_Info(ctx->h, 3, (char *)field, value->ptr, value->len, 0, 0);
}
int rm_InfoAddFieldCString(RedisModuleInfoCtx *ctx, const char *field, const char *value) {
    return goRM_Info(ctx->h, 3, (char *)field, (char *)value, strlen(value), 0, 0);
}
int rm_InfoAddFieldDouble(RedisModuleInfoCtx *ctx, const char *field, double value) {
    return goRM_Info(ctx->h, 4, (char *)field, NULL, 0, 0, value);
}
int rm_InfoAddFieldLongLong(RedisModuleInfoCtx *ctx, const char *field, long long value) {
    return goRM_Info(ctx->h, 5, (char *)field, NULL, 0, value, 0);
}
int rm_InfoAddFieldULongLong(RedisModuleInfoCtx *ctx, const char *field, unsigned long long value) {
    return goRM_Info(ctx->h, 6, (char *)field, NULL, 0, (long long)value, 0);
}
