/*
 * bridgestream: the stream key API (RedisModule_Stream*).
 *   st.add <key> <id|*|ms-*> <field> <value> ...  StreamAdd, replies the ID
 *   st.del <key> <id>                   StreamDelete
 *   st.range <key> <start|null> <end|null> <flags>
 *                                       iterate: [[id, [f, v, ...]], ...]
 *   st.delevery <key> <n>               delete every n-th entry while
 *                                       iterating (IteratorDelete)
 *   st.trimlen <key> <n> <flags>        StreamTrimByLength
 *   st.trimid <key> <id> <flags>        StreamTrimByID
 *   st.conv <str>                       StringToStreamID + back
 *   st.len <key>                        ValueLength
 *   st.errs <key>                       errno of the misuse paths
 * Errors reply "ERR errno <n>".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "redismodule.h"

static int replyErrno(RedisModuleCtx *ctx) {
    char buf[64];
    snprintf(buf, sizeof(buf), "ERR errno %d", errno);
    return RedisModule_ReplyWithError(ctx, buf);
}

static int parseID(RedisModuleString *s, RedisModuleStreamID *id) {
    return RedisModule_StringToStreamID(s, id);
}

static int Add(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3 || argc % 2 == 0) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModuleStreamID id = {0, 0};
    int flags = 0;
    size_t l;
    const char *p = RedisModule_StringPtrLen(argv[2], &l);
    if (l == 1 && p[0] == '*') {
        flags = REDISMODULE_STREAM_ADD_AUTOID;
    } else if (parseID(argv[2], &id) != REDISMODULE_OK) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR bad id");
    }
    errno = 0;
    if (RedisModule_StreamAdd(k, flags, &id, argv + 3, (argc - 3) / 2) != REDISMODULE_OK) {
        RedisModule_CloseKey(k);
        return replyErrno(ctx);
    }
    RedisModule_CloseKey(k);
    if (flags) return RedisModule_ReplyWithSimpleString(ctx, "auto");
    RedisModuleString *s = RedisModule_CreateStringFromStreamID(ctx, &id);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    return REDISMODULE_OK;
}

static int Del(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModuleStreamID id;
    if (parseID(argv[2], &id) != REDISMODULE_OK) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR bad id");
    }
    int rc = RedisModule_StreamDelete(k, &id);
    RedisModule_CloseKey(k);
    if (rc != REDISMODULE_OK) return replyErrno(ctx);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Range(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 5) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModuleStreamID start, end, *sp = NULL, *ep = NULL;
    if (strcmp(RedisModule_StringPtrLen(argv[2], NULL), "null") != 0) {
        if (parseID(argv[2], &start) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR bad id");
        sp = &start;
    }
    if (strcmp(RedisModule_StringPtrLen(argv[3], NULL), "null") != 0) {
        if (parseID(argv[3], &end) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR bad id");
        ep = &end;
    }
    long long flags;
    if (RedisModule_StringToLongLong(argv[4], &flags) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR flags");
    errno = 0;
    if (RedisModule_StreamIteratorStart(k, (int)flags, sp, ep) != REDISMODULE_OK) return replyErrno(ctx);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    long n = 0, nf;
    RedisModuleStreamID id;
    while (RedisModule_StreamIteratorNextID(k, &id, &nf) == REDISMODULE_OK) {
        RedisModule_ReplyWithArray(ctx, 2);
        RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromStreamID(ctx, &id));
        RedisModule_ReplyWithArray(ctx, nf * 2);
        RedisModuleString *f, *v;
        while (RedisModule_StreamIteratorNextField(k, &f, &v) == REDISMODULE_OK) {
            RedisModule_ReplyWithString(ctx, f);
            RedisModule_ReplyWithString(ctx, v);
        }
        n++;
    }
    int endErr = errno;
    RedisModule_StreamIteratorStop(k);
    RedisModule_ReplyWithLongLong(ctx, endErr);
    RedisModule_ReplySetArrayLength(ctx, n + 1);
    return REDISMODULE_OK;
}

static int DelEvery(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long every;
    if (argc != 3) return RedisModule_WrongArity(ctx);
    if (RedisModule_StringToLongLong(argv[2], &every) != REDISMODULE_OK || every < 1)
        return RedisModule_ReplyWithError(ctx, "ERR every");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    if (RedisModule_StreamIteratorStart(k, 0, NULL, NULL) != REDISMODULE_OK) {
        RedisModule_CloseKey(k);
        return replyErrno(ctx);
    }
    long long i = 0, deleted = 0;
    RedisModuleStreamID id;
    while (RedisModule_StreamIteratorNextID(k, &id, NULL) == REDISMODULE_OK) {
        if (i++ % every == 0 && RedisModule_StreamIteratorDelete(k) == REDISMODULE_OK) deleted++;
    }
    RedisModule_StreamIteratorStop(k);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, deleted);
}

static int Trim(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int byID) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    long long flags, n = 0;
    RedisModuleStreamID id;
    if (RedisModule_StringToLongLong(argv[3], &flags) != REDISMODULE_OK ||
        (byID ? parseID(argv[2], &id) : RedisModule_StringToLongLong(argv[2], &n)) != REDISMODULE_OK) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR args");
    }
    errno = 0;
    long long r = byID ? RedisModule_StreamTrimByID(k, (int)flags, &id) : RedisModule_StreamTrimByLength(k, (int)flags, n);
    RedisModule_CloseKey(k);
    if (r < 0) return replyErrno(ctx);
    return RedisModule_ReplyWithLongLong(ctx, r);
}

static int TrimLen(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return Trim(ctx, argv, argc, 0); }
static int TrimID(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return Trim(ctx, argv, argc, 1); }

static int Conv(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleStreamID id;
    if (RedisModule_StringToStreamID(argv[1], &id) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR invalid");
    RedisModuleString *s = RedisModule_CreateStringFromStreamID(ctx, &id);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    return REDISMODULE_OK;
}

static int Len(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    long long n = k ? (long long)RedisModule_ValueLength(k) : -1;
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, n);
}

/* Errs records the errno of each misuse (0 if the call unexpectedly
 * succeeded) on <key>, which must hold a stream with entries, and on
 * <key>:str, set to a string here. */
static int Errs(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    long long out[64];
    int n = 0;
#define REC(call) do { errno = 0; long long _r = (long long)(call); out[n++] = (_r == REDISMODULE_OK) ? -1 : errno; } while (0)
#define RECN(call) do { errno = 0; long long _r = (call); out[n++] = (_r >= 0) ? -1 : errno; } while (0)
    RedisModuleKey *rk = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModuleKey *wk = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModuleString *sname = RedisModule_CreateStringPrintf(ctx, "%s:str", RedisModule_StringPtrLen(argv[1], NULL));
    RedisModuleCallReply *cr = RedisModule_Call(ctx, "SET", "sc", sname, "x");
    (void)cr;
    RedisModuleKey *sk = RedisModule_OpenKey(ctx, sname, REDISMODULE_WRITE);
    RedisModuleString *empty = RedisModule_CreateStringPrintf(ctx, "%s:empty", RedisModule_StringPtrLen(argv[1], NULL));
    RedisModuleKey *ek = RedisModule_OpenKey(ctx, empty, REDISMODULE_WRITE);
    RedisModuleStreamID zero = {0, 0}, one = {1, 0}, max = {UINT64_MAX, UINT64_MAX};
    RedisModuleString *fv[2] = {RedisModule_CreateString(ctx, "f", 1), RedisModule_CreateString(ctx, "v", 1)};
    REC(RedisModule_StreamAdd(NULL, 0, &one, fv, 1));
    REC(RedisModule_StreamAdd(sk, 0, &one, fv, 1));
    REC(RedisModule_StreamAdd(rk, 0, &one, fv, 1));
    REC(RedisModule_StreamAdd(wk, 0, &zero, fv, 1));
    REC(RedisModule_StreamAdd(wk, 0, &one, fv, 1));
    REC(RedisModule_StreamAdd(wk, 0, &one, NULL, 1));
    REC(RedisModule_StreamDelete(rk, &one));
    REC(RedisModule_StreamDelete(sk, &one));
    REC(RedisModule_StreamDelete(ek, &one));
    REC(RedisModule_StreamDelete(wk, &max));
    REC(RedisModule_StreamIteratorStart(wk, 4, NULL, NULL));
    REC(RedisModule_StreamIteratorStart(sk, 0, NULL, NULL));
    REC(RedisModule_StreamIteratorStart(wk, REDISMODULE_STREAM_ITERATOR_EXCLUSIVE, &max, NULL));
    REC(RedisModule_StreamIteratorStart(wk, REDISMODULE_STREAM_ITERATOR_EXCLUSIVE, NULL, &zero));
    REC(RedisModule_StreamIteratorStop(wk));
    REC(RedisModule_StreamIteratorNextID(wk, NULL, NULL));
    REC(RedisModule_StreamIteratorNextField(wk, NULL, NULL));
    REC(RedisModule_StreamIteratorDelete(wk));
    REC(RedisModule_StreamIteratorStart(wk, 0, NULL, NULL));
    REC(RedisModule_StreamIteratorStart(wk, 0, NULL, NULL));
    REC(RedisModule_StreamDelete(wk, &one));
    REC(RedisModule_StreamIteratorNextField(wk, NULL, NULL));
    REC(RedisModule_StreamIteratorDelete(wk));
    REC(RedisModule_StreamIteratorStop(wk));
    REC(RedisModule_StreamIteratorStart(rk, 0, NULL, NULL));
    REC(RedisModule_StreamIteratorNextID(rk, NULL, NULL));
    REC(RedisModule_StreamIteratorDelete(rk));
    REC(RedisModule_StreamIteratorStop(rk));
    RECN(RedisModule_StreamTrimByLength(wk, 0, -1));
    RECN(RedisModule_StreamTrimByLength(wk, 2, 1));
    RECN(RedisModule_StreamTrimByLength(rk, 0, 1));
    RECN(RedisModule_StreamTrimByLength(sk, 0, 1));
    RECN(RedisModule_StreamTrimByID(wk, 0, NULL));
    RECN(RedisModule_StreamTrimByID(ek, 0, &one));
    RedisModule_ReplyWithArray(ctx, n);
    for (int i = 0; i < n; i++) RedisModule_ReplyWithLongLong(ctx, out[i]);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "bridgestream", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    struct {
        const char *name, *flags;
        RedisModuleCmdFunc fn;
        int first, last;
    } cmds[] = {
        {"st.add", "write", Add, 1, 1},       {"st.del", "write", Del, 1, 1},
        {"st.range", "readonly", Range, 1, 1}, {"st.delevery", "write", DelEvery, 1, 1},
        {"st.trimlen", "write", TrimLen, 1, 1}, {"st.trimid", "write", TrimID, 1, 1},
        {"st.conv", "readonly", Conv, 0, 0},   {"st.len", "readonly", Len, 1, 1},
        {"st.errs", "write", Errs, 1, 1},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, cmds[i].first, cmds[i].last, 1) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
