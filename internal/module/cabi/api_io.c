/* RDB/AOF IO and digest family: shims over the engine's IO stream. */
#include <stdio.h>
#include "bridge.h"
#include "_cgo_export.h"

int rm_IsIOError(RedisModuleIO *io) { return (int)goRM_IOInt(io->h, 0, 0); }
void rm_SaveUnsigned(RedisModuleIO *io, uint64_t value) { goRM_IOInt(io->h, 1, (long long)value); }
uint64_t rm_LoadUnsigned(RedisModuleIO *io) { return (uint64_t)goRM_IOInt(io->h, 2, 0); }
void rm_SaveSigned(RedisModuleIO *io, int64_t value) { goRM_IOInt(io->h, 3, value); }
int64_t rm_LoadSigned(RedisModuleIO *io) { return goRM_IOInt(io->h, 4, 0); }
int rm_GetDbIdFromIO(RedisModuleIO *io) { return (int)goRM_IOInt(io->h, 5, 0); }

void rm_SaveStringBuffer(RedisModuleIO *io, const char *str, size_t len) { goRM_IOSaveBuffer(io->h, (char *)str, len); }
void rm_SaveString(RedisModuleIO *io, RedisModuleString *s) { goRM_IOSaveBuffer(io->h, s->ptr, s->len); }

char *rm_LoadStringBuffer(RedisModuleIO *io, size_t *lenptr) {
    size_t n = 0;
    char *p = goRM_IOLoadBuffer(io->h, &n);
    if (lenptr) *lenptr = n;
    return p;
}

RedisModuleString *rm_LoadString(RedisModuleIO *io) {
    size_t n = 0;
    char *p = goRM_IOLoadBuffer(io->h, &n);
    if (p == NULL) return NULL;
    RedisModuleString *s = rmb_str_new(p, n);
    rm_Free(p);
    return s;
}

void rm_SaveDouble(RedisModuleIO *io, double value) { goRM_IODouble(io->h, 0, value); }
double rm_LoadDouble(RedisModuleIO *io) { return goRM_IODouble(io->h, 1, 0); }
void rm_SaveFloat(RedisModuleIO *io, float value) { goRM_IODouble(io->h, 2, value); }
float rm_LoadFloat(RedisModuleIO *io) { return (float)goRM_IODouble(io->h, 3, 0); }

RedisModuleCtx *rm_GetContextFromIO(RedisModuleIO *io) {
    if (io->ctx == NULL) io->ctx = goRM_IOContext(io->h);
    return io->ctx;
}

const RedisModuleString *rm_GetKeyNameFromIO(RedisModuleIO *io) {
    if (io->key == NULL) {
        size_t n = 0;
        char *p = goRM_IOKeyName(io->h, &n);
        if (p == NULL) return NULL;
        io->key = rmb_str_new(p, n);
        rm_Free(p);
    }
    return io->key;
}

void rm_LogIOError(RedisModuleIO *io, const char *levelstr, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof(msg)) n = sizeof(msg) - 1;
    if (rmb_in_fork_child) { /* Go cannot run in a fork child */
        rmb_child_module_log(io->ctx, levelstr, msg);
        return;
    }
    goRM_Log(rm_GetContextFromIO(io), (char *)levelstr, msg, n);
}

void rm_DigestAddStringBuffer(RedisModuleDigest *md, const char *ele, size_t len) {
    goRM_Digest(md->h, 0, (char *)ele, len, 0);
}
void rm_DigestAddLongLong(RedisModuleDigest *md, long long ele) { goRM_Digest(md->h, 1, NULL, 0, ele); }
void rm_DigestEndSequence(RedisModuleDigest *md) { goRM_Digest(md->h, 2, NULL, 0, 0); }
