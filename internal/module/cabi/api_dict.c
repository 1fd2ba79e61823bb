/* Dict family: a RedisModuleDict is a C struct holding a handle to the
 * engine's sorted dict; values are the module's opaque pointers. An
 * iterator keeps the last key it returned in C memory (DictNextC's
 * result is valid until the next call or Stop). */
#include "bridge.h"
#include "_cgo_export.h"

RedisModuleDict *rm_CreateDict(RedisModuleCtx *ctx) {
    (void)ctx;
    RedisModuleDict *d = rm_Calloc(1, sizeof(*d));
    d->h = goRM_DictNew();
    return d;
}

void rm_FreeDict(RedisModuleCtx *ctx, RedisModuleDict *d) {
    (void)ctx;
    if (d == NULL) return;
    goRM_HandleDelete(d->h);
    rm_Free(d);
}

uint64_t rm_DictSize(RedisModuleDict *d) { return goRM_DictSize(d->h); }

int rm_DictSetC(RedisModuleDict *d, void *key, size_t keylen, void *ptr) {
    return goRM_DictSet(d->h, key, keylen, ptr, 0);
}
int rm_DictReplaceC(RedisModuleDict *d, void *key, size_t keylen, void *ptr) {
    return goRM_DictSet(d->h, key, keylen, ptr, 1);
}
int rm_DictSet(RedisModuleDict *d, RedisModuleString *key, void *ptr) {
    return rm_DictSetC(d, key->ptr, key->len, ptr);
}
int rm_DictReplace(RedisModuleDict *d, RedisModuleString *key, void *ptr) {
    return rm_DictReplaceC(d, key->ptr, key->len, ptr);
}

void *rm_DictGetC(RedisModuleDict *d, void *key, size_t keylen, int *nokey) {
    return goRM_DictGet(d->h, key, keylen, nokey);
}
void *rm_DictGet(RedisModuleDict *d, RedisModuleString *key, int *nokey) {
    return rm_DictGetC(d, key->ptr, key->len, nokey);
}

int rm_DictDelC(RedisModuleDict *d, void *key, size_t keylen, void *oldval) {
    return goRM_DictDel(d->h, key, keylen, oldval);
}
int rm_DictDel(RedisModuleDict *d, RedisModuleString *key, void *oldval) {
    return rm_DictDelC(d, key->ptr, key->len, oldval);
}

RedisModuleDictIter *rm_DictIteratorStartC(RedisModuleDict *d, const char *op, void *key, size_t keylen) {
    uintptr_t h = goRM_DictIterStart(d->h, (char *)op, key, keylen);
    if (h == 0) return NULL;
    RedisModuleDictIter *it = rm_Calloc(1, sizeof(*it));
    it->h = h;
    return it;
}
RedisModuleDictIter *rm_DictIteratorStart(RedisModuleDict *d, const char *op, RedisModuleString *key) {
    return rm_DictIteratorStartC(d, op, key->ptr, key->len);
}

void rm_DictIteratorStop(RedisModuleDictIter *di) {
    if (di == NULL) return;
    goRM_HandleDelete(di->h);
    rm_Free(di->key);
    rm_Free(di);
}

int rm_DictIteratorReseekC(RedisModuleDictIter *di, const char *op, void *key, size_t keylen) {
    return goRM_DictIterOp(di->h, (char *)op, key, keylen, 0);
}
int rm_DictIteratorReseek(RedisModuleDictIter *di, const char *op, RedisModuleString *key) {
    return rm_DictIteratorReseekC(di, op, key->ptr, key->len);
}
int rm_DictCompareC(RedisModuleDictIter *di, const char *op, void *key, size_t keylen) {
    return goRM_DictIterOp(di->h, (char *)op, key, keylen, 1);
}
int rm_DictCompare(RedisModuleDictIter *di, const char *op, RedisModuleString *key) {
    return rm_DictCompareC(di, op, key->ptr, key->len);
}

/* step stores the next key in the iterator's buffer; NULL at the end. */
static void *step(RedisModuleDictIter *di, size_t *keylen, void **dataptr, int forward) {
    size_t n = 0;
    void *data = NULL;
    if (!goRM_DictStep(di->h, forward, &di->key, &di->keycap, &n, &data)) return NULL;
    if (keylen) *keylen = n;
    if (dataptr) *dataptr = data;
    return di->key;
}

void *rm_DictNextC(RedisModuleDictIter *di, size_t *keylen, void **dataptr) { return step(di, keylen, dataptr, 1); }
void *rm_DictPrevC(RedisModuleDictIter *di, size_t *keylen, void **dataptr) { return step(di, keylen, dataptr, 0); }

RedisModuleString *rm_DictNext(RedisModuleCtx *ctx, RedisModuleDictIter *di, void **dataptr) {
    size_t n;
    void *k = step(di, &n, dataptr, 1);
    return k ? rm_CreateString(ctx, k, n) : NULL;
}
RedisModuleString *rm_DictPrev(RedisModuleCtx *ctx, RedisModuleDictIter *di, void **dataptr) {
    size_t n;
    void *k = step(di, &n, dataptr, 0);
    return k ? rm_CreateString(ctx, k, n) : NULL;
}
