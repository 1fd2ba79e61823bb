/* Keys family. A RedisModuleKey is C memory holding a handle to the Go
 * key, the key name (one reference) and the StringDMA buffer. */
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

int rm_GetSelectedDb(RedisModuleCtx *ctx) { return goRM_CtxInt(ctx, 0, 0); }
int rm_SelectDb(RedisModuleCtx *ctx, int newid) { return goRM_CtxInt(ctx, 1, newid); }

int rm_KeyExists(RedisModuleCtx *ctx, RedisModuleString *keyname) {
    return goRM_KeyExists(ctx, keyname->ptr, keyname->len);
}

RedisModuleKey *rm_OpenKey(RedisModuleCtx *ctx, RedisModuleString *keyname, int mode) {
    rmbKeyInfo info = {0};
    uintptr_t h = goRM_OpenKey(ctx, keyname->ptr, keyname->len, mode, &info);
    if (h == 0) return NULL;
    RedisModuleKey *k;
    if (ctx != NULL && ctx->freekeys != NULL) {
        k = ctx->freekeys;
        ctx->freekeys = (RedisModuleKey *)k->dma;
        memset(k, 0, sizeof(*k));
    } else {
        k = rm_Calloc(1, sizeof(*k));
    }
    k->h = h;
    k->ctx = ctx;
    k->name = keyname;
    k->mode = mode;
    k->type = info.type;
    k->hasv = info.hasv;
    k->vptr = (const char *)info.ptr;
    k->vlen = info.len;
    k->epoch = rmb_epoch;
    k->cgen = ctx ? ctx->gen : 0;
    __atomic_add_fetch(&keyname->refcount, 1, __ATOMIC_RELAXED);
    rmb_auto_add(ctx, RMB_AUTO_KEY, k);
    return k;
}

/* rmb_key_valid reports whether what k cached is still current. */
/* Only during the command that opened it (command contexts are reused,
 * never freed while the module is loaded): other clients' commands run
 * between commands and do not move rmb_epoch. */
static int key_valid(RedisModuleKey *k) {
    return k->epoch == rmb_epoch && k->ctx != NULL && k->ctx->deferclose && k->cgen == k->ctx->gen;
}

/* rmb_defer_release queues a handle for Go to release after the command:
 * a READ key (closing one changes nothing a module can observe) or a
 * freed call reply. */
void rmb_defer_release(RedisModuleCtx *ctx, uintptr_t h, int kind) {
    if (ctx->nclosed == ctx->closedcap) {
        ctx->closedcap = ctx->closedcap ? ctx->closedcap * 2 : 8;
        ctx->closed = rm_Realloc(ctx->closed, sizeof(*ctx->closed) * ctx->closedcap);
    }
    ctx->closed[ctx->nclosed++] = h << 2 | (uintptr_t)kind;
}

/* rmb_key_dma_drop writes a writable DMA buffer back, then forgets it. */
static void dma_drop(RedisModuleKey *k) {
    if (k->dma == NULL) return;
    if (k->dmawrite) {
        goRM_DMAWriteBack(k->h, k->dma, k->dmalen);
        goRM_DMATrack(k->ctx, k, 0);
    }
    rm_Free(k->dma);
    k->dma = NULL;
    k->dmalen = 0;
    k->dmawrite = 0;
}

void rm_CloseKey(RedisModuleKey *kp) {
    if (kp == NULL) return;
    rmb_auto_remove(kp->ctx, RMB_AUTO_KEY, kp);
    dma_drop(kp);
    if (!(kp->mode & REDISMODULE_WRITE) && kp->ctx != NULL && kp->ctx->deferclose)
        rmb_defer_release(kp->ctx, kp->h, RMB_DEFER_KEY);
    else
        goRM_CloseKey(kp->h);
    rmb_str_decr(kp->name);
    if (kp->ctx != NULL && kp->ctx->deferclose) {
        /* A command context keeps the struct for its next OpenKey (the
         * free list is linked through dma, unused once closed). */
        kp->h = 0;
        kp->dma = (char *)kp->ctx->freekeys;
        kp->ctx->freekeys = kp;
        return;
    }
    rm_Free(kp);
}

int rm_KeyType(RedisModuleKey *kp) {
    if (kp == NULL) return REDISMODULE_KEYTYPE_EMPTY;
    dma_drop(kp);
    if (key_valid(kp)) return kp->type;
    int t = (int)goRM_KeyOp(kp->h, 0, 0);
    kp->type = t;
    kp->hasv = 0;
    kp->epoch = rmb_epoch;
    return t;
}

size_t rm_ValueLength(RedisModuleKey *kp) {
    if (kp == NULL) return 0;
    dma_drop(kp);
    return (size_t)goRM_KeyOp(kp->h, 1, 0);
}

int rm_DeleteKey(RedisModuleKey *key) {
    dma_drop(key);
    return (int)goRM_KeyOp(key->h, 2, 0);
}

int rm_UnlinkKey(RedisModuleKey *key) {
    dma_drop(key);
    return (int)goRM_KeyOp(key->h, 3, 0);
}

mstime_t rm_GetExpire(RedisModuleKey *key) { return goRM_KeyOp(key->h, 4, 0); }

int rm_SetExpire(RedisModuleKey *key, mstime_t expire) { return (int)goRM_KeyOp(key->h, 5, expire); }

int rm_GetDbIdFromModuleKey(RedisModuleKey *key) { return key ? (int)goRM_KeyOp(key->h, 6, 0) : -1; }

const RedisModuleString *rm_GetKeyNameFromModuleKey(RedisModuleKey *key) { return key ? key->name : NULL; }

int rm_StringSet(RedisModuleKey *key, RedisModuleString *str) {
    dma_drop(key);
    return goRM_StringSet(key->h, str->ptr, str->len);
}

int rm_StringTruncate(RedisModuleKey *key, size_t newlen) {
    dma_drop(key);
    return (int)goRM_KeyOp(key->h, 7, (long long)newlen);
}

/* rm_StringDMA copies the value into C memory the module may read (and
 * with REDISMODULE_WRITE modify in place). The buffer stays valid until
 * the key is changed through another API or closed; modifications are
 * written back then, and before any Call. */
static char empty_dma[1];

char *rm_StringDMA(RedisModuleKey *key, size_t *len, int mode) {
    dma_drop(key);
    if (!(mode & REDISMODULE_WRITE) && key_valid(key)) {
        /* A read needs no copy: the bytes OpenKey saw are still current. */
        if (key->hasv) {
            if (len) *len = key->vlen;
            return key->vlen ? (char *)key->vptr : empty_dma;
        }
        if (key->type == REDISMODULE_KEYTYPE_EMPTY) {
            if (len) *len = 0;
            return empty_dma;
        }
        if (key->type != REDISMODULE_KEYTYPE_STRING) return NULL;
    }
    size_t n = 0;
    char *buf = goRM_StringDMA(key->h, mode, &n);
    if (buf == NULL) return NULL;
    key->dma = buf;
    key->dmalen = n;
    key->dmawrite = (mode & REDISMODULE_WRITE) != 0;
    if (key->dmawrite) goRM_DMATrack(key->ctx, key, 1);
    if (len) *len = n;
    return key->dma;
}

/* rmb_key_sync writes back a key's DMA buffer keeping it valid. */
void rmb_key_sync(RedisModuleKey *k) {
    if (k->dma && k->dmawrite) goRM_DMAWriteBack(k->h, k->dma, k->dmalen);
}

mstime_t rm_GetAbsExpire(RedisModuleKey *key) { return goRM_KeyOp(key->h, 8, 0); }

int rm_SetAbsExpire(RedisModuleKey *key, mstime_t expire) { return (int)goRM_KeyOp(key->h, 9, expire); }
