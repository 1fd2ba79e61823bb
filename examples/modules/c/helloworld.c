/*
 * helloworld: the C counterpart of examples/modules/helloworld (a port of
 * the behaviour of Redis's helloworld example), built against Modis's
 * include/redismodule.h and loadable unchanged by Modis and redis-server:
 *
 *   cc -shared -fPIC -I../../../include -o helloworld.so helloworld.c
 *
 * The commands that need the list, sorted-set and hash key APIs
 * (hello.push.native, hello.list.splice[.auto], hello.repl2,
 * hello.zsumrange, hello.lexrange, hello.hcopy) are registered only when
 * the server provides those APIs (their pointers are non-NULL after
 * RedisModule_Init): on a server without them the module still loads
 * with the other commands.
 */
#include <stdlib.h>
#include <string.h>
#include "redismodule.h"

/* HELLO.SIMPLE: the selected database. */
static int Simple(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_GetSelectedDb(ctx));
}

/* HELLO.PUSH.NATIVE key value: RPUSH through the list key API. */
static int PushNative(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    RedisModule_ListPush(key, REDISMODULE_LIST_TAIL, argv[2]);
    size_t len = RedisModule_ValueLength(key);
    RedisModule_CloseKey(key);
    return RedisModule_ReplyWithLongLong(ctx, (long long)len);
}

/* HELLO.PUSH.CALL key value: RPUSH through Call, replying the length. */
static int PushCall(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "RPUSH", "ss", argv[1], argv[2]);
    long long len = RedisModule_CallReplyInteger(r);
    RedisModule_FreeCallReply(r);
    return RedisModule_ReplyWithLongLong(ctx, len);
}

/* HELLO.PUSH.CALL2 key value: the same, passing RPUSH's reply through. */
static int PushCall2(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "RPUSH", "ss", argv[1], argv[2]);
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

/* HELLO.LIST.SUM.LEN key: total length of a list's elements (LRANGE). */
static int ListSumLen(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "LRANGE", "sll", argv[1], (long long)0, (long long)-1);
    size_t sum = 0, n = RedisModule_CallReplyLength(r);
    for (size_t i = 0; i < n; i++) sum += RedisModule_CallReplyLength(RedisModule_CallReplyArrayElement(r, i));
    RedisModule_FreeCallReply(r);
    return RedisModule_ReplyWithLongLong(ctx, (long long)sum);
}

/* HELLO.LIST.SPLICE src dst count: move up to count elements from the
 * tail of src to the head of dst; replies src's length. */
static int spliceLists(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int automem) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    if (automem) RedisModule_AutoMemory(ctx);
    RedisModuleKey *src = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    RedisModuleKey *dst = RedisModule_OpenKey(ctx, argv[2], REDISMODULE_READ | REDISMODULE_WRITE);
    int st = RedisModule_KeyType(src), dt = RedisModule_KeyType(dst);
    const char *err = NULL;
    long long count;
    if ((st != REDISMODULE_KEYTYPE_LIST && st != REDISMODULE_KEYTYPE_EMPTY) ||
        (dt != REDISMODULE_KEYTYPE_LIST && dt != REDISMODULE_KEYTYPE_EMPTY))
        err = REDISMODULE_ERRORMSG_WRONGTYPE;
    else if (RedisModule_StringToLongLong(argv[3], &count) != REDISMODULE_OK || count < 0)
        err = "ERR invalid count";
    if (err != NULL) {
        if (!automem) {
            RedisModule_CloseKey(src);
            RedisModule_CloseKey(dst);
        }
        return RedisModule_ReplyWithError(ctx, err);
    }
    while (count-- > 0) {
        RedisModuleString *ele = RedisModule_ListPop(src, REDISMODULE_LIST_TAIL);
        if (ele == NULL) break;
        RedisModule_ListPush(dst, REDISMODULE_LIST_HEAD, ele);
        if (!automem) RedisModule_FreeString(ctx, ele);
    }
    size_t len = RedisModule_ValueLength(src);
    if (!automem) {
        RedisModule_CloseKey(src);
        RedisModule_CloseKey(dst);
    }
    return RedisModule_ReplyWithLongLong(ctx, (long long)len);
}

static int ListSplice(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return spliceLists(ctx, argv, argc, 0);
}

/* HELLO.LIST.SPLICE.AUTO: the same with auto memory. */
static int ListSpliceAuto(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return spliceLists(ctx, argv, argc, 1);
}

/* HELLO.RAND.ARRAY count: count random numbers, length set afterwards. */
static int RandArray(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long count;
    if (RedisModule_StringToLongLong(argv[1], &count) != REDISMODULE_OK || count < 0)
        return RedisModule_ReplyWithError(ctx, "ERR invalid count");
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    for (long long i = 0; i < count; i++) RedisModule_ReplyWithLongLong(ctx, rand());
    RedisModule_ReplySetArrayLength(ctx, count);
    return REDISMODULE_OK;
}

/* HELLO.REPL1: Replicate plus two replicated Calls. */
static int Repl1(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    RedisModule_AutoMemory(ctx);
    RedisModule_Replicate(ctx, "ECHO", "c", "foo");
    RedisModule_Call(ctx, "INCR", "c!", "foo");
    RedisModule_Call(ctx, "INCR", "c!", "bar");
    return RedisModule_ReplyWithLongLong(ctx, 0);
}

/* HELLO.REPL2 key: add one to every element of a list (non-numbers read
 * as 0), replying the sum of the new values. */
static int Repl2(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    if (RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_LIST)
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    size_t n = RedisModule_ValueLength(key);
    long long sum = 0;
    while (n-- > 0) {
        RedisModuleString *ele = RedisModule_ListPop(key, REDISMODULE_LIST_TAIL);
        long long v;
        if (RedisModule_StringToLongLong(ele, &v) != REDISMODULE_OK) v = 0;
        v++;
        sum += v;
        RedisModule_ListPush(key, REDISMODULE_LIST_HEAD, RedisModule_CreateStringFromLongLong(ctx, v));
    }
    RedisModule_ReplyWithLongLong(ctx, sum);
    RedisModule_ReplicateVerbatim(ctx);
    return REDISMODULE_OK;
}

/* HELLO.TOGGLE.CASE key: flip the case of a string value in place. */
static int ToggleCase(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int t = RedisModule_KeyType(key);
    if (t != REDISMODULE_KEYTYPE_STRING && t != REDISMODULE_KEYTYPE_EMPTY) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    if (t == REDISMODULE_KEYTYPE_STRING) {
        size_t len;
        char *s = RedisModule_StringDMA(key, &len, REDISMODULE_WRITE);
        for (size_t i = 0; i < len; i++) {
            if (s[i] >= 'A' && s[i] <= 'Z')
                s[i] += 'a' - 'A';
            else if (s[i] >= 'a' && s[i] <= 'z')
                s[i] -= 'a' - 'A';
        }
    }
    RedisModule_CloseKey(key);
    RedisModule_ReplyWithSimpleString(ctx, "OK");
    RedisModule_ReplicateVerbatim(ctx);
    return REDISMODULE_OK;
}

/* HELLO.MORE.EXPIRE key ms: add ms to an existing TTL. */
static int MoreExpire(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_AutoMemory(ctx);
    if (argc != 3) return RedisModule_WrongArity(ctx);
    mstime_t addms;
    if (RedisModule_StringToLongLong(argv[2], &addms) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid expire time");
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    mstime_t expire = RedisModule_GetExpire(key);
    if (expire != REDISMODULE_NO_EXPIRE) RedisModule_SetExpire(key, expire + addms);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

/* HELLO.ZSUMRANGE key min max: [sum of the scores in [min,max] walking
 * forward, the same walking backward]. */
static int ZsumRange(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    double lo, hi;
    if (RedisModule_StringToDouble(argv[2], &lo) != REDISMODULE_OK ||
        RedisModule_StringToDouble(argv[3], &hi) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid range");
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    if (RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_ZSET) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    double sums[2] = {0, 0};
    for (int dir = 0; dir < 2; dir++) {
        if (dir == 0)
            RedisModule_ZsetFirstInScoreRange(key, lo, hi, 0, 0);
        else
            RedisModule_ZsetLastInScoreRange(key, lo, hi, 0, 0);
        while (!RedisModule_ZsetRangeEndReached(key)) {
            double score;
            RedisModuleString *ele = RedisModule_ZsetRangeCurrentElement(key, &score);
            RedisModule_FreeString(ctx, ele);
            sums[dir] += score;
            if (dir == 0)
                RedisModule_ZsetRangeNext(key);
            else
                RedisModule_ZsetRangePrev(key);
        }
        RedisModule_ZsetRangeStop(key);
    }
    RedisModule_CloseKey(key);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithDouble(ctx, sums[0]);
    RedisModule_ReplyWithDouble(ctx, sums[1]);
    return REDISMODULE_OK;
}

/* HELLO.LEXRANGE key min max min_age max_age: the members in the lex
 * range [min,max] (the age arguments are accepted and not used, as in
 * Redis's example). */
static int LexRange(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 6) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    if (RedisModule_KeyType(key) != REDISMODULE_KEYTYPE_ZSET)
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    if (RedisModule_ZsetFirstInLexRange(key, argv[2], argv[3]) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "invalid range");
    long n = 0;
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    while (!RedisModule_ZsetRangeEndReached(key)) {
        double score;
        RedisModuleString *ele = RedisModule_ZsetRangeCurrentElement(key, &score);
        RedisModule_ReplyWithString(ctx, ele);
        RedisModule_ZsetRangeNext(key);
        n++;
    }
    RedisModule_ZsetRangeStop(key);
    RedisModule_ReplySetArrayLength(ctx, n);
    return REDISMODULE_OK;
}

/* HELLO.HCOPY key src dst: copy hash field src to dst; replies 1 if src
 * existed, else 0. */
static int HCopy(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int t = RedisModule_KeyType(key);
    if (t != REDISMODULE_KEYTYPE_HASH && t != REDISMODULE_KEYTYPE_EMPTY)
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    RedisModuleString *v = NULL;
    RedisModule_HashGet(key, REDISMODULE_HASH_NONE, argv[2], &v, NULL);
    if (v != NULL) RedisModule_HashSet(key, REDISMODULE_HASH_NONE, argv[3], v, NULL);
    return RedisModule_ReplyWithLongLong(ctx, v != NULL);
}

/* HELLO.LEFTPAD str len ch. */
static int LeftPad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_AutoMemory(ctx);
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long padlen;
    if (RedisModule_StringToLongLong(argv[2], &padlen) != REDISMODULE_OK || padlen < 0)
        return RedisModule_ReplyWithError(ctx, "ERR invalid padding length");
    size_t len, chlen;
    const char *str = RedisModule_StringPtrLen(argv[1], &len);
    const char *ch = RedisModule_StringPtrLen(argv[3], &chlen);
    if ((long long)len >= padlen) return RedisModule_ReplyWithString(ctx, argv[1]);
    if (chlen != 1) return RedisModule_ReplyWithError(ctx, "ERR padding must be a single char");
    char *buf = RedisModule_PoolAlloc(ctx, (size_t)padlen);
    size_t pad = (size_t)padlen - len;
    memset(buf, *ch, pad);
    memcpy(buf + pad, str, len);
    return RedisModule_ReplyWithStringBuffer(ctx, buf, (size_t)padlen);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "helloworld", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    for (int i = 0; i < argc; i++) {
        const char *s = RedisModule_StringPtrLen(argv[i], NULL);
        RedisModule_Log(ctx, "notice", "Module loaded with ARGV[%d] = %s", i, s);
    }
    int lists = RedisModule_ListPush != NULL && RedisModule_ListPop != NULL;
    int zsets = RedisModule_ZsetFirstInScoreRange != NULL && RedisModule_ZsetFirstInLexRange != NULL;
    int hashes = RedisModule_HashGet != NULL && RedisModule_HashSet != NULL;
    struct {
        const char *name;
        RedisModuleCmdFunc fn;
        const char *flags;
        int first, last, step, needs;
    } cmds[] = {
        {"hello.simple", Simple, "readonly", 0, 0, 0, 1},
        {"hello.push.native", PushNative, "write deny-oom", 1, 1, 1, lists},
        {"hello.push.call", PushCall, "write deny-oom", 1, 1, 1, 1},
        {"hello.push.call2", PushCall2, "write deny-oom", 1, 1, 1, 1},
        {"hello.list.sum.len", ListSumLen, "readonly", 1, 1, 1, 1},
        {"hello.list.splice", ListSplice, "write deny-oom", 1, 2, 1, lists},
        {"hello.list.splice.auto", ListSpliceAuto, "write deny-oom", 1, 2, 1, lists},
        {"hello.rand.array", RandArray, "readonly", 0, 0, 0, 1},
        {"hello.repl1", Repl1, "write", 0, 0, 0, 1},
        {"hello.repl2", Repl2, "write", 1, 1, 1, lists},
        {"hello.toggle.case", ToggleCase, "write", 1, 1, 1, 1},
        {"hello.more.expire", MoreExpire, "write", 1, 1, 1, 1},
        {"hello.zsumrange", ZsumRange, "readonly", 1, 1, 1, zsets},
        {"hello.lexrange", LexRange, "readonly", 1, 1, 1, zsets},
        {"hello.hcopy", HCopy, "write deny-oom", 1, 1, 1, hashes},
        {"hello.leftpad", LeftPad, "", 1, 1, 1, 1},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (!cmds[i].needs) continue;
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, cmds[i].first, cmds[i].last,
                                      cmds[i].step) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
