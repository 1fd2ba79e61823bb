/* The C twin of the "replytest" Go module in module_test.go: loaded into
 * redis-server by TestModuleDiff so that replies of the module API can be
 * compared byte for byte. */
#include "redismodule.h"
#include <string.h>
#include <stdio.h>
#include <errno.h>

int Types(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    RedisModule_ReplyWithMap(ctx, 1);
    RedisModule_ReplyWithCString(ctx, "k");
    RedisModule_ReplyWithDouble(ctx, 1.5);
    RedisModule_ReplyWithSet(ctx, REDISMODULE_POSTPONED_LEN);
    RedisModule_ReplyWithBool(ctx, 1);
    RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplySetSetLength(ctx, 2);
    RedisModule_ReplyWithBigNumber(ctx, "123456789012345678901234567890", 30);
    RedisModule_ReplyWithVerbatimString(ctx, "hi", 2);
    RedisModule_ReplyWithLongDouble(ctx, 3.25);
    RedisModule_ReplyWithNullArray(ctx);
    RedisModule_ReplyWithEmptyArray(ctx);
    RedisModule_ReplyWithEmptyString(ctx);
    RedisModule_ReplyWithMap(ctx, REDISMODULE_POSTPONED_LEN);
    RedisModule_ReplyWithCString(ctx, "a");
    RedisModule_ReplyWithLongLong(ctx, 1);
    RedisModule_ReplySetMapLength(ctx, 1);
    RedisModule_ReplySetArrayLength(ctx, 9);
    return REDISMODULE_OK;
}
int Err(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithError(ctx, "MYERR custom\nline");
}
int Arity(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_WrongArity(ctx);
}
int CallE(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleCallReply *r = RedisModule_Call(ctx, RedisModule_StringPtrLen(argv[1], NULL), "v0E", argv+2, (size_t)(argc-2));
    if (!r) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}
int Dbl(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    double d; long double ld;
    RedisModule_ReplyWithArray(ctx, 4);
    RedisModule_StringToDouble(argv[1], &d);
    RedisModule_ReplyWithDouble(ctx, d);
    RedisModule_StringToLongDouble(argv[1], &ld);
    RedisModule_ReplyWithLongDouble(ctx, ld);
    RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromDouble(ctx, d));
    RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromLongDouble(ctx, ld, 1));
    return REDISMODULE_OK;
}
int Simple(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

int Attr(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_ReplyWithAttribute(ctx, 1) == REDISMODULE_ERR)
        return RedisModule_ReplyWithError(ctx, "ERR attribute refused");
    RedisModule_ReplyWithCString(ctx, "meta");
    RedisModule_ReplyWithLongLong(ctx, 1);
    return RedisModule_ReplyWithCString(ctx, "value");
}
int Call3(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleCallReply *r = RedisModule_Call(ctx, RedisModule_StringPtrLen(argv[1], NULL), "3v", argv+2, (size_t)(argc-2));
    if (!r) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    if (RedisModule_ReplyWithCallReply(ctx, r) == REDISMODULE_ERR)
        RedisModule_ReplyWithError(ctx, "ERR resp3 reply refused");
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}
int CallInfo(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleCallReply *r = RedisModule_Call(ctx, RedisModule_StringPtrLen(argv[1], NULL), "3v", argv+2, (size_t)(argc-2));
    if (!r) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    RedisModule_ReplyWithArray(ctx, 4);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyType(r));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyLength(r));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyInteger(r));
    RedisModuleString *s = RedisModule_CreateStringFromCallReply(r);
    if (s) RedisModule_ReplyWithString(ctx, s); else RedisModule_ReplyWithNull(ctx);
    if (s) RedisModule_FreeString(ctx, s);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}
int StrConv(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long ll; unsigned long long ull; double d;
    RedisModule_ReplyWithArray(ctx, 3);
    if (RedisModule_StringToLongLong(argv[1], &ll) == REDISMODULE_OK) RedisModule_ReplyWithLongLong(ctx, ll); else RedisModule_ReplyWithNull(ctx);
    if (RedisModule_StringToULongLong(argv[1], &ull) == REDISMODULE_OK) RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromULongLong(ctx, ull)); else RedisModule_ReplyWithNull(ctx);
    if (RedisModule_StringToDouble(argv[1], &d) == REDISMODULE_OK) RedisModule_ReplyWithDouble(ctx, d); else RedisModule_ReplyWithNull(ctx);
    return REDISMODULE_OK;
}
int KeyOps(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long n;
    RedisModule_StringToLongLong(argv[2], &n);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ|REDISMODULE_WRITE);
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(k));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_StringTruncate(k, n));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ValueLength(k));
    size_t len;
    char *p = RedisModule_StringDMA(k, &len, REDISMODULE_WRITE);
    if (p && len > 0) p[0] = 'X';
    RedisModule_ReplyWithLongLong(ctx, RedisModule_SetExpire(k, 100000));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetExpire(k) > 0);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

int CallFlags(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    char fmt[32];
    snprintf(fmt, sizeof(fmt), "%sv", RedisModule_StringPtrLen(argv[1], NULL));
    errno = 0;
    RedisModuleCallReply *r = RedisModule_Call(ctx, RedisModule_StringPtrLen(argv[2], NULL), fmt, argv+3, (size_t)(argc-3));
    if (!r) return RedisModule_ReplyWithLongLong(ctx, errno);
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}
int KeyMisc(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModule_ReplyWithArray(ctx, 6);
    RedisModule_ReplyWithLongLong(ctx, k == NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(k));
    /* DeleteKey(NULL) crashes Redis; a missing key counts as ERR. */
    RedisModule_ReplyWithLongLong(ctx, k ? RedisModule_DeleteKey(k) : REDISMODULE_ERR);
    RedisModule_CloseKey(k);
    k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetAbsExpire(k));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_DeleteKey(k));
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyExists(ctx, argv[1]));
    return REDISMODULE_OK;
}
int Repl(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_Replicate(ctx, "NOSUCHCMD", "c", "x"));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_Replicate(ctx, "SET", "cc", "x", "y"));
    return REDISMODULE_OK;
}
int DbOps(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_SelectDb(ctx, 99));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_SelectDb(ctx, 5));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetSelectedDb(ctx));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_DbSize(ctx));
    RedisModuleString *rk = RedisModule_RandomKey(ctx);
    if (rk) RedisModule_ReplyWithString(ctx, rk); else RedisModule_ReplyWithNull(ctx);
    RedisModule_SelectDb(ctx, 0);
    return REDISMODULE_OK;
}
int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "replytest", 3, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModule_CreateCommand(ctx, "rt.types", Types, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.err", Err, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.arity", Arity, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.call", CallE, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.dbl", Dbl, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.keyed", Simple, "write deny-oom fast", 1, 2, 1);
    RedisModuleCommandInfo info = {
        .version = REDISMODULE_COMMAND_INFO_VERSION,
        .summary = "A keyed test command",
        .complexity = "O(1)",
        .since = "1.0.0",
        .arity = -3,
        .key_specs = (RedisModuleCommandKeySpec[]){
            {.flags = REDISMODULE_CMD_KEY_RW | REDISMODULE_CMD_KEY_UPDATE,
             .begin_search_type = REDISMODULE_KSPEC_BS_INDEX,
             .bs.index.pos = 1,
             .find_keys_type = REDISMODULE_KSPEC_FK_RANGE,
             .fk.range = {1, 1, 0}},
            {0}},
        .args = (RedisModuleCommandArg[]){
            {.name = "key", .type = REDISMODULE_ARG_TYPE_KEY, .key_spec_index = 0, .flags = REDISMODULE_CMD_ARG_MULTIPLE},
            {0}},
    };
    if (RedisModule_SetCommandInfo(RedisModule_GetCommand(ctx, "rt.keyed"), &info) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModule_CreateCommand(ctx, "rt.flags", Simple, "write readonly admin deny-oom deny-script allow-loading pubsub random blocking allow-stale no-monitor no-slowlog fast no-auth may-replicate getkeys-api no-cluster no-mandatory-keys allow-busy", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.plain", Simple, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.ro", Simple, "readonly", 1, 1, 1);
    RedisModule_CreateCommand(ctx, "rt.attr", Attr, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.call3", Call3, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.callinfo3", CallInfo, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.strconv", StrConv, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.keyops", KeyOps, "write", 1, 1, 1);
    RedisModule_CreateCommand(ctx, "rt.callflags", CallFlags, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.keymisc", KeyMisc, "write", 1, 1, 1);
    RedisModule_CreateCommand(ctx, "rt.repl", Repl, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.dbops", DbOps, "", 0, 0, 0);
    RedisModule_CreateCommand(ctx, "rt.container", NULL, "", 0, 0, 0);
    RedisModuleCommand *p = RedisModule_GetCommand(ctx, "rt.container");
    RedisModule_CreateSubcommand(p, "sub", Simple, "readonly", 0, 0, 0);
    return REDISMODULE_OK;
}
