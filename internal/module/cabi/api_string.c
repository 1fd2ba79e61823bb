/* Strings family. A RedisModuleString is a C struct with a reference
 * count; its bytes are C memory, NUL terminated, owned by the struct.
 * Conversions that must match the server's parsing go to Go. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

RedisModuleString *rmb_str_new(const char *ptr, size_t len) {
    RedisModuleString *s = rm_Alloc(sizeof(*s));
    s->ptr = rm_Alloc(len + 1);
    if (len) memcpy(s->ptr, ptr, len);
    s->ptr[len] = 0;
    s->len = len;
    s->refcount = 1;
    return s;
}

void rmb_str_decr(RedisModuleString *s) {
    if (s == NULL) return;
    if (__atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
        rm_Free(s->ptr);
        rm_Free(s);
    }
}

RedisModuleString **rmb_argv_new(const char *buf, const size_t *lens, int n) {
    RedisModuleString **argv = rm_Alloc(sizeof(*argv) * (n ? n : 1));
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        argv[i] = rmb_str_new(buf + off, lens[i]);
        off += lens[i];
    }
    return argv;
}

void rmb_argv_free(RedisModuleString **argv, int n) {
    for (int i = 0; i < n; i++) rmb_str_decr(argv[i]);
    rm_Free(argv);
}

static RedisModuleString *track(RedisModuleCtx *ctx, RedisModuleString *s) {
    rmb_auto_add(ctx, RMB_AUTO_STRING, s);
    return s;
}

RedisModuleString *rm_CreateString(RedisModuleCtx *ctx, const char *ptr, size_t len) {
    return track(ctx, rmb_str_new(ptr, len));
}

RedisModuleString *rm_CreateStringFromLongLong(RedisModuleCtx *ctx, long long ll) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lld", ll);
    return rm_CreateString(ctx, buf, n);
}

RedisModuleString *rm_CreateStringFromULongLong(RedisModuleCtx *ctx, unsigned long long ull) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%llu", ull);
    return rm_CreateString(ctx, buf, n);
}

RedisModuleString *rm_CreateStringFromDouble(RedisModuleCtx *ctx, double d) {
    char buf[64];
    int n = goRM_FormatDouble(d, buf, sizeof(buf));
    return rm_CreateString(ctx, buf, n);
}

RedisModuleString *rm_CreateStringFromString(RedisModuleCtx *ctx, const RedisModuleString *str) {
    return rm_CreateString(ctx, str->ptr, str->len);
}

RedisModuleString *rm_CreateStringPrintf(RedisModuleCtx *ctx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    RedisModuleString *s;
    if (n < 0) {
        s = rm_CreateString(ctx, "", 0);
    } else if ((size_t)n < sizeof(small)) {
        s = rm_CreateString(ctx, small, n);
    } else {
        char *big = rm_Alloc(n + 1);
        vsnprintf(big, n + 1, fmt, ap2);
        s = rm_CreateString(ctx, big, n);
        rm_Free(big);
    }
    va_end(ap2);
    return s;
}

/* rm_FreeString drops one reference (and the auto-memory entry, if the
 * string is tracked by ctx). */
void rm_FreeString(RedisModuleCtx *ctx, RedisModuleString *str) {
    if (str == NULL) return;
    rmb_auto_remove(ctx, RMB_AUTO_STRING, str);
    rmb_str_decr(str);
}

/* rm_RetainString: a tracked string is taken out of the auto-memory queue
 * instead of gaining a reference, as Redis does. */
void rm_RetainString(RedisModuleCtx *ctx, RedisModuleString *str) {
    if (!rmb_auto_remove(ctx, RMB_AUTO_STRING, str))
        __atomic_add_fetch(&str->refcount, 1, __ATOMIC_RELAXED);
}

RedisModuleString *rm_HoldString(RedisModuleCtx *ctx, RedisModuleString *str) {
    if (str == NULL) return NULL;
    __atomic_add_fetch(&str->refcount, 1, __ATOMIC_RELAXED);
    return track(ctx, str);
}

static const char null_string_text[] = "(NULL string reply referenced in module)";

const char *rm_StringPtrLen(const RedisModuleString *str, size_t *len) {
    if (str == NULL) {
        if (len) *len = sizeof(null_string_text) - 1;
        return null_string_text;
    }
    if (len) *len = str->len;
    return str->ptr;
}

int rm_StringToLongLong(const RedisModuleString *str, long long *ll) {
    return goRM_StringToLongLong((char *)str->ptr, str->len, ll);
}

int rm_StringToULongLong(const RedisModuleString *str, unsigned long long *ull) {
    return goRM_StringToULongLong((char *)str->ptr, str->len, ull);
}

int rm_StringToDouble(const RedisModuleString *str, double *d) {
    return goRM_StringToDouble((char *)str->ptr, str->len, d);
}

/* rm_StringAppendBuffer: only a string with a single reference may grow. */
int rm_StringAppendBuffer(RedisModuleCtx *ctx, RedisModuleString *str, const char *buf, size_t len) {
    (void)ctx;
    if (str->refcount != 1) return REDISMODULE_ERR;
    str->ptr = rm_Realloc(str->ptr, str->len + len + 1);
    memcpy(str->ptr + str->len, buf, len);
    str->len += len;
    str->ptr[str->len] = 0;
    return REDISMODULE_OK;
}

void rm_TrimStringAllocation(RedisModuleString *str) {
    if (str && str->refcount == 1) str->ptr = rm_Realloc(str->ptr, str->len + 1);
}

/* rm_StringCompare returns what Redis does: memcmp's own value on the
 * common prefix, else the length difference (not just -1/0/1). */
int rm_StringCompare(const RedisModuleString *a, const RedisModuleString *b) {
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->ptr, b->ptr, n);
    if (c != 0) return c;
    return (int)(a->len - b->len);
}
