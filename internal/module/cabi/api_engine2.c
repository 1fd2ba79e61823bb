/* Yield, access times (LRU/LFU) and ScanKey. */
#include "bridge.h"
#include "_cgo_export.h"

void rmb_set_errno(int e);

void rm_Yield(RedisModuleCtx *ctx, int flags, const char *busy_reply) {
    if (ctx == NULL) return;
    goRM_Yield(ctx, flags, (char *)busy_reply);
}

/* op: 0 SetLRU, 1 GetLRU, 2 SetLFU, 3 GetLFU. */
int rm_SetLRU(RedisModuleKey *key, mstime_t lru_idle) {
    if (key == NULL) return REDISMODULE_ERR;
    return goRM_KeyAccess(key->h, 0, lru_idle, NULL);
}

int rm_GetLRU(RedisModuleKey *key, mstime_t *lru_idle) {
    long long v = -1;
    int ret = key == NULL ? REDISMODULE_ERR : goRM_KeyAccess(key->h, 1, 0, &v);
    if (lru_idle) *lru_idle = v;
    return ret;
}

int rm_SetLFU(RedisModuleKey *key, long long lfu_freq) {
    if (key == NULL) return REDISMODULE_ERR;
    return goRM_KeyAccess(key->h, 2, lfu_freq, NULL);
}

int rm_GetLFU(RedisModuleKey *key, long long *lfu_freq) {
    long long v = -1;
    int ret = key == NULL ? REDISMODULE_ERR : goRM_KeyAccess(key->h, 3, 0, &v);
    if (lfu_freq) *lfu_freq = v;
    return ret;
}

/* One ScanKey element: strings valid for the callback only. */
void rmb_call_scankey(void *fn, RedisModuleKey *key, const char *f, size_t flen, const char *v, size_t vlen,
                      int hasv, void *priv) {
    RedisModuleString *field = rmb_str_new(f, flen);
    RedisModuleString *value = hasv ? rmb_str_new(v, vlen) : NULL;
    ((RedisModuleScanKeyCB)fn)(key, field, value, priv);
    rmb_str_decr(field);
    if (value) rmb_str_decr(value);
}

int rm_ScanKey(RedisModuleKey *key, RedisModuleScanCursor *cursor, RedisModuleScanKeyCB fn, void *privdata) {
    if (key == NULL || cursor == NULL || fn == NULL) {
        rmb_set_errno(22); /* EINVAL */
        return 0;
    }
    return goRM_ScanKey(key, key->h, cursor->h, (void *)fn, privdata);
}
