/* tlscert: RedisModule_GetClientCertificate over TLS. tc.cert replies with
 * the calling client's peer certificate in PEM, or null without one;
 * tc.certof <id> does the same for another client. */
#include <stdlib.h>
#include "redismodule.h"

static int replyCert(RedisModuleCtx *ctx, unsigned long long id) {
    RedisModuleString *pem = RedisModule_GetClientCertificate(ctx, id);
    if (pem == NULL) return RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithString(ctx, pem);
    RedisModule_FreeString(ctx, pem);
    return REDISMODULE_OK;
}

static int Cert(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    return replyCert(ctx, RedisModule_GetClientId(ctx));
}

static int CertOf(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long id;
    if (argc != 2) return RedisModule_WrongArity(ctx);
    if (RedisModule_StringToLongLong(argv[1], &id) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR bad id");
    return replyCert(ctx, (unsigned long long)id);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "tlscert", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tc.cert", Cert, "", 0, 0, 0) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tc.certof", CertOf, "", 0, 0, 0) == REDISMODULE_ERR) return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
