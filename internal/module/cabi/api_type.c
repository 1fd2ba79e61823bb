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
int rmb_call_aux_load(void *fn, RedisModuleIO *io, int encver, int when) {
    return ((RedisModuleTypeAuxLoadFunc)fn)(io, encver, when);
}
void rmb_call_aux_save(void *fn, RedisModuleIO *io, int when) { ((RedisModuleTypeAuxSaveFunc)fn)(io, when); }
size_t rmb_call_free_effort(void *fn, RedisModuleString *key, void *v) {
    return ((RedisModuleTypeFreeEffortFunc)fn)(key, v);
}
void rmb_call_unlink(void *fn, RedisModuleString *key, void *v) { ((RedisModuleTypeUnlinkFunc)fn)(key, v); }
void *rmb_call_copy(void *fn, RedisModuleString *from, RedisModuleString *to, void *v) {
    return ((RedisModuleTypeCopyFunc)fn)(from, to, v);
}
size_t rmb_call_mem_usage2(void *fn, RedisModuleKeyOptCtx *o, void *v, size_t samples) {
    return ((RedisModuleTypeMemUsageFunc2)fn)(o, v, samples);
}
size_t rmb_call_free_effort2(void *fn, RedisModuleKeyOptCtx *o, void *v) {
    return ((RedisModuleTypeFreeEffortFunc2)fn)(o, v);
}
void rmb_call_unlink2(void *fn, RedisModuleKeyOptCtx *o, void *v) { ((RedisModuleTypeUnlinkFunc2)fn)(o, v); }
void *rmb_call_copy2(void *fn, RedisModuleKeyOptCtx *o, void *v) { return ((RedisModuleTypeCopyFunc2)fn)(o, v); }

RedisModuleType *rm_CreateDataType(RedisModuleCtx *ctx, const char *name, int encver,
                                   RedisModuleTypeMethods *tm) {
    if (tm == NULL || tm->version == 0) return NULL;
    /* Read only the fields the module's declared version has: an older
     * module's struct may end early. */
    uint64_t v = tm->version;
    void *m[RMB_TYPE_METHODS] = {tm->rdb_load, tm->rdb_save, tm->aof_rewrite, tm->mem_usage, tm->digest, tm->free};
    int triggers = 0;
    if (v >= 2) {
        m[6] = tm->aux_load;
        m[7] = tm->aux_save;
        triggers = tm->aux_save_triggers;
    }
    if (v >= 3) {
        m[8] = tm->free_effort;
        m[9] = tm->unlink;
        m[10] = tm->copy;
        m[11] = (void *)tm->defrag;
    }
    if (v >= 4) {
        m[12] = tm->mem_usage2;
        m[13] = tm->free_effort2;
        m[14] = tm->unlink2;
        m[15] = tm->copy2;
    }
    return goRM_CreateDataType(ctx, (char *)name, encver, (long long)v, m, triggers);
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

/* Key names and db ids of v4 type methods and digests: plain reads of the
 * structs the Go side filled for the call. */
const RedisModuleString *rm_GetKeyNameFromOptCtx(RedisModuleKeyOptCtx *ctx) { return ctx->from_key; }
const RedisModuleString *rm_GetToKeyNameFromOptCtx(RedisModuleKeyOptCtx *ctx) { return ctx->to_key; }
int rm_GetDbIdFromOptCtx(RedisModuleKeyOptCtx *ctx) { return ctx->from_dbid; }
int rm_GetToDbIdFromOptCtx(RedisModuleKeyOptCtx *ctx) { return ctx->to_dbid; }
const RedisModuleString *rm_GetKeyNameFromDigest(RedisModuleDigest *dig) { return dig->key; }
int rm_GetDbIdFromDigest(RedisModuleDigest *dig) { return dig->dbid; }
