/* Module data types: the type methods run through C trampolines; values
 * are the module's opaque pointers. RedisModuleIO and RedisModuleDigest
 * are per-callback C structs holding a handle to the engine's object. */
#include "bridge.h"
#include "_cgo_export.h"

void *rmb_call_rdb_load(void *fn, RedisModuleIO *io, int encver) {
    return ((RedisModuleTypeLoadFunc)fn)(io, encver);
}
void rmb_call_rdb_save(void *fn, RedisModuleIO *io, void *v) { ((RedisModuleTypeSaveFunc)fn)(io, v); }
void rmb_call_aof_rewrite(void *fn, RedisModuleIO *io, RedisModuleString *key, void *v) {
    ((RedisModuleTypeRewriteFunc)fn)(io, key, v);
}
size_t rmb_call_mem_usage(void *fn, void *v) { return ((RedisModuleTypeMemUsageFunc)fn)(v); }
void rmb_call_digest(void *fn, RedisModuleDigest *d, void *v) { ((RedisModuleTypeDigestFunc)fn)(d, v); }
void rmb_call_type_free(void *fn, void *v) { ((RedisModuleTypeFreeFunc)fn)(v); }

RedisModuleType *rm_CreateDataType(RedisModuleCtx *ctx, const char *name, int encver,
                                   RedisModuleTypeMethods *tm) {
    if (tm == NULL) return NULL;
    void *m[6] = {tm->rdb_load, tm->rdb_save, tm->aof_rewrite, tm->mem_usage, tm->digest, tm->free};
    return goRM_CreateDataType(ctx, (char *)name, encver, (long long)tm->version, m);
}

int rm_ModuleTypeSetValue(RedisModuleKey *key, RedisModuleType *mt, void *value) {
    if (key == NULL || mt == NULL) return REDISMODULE_ERR;
    return goRM_TypeValue(key->h, mt->h, value, NULL, 0);
}

int rm_ModuleTypeReplaceValue(RedisModuleKey *key, RedisModuleType *mt, void *new_value, void **old_value) {
    if (key == NULL || mt == NULL) return REDISMODULE_ERR;
    return goRM_TypeValue(key->h, mt->h, new_value, old_value, 1);
}

RedisModuleType *rm_ModuleTypeGetType(RedisModuleKey *key) { return key ? goRM_TypeGetType(key->h) : NULL; }

void *rm_ModuleTypeGetValue(RedisModuleKey *key) { return key ? goRM_TypeGetValue(key->h) : NULL; }

int rm_GetTypeMethodVersion(void) { return (int)goRM_CtxOp(NULL, 14, 0, 0); }
