/* Loading and contexts: dlopen/dlsym, the trampolines Go uses to call
 * module function pointers, and the C side of RedisModuleCtx (auto-memory
 * queue and PoolAlloc blocks). */
#include <dlfcn.h>
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
