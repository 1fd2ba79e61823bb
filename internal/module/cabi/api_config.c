/* Module configs: getters, setters and apply callbacks through C
 * trampolines; privdata stays opaque. */
#include "bridge.h"
#include "_cgo_export.h"

RedisModuleString *rmb_cfg_get_string(void *fn, const char *name, void *priv) {
    return ((RedisModuleConfigGetStringFunc)fn)(name, priv);
}
long long rmb_cfg_get_numeric(void *fn, const char *name, void *priv) {
    return ((RedisModuleConfigGetNumericFunc)fn)(name, priv);
}
int rmb_cfg_get_bool(void *fn, const char *name, void *priv) { return ((RedisModuleConfigGetBoolFunc)fn)(name, priv); }
int rmb_cfg_get_enum(void *fn, const char *name, void *priv) { return ((RedisModuleConfigGetEnumFunc)fn)(name, priv); }
int rmb_cfg_set_string(void *fn, const char *name, RedisModuleString *v, void *priv, RedisModuleString **err) {
    return ((RedisModuleConfigSetStringFunc)fn)(name, v, priv, err);
}
int rmb_cfg_set_numeric(void *fn, const char *name, long long v, void *priv, RedisModuleString **err) {
    return ((RedisModuleConfigSetNumericFunc)fn)(name, v, priv, err);
}
int rmb_cfg_set_bool(void *fn, const char *name, int v, void *priv, RedisModuleString **err) {
    return ((RedisModuleConfigSetBoolFunc)fn)(name, v, priv, err);
}
int rmb_cfg_set_enum(void *fn, const char *name, int v, void *priv, RedisModuleString **err) {
    return ((RedisModuleConfigSetEnumFunc)fn)(name, v, priv, err);
}
int rmb_cfg_apply(void *fn, RedisModuleCtx *ctx, void *priv, RedisModuleString **err) {
    return ((RedisModuleConfigApplyFunc)fn)(ctx, priv, err);
}

int rm_RegisterStringConfig(RedisModuleCtx *ctx, const char *name, const char *default_val, unsigned int flags,
                            RedisModuleConfigGetStringFunc getfn, RedisModuleConfigSetStringFunc setfn,
                            RedisModuleConfigApplyFunc applyfn, void *privdata) {
    return goRM_RegisterConfig(ctx, 0, (char *)name, (char *)default_val, 0, flags, 0, 0, NULL, NULL, 0,
                               (void *)getfn, (void *)setfn, (void *)applyfn, privdata);
}

int rm_RegisterBoolConfig(RedisModuleCtx *ctx, const char *name, int default_val, unsigned int flags,
                          RedisModuleConfigGetBoolFunc getfn, RedisModuleConfigSetBoolFunc setfn,
                          RedisModuleConfigApplyFunc applyfn, void *privdata) {
    return goRM_RegisterConfig(ctx, 1, (char *)name, NULL, default_val, flags, 0, 0, NULL, NULL, 0, (void *)getfn,
                               (void *)setfn, (void *)applyfn, privdata);
}

int rm_RegisterNumericConfig(RedisModuleCtx *ctx, const char *name, long long default_val, unsigned int flags,
                             long long min, long long max, RedisModuleConfigGetNumericFunc getfn,
                             RedisModuleConfigSetNumericFunc setfn, RedisModuleConfigApplyFunc applyfn,
                             void *privdata) {
    return goRM_RegisterConfig(ctx, 2, (char *)name, NULL, default_val, flags, min, max, NULL, NULL, 0,
                               (void *)getfn, (void *)setfn, (void *)applyfn, privdata);
}

int rm_RegisterEnumConfig(RedisModuleCtx *ctx, const char *name, int default_val, unsigned int flags,
                          const char **enum_values, const int *int_values, int num_enum_vals,
                          RedisModuleConfigGetEnumFunc getfn, RedisModuleConfigSetEnumFunc setfn,
                          RedisModuleConfigApplyFunc applyfn, void *privdata) {
    return goRM_RegisterConfig(ctx, 3, (char *)name, NULL, default_val, flags, 0, 0, (char **)enum_values,
                               (int *)int_values, num_enum_vals, (void *)getfn, (void *)setfn, (void *)applyfn,
                               privdata);
}

int rm_LoadConfigs(RedisModuleCtx *ctx) { return (int)goRM_CtxOp(ctx, 13, 0, 0); }
