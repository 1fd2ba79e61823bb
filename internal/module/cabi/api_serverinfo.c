/* GetServerInfo family: the data is a C struct with a handle to the
 * engine's snapshot; C strings handed out by GetFieldC live until
 * FreeServerInfo. */
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

RedisModuleServerInfoData *rm_GetServerInfo(RedisModuleCtx *ctx, const char *section) {
    uintptr_t h = goRM_GetServerInfo(ctx, (char *)section);
    if (h == 0) return NULL;
    RedisModuleServerInfoData *d = rm_Calloc(1, sizeof(*d));
    d->h = h;
    return d;
}

void rm_FreeServerInfo(RedisModuleCtx *ctx, RedisModuleServerInfoData *data) {
    (void)ctx;
    if (data == NULL) return;
    goRM_FreeServerInfo(data->h);
    rm_Free(data);
}

RedisModuleString *rm_ServerInfoGetField(RedisModuleCtx *ctx, RedisModuleServerInfoData *data, const char *field) {
    const char *v = rm_ServerInfoGetFieldC(data, field);
    return v ? rm_CreateString(ctx, v, strlen(v)) : NULL;
}

const char *rm_ServerInfoGetFieldC(RedisModuleServerInfoData *data, const char *field) {
    return goRM_ServerInfoGetFieldC(data->h, (char *)field);
}

long long rm_ServerInfoGetFieldSigned(RedisModuleServerInfoData *data, const char *field, int *out_err) {
    int err = 0;
    long long v = goRM_ServerInfoNum(data->h, (char *)field, 0, &err).r0;
    if (out_err) *out_err = err;
    return v;
}

unsigned long long rm_ServerInfoGetFieldUnsigned(RedisModuleServerInfoData *data, const char *field, int *out_err) {
    int err = 0;
    unsigned long long v = (unsigned long long)goRM_ServerInfoNum(data->h, (char *)field, 1, &err).r0;
    if (out_err) *out_err = err;
    return v;
}

double rm_ServerInfoGetFieldDouble(RedisModuleServerInfoData *data, const char *field, int *out_err) {
    int err = 0;
    double v = goRM_ServerInfoNum(data->h, (char *)field, 2, &err).r1;
    if (out_err) *out_err = err;
    return v;
}
