/* Long doubles, values as strings, clients by id, dataset reset and the
 * blocked-client handle APIs. Long doubles never cross into Go as binary:
 * C formats and parses them with the C library exactly as Redis does
 * (string2ld / ld2string), and ReplyWithLongDouble hands the engine the
 * exact value as a "%La" hex string. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

#define RMB_MAX_LD_CHARS (5 * 1024) /* Redis's MAX_LONG_DOUBLE_CHARS */

/* rmb_str2ld parses like Redis's string2ld: the whole buffer, no leading
 * space, no NaN, no overflow or underflow to zero. */
static int rmb_str2ld(const char *s, size_t slen, long double *dp) {
    char buf[RMB_MAX_LD_CHARS];
    char *eptr;
    if (slen == 0 || slen >= sizeof(buf)) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    errno = 0;
    long double v = strtold(buf, &eptr);
    if (isspace((unsigned char)buf[0]) || eptr[0] != '\0' ||
        (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || fpclassify(v) == FP_ZERO)) ||
        errno == EINVAL || isnan(v))
        return 0;
    *dp = v;
    return 1;
}

/* rmb_ld2str formats like Redis's ld2string: mode 0 "%.17Lg", 1 "%La",
 * 2 human ("%.17Lf" without trailing zeros, "-0" as "0"). */
static int rmb_ld2str(char *buf, size_t len, long double v, int mode) {
    int l;
    if (isinf(v)) {
        l = v > 0 ? snprintf(buf, len, "inf") : snprintf(buf, len, "-inf");
        return l;
    }
    switch (mode) {
    case 0: l = snprintf(buf, len, "%.17Lg", v); break;
    case 1: l = snprintf(buf, len, "%La", v); break;
    default:
        l = snprintf(buf, len, "%.17Lf", v);
        if (l < 0 || (size_t)l + 1 > len) return 0;
        if (strchr(buf, '.') != NULL) {
            char *p = buf + l - 1;
            while (*p == '0') {
                p--;
                l--;
            }
            if (*p == '.') l--;
        }
        if (l == 2 && buf[0] == '-' && buf[1] == '0') {
            buf[0] = '0';
            l = 1;
        }
        buf[l] = '\0';
        return l;
    }
    if (l < 0 || (size_t)l + 1 > len) return 0;
    return l;
}

int rm_StringToLongDouble(const RedisModuleString *str, long double *d) {
    long double v;
    if (str == NULL || !rmb_str2ld(str->ptr, str->len, &v)) return REDISMODULE_ERR;
    if (d) *d = v;
    return REDISMODULE_OK;
}

RedisModuleString *rm_CreateStringFromLongDouble(RedisModuleCtx *ctx, long double ld, int humanfriendly) {
    char buf[RMB_MAX_LD_CHARS];
    int n = rmb_ld2str(buf, sizeof(buf), ld, humanfriendly ? 2 : 0);
    return rm_CreateString(ctx, buf, n);
}

int rm_ReplyWithLongDouble(RedisModuleCtx *ctx, long double d) {
    char buf[128];
    rmb_reply_flush(ctx); /* replies encoded in C so far go first */
    if (isnan(d)) return goRM_ReplyLongDouble(ctx, NULL, 0);
    int n = rmb_ld2str(buf, sizeof(buf), d, 1);
    return goRM_ReplyLongDouble(ctx, buf, n);
}

void rm_SaveLongDouble(RedisModuleIO *io, long double value) {
    char buf[128];
    int n = rmb_ld2str(buf, sizeof(buf), value, 1);
    rm_SaveStringBuffer(io, buf, n);
}

long double rm_LoadLongDouble(RedisModuleIO *io) {
    size_t n = 0;
    char *p = rm_LoadStringBuffer(io, &n);
    if (p == NULL) return 0;
    long double v = 0;
    if (!rmb_str2ld(p, n, &v)) v = 0; /* Redis: strtold of garbage */
    rm_Free(p);
    return v;
}

RedisModuleString *rm_SaveDataTypeToString(RedisModuleCtx *ctx, void *data, const RedisModuleType *mt) {
    if (mt == NULL) return NULL;
    return goRM_SaveDataTypeToString(ctx, data, mt->h);
}

void *rm_LoadDataTypeFromStringEncver(const RedisModuleString *str, const RedisModuleType *mt, int encver) {
    if (str == NULL || mt == NULL) return NULL;
    return goRM_LoadDataTypeFromString(str->ptr, str->len, mt->h, encver);
}

void *rm_LoadDataTypeFromString(const RedisModuleString *str, const RedisModuleType *mt) {
    return rm_LoadDataTypeFromStringEncver(str, mt, 0);
}

int rm_SetClientNameById(uint64_t id, RedisModuleString *name) {
    if (name == NULL) {
        errno = EINVAL;
        return REDISMODULE_ERR;
    }
    int e = goRM_SetClientNameById(id, name->ptr, name->len);
    if (e != 0) {
        errno = e;
        return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}

void rm_ResetDataset(int restart_aof, int async) { goRM_ResetDataset(restart_aof, async); }

RedisModuleBlockedClient *rm_GetBlockedClientHandle(RedisModuleCtx *ctx) { return goRM_GetBlockedClientHandle(ctx); }

typedef void (*disconnect_fn)(RedisModuleCtx *, RedisModuleBlockedClient *);

void rmb_call_disconnect(void *fn, RedisModuleCtx *ctx, RedisModuleBlockedClient *bc) { ((disconnect_fn)fn)(ctx, bc); }

void rm_SetDisconnectCallback(RedisModuleBlockedClient *bc, RedisModuleDisconnectFunc callback) {
    if (bc == NULL) return;
    goRM_SetDisconnectCallback(bc->h, (void *)callback);
}
