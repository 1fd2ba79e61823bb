/*
 * hello: a small module in the spirit of Redis's helloworld example, built
 * against include/redismodule.h only. It is split over two files (hello.c,
 * hello_extra.c) so that both include the header: the API pointers must link
 * as common symbols even under -fno-common.
 *
 * TestHelloModule builds it with -Wall -Wextra -Werror and loads it into a
 * tiny C host (host.c) that plays the server's side of RedisModule_Init.
 * The command bodies are not run there; they make the compiler check the
 * header's signatures against ordinary module code.
 */
#include "hello.h"

#include <string.h>

/* HELLO.SIMPLE: the current db number. */
static int hello_simple(RedisModuleCtx *ctx, RedisModuleString **argv,
                        int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_GetSelectedDb(ctx));
}

/* HELLO.PUSH.CALL key value: RPUSH through RM_Call, reply with the length. */
static int hello_push_call(RedisModuleCtx *ctx, RedisModuleString **argv,
                           int argc) {
    RedisModuleCallReply *reply;
    long long len;
    if (argc != 3) return RedisModule_WrongArity(ctx);
    reply = RedisModule_Call(ctx, "RPUSH", "!ss", argv[1], argv[2]);
    if (reply == NULL) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    len = RedisModule_CallReplyInteger(reply);
    RedisModule_FreeCallReply(reply);
    return RedisModule_ReplyWithLongLong(ctx, len);
}

/* HELLO.LIST.SUM.LEN key: total length of the list elements, via the
 * low-level key API. */
static int hello_list_sum_len(RedisModuleCtx *ctx, RedisModuleString **argv,
                              int argc) {
    RedisModuleCallReply *reply;
    size_t i, n, total = 0;
    if (argc != 2) return RedisModule_WrongArity(ctx);
    reply = RedisModule_Call(ctx, "LRANGE", "sll", argv[1], 0LL, -1LL);
    n = RedisModule_CallReplyLength(reply);
    for (i = 0; i < n; i++) {
        RedisModuleCallReply *ele = RedisModule_CallReplyArrayElement(reply, i);
        total += RedisModule_CallReplyLength(ele);
    }
    RedisModule_FreeCallReply(reply);
    return RedisModule_ReplyWithLongLong(ctx, (long long)total);
}

/* HELLO.TOGGLE.CASE key: flips the case of a string value in place (DMA). */
static int hello_toggle_case(RedisModuleCtx *ctx, RedisModuleString **argv,
                             int argc) {
    RedisModuleKey *key;
    size_t len, i;
    char *s;
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    if (RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_STRING &&
        RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_EMPTY)
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    if (RedisModule_KeyType(key) == REDISMODULE_KEYTYPE_STRING) {
        s = RedisModule_StringDMA(key, &len, REDISMODULE_WRITE);
        for (i = 0; i < len; i++) {
            if (s[i] >= 'a' && s[i] <= 'z') s[i] -= 'a' - 'A';
            else if (s[i] >= 'A' && s[i] <= 'Z') s[i] += 'a' - 'A';
        }
    }
    RedisModule_CloseKey(key);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

/* HELLO.HCOPY key srcfield dstfield: copies a hash field (variadic APIs). */
static int hello_hcopy(RedisModuleCtx *ctx, RedisModuleString **argv,
                       int argc) {
    RedisModuleKey *key;
    RedisModuleString *val = NULL;
    if (argc != 4) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    if (RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_HASH &&
        RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_EMPTY)
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    RedisModule_HashGet(key, REDISMODULE_HASH_NONE, argv[2], &val, NULL);
    if (val) RedisModule_HashSet(key, REDISMODULE_HASH_NONE, argv[3], val, NULL);
    else RedisModule_HashSet(key, REDISMODULE_HASH_NONE, argv[3],
                             REDISMODULE_HASH_DELETE, NULL);
    RedisModule_ReplicateVerbatim(ctx);
    return RedisModule_ReplyWithLongLong(ctx, val != NULL);
}

/* HELLO.ZSUMRANGE key min max: sums scores in a range (zset iterator). */
static int hello_zsumrange(RedisModuleCtx *ctx, RedisModuleString **argv,
                           int argc) {
    RedisModuleKey *key;
    double min, max, sum = 0, score;
    if (argc != 4) return RedisModule_WrongArity(ctx);
    if (RedisModule_StringToDouble(argv[2], &min) != REDISMODULE_OK ||
        RedisModule_StringToDouble(argv[3], &max) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid range");
    key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_ZSET) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    RedisModule_ZsetFirstInScoreRange(key, min, max, 0, 0);
    while (!RedisModule_ZsetRangeEndReached(key)) {
        RedisModuleString *ele = RedisModule_ZsetRangeCurrentElement(key, &score);
        RedisModule_FreeString(ctx, ele);
        sum += score;
        RedisModule_ZsetRangeNext(key);
    }
    RedisModule_ZsetRangeStop(key);
    RedisModule_CloseKey(key);
    return RedisModule_ReplyWithDouble(ctx, sum);
}

/* Key specs for HELLO.PUSH.CALL: one RW key at index 1. */
static RedisModuleCommandKeySpec push_keyspecs[] = {
    {NULL, REDISMODULE_CMD_KEY_RW | REDISMODULE_CMD_KEY_INSERT,
     REDISMODULE_KSPEC_BS_INDEX, {{1}}, REDISMODULE_KSPEC_FK_RANGE,
     {{0, 1, 0}}},
    {NULL, 0, REDISMODULE_KSPEC_BS_INVALID, {{0}}, REDISMODULE_KSPEC_FK_OMITTED,
     {{0, 0, 0}}}};

static RedisModuleCommandArg push_args[] = {
    {"key", REDISMODULE_ARG_TYPE_KEY, 0, NULL, NULL, NULL,
     REDISMODULE_CMD_ARG_NONE, NULL, NULL},
    {"value", REDISMODULE_ARG_TYPE_STRING, -1, NULL, NULL, NULL,
     REDISMODULE_CMD_ARG_NONE, NULL, NULL},
    {NULL, REDISMODULE_ARG_TYPE_STRING, 0, NULL, NULL, NULL, 0, NULL, NULL}};

static const RedisModuleCommandInfo push_info = {
    REDISMODULE_COMMAND_INFO_VERSION, "Appends a value through RM_Call",
    "O(1)", "1.0.0", NULL, NULL, 3, push_keyspecs, push_args};

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv,
                       int argc) {
    if (RedisModule_Init(ctx, "helloc", 1, REDISMODULE_APIVER_1) ==
        REDISMODULE_ERR)
        return REDISMODULE_ERR;

    /* Module arguments, when the server passes any. */
    if (argc > 0 && RMAPI_FUNC_SUPPORTED(RedisModule_StringPtrLen)) {
        size_t len;
        const char *s = RedisModule_StringPtrLen(argv[0], &len);
        if (RMAPI_FUNC_SUPPORTED(RedisModule_Log))
            RedisModule_Log(ctx, REDISMODULE_LOGLEVEL_NOTICE,
                            "first argument: %.*s", (int)len, s);
    }

    if (RedisModule_CreateCommand(ctx, "hello.simple", hello_simple,
                                  "readonly fast", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hello.push.call", hello_push_call,
                                  "write deny-oom", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hello.list.sum.len",
                                  hello_list_sum_len, "readonly", 1, 1, 1) ==
            REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hello.toggle.case", hello_toggle_case,
                                  "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hello.hcopy", hello_hcopy,
                                  "write deny-oom", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hello.zsumrange", hello_zsumrange,
                                  "readonly", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;

    /* Optional APIs, used only where the server has them. */
    if (RMAPI_FUNC_SUPPORTED(RedisModule_GetCommand) &&
        RMAPI_FUNC_SUPPORTED(RedisModule_SetCommandInfo)) {
        RedisModuleCommand *cmd = RedisModule_GetCommand(ctx, "hello.push.call");
        if (cmd == NULL || RedisModule_SetCommandInfo(cmd, &push_info) ==
                               REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    if (hello_extra_load(ctx) == REDISMODULE_ERR) return REDISMODULE_ERR;
    return REDISMODULE_OK;
}

/* Lets the host see which optional pointers Init left NULL. */
int hello_supported_push_length(void) {
    return RMAPI_FUNC_SUPPORTED(RedisModule_ReplySetPushLength);
}
int hello_supported_create_command(void) {
    return RMAPI_FUNC_SUPPORTED(RedisModule_CreateCommand);
}
