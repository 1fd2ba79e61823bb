/* Replies family. Most are shims over Go exports (the engine formats
 * RESP2/RESP3). In a command context whose replies go straight to the
 * client (ctx->rproto set), the simple replies are encoded here into
 * ctx->rbuf instead, saving a call into Go each; rbuf is handed to Go
 * (rmb_reply_flush) before any reply that goes through Go, so the order
 * is kept, and by Go after the command. */
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

#define KIND_ARRAY 0
#define KIND_MAP 1
#define KIND_SET 2
#define KIND_ATTR 3

void rmb_reply_flush(RedisModuleCtx *ctx) {
    if (ctx != NULL && ctx->rlen) {
        goRM_ReplyRaw(ctx, ctx->rbuf, ctx->rlen);
        ctx->rlen = 0;
    }
}

static char *rbuf_grow(RedisModuleCtx *ctx, size_t n) {
    if (ctx->rlen + n > ctx->rcap) {
        size_t cap = ctx->rcap ? ctx->rcap * 2 : 256;
        while (cap < ctx->rlen + n) cap *= 2;
        ctx->rbuf = rm_Realloc(ctx->rbuf, cap);
        ctx->rcap = cap;
    }
    return ctx->rbuf + ctx->rlen;
}

static void rbuf_put(RedisModuleCtx *ctx, const char *p, size_t n) {
    memcpy(rbuf_grow(ctx, n), p, n);
    ctx->rlen += n;
}

/* rbuf_line appends <prefix><integer>\r\n (no printf: this is the hot
 * path of every bulk reply). */
static void rbuf_line(RedisModuleCtx *ctx, char prefix, long long v) {
    char tmp[24];
    int i = sizeof(tmp);
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    tmp[--i] = '\n';
    tmp[--i] = '\r';
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) tmp[--i] = '-';
    tmp[--i] = prefix;
    rbuf_put(ctx, tmp + i, sizeof(tmp) - (size_t)i);
}

static void rbuf_bulk(RedisModuleCtx *ctx, const char *p, size_t len) {
    rbuf_line(ctx, '$', (long long)len);
    rbuf_put(ctx, p, len);
    rbuf_put(ctx, "\r\n", 2);
}

#define DIRECT(ctx) ((ctx) != NULL && (ctx)->rproto)

int rm_WrongArity(RedisModuleCtx *ctx) {
    rmb_reply_flush(ctx);
    return goRM_ReplySimple(ctx, 0);
}
int rm_ReplyWithNull(RedisModuleCtx *ctx) {
    if (DIRECT(ctx)) {
        if (ctx->rproto >= 3) rbuf_put(ctx, "_\r\n", 3);
        else rbuf_put(ctx, "$-1\r\n", 5);
        return REDISMODULE_OK;
    }
    return goRM_ReplySimple(ctx, 1);
}
int rm_ReplyWithNullArray(RedisModuleCtx *ctx) {
    if (DIRECT(ctx)) {
        if (ctx->rproto >= 3) rbuf_put(ctx, "_\r\n", 3);
        else rbuf_put(ctx, "*-1\r\n", 5);
        return REDISMODULE_OK;
    }
    return goRM_ReplySimple(ctx, 2);
}
int rm_ReplyWithEmptyArray(RedisModuleCtx *ctx) {
    if (DIRECT(ctx)) {
        rbuf_put(ctx, "*0\r\n", 4);
        return REDISMODULE_OK;
    }
    return goRM_ReplySimple(ctx, 3);
}
int rm_ReplyWithEmptyString(RedisModuleCtx *ctx) {
    if (DIRECT(ctx)) {
        rbuf_put(ctx, "$0\r\n\r\n", 6);
        return REDISMODULE_OK;
    }
    return goRM_ReplySimple(ctx, 4);
}

int rm_ReplyWithLongLong(RedisModuleCtx *ctx, long long ll) {
    if (DIRECT(ctx)) {
        rbuf_line(ctx, ':', ll);
        return REDISMODULE_OK;
    }
    return goRM_ReplyWithLongLong(ctx, ll);
}
int rm_ReplyWithBool(RedisModuleCtx *ctx, int b) {
    rmb_reply_flush(ctx);
    return goRM_ReplyWithBool(ctx, b);
}
int rm_ReplyWithDouble(RedisModuleCtx *ctx, double d) {
    rmb_reply_flush(ctx);
    return goRM_ReplyWithDouble(ctx, d);
}

int rm_ReplyWithError(RedisModuleCtx *ctx, const char *err) {
    rmb_reply_flush(ctx);
    return goRM_ReplyText(ctx, 0, (char *)err, strlen(err), NULL);
}
int rm_ReplyWithSimpleString(RedisModuleCtx *ctx, const char *msg) {
    if (DIRECT(ctx)) {
        rbuf_put(ctx, "+", 1);
        rbuf_put(ctx, msg, strlen(msg));
        rbuf_put(ctx, "\r\n", 2);
        return REDISMODULE_OK;
    }
    return goRM_ReplyText(ctx, 1, (char *)msg, strlen(msg), NULL);
}
int rm_ReplyWithStringBuffer(RedisModuleCtx *ctx, const char *buf, size_t len) {
    if (DIRECT(ctx)) {
        rbuf_bulk(ctx, buf, len);
        return REDISMODULE_OK;
    }
    return goRM_ReplyText(ctx, 2, (char *)buf, len, NULL);
}
int rm_ReplyWithCString(RedisModuleCtx *ctx, const char *buf) {
    return rm_ReplyWithStringBuffer(ctx, buf, strlen(buf));
}
int rm_ReplyWithString(RedisModuleCtx *ctx, RedisModuleString *str) {
    size_t len;
    const char *p = rm_StringPtrLen(str, &len);
    return rm_ReplyWithStringBuffer(ctx, p, len);
}
int rm_ReplyWithVerbatimString(RedisModuleCtx *ctx, const char *buf, size_t len) {
    rmb_reply_flush(ctx);
    return goRM_ReplyText(ctx, 3, (char *)buf, len, "txt");
}
int rm_ReplyWithVerbatimStringType(RedisModuleCtx *ctx, const char *buf, size_t len, const char *ext) {
    rmb_reply_flush(ctx);
    return goRM_ReplyText(ctx, 3, (char *)buf, len, (char *)ext);
}
int rm_ReplyWithBigNumber(RedisModuleCtx *ctx, const char *bignum, size_t len) {
    rmb_reply_flush(ctx);
    return goRM_ReplyText(ctx, 4, (char *)bignum, len, NULL);
}

/* Aggregates always go through Go (postponed lengths are inserted into
 * the engine's buffer). */
static int aggregate(RedisModuleCtx *ctx, int kind, long len) {
    rmb_reply_flush(ctx);
    return goRM_ReplyAggregate(ctx, kind, len);
}
int rm_ReplyWithArray(RedisModuleCtx *ctx, long len) { return aggregate(ctx, KIND_ARRAY, len); }
int rm_ReplyWithMap(RedisModuleCtx *ctx, long len) { return aggregate(ctx, KIND_MAP, len); }
int rm_ReplyWithSet(RedisModuleCtx *ctx, long len) { return aggregate(ctx, KIND_SET, len); }
int rm_ReplyWithAttribute(RedisModuleCtx *ctx, long len) { return aggregate(ctx, KIND_ATTR, len); }

static void set_length(RedisModuleCtx *ctx, int kind, long len) {
    rmb_reply_flush(ctx);
    goRM_ReplySetLength(ctx, kind, len);
}
void rm_ReplySetArrayLength(RedisModuleCtx *ctx, long len) { set_length(ctx, KIND_ARRAY, len); }
void rm_ReplySetMapLength(RedisModuleCtx *ctx, long len) { set_length(ctx, KIND_MAP, len); }
void rm_ReplySetSetLength(RedisModuleCtx *ctx, long len) { set_length(ctx, KIND_SET, len); }
void rm_ReplySetAttributeLength(RedisModuleCtx *ctx, long len) { set_length(ctx, KIND_ATTR, len); }

int rm_ReplyWithCallReply(RedisModuleCtx *ctx, RedisModuleCallReply *reply) {
    /* Copied as is (as Redis 7.0 does, whatever the protocols); error
     * replies go through Go, which counts them. */
    if (DIRECT(ctx) && reply != NULL && reply->gprotolen > 0 && reply->ctx == ctx && reply->gproto[0] != '-') {
        rbuf_put(ctx, reply->gproto, reply->gprotolen);
        return REDISMODULE_OK;
    }
    rmb_reply_flush(ctx);
    return goRM_ReplyWithCallReply(ctx, reply);
}
