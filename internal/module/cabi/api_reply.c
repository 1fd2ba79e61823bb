/* Replies family: shims over Go exports (the engine formats RESP2/RESP3). */
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

#define KIND_ARRAY 0
#define KIND_MAP 1
#define KIND_SET 2
#define KIND_ATTR 3

int rm_WrongArity(RedisModuleCtx *ctx) { return goRM_ReplySimple(ctx, 0); }
int rm_ReplyWithNull(RedisModuleCtx *ctx) { return goRM_ReplySimple(ctx, 1); }
int rm_ReplyWithNullArray(RedisModuleCtx *ctx) { return goRM_ReplySimple(ctx, 2); }
int rm_ReplyWithEmptyArray(RedisModuleCtx *ctx) { return goRM_ReplySimple(ctx, 3); }
int rm_ReplyWithEmptyString(RedisModuleCtx *ctx) { return goRM_ReplySimple(ctx, 4); }

int rm_ReplyWithLongLong(RedisModuleCtx *ctx, long long ll) { return goRM_ReplyWithLongLong(ctx, ll); }
int rm_ReplyWithBool(RedisModuleCtx *ctx, int b) { return goRM_ReplyWithBool(ctx, b); }
int rm_ReplyWithDouble(RedisModuleCtx *ctx, double d) { return goRM_ReplyWithDouble(ctx, d); }

int rm_ReplyWithError(RedisModuleCtx *ctx, const char *err) {
    return goRM_ReplyText(ctx, 0, (char *)err, strlen(err), NULL);
}
int rm_ReplyWithSimpleString(RedisModuleCtx *ctx, const char *msg) {
    return goRM_ReplyText(ctx, 1, (char *)msg, strlen(msg), NULL);
}
int rm_ReplyWithStringBuffer(RedisModuleCtx *ctx, const char *buf, size_t len) {
    return goRM_ReplyText(ctx, 2, (char *)buf, len, NULL);
}
int rm_ReplyWithCString(RedisModuleCtx *ctx, const char *buf) {
    return goRM_ReplyText(ctx, 2, (char *)buf, strlen(buf), NULL);
}
int rm_ReplyWithString(RedisModuleCtx *ctx, RedisModuleString *str) {
    size_t len;
    const char *p = rm_StringPtrLen(str, &len);
    return goRM_ReplyText(ctx, 2, (char *)p, len, NULL);
}
int rm_ReplyWithVerbatimString(RedisModuleCtx *ctx, const char *buf, size_t len) {
    return goRM_ReplyText(ctx, 3, (char *)buf, len, "txt");
}
int rm_ReplyWithVerbatimStringType(RedisModuleCtx *ctx, const char *buf, size_t len, const char *ext) {
    return goRM_ReplyText(ctx, 3, (char *)buf, len, (char *)ext);
}
int rm_ReplyWithBigNumber(RedisModuleCtx *ctx, const char *bignum, size_t len) {
    return goRM_ReplyText(ctx, 4, (char *)bignum, len, NULL);
}

int rm_ReplyWithArray(RedisModuleCtx *ctx, long len) { return goRM_ReplyAggregate(ctx, KIND_ARRAY, len); }
int rm_ReplyWithMap(RedisModuleCtx *ctx, long len) { return goRM_ReplyAggregate(ctx, KIND_MAP, len); }
int rm_ReplyWithSet(RedisModuleCtx *ctx, long len) { return goRM_ReplyAggregate(ctx, KIND_SET, len); }
int rm_ReplyWithAttribute(RedisModuleCtx *ctx, long len) { return goRM_ReplyAggregate(ctx, KIND_ATTR, len); }

void rm_ReplySetArrayLength(RedisModuleCtx *ctx, long len) { goRM_ReplySetLength(ctx, KIND_ARRAY, len); }
void rm_ReplySetMapLength(RedisModuleCtx *ctx, long len) { goRM_ReplySetLength(ctx, KIND_MAP, len); }
void rm_ReplySetSetLength(RedisModuleCtx *ctx, long len) { goRM_ReplySetLength(ctx, KIND_SET, len); }
void rm_ReplySetAttributeLength(RedisModuleCtx *ctx, long len) { goRM_ReplySetLength(ctx, KIND_ATTR, len); }

int rm_ReplyWithCallReply(RedisModuleCtx *ctx, RedisModuleCallReply *reply) {
    return goRM_ReplyWithCallReply(ctx, reply);
}
