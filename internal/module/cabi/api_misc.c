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
    goRM_Log(ctx, (char *)level, msg, n);
}

long long rm_Milliseconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned long long rm_GetClientId(RedisModuleCtx *ctx) { return goRM_GetClientId(ctx); }

int rm_GetServerVersion(void) { return goRM_GetServerVersion(); }
