/* Scan and command-key APIs. A Scan callback gets a C key valid only for
 * the callback (built by rmb_scan_key, freed after it). */
#include "bridge.h"
#include "_cgo_export.h"

RedisModuleScanCursor *rm_ScanCursorCreate(void) {
    RedisModuleScanCursor *c = rm_Calloc(1, sizeof(*c));
    c->h = goRM_ScanCursorNew();
    return c;
}

void rm_ScanCursorRestart(RedisModuleScanCursor *cursor) { goRM_ScanCursorOp(cursor->h, 0); }

void rm_ScanCursorDestroy(RedisModuleScanCursor *cursor) {
    if (cursor == NULL) return;
    goRM_ScanCursorOp(cursor->h, 1);
    rm_Free(cursor);
}

void rmb_call_scan(void *fn, RedisModuleCtx *ctx, uintptr_t kh, const char *name, size_t len, void *priv) {
    RedisModuleString *kn = rmb_str_new(name, len);
    RedisModuleKey *k = rm_Calloc(1, sizeof(*k));
    k->h = kh;
    k->ctx = ctx;
    k->name = kn;
    kn->refcount++;
    ((RedisModuleScanCB)fn)(ctx, kn, k, priv);
    if (k->dma) rm_Free(k->dma);
    rmb_str_decr(k->name);
    rm_Free(k);
    rmb_str_decr(kn);
}

int rm_Scan(RedisModuleCtx *ctx, RedisModuleScanCursor *cursor, RedisModuleScanCB fn, void *privdata) {
    if (cursor == NULL || fn == NULL) return 0;
    return goRM_Scan(ctx, cursor->h, (void *)fn, privdata);
}

int *rm_GetCommandKeysWithFlags(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int *num_keys,
                                int **out_flags) {
    const char **ptrs = rm_Alloc(sizeof(char *) * (argc ? argc : 1));
    size_t *lens = rm_Alloc(sizeof(size_t) * (argc ? argc : 1));
    for (int i = 0; i < argc; i++) {
        ptrs[i] = argv[i]->ptr;
        lens[i] = argv[i]->len;
    }
    int *keys = goRM_GetCommandKeys(ctx, (char **)ptrs, lens, argc, num_keys, out_flags);
    rm_Free(ptrs);
    rm_Free(lens);
    return keys;
}

int *rm_GetCommandKeys(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int *num_keys) {
    return rm_GetCommandKeysWithFlags(ctx, argv, argc, num_keys, NULL);
}

#include <errno.h>
void rmb_set_errno(int e) { errno = e; }
