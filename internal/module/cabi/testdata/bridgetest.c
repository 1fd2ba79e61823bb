/*
 * bridgetest: a C module for the bridge tests, built against
 * include/redismodule.h. Commands:
 *   bt.replies            one reply of every type, in an array
 *   bt.conv <s>           [ll-or-err, double-or-err, compare(s, "abc"), printf, appended]
 *   bt.dmawrite <key> <v> StringSet via Truncate + DMA write, then DMA read back
 *   bt.dmaread <key>      DMA read of a string key
 *   bt.call <key> <v>     Call SET then GET, reply with GET's reply
 *   bt.callarr            Call with an array reply, element access
 *   bt.auto               auto memory: strings, keys and replies left unfreed
 *   bt.alloc              Alloc/Calloc/Realloc/Strdup/PoolAlloc round trip
 *   bt.retained           reply with the string retained at load (argv[0])
 *   bt.parent <sub>       container command with subcommand "sub"
 * Load arguments: "fail" makes OnLoad fail after creating a command.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "redismodule.h"

static RedisModuleString *retained;

static int Replies(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    RedisModule_ReplyWithLongLong(ctx, -42);
    RedisModule_ReplyWithSimpleString(ctx, "OK");
    RedisModule_ReplyWithError(ctx, "ERR boom");
    RedisModule_ReplyWithStringBuffer(ctx, "bu\0f", 4);
    RedisModule_ReplyWithCString(ctx, "cstr");
    RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithNullArray(ctx);
    RedisModule_ReplyWithEmptyArray(ctx);
    RedisModule_ReplyWithEmptyString(ctx);
    RedisModule_ReplyWithBool(ctx, 1);
    RedisModule_ReplyWithDouble(ctx, 3.5);
    RedisModule_ReplyWithBigNumber(ctx, "12345678901234567890", 20);
    RedisModule_ReplyWithVerbatimString(ctx, "verb", 4);
    RedisModule_ReplyWithMap(ctx, 1);
    RedisModule_ReplyWithCString(ctx, "k");
    RedisModule_ReplyWithLongLong(ctx, 1);
    RedisModule_ReplyWithSet(ctx, 2);
    RedisModule_ReplyWithCString(ctx, "a");
    RedisModule_ReplyWithCString(ctx, "b");
    RedisModuleString *s = RedisModule_CreateString(ctx, "str", 3);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    RedisModule_ReplySetArrayLength(ctx, 16);
    return REDISMODULE_OK;
}

static int Conv(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithArray(ctx, 6);
    long long ll;
    if (RedisModule_StringToLongLong(argv[1], &ll) == REDISMODULE_OK)
        RedisModule_ReplyWithLongLong(ctx, ll);
    else
        RedisModule_ReplyWithError(ctx, "ERR not an integer");
    double d;
    if (RedisModule_StringToDouble(argv[1], &d) == REDISMODULE_OK) {
        RedisModuleString *ds = RedisModule_CreateStringFromDouble(ctx, d);
        RedisModule_ReplyWithString(ctx, ds);
        RedisModule_FreeString(ctx, ds);
    } else {
        RedisModule_ReplyWithError(ctx, "ERR not a double");
    }
    RedisModuleString *abc = RedisModule_CreateString(ctx, "abc", 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_StringCompare(argv[1], abc));
    RedisModule_FreeString(ctx, abc);
    size_t len;
    const char *p = RedisModule_StringPtrLen(argv[1], &len);
    RedisModuleString *pf = RedisModule_CreateStringPrintf(ctx, "<%s|%zu|%d>", p, len, 7);
    RedisModule_ReplyWithString(ctx, pf);
    RedisModule_FreeString(ctx, pf);
    RedisModuleString *cp = RedisModule_CreateStringFromString(ctx, argv[1]);
    RedisModule_StringAppendBuffer(ctx, cp, "++", 2);
    RedisModule_ReplyWithString(ctx, cp);
    RedisModule_FreeString(ctx, cp);
    RedisModuleString *u = RedisModule_CreateStringFromULongLong(ctx, 18446744073709551615ULL);
    RedisModule_ReplyWithString(ctx, u);
    RedisModule_FreeString(ctx, u);
    return REDISMODULE_OK;
}

static int DMAWrite(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    size_t vlen;
    const char *v = RedisModule_StringPtrLen(argv[2], &vlen);
    if (RedisModule_StringTruncate(k, vlen) != REDISMODULE_OK) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR truncate");
    }
    size_t len;
    char *buf = RedisModule_StringDMA(k, &len, REDISMODULE_WRITE);
    if (buf == NULL || len != vlen) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR dma");
    }
    memcpy(buf, v, len);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, (long long)len);
}

static int DMARead(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (k == NULL) return RedisModule_ReplyWithNull(ctx);
    if (RedisModule_KeyType(k) != REDISMODULE_KEYTYPE_STRING) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "WRONGTYPE not a string");
    }
    size_t len;
    char *buf = RedisModule_StringDMA(k, &len, REDISMODULE_READ);
    RedisModule_ReplyWithStringBuffer(ctx, buf, len);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static int CallCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "ss", argv[1], argv[2]);
    if (r == NULL || RedisModule_CallReplyType(r) != REDISMODULE_REPLY_STRING) {
        if (r) RedisModule_FreeCallReply(r);
        return RedisModule_ReplyWithError(ctx, "ERR set failed");
    }
    RedisModule_FreeCallReply(r);
    r = RedisModule_Call(ctx, "GET", "s", argv[1]);
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

static int CallArr(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "MSET", "cccl", "bt:a", "x", "bt:b", 42LL);
    long long n = RedisModule_CallReplyType(r);
    RedisModule_FreeCallReply(r);
    r = RedisModule_Call(ctx, "MGET", "ccc", "bt:a", "bt:b", "bt:none");
    size_t len = RedisModule_CallReplyLength(r);
    RedisModule_ReplyWithArray(ctx, (long)len + 2);
    RedisModule_ReplyWithLongLong(ctx, n);
    for (size_t i = 0; i < len; i++) {
        RedisModuleCallReply *e = RedisModule_CallReplyArrayElement(r, i);
        if (RedisModule_CallReplyType(e) == REDISMODULE_REPLY_STRING) {
            size_t l;
            const char *s = RedisModule_CallReplyStringPtr(e, &l);
            RedisModule_ReplyWithStringBuffer(ctx, s, l);
        } else {
            RedisModule_ReplyWithCallReply(ctx, e);
        }
    }
    /* errno path: an unknown command gives NULL. */
    RedisModuleCallReply *bad = RedisModule_Call(ctx, "NOSUCHCMD", "");
    RedisModule_ReplyWithLongLong(ctx, bad == NULL);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

static int Auto(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    for (int i = 0; i < 100; i++) RedisModule_CreateStringFromLongLong(ctx, i);
    RedisModuleString *kn = RedisModule_CreateString(ctx, "bt:auto", 7);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, kn, REDISMODULE_WRITE);
    RedisModule_StringSet(k, kn);
    RedisModule_Call(ctx, "GET", "c", "bt:auto");
    RedisModuleString *kept = RedisModule_CreateString(ctx, "kept", 4);
    RedisModule_RetainString(ctx, kept);
    RedisModule_FreeString(ctx, kept);
    void *p = RedisModule_PoolAlloc(ctx, 100);
    memset(p, 1, 100);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int AllocCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    char *a = RedisModule_Alloc(10);
    memcpy(a, "abc", 4);
    a = RedisModule_Realloc(a, 1000);
    int *c = RedisModule_Calloc(10, sizeof(int));
    int zero = 1;
    for (int i = 0; i < 10; i++) zero &= c[i] == 0;
    char *d = RedisModule_Strdup(a);
    int ok = zero && strcmp(d, "abc") == 0;
    RedisModule_Free(a);
    RedisModule_Free(c);
    RedisModule_Free(d);
    void *t = RedisModule_TryAlloc(16);
    RedisModule_Free(t);
    return RedisModule_ReplyWithLongLong(ctx, ok);
}

static int Retained(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (retained == NULL) return RedisModule_ReplyWithNull(ctx);
    return RedisModule_ReplyWithString(ctx, retained);
}

static int Sub(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    RedisModule_Log(ctx, "notice", "bt.parent sub called with %d args", argc);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithCString(ctx, RedisModule_GetCurrentCommandName(ctx));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetSelectedDb(ctx));
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_GetClientId(ctx) > 0);
}

static int Misc(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    char hex[9] = {0};
    RedisModule_GetRandomHexChars(hex, 8);
    int hexok = 1;
    for (int i = 0; i < 8; i++) hexok &= (hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f');
    RedisModuleString *rk = RedisModule_RandomKey(ctx);
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_DbSize(ctx));
    RedisModule_ReplyWithLongLong(ctx, rk != NULL);
    RedisModule_ReplyWithLongLong(ctx, (RedisModule_GetContextFlags(ctx) & REDISMODULE_CTX_FLAGS_MASTER) != 0);
    RedisModule_ReplyWithLongLong(ctx, hexok);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_Milliseconds() > 1600000000000LL);
    if (rk) RedisModule_FreeString(ctx, rk);
    return REDISMODULE_OK;
}

static int Repl(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_Replicate(ctx, "SET", "scl", argv[1], "v", 5LL));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_Replicate(ctx, "NOSUCHCMD", ""));
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_Replicate(ctx, "SET", "cq", "a", "b"));
}

/* bt.timer <key> <ms>: a timer that SETs key to "fired" (data is the
 * retained key name); also checks GetTimerInfo and StopTimer on a second
 * timer whose data comes back. */
static void TimerFired(RedisModuleCtx *ctx, void *data) {
    RedisModuleString *key = data;
    RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "sc", key, "fired");
    RedisModule_FreeCallReply(r);
    RedisModule_FreeString(ctx, key);
}

static int Timer(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long ms;
    if (RedisModule_StringToLongLong(argv[2], &ms) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR ms");
    RedisModule_RetainString(ctx, argv[1]);
    RedisModule_CreateTimer(ctx, ms, TimerFired, argv[1]);
    static int marker;
    RedisModuleTimerID other = RedisModule_CreateTimer(ctx, 100000, TimerFired, &marker);
    uint64_t remaining = 0;
    void *d = NULL;
    int info = RedisModule_GetTimerInfo(ctx, other, &remaining, &d) == REDISMODULE_OK && d == &marker &&
               remaining > 90000;
    d = NULL;
    int stop = RedisModule_StopTimer(ctx, other, &d) == REDISMODULE_OK && d == &marker;
    int again = RedisModule_StopTimer(ctx, other, NULL) == REDISMODULE_ERR;
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, info);
    RedisModule_ReplyWithLongLong(ctx, stop);
    return RedisModule_ReplyWithLongLong(ctx, again);
}

/* bt.dict: exercise a dict and an iterator; replies with keys seen. */
static int DictCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModuleDict *d = RedisModule_CreateDict(ctx);
    static int v1, v2, v3;
    RedisModule_DictSetC(d, "b", 1, &v2);
    RedisModule_DictSetC(d, "a", 1, &v1);
    RedisModuleString *c = RedisModule_CreateString(ctx, "c", 1);
    RedisModule_DictSet(d, c, &v3);
    int dup = RedisModule_DictSetC(d, "a", 1, &v3) == REDISMODULE_ERR;
    int nokey = 0;
    int get = RedisModule_DictGetC(d, "b", 1, &nokey) == &v2 && !nokey;
    RedisModule_DictGetC(d, "zz", 2, &nokey);
    int miss = nokey == 1;
    void *old = NULL;
    int del = RedisModule_DictDel(d, c, &old) == REDISMODULE_OK && old == &v3;
    RedisModule_FreeString(ctx, c);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    long n = 0;
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_DictSize(d));
    RedisModule_ReplyWithLongLong(ctx, dup && get && miss && del);
    n += 2;
    RedisModuleDictIter *it = RedisModule_DictIteratorStartC(d, "^", NULL, 0);
    size_t kl;
    void *data;
    char *k;
    while ((k = RedisModule_DictNextC(it, &kl, &data)) != NULL) {
        RedisModule_ReplyWithStringBuffer(ctx, k, kl);
        n++;
    }
    RedisModule_DictIteratorReseekC(it, "$", NULL, 0);
    RedisModuleString *ks;
    while ((ks = RedisModule_DictPrev(ctx, it, &data)) != NULL) {
        RedisModule_ReplyWithString(ctx, ks);
        RedisModule_FreeString(ctx, ks);
        n++;
    }
    RedisModule_DictIteratorStop(it);
    RedisModule_FreeDict(ctx, d);
    RedisModule_ReplySetArrayLength(ctx, n);
    return REDISMODULE_OK;
}

/* bt.block <ms> <n>: a worker pthread sleeps, writes bt:thread under the
 * thread-safe context lock, and unblocks the client with n as private
 * data; the reply callback replies n. bt.blockto <ms>: times out after ms
 * while the worker unblocks later (reply "TIMEDOUT"). */
typedef struct {
    RedisModuleBlockedClient *bc;
    long long ms, n;
} work;

static void *worker(void *arg) {
    work *w = arg;
    usleep((useconds_t)(w->ms * 1000));
    RedisModuleCtx *ts = RedisModule_GetThreadSafeContext(w->bc);
    RedisModule_ThreadSafeContextLock(ts);
    RedisModuleCallReply *r = RedisModule_Call(ts, "INCR", "c", "bt:thread");
    RedisModule_FreeCallReply(r);
    RedisModule_ThreadSafeContextUnlock(ts);
    RedisModule_Log(ts, "notice", "worker done %lld", w->n);
    RedisModule_FreeThreadSafeContext(ts);
    long long *priv = RedisModule_Alloc(sizeof(*priv));
    *priv = w->n;
    if (RedisModule_UnblockClient(w->bc, priv) != REDISMODULE_OK) RedisModule_Free(priv);
    RedisModule_Free(w);
    return NULL;
}

static int BlockReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (!RedisModule_IsBlockedReplyRequest(ctx)) return RedisModule_ReplyWithError(ctx, "ERR not a reply request");
    long long *priv = RedisModule_GetBlockedClientPrivateData(ctx);
    return RedisModule_ReplyWithLongLong(ctx, *priv);
}

static int BlockTimeout(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (!RedisModule_IsBlockedTimeoutRequest(ctx)) return RedisModule_ReplyWithError(ctx, "ERR not a timeout");
    return RedisModule_ReplyWithSimpleString(ctx, "TIMEDOUT");
}

static void BlockFree(RedisModuleCtx *ctx, void *priv) {
    (void)ctx;
    RedisModule_Free(priv);
}

static int startBlock(RedisModuleCtx *ctx, long long ms, long long n, long long timeout) {
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, BlockReply, BlockTimeout, BlockFree, timeout);
    work *w = RedisModule_Alloc(sizeof(*w));
    w->bc = bc;
    w->ms = ms;
    w->n = n;
    pthread_t tid;
    if (pthread_create(&tid, NULL, worker, w) != 0) {
        RedisModule_AbortBlock(bc);
        RedisModule_Free(w);
        return RedisModule_ReplyWithError(ctx, "ERR can't start thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

static int Block(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long ms, n;
    if (RedisModule_StringToLongLong(argv[1], &ms) != REDISMODULE_OK ||
        RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid arguments");
    return startBlock(ctx, ms, n, 0);
}

static int BlockTo(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long ms;
    if (RedisModule_StringToLongLong(argv[1], &ms) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid arguments");
    return startBlock(ctx, ms * 4, 0, ms);
}

/* Keyspace events: every string-class event on a key starting with
 * "ev:" increments bt:events (through Call, not re-entering) and publishes
 * the event name on channel bt:ch. bt.notify <key> fires a custom event. */
static int OnKeyEvent(RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key) {
    size_t l;
    const char *k = RedisModule_StringPtrLen(key, &l);
    if (l < 3 || memcmp(k, "ev:", 3) != 0 || !(type & REDISMODULE_NOTIFY_STRING)) return REDISMODULE_OK;
    RedisModuleCallReply *r = RedisModule_Call(ctx, "INCR", "c", "bt:events");
    RedisModule_FreeCallReply(r);
    RedisModuleString *ch = RedisModule_CreateString(ctx, "bt:ch", 5);
    RedisModuleString *msg = RedisModule_CreateStringPrintf(ctx, "%s %.*s", event, (int)l, k);
    RedisModule_PublishMessage(ctx, ch, msg);
    RedisModule_FreeString(ctx, ch);
    RedisModule_FreeString(ctx, msg);
    return REDISMODULE_OK;
}

static int Notify(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_NotifyKeyspaceEvent(ctx, REDISMODULE_NOTIFY_STRING, "bt-custom", argv[1]);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetNotifyKeyspaceEvents());
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_GetKeyspaceNotificationFlagsAll() > 0);
}

/* bt.shared: call bridgetype's exported bt_twice(21); null if absent.
 * Also replies this client's name. */
static int Shared(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    long long (*twice)(long long) = (long long (*)(long long))RedisModule_GetSharedAPI(ctx, "bt_twice");
    RedisModule_ReplyWithArray(ctx, 2);
    if (twice == NULL)
        RedisModule_ReplyWithNull(ctx);
    else
        RedisModule_ReplyWithLongLong(ctx, twice(21));
    RedisModuleString *name = RedisModule_GetClientNameById(ctx, RedisModule_GetClientId(ctx));
    if (name == NULL) return RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithString(ctx, name);
    RedisModule_FreeString(ctx, name);
    return REDISMODULE_OK;
}

/* bt.sinfo: a few fields of GetServerInfo("server"/"clients"). */
static int SInfo(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModuleServerInfoData *d = RedisModule_GetServerInfo(ctx, "server");
    int err = 0;
    long long port = RedisModule_ServerInfoGetFieldSigned(d, "tcp_port", &err);
    int perr = err;
    RedisModule_ServerInfoGetFieldUnsigned(d, "no_such_field", &err);
    const char *mode = RedisModule_ServerInfoGetFieldC(d, "redis_mode");
    RedisModuleString *ver = RedisModule_ServerInfoGetField(ctx, d, "redis_version");
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, port > 0 && !perr);
    RedisModule_ReplyWithLongLong(ctx, err);
    RedisModule_ReplyWithCString(ctx, mode ? mode : "(null)");
    if (ver) {
        RedisModule_ReplyWithString(ctx, ver);
        RedisModule_FreeString(ctx, ver);
    } else {
        RedisModule_ReplyWithNull(ctx);
    }
    RedisModule_FreeServerInfo(ctx, d);
    d = RedisModule_GetServerInfo(ctx, "clients");
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ServerInfoGetFieldDouble(d, "connected_clients", &err) >= 1 && !err);
    RedisModule_FreeServerInfo(ctx, d);
    return REDISMODULE_OK;
}

/* bt.attrsrc replies "x" with an attribute {a: 1} (RESP3 only);
 * bt.attr calls it in RESP3 and unpacks the attribute. */
static int AttrSrc(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_ReplyWithAttribute(ctx, 1) != REDISMODULE_OK) return RedisModule_ReplyWithCString(ctx, "noattr");
    RedisModule_ReplyWithCString(ctx, "a");
    RedisModule_ReplyWithLongLong(ctx, 1);
    return RedisModule_ReplyWithCString(ctx, "x");
}

static int Attr(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModuleCallReply *r = RedisModule_Call(ctx, "bt.attrsrc", "3");
    RedisModuleCallReply *a = RedisModule_CallReplyAttribute(r);
    RedisModule_ReplyWithArray(ctx, 4);
    RedisModule_ReplyWithLongLong(ctx, a ? RedisModule_CallReplyType(a) : -1);
    RedisModuleCallReply *k = NULL, *v = NULL;
    if (a && RedisModule_CallReplyAttributeElement(a, 0, &k, &v) == REDISMODULE_OK) {
        RedisModule_ReplyWithCallReply(ctx, k);
        RedisModule_ReplyWithCallReply(ctx, v);
    } else {
        RedisModule_ReplyWithNull(ctx);
        RedisModule_ReplyWithNull(ctx);
    }
    size_t l;
    const char *s = RedisModule_CallReplyStringPtr(r, &l);
    RedisModule_ReplyWithStringBuffer(ctx, s ? s : "", s ? l : 0);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

/* bt.scan: count keys and sum the lengths of string values via Scan;
 * bt.cmdkeys <cmd args...>: GetCommandKeysWithFlags positions. */
typedef struct {
    long long n, bytes;
} scanAcc;

static void ScanCB(RedisModuleCtx *ctx, RedisModuleString *keyname, RedisModuleKey *key, void *priv) {
    (void)ctx;
    (void)keyname;
    scanAcc *a = priv;
    a->n++;
    if (RedisModule_KeyType(key) == REDISMODULE_KEYTYPE_STRING) a->bytes += (long long)RedisModule_ValueLength(key);
}

static int ScanCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    scanAcc a = {0, 0};
    RedisModuleScanCursor *c = RedisModule_ScanCursorCreate();
    while (RedisModule_Scan(ctx, c, ScanCB, &a)) {
    }
    RedisModule_ScanCursorDestroy(c);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, a.n);
    return RedisModule_ReplyWithLongLong(ctx, a.bytes);
}

static int CmdKeys(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    int n = 0, *flags = NULL;
    int *keys = RedisModule_GetCommandKeysWithFlags(ctx, argv + 1, argc - 1, &n, &flags);
    if (keys == NULL) return RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithArray(ctx, n * 2);
    for (int i = 0; i < n; i++) {
        RedisModule_ReplyWithLongLong(ctx, keys[i]);
        RedisModule_ReplyWithLongLong(ctx, flags[i]);
    }
    RedisModule_Free(keys);
    RedisModule_Free(flags);
    return REDISMODULE_OK;
}

/* Server events: counts and the last data seen. bt.events replies
 * [flushes, last flushed db, connects, disconnects, last client port>0,
 *  last module change "name/sub", swaps "a-b", supported(FLUSHDB,1),
 *  supported(FLUSHDB,2), own client's db via GetClientInfoById]. */
static long long ev_flush, ev_flushdb = -2, ev_conn, ev_disc, ev_port, ev_swap_a = -1, ev_swap_b = -1;
static char ev_mod[64] = "-";

static void OnEvent(RedisModuleCtx *ctx, RedisModuleEvent e, uint64_t sub, void *data) {
    (void)ctx;
    if (e.id == REDISMODULE_EVENT_FLUSHDB && sub == REDISMODULE_SUBEVENT_FLUSHDB_END) {
        ev_flush++;
        ev_flushdb = ((RedisModuleFlushInfo *)data)->dbnum;
    } else if (e.id == REDISMODULE_EVENT_CLIENT_CHANGE) {
        RedisModuleClientInfo *ci = data;
        if (sub == REDISMODULE_SUBEVENT_CLIENT_CHANGE_CONNECTED) ev_conn++; else ev_disc++;
        ev_port = ci->port > 0 && ci->id > 0;
    } else if (e.id == REDISMODULE_EVENT_MODULE_CHANGE) {
        RedisModuleModuleChange *mc = data;
        snprintf(ev_mod, sizeof(ev_mod), "%s/%d/%llu", mc->module_name, mc->module_version, (unsigned long long)sub);
    } else if (e.id == REDISMODULE_EVENT_SWAPDB) {
        RedisModuleSwapDbInfo *si = data;
        ev_swap_a = si->dbnum_first;
        ev_swap_b = si->dbnum_second;
    }
}

static int Events(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModuleClientInfo ci = {.version = 1};
    int rc = RedisModule_GetClientInfoById(&ci, RedisModule_GetClientId(ctx));
    RedisModule_ReplyWithArray(ctx, 10);
    RedisModule_ReplyWithLongLong(ctx, ev_flush);
    RedisModule_ReplyWithLongLong(ctx, ev_flushdb);
    RedisModule_ReplyWithLongLong(ctx, ev_conn > 0);
    RedisModule_ReplyWithLongLong(ctx, ev_disc > 0);
    RedisModule_ReplyWithLongLong(ctx, ev_port);
    RedisModule_ReplyWithCString(ctx, ev_mod);
    RedisModule_ReplyWithLongLong(ctx, ev_swap_a * 10 + ev_swap_b);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_IsSubEventSupported(RedisModuleEvent_FlushDB, 1));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_IsSubEventSupported(RedisModuleEvent_FlushDB, 2));
    return RedisModule_ReplyWithLongLong(ctx, rc == REDISMODULE_OK ? ci.db : -1);
}

/* Command filter: "bt.f [a [b ...]]" becomes "ECHO filtered" without
 * arguments, else "ECHO a" (extra arguments deleted). bt.unfilter
 * unregisters it. */
static RedisModuleCommandFilter *filter;

static void Filter(RedisModuleCommandFilterCtx *f) {
    RedisModuleString *a0 = RedisModule_CommandFilterArgGet(f, 0);
    size_t l;
    const char *s = RedisModule_StringPtrLen(a0, &l);
    if (l != 4 || memcmp(s, "bt.f", 4) != 0) return;
    RedisModule_CommandFilterArgReplace(f, 0, RedisModule_CreateString(NULL, "ECHO", 4));
    if (RedisModule_CommandFilterArgsCount(f) == 1)
        RedisModule_CommandFilterArgInsert(f, 1, RedisModule_CreateString(NULL, "filtered", 8));
    while (RedisModule_CommandFilterArgsCount(f) > 2) RedisModule_CommandFilterArgDelete(f, 2);
}

static int Unfilter(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    int rc = RedisModule_UnregisterCommandFilter(ctx, filter);
    filter = NULL;
    return RedisModule_ReplyWithLongLong(ctx, rc);
}

/* bt.bpop <key> <timeout-ms>: block until key holds a string signalled
 * ready (bt.signal <key>), then reply it and delete the key; null on
 * timeout. */
static int BPopReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModuleString *kn = RedisModule_GetBlockedClientReadyKey(ctx);
    /* Look first with a READ handle: closing a WRITE handle on a key the
     * client keeps waiting for would signal it ready again. */
    RedisModuleKey *k = RedisModule_OpenKey(ctx, kn, REDISMODULE_READ);
    int t = RedisModule_KeyType(k);
    RedisModule_CloseKey(k);
    if (t != REDISMODULE_KEYTYPE_STRING) return REDISMODULE_ERR; /* keep waiting */
    k = RedisModule_OpenKey(ctx, kn, REDISMODULE_READ | REDISMODULE_WRITE);
    size_t l;
    char *v = RedisModule_StringDMA(k, &l, REDISMODULE_READ);
    RedisModule_ReplyWithStringBuffer(ctx, v, l);
    RedisModule_DeleteKey(k);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static int BPopTimeout(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return RedisModule_ReplyWithNull(ctx);
}

static int BPop(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long ms;
    if (RedisModule_StringToLongLong(argv[2], &ms) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR timeout");
    RedisModule_BlockClientOnKeys(ctx, BPopReply, BPopTimeout, NULL, ms, argv + 1, 1, NULL);
    return REDISMODULE_OK;
}

static int Signal(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_SignalKeyAsReady(ctx, argv[1]);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

/* bt.getkeys <k1> <x> <k2> ...: keys at odd positions (getkeys-api). */
static int GetKeys(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (RedisModule_IsKeysPositionRequest(ctx)) {
        for (int i = 1; i < argc; i += 2) RedisModule_KeyAtPos(ctx, i);
        return REDISMODULE_OK;
    }
    return RedisModule_ReplyWithLongLong(ctx, argc);
}

static int Info(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    return RedisModule_ReplyWithLongLong(ctx, argc);
}

static int setInfo(RedisModuleCtx *ctx) {
    if (RedisModule_CreateCommand(ctx, "bt.info", Info, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    RedisModuleCommand *cmd = RedisModule_GetCommand(ctx, "bt.info");
    RedisModuleCommandHistoryEntry history[] = {{"1.1.0", "Added the value."}, {0}};
    RedisModuleCommandKeySpec specs[] = {
        {.flags = REDISMODULE_CMD_KEY_RO | REDISMODULE_CMD_KEY_ACCESS,
         .begin_search_type = REDISMODULE_KSPEC_BS_INDEX,
         .bs.index.pos = 1,
         .find_keys_type = REDISMODULE_KSPEC_FK_RANGE,
         .fk.range = {0, 1, 0}},
        {0}};
    RedisModuleCommandArg sub[] = {{.name = "a", .type = REDISMODULE_ARG_TYPE_STRING}, {0}};
    RedisModuleCommandArg args[] = {
        {.name = "key", .type = REDISMODULE_ARG_TYPE_KEY, .key_spec_index = 0},
        {.name = "value", .type = REDISMODULE_ARG_TYPE_BLOCK, .key_spec_index = -1,
         .flags = REDISMODULE_CMD_ARG_OPTIONAL, .subargs = sub},
        {0}};
    RedisModuleCommandInfo info = {
        .version = REDISMODULE_COMMAND_INFO_VERSION,
        .summary = "Bridge info test",
        .complexity = "O(1)",
        .since = "1.0.0",
        .history = history,
        .arity = -2,
        .key_specs = specs,
        .args = args,
    };
    if (RedisModule_SetCommandInfo(cmd, &info) == REDISMODULE_ERR) return REDISMODULE_ERR;
    /* A second call must fail. */
    if (RedisModule_SetCommandInfo(cmd, &info) != REDISMODULE_ERR) return REDISMODULE_ERR;
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "bridgetest", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "bt.replies", Replies, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (argc > 0) {
        size_t l;
        const char *a = RedisModule_StringPtrLen(argv[0], &l);
        if (l == 4 && memcmp(a, "fail", 4) == 0) {
            RedisModule_Log(ctx, "warning", "failing on purpose");
            return REDISMODULE_ERR;
        }
        RedisModule_RetainString(ctx, argv[0]);
        retained = argv[0];
    }
    struct { const char *name; RedisModuleCmdFunc fn; const char *flags; int k; } cmds[] = {
        {"bt.conv", Conv, "readonly", 0},
        {"bt.dmawrite", DMAWrite, "write", 1},
        {"bt.dmaread", DMARead, "readonly", 1},
        {"bt.call", CallCmd, "write", 1},
        {"bt.callarr", CallArr, "write", 0},
        {"bt.auto", Auto, "write", 0},
        {"bt.alloc", AllocCmd, "readonly", 0},
        {"bt.retained", Retained, "readonly", 0},
        {"bt.misc", Misc, "readonly", 0},
        {"bt.repl", Repl, "write", 1},
        {"bt.timer", Timer, "write", 1},
        {"bt.dict", DictCmd, "readonly", 0},
        {"bt.block", Block, "readonly", 0},
        {"bt.blockto", BlockTo, "readonly", 0},
        {"bt.notify", Notify, "write", 1},
        {"bt.shared", Shared, "readonly", 0},
        {"bt.sinfo", SInfo, "readonly", 0},
        {"bt.attrsrc", AttrSrc, "readonly", 0},
        {"bt.attr", Attr, "readonly", 0},
        {"bt.scan", ScanCmd, "readonly", 0},
        {"bt.cmdkeys", CmdKeys, "readonly", 0},
        {"bt.events", Events, "readonly", 0},
        {"bt.unfilter", Unfilter, "readonly", 0},
        {"bt.bpop", BPop, "write", 1},
        {"bt.signal", Signal, "readonly", 1},
        {"bt.getkeys", GetKeys, "readonly getkeys-api", 0},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, cmds[i].k, cmds[i].k,
                                      cmds[i].k) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    if (setInfo(ctx) == REDISMODULE_ERR) return REDISMODULE_ERR;
    filter = RedisModule_RegisterCommandFilter(ctx, Filter, 0);
    if (filter == NULL) return REDISMODULE_ERR;
    if (RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_FlushDB, OnEvent) == REDISMODULE_ERR ||
        RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_ClientChange, OnEvent) == REDISMODULE_ERR ||
        RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_ModuleChange, OnEvent) == REDISMODULE_ERR ||
        RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_SwapDB, OnEvent) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_SubscribeToKeyspaceEvents(ctx, REDISMODULE_NOTIFY_STRING | REDISMODULE_NOTIFY_GENERIC, OnKeyEvent) ==
        REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "bt.parent", NULL, "", 0, 0, 0) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModuleCommand *parent = RedisModule_GetCommand(ctx, "bt.parent");
    if (parent == NULL || RedisModule_CreateSubcommand(parent, "sub", Sub, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}

int RedisModule_OnUnload(RedisModuleCtx *ctx) {
    (void)ctx;
    if (retained) RedisModule_FreeString(NULL, retained);
    retained = NULL;
    return REDISMODULE_OK;
}
