/* Loading and contexts: dlopen/dlsym, the trampolines Go uses to call
 * module function pointers, and the C side of RedisModuleCtx (auto-memory
 * queue and PoolAlloc blocks). */
#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

void *rmb_dlopen(const char *path, char **err) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        const char *e = dlerror();
        *err = strdup(e ? e : "dlopen failed");
    }
    return h;
}

void *rmb_dlsym(void *handle, const char *name) { return dlsym(handle, name); }

int rmb_dlclose(void *handle) { return dlclose(handle); }

typedef int (*onload_fn)(RedisModuleCtx *, RedisModuleString **, int);
typedef int (*onunload_fn)(RedisModuleCtx *);

int rmb_call_onload(void *fn, RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return ((onload_fn)fn)(ctx, argv, argc);
}

int rmb_call_onunload(void *fn, RedisModuleCtx *ctx) { return ((onunload_fn)fn)(ctx); }

int rmb_call_cmd(void *fn, RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return ((RedisModuleCmdFunc)fn)(ctx, argv, argc);
}

unsigned long rmb_epoch;

/* rmb_ctx_scratch grows a context's argument scratch area to hold at
 * least bytes bytes and argc lengths. */
void rmb_ctx_scratch(RedisModuleCtx *ctx, size_t bytes, int argc) {
    if (bytes > ctx->scratchcap) {
        size_t cap = bytes < 256 ? 256 : bytes;
        rm_Free(ctx->scratch);
        ctx->scratch = rm_Alloc(cap);
        ctx->scratchcap = cap;
    }
    if (argc > ctx->lenscap) {
        int cap = argc < 8 ? 8 : argc;
        rm_Free(ctx->lens);
        ctx->lens = rm_Alloc(sizeof(size_t) * cap);
        ctx->lenscap = cap;
    }
}

/* rmb_ctx_reset ends a callback on a reusable context: auto memory, then
 * PoolAlloc memory. */
static void rmb_ctx_reset(RedisModuleCtx *ctx) {
    rmb_ctx_collect(ctx);
    ctx->automem = 0;
    ctx->autolen = 0;
    rmbPoolBlock *b = ctx->pool;
    while (b) {
        rmbPoolBlock *next = b->next;
        rm_Free(b);
        b = next;
    }
    ctx->pool = NULL;
}

/* rmb_run_cmd runs a command on a reusable context whose scratch area
 * holds the arguments (argc lengths in lens, the bytes back to back in
 * scratch): it builds argv, reusing the strings of the previous command
 * that the module did not keep (reference count back to 1), calls fn,
 * releases auto memory and drops the argv references. One cgo call per
 * command instead of one per step. */
int rmb_run_cmd(uintptr_t fnp, uintptr_t ctxp, int argc) {
    void *fn = (void *)fnp;
    RedisModuleCtx *ctx = (RedisModuleCtx *)ctxp;
    if (argc > ctx->argvcap) {
        ctx->argvc = rm_Realloc(ctx->argvc, sizeof(*ctx->argvc) * argc);
        memset(ctx->argvc + ctx->argvcap, 0, sizeof(*ctx->argvc) * (argc - ctx->argvcap));
        ctx->argvcap = argc;
    }
    size_t off = 0;
    for (int i = 0; i < argc; i++) {
        size_t len = ctx->lens[i];
        RedisModuleString *s = ctx->argvc[i];
        if (s == NULL) {
            s = rmb_str_new(ctx->scratch + off, len);
            ctx->argvc[i] = s;
        } else {
            if (malloc_usable_size(s->ptr) < len + 1) s->ptr = rm_Realloc(s->ptr, len + 1);
            if (len) memcpy(s->ptr, ctx->scratch + off, len);
            s->ptr[len] = 0;
            s->len = len;
        }
        off += len;
    }
    /* The module gets its own array: it may reorder or overwrite entries. */
    RedisModuleString *small[8];
    RedisModuleString **argv = argc <= 8 ? small : rm_Alloc(sizeof(*argv) * argc);
    memcpy(argv, ctx->argvc, sizeof(*argv) * argc);
    int ret = ((RedisModuleCmdFunc)fn)(ctx, argv, argc);
    if (argv != small) rm_Free(argv);
    rmb_ctx_reset(ctx);
    ctx->gen++; /* what key handles of this command cached is now void */
    for (int i = 0; i < argc; i++) {
        RedisModuleString *s = ctx->argvc[i];
        if (s->refcount != 1) {
            /* Retained or held: the module keeps it; drop ours. */
            rmb_str_decr(s);
            ctx->argvc[i] = NULL;
        }
    }
    return ret;
}

RedisModuleCtx *rmb_ctx_new(uintptr_t h) {
    RedisModuleCtx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL) abort();
    ctx->getapi = (void *)rm_GetApi;
    ctx->h = h;
    return ctx;
}

void rmb_auto_add(RedisModuleCtx *ctx, int kind, void *ptr) {
    if (ctx == NULL || !ctx->automem || ptr == NULL) return;
    if (ctx->autolen == ctx->autocap) {
        ctx->autocap = ctx->autocap ? ctx->autocap * 2 : 16;
        ctx->autov = realloc(ctx->autov, ctx->autocap * sizeof(rmbAuto));
        if (ctx->autov == NULL) abort();
    }
    ctx->autov[ctx->autolen].kind = kind;
    ctx->autov[ctx->autolen].ptr = ptr;
    ctx->autolen++;
}

/* rmb_auto_remove drops ptr from the queue (latest first); 1 if found. */
int rmb_auto_remove(RedisModuleCtx *ctx, int kind, void *ptr) {
    if (ctx == NULL || !ctx->automem) return 0;
    for (size_t i = ctx->autolen; i > 0; i--) {
        if (ctx->autov[i - 1].kind == kind && ctx->autov[i - 1].ptr == ptr) {
            ctx->autov[i - 1] = ctx->autov[ctx->autolen - 1];
            ctx->autolen--;
            return 1;
        }
    }
    return 0;
}

/* rmb_ctx_collect releases what auto memory tracked, in creation order. */
void rmb_ctx_collect(RedisModuleCtx *ctx) {
    if (!ctx->automem) return;
    ctx->automem = 0; /* the frees below must not search the queue */
    for (size_t i = 0; i < ctx->autolen; i++) {
        void *p = ctx->autov[i].ptr;
        switch (ctx->autov[i].kind) {
        case RMB_AUTO_STRING: rmb_str_decr(p); break;
        case RMB_AUTO_KEY: rm_CloseKey(p); break;
        case RMB_AUTO_REPLY: rm_FreeCallReply(p); break;
        }
    }
    ctx->autolen = 0;
    ctx->automem = 1;
}

void rmb_ctx_free(RedisModuleCtx *ctx) {
    rmb_ctx_collect(ctx);
    free(ctx->autov);
    for (int i = 0; i < ctx->argvcap; i++) rmb_str_decr(ctx->argvc[i]);
    rm_Free(ctx->argvc);
    rm_Free(ctx->scratch);
    rm_Free(ctx->lens);
    rm_Free(ctx->closed);
    rm_Free(ctx->rbuf);
    while (ctx->freereplies) {
        RedisModuleCallReply *r = ctx->freereplies;
        ctx->freereplies = r->attr;
        rm_Free(r);
    }
    while (ctx->freekeys) {
        RedisModuleKey *k = ctx->freekeys;
        ctx->freekeys = (RedisModuleKey *)k->dma;
        rm_Free(k);
    }
    rmbPoolBlock *b = ctx->pool;
    while (b) {
        rmbPoolBlock *next = b->next;
        rm_Free(b);
        b = next;
    }
    free(ctx);
}

int rm_GetApi(const char *name, void *target) {
    void *fn = goRM_GetApi((char *)name);
    if (fn == NULL) return REDISMODULE_ERR;
    *(void **)target = fn;
    return REDISMODULE_OK;
}
