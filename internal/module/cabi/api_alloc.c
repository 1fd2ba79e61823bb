/* Allocation family: the C allocator with usable-size accounting, so
 * memory modules hold shows up in INFO memory (UsedMemory). */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"

static long long used_memory;

static void *account(void *p) {
    if (p) __atomic_add_fetch(&used_memory, (long long)malloc_usable_size(p), __ATOMIC_RELAXED);
    return p;
}

long long rmb_used_memory(void) { return __atomic_load_n(&used_memory, __ATOMIC_RELAXED); }

void *rm_TryAlloc(size_t bytes) { return account(malloc(bytes)); }

void *rm_Alloc(size_t bytes) {
    void *p = rm_TryAlloc(bytes ? bytes : 1);
    if (p == NULL) abort(); /* Redis: out of memory is fatal */
    return p;
}

void *rm_Calloc(size_t nmemb, size_t size) {
    void *p = account(calloc(nmemb ? nmemb : 1, size ? size : 1));
    if (p == NULL) abort();
    return p;
}

void *rm_Realloc(void *ptr, size_t bytes) {
    long long old = ptr ? (long long)malloc_usable_size(ptr) : 0;
    void *p = realloc(ptr, bytes ? bytes : 1);
    if (p == NULL) abort();
    __atomic_add_fetch(&used_memory, (long long)malloc_usable_size(p) - old, __ATOMIC_RELAXED);
    return p;
}

void rm_Free(void *ptr) {
    if (ptr == NULL) return;
    __atomic_sub_fetch(&used_memory, (long long)malloc_usable_size(ptr), __ATOMIC_RELAXED);
    free(ptr);
}

char *rm_Strdup(const char *str) {
    size_t n = strlen(str) + 1;
    char *p = rm_Alloc(n);
    memcpy(p, str, n);
    return p;
}

/* rm_PoolAlloc: memory freed with the context. Blocks are individual
 * allocations with a link header, aligned to 16 bytes like malloc. */
void *rm_PoolAlloc(RedisModuleCtx *ctx, size_t bytes) {
    if (ctx == NULL) return NULL;
    size_t hdr = 16;
    rmbPoolBlock *b = rm_Alloc(hdr + bytes);
    b->next = ctx->pool;
    ctx->pool = b;
    return (char *)b + hdr;
}
