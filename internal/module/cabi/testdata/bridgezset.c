/*
 * bridgezset: a C module exercising the sorted set key API, built against
 * include/redismodule.h. Commands:
 *   bz.add <key> <score> <member> [XX|NX|GT|LT ...]  [ret, out flags]
 *   bz.incr <key> <score> <member> [flags ...]       [ret, out flags, new score]
 *   bz.rem <key> <member>                            [ret, deleted]
 *   bz.score <key> <member>                          [ret, score]
 *   bz.ro <key> <score> <member>                     ZsetAdd/Rem on a read-only key
 *   bz.srange <key> <min> <max> <minex> <maxex> <first|last>
 *   bz.lrange <key> <min> <max> <first|last>
 *       iterate the range (Next from first, Prev from last): [ret, member,
 *       score, ..., end reached]
 *   bz.info <key>                                    [key type, value length]
 */
#include <string.h>
#include <strings.h>
#include "redismodule.h"

static int parseFlags(RedisModuleString **argv, int argc, int from) {
    int flags = 0;
    for (int i = from; i < argc; i++) {
        const char *s = RedisModule_StringPtrLen(argv[i], NULL);
        if (!strcasecmp(s, "xx")) flags |= REDISMODULE_ZADD_XX;
        else if (!strcasecmp(s, "nx")) flags |= REDISMODULE_ZADD_NX;
        else if (!strcasecmp(s, "gt")) flags |= REDISMODULE_ZADD_GT;
        else if (!strcasecmp(s, "lt")) flags |= REDISMODULE_ZADD_LT;
    }
    return flags;
}

static int Add(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 4) return RedisModule_WrongArity(ctx);
    double score;
    if (RedisModule_StringToDouble(argv[2], &score) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad score");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    int flags = parseFlags(argv, argc, 4);
    int ret = RedisModule_ZsetAdd(k, score, argv[3], &flags);
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ret);
    RedisModule_ReplyWithLongLong(ctx, flags);
    return REDISMODULE_OK;
}

static int Incr(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 4) return RedisModule_WrongArity(ctx);
    double score, newscore = -12345;
    if (RedisModule_StringToDouble(argv[2], &score) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad score");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    int flags = parseFlags(argv, argc, 4);
    int ret = RedisModule_ZsetIncrby(k, score, argv[3], &flags, &newscore);
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, ret);
    RedisModule_ReplyWithLongLong(ctx, flags);
    RedisModule_ReplyWithDouble(ctx, newscore);
    return REDISMODULE_OK;
}

static int Rem(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    int deleted = -1;
    int ret = RedisModule_ZsetRem(k, argv[2], &deleted);
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ret);
    RedisModule_ReplyWithLongLong(ctx, deleted);
    return REDISMODULE_OK;
}

static int Score(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithSimpleString(ctx, "nokey");
    double score = -1;
    int ret = RedisModule_ZsetScore(k, argv[2], &score);
    RedisModule_CloseKey(k);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ret);
    RedisModule_ReplyWithDouble(ctx, score);
    return REDISMODULE_OK;
}

static int ReadOnly(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithSimpleString(ctx, "nokey");
    int flags = 0, deleted = -1;
    double ns = 0;
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ZsetAdd(k, 1, argv[3], &flags));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ZsetIncrby(k, 1, argv[3], &flags, &ns));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ZsetRem(k, argv[3], &deleted));
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

/* walk replies with every element of the range the key's iterator is
 * positioned on, then whether the end was reached. */
static void walk(RedisModuleCtx *ctx, RedisModuleKey *k, int first, long *n) {
    while (!RedisModule_ZsetRangeEndReached(k)) {
        double score;
        RedisModuleString *ele = RedisModule_ZsetRangeCurrentElement(k, &score);
        if (ele == NULL) break;
        RedisModule_ReplyWithString(ctx, ele);
        RedisModule_ReplyWithDouble(ctx, score);
        RedisModule_FreeString(ctx, ele);
        *n += 2;
        if (first) RedisModule_ZsetRangeNext(k);
        else RedisModule_ZsetRangePrev(k);
    }
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ZsetRangeEndReached(k));
    RedisModule_ZsetRangeStop(k);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ZsetRangeEndReached(k));
    *n += 2;
}

static int ScoreRange(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 7) return RedisModule_WrongArity(ctx);
    double min, max;
    long long minex, maxex;
    if (RedisModule_StringToDouble(argv[2], &min) != REDISMODULE_OK ||
        RedisModule_StringToDouble(argv[3], &max) != REDISMODULE_OK ||
        RedisModule_StringToLongLong(argv[4], &minex) != REDISMODULE_OK ||
        RedisModule_StringToLongLong(argv[5], &maxex) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad range");
    int first = !strcasecmp(RedisModule_StringPtrLen(argv[6], NULL), "first");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithSimpleString(ctx, "nokey");
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    int ret = first ? RedisModule_ZsetFirstInScoreRange(k, min, max, (int)minex, (int)maxex)
                    : RedisModule_ZsetLastInScoreRange(k, min, max, (int)minex, (int)maxex);
    RedisModule_ReplyWithLongLong(ctx, ret);
    long n = 1;
    if (ret == REDISMODULE_OK) walk(ctx, k, first, &n);
    RedisModule_ReplySetArrayLength(ctx, n);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static int LexRange(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 5) return RedisModule_WrongArity(ctx);
    int first = !strcasecmp(RedisModule_StringPtrLen(argv[4], NULL), "first");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithSimpleString(ctx, "nokey");
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    int ret = first ? RedisModule_ZsetFirstInLexRange(k, argv[2], argv[3])
                    : RedisModule_ZsetLastInLexRange(k, argv[2], argv[3]);
    RedisModule_ReplyWithLongLong(ctx, ret);
    long n = 1;
    if (ret == REDISMODULE_OK) walk(ctx, k, first, &n);
    RedisModule_ReplySetArrayLength(ctx, n);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static int Info(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithSimpleString(ctx, "nokey");
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(k));
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_ValueLength(k));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ZsetRangeEndReached(k));
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "bridgezset", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    struct { const char *name; RedisModuleCmdFunc fn; const char *flags; } cmds[] = {
        {"bz.add", Add, "write"}, {"bz.incr", Incr, "write"}, {"bz.rem", Rem, "write"},
        {"bz.score", Score, "readonly"}, {"bz.ro", ReadOnly, "readonly"},
        {"bz.srange", ScoreRange, "readonly"}, {"bz.lrange", LexRange, "readonly"},
        {"bz.info", Info, "readonly"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 1, 1, 1) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
