/* Misc family: logging (variadic), time, client and server facts. */
#include <stdio.h>
#include <time.h>
#include "bridge.h"
#include "_cgo_export.h"

void rm_Log(RedisModuleCtx *ctx, const char *level, const char *fmt, ...) {
    char msg[1024]; /* Redis truncates module log lines too */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof(msg)) n = sizeof(msg) - 1;
    if (rmb_in_fork_child) { /* Go cannot run in a fork child */
        rmb_child_module_log(ctx, level, msg);
        return;
    }
    goRM_Log(ctx, (char *)level, msg, n);
}

long long rm_Milliseconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned long long rm_GetClientId(RedisModuleCtx *ctx) { return goRM_GetClientId(ctx); }

int rm_GetServerVersion(void) { return goRM_GetServerVersion(); }

/* Context queries and small APIs served by goRM_CtxOp (op codes in
 * api_misc.go). */
int rm_IsKeysPositionRequest(RedisModuleCtx *ctx) { return (int)goRM_CtxOp(ctx, 0, 0, 0); }
void rm_KeyAtPos(RedisModuleCtx *ctx, int pos) { goRM_CtxOp(ctx, 1, pos, 0); }
void rm_KeyAtPosWithFlags(RedisModuleCtx *ctx, int pos, int flags) { goRM_CtxOp(ctx, 1, pos, flags); }
int rm_GetContextFlags(RedisModuleCtx *ctx) { return (int)goRM_CtxOp(ctx, 2, 0, 0); }
unsigned long long rm_DbSize(RedisModuleCtx *ctx) { return (unsigned long long)goRM_CtxOp(ctx, 3, 0, 0); }
int rm_ReplicateVerbatim(RedisModuleCtx *ctx) { return (int)goRM_CtxOp(ctx, 4, 0, 0); }
int rm_GetContextFlagsAll(void) { return (int)goRM_CtxOp(NULL, 5, 0, 0); }
int rm_AvoidReplicaTraffic(void) { return (int)goRM_CtxOp(NULL, 6, 0, 0); }
uint64_t rm_MonotonicMicroseconds(void) { return (uint64_t)goRM_CtxOp(NULL, 7, 0, 0); }

RedisModuleString *rm_RandomKey(RedisModuleCtx *ctx) { return goRM_RandomKey(ctx); }

int rm_SignalModifiedKey(RedisModuleCtx *ctx, RedisModuleString *keyname) {
    return goRM_SignalModifiedKey(ctx, keyname->ptr, keyname->len);
}

void rm_GetRandomBytes(unsigned char *dst, size_t len) { goRM_Random((char *)dst, len, 0); }
void rm_GetRandomHexChars(char *dst, size_t len) { goRM_Random(dst, len, 1); }

int rm_ExportSharedAPI(RedisModuleCtx *ctx, const char *apiname, void *func) {
    return goRM_ExportSharedAPI(ctx, (char *)apiname, func);
}

void *rm_GetSharedAPI(RedisModuleCtx *ctx, const char *apiname) { return goRM_GetSharedAPI(ctx, (char *)apiname); }

RedisModuleString *rm_GetClientNameById(RedisModuleCtx *ctx, uint64_t id) { return goRM_GetClientNameById(ctx, id); }
