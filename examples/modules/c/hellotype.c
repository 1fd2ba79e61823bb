/*
 * hellotype: the C counterpart of examples/modules/hellotype. A native data
 * type "hellotype" holding a sorted list of 64-bit integers, with RDB
 * save/load, AOF rewrite, memory usage and digest methods:
 *
 *   HELLOTYPE.INSERT key value          insert, replies the length
 *   HELLOTYPE.RANGE key first count     the elements first..first+count-1
 *   HELLOTYPE.LEN key                   the length
 *   HELLOTYPE.BRANGE key first count timeout
 *                                       RANGE, blocking up to timeout ms
 *                                       while the key is empty
 */
#include <stdint.h>
#include "redismodule.h"

static RedisModuleType *HelloType;

struct node {
    int64_t value;
    struct node *next;
};

struct list {
    struct node *head;
    uint64_t len;
};

static struct list *listNew(void) {
    struct list *l = RedisModule_Alloc(sizeof(*l));
    l->head = NULL;
    l->len = 0;
    return l;
}

static void listInsert(struct list *l, int64_t v) {
    struct node **pp = &l->head;
    while (*pp != NULL && (*pp)->value < v) pp = &(*pp)->next;
    struct node *n = RedisModule_Alloc(sizeof(*n));
    n->value = v;
    n->next = *pp;
    *pp = n;
    l->len++;
}

static void listFree(void *value) {
    struct list *l = value;
    struct node *n = l->head;
    while (n != NULL) {
        struct node *next = n->next;
        RedisModule_Free(n);
        n = next;
    }
    RedisModule_Free(l);
}

static void *typeLoad(RedisModuleIO *io, int encver) {
    if (encver != 0) return NULL;
    struct list *l = listNew();
    uint64_t n = RedisModule_LoadUnsigned(io);
    while (n-- > 0 && !RedisModule_IsIOError(io)) listInsert(l, RedisModule_LoadSigned(io));
    return l;
}

static void typeSave(RedisModuleIO *io, void *value) {
    struct list *l = value;
    RedisModule_SaveUnsigned(io, l->len);
    for (struct node *n = l->head; n != NULL; n = n->next) RedisModule_SaveSigned(io, n->value);
}

static void typeRewrite(RedisModuleIO *aof, RedisModuleString *key, void *value) {
    struct list *l = value;
    for (struct node *n = l->head; n != NULL; n = n->next)
        RedisModule_EmitAOF(aof, "HELLOTYPE.INSERT", "sl", key, (long long)n->value);
}

static size_t typeMemUsage(const void *value) {
    const struct list *l = value;
    return sizeof(*l) + sizeof(struct node) * l->len;
}

static void typeDigest(RedisModuleDigest *md, void *value) {
    struct list *l = value;
    for (struct node *n = l->head; n != NULL; n = n->next) RedisModule_DigestAddLongLong(md, n->value);
    RedisModule_DigestEndSequence(md);
}

/* openList opens key into *kp (NULL for a missing key opened for
 * reading); *l is NULL for an empty key. On a key of another type it
 * replies WRONGTYPE, closes the key and returns 0. */
static int openList(RedisModuleCtx *ctx, RedisModuleString *name, int mode, RedisModuleKey **kp, struct list **l) {
    RedisModuleKey *key = RedisModule_OpenKey(ctx, name, mode);
    int t = RedisModule_KeyType(key);
    if (t != REDISMODULE_KEYTYPE_EMPTY && RedisModule_ModuleTypeGetType(key) != HelloType) {
        RedisModule_CloseKey(key);
        RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
        return 0;
    }
    *l = t == REDISMODULE_KEYTYPE_EMPTY ? NULL : RedisModule_ModuleTypeGetValue(key);
    *kp = key;
    return 1;
}

static int Insert(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    struct list *l;
    RedisModuleKey *key;
    if (!openList(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE, &key, &l)) return REDISMODULE_OK;
    long long v;
    if (RedisModule_StringToLongLong(argv[2], &v) != REDISMODULE_OK) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, "ERR invalid value: must be a signed 64 bit integer");
    }
    if (l == NULL) {
        l = listNew();
        RedisModule_ModuleTypeSetValue(key, HelloType, l);
    }
    listInsert(l, v);
    RedisModule_CloseKey(key);
    /* Serve clients blocked in HELLOTYPE.BRANGE on this key. */
    RedisModule_SignalKeyAsReady(ctx, argv[1]);
    RedisModule_ReplyWithLongLong(ctx, (long long)l->len);
    RedisModule_ReplicateVerbatim(ctx);
    return REDISMODULE_OK;
}

static int Range(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    struct list *l;
    RedisModuleKey *key;
    if (!openList(ctx, argv[1], REDISMODULE_READ, &key, &l)) return REDISMODULE_OK;
    long long first, count;
    if (RedisModule_StringToLongLong(argv[2], &first) != REDISMODULE_OK ||
        RedisModule_StringToLongLong(argv[3], &count) != REDISMODULE_OK || first < 0 || count < 0) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, "ERR invalid first or count parameters");
    }
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    long long n = 0, i = 0;
    for (struct node *e = l ? l->head : NULL; e != NULL && n < count; e = e->next, i++) {
        if (i < first) continue;
        RedisModule_ReplyWithLongLong(ctx, e->value);
        n++;
    }
    RedisModule_ReplySetArrayLength(ctx, n);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int Len(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    struct list *l;
    RedisModuleKey *key;
    if (!openList(ctx, argv[1], REDISMODULE_READ, &key, &l)) return REDISMODULE_OK;
    RedisModule_ReplyWithLongLong(ctx, l ? (long long)l->len : 0);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

/* BRANGE reply callback: serve once the ready key holds our type. */
static int BRangeReady(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argc;
    RedisModuleKey *key = RedisModule_OpenKey(ctx, RedisModule_GetBlockedClientReadyKey(ctx), REDISMODULE_READ);
    int ours = RedisModule_KeyType(key) == REDISMODULE_KEYTYPE_MODULE && RedisModule_ModuleTypeGetType(key) == HelloType;
    RedisModule_CloseKey(key);
    if (!ours) return REDISMODULE_ERR; /* keep waiting */
    return Range(ctx, argv, 4);
}

static int BRangeTimeout(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    return RedisModule_ReplyWithSimpleString(ctx, "Request timedout");
}

static int BRange(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 5) return RedisModule_WrongArity(ctx);
    struct list *l;
    RedisModuleKey *key;
    if (!openList(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE, &key, &l)) return REDISMODULE_OK;
    RedisModule_CloseKey(key);
    long long timeout;
    if (RedisModule_StringToLongLong(argv[4], &timeout) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid timeout parameter");
    if (l != NULL) return Range(ctx, argv, 4);
    RedisModule_BlockClientOnKeys(ctx, BRangeReady, BRangeTimeout, NULL, timeout, argv + 1, 1, NULL);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    if (RedisModule_Init(ctx, "hellotype", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModuleTypeMethods tm = {
        .version = REDISMODULE_TYPE_METHOD_VERSION,
        .rdb_load = typeLoad,
        .rdb_save = typeSave,
        .aof_rewrite = typeRewrite,
        .mem_usage = typeMemUsage,
        .digest = typeDigest,
        .free = listFree,
    };
    HelloType = RedisModule_CreateDataType(ctx, "hellotype", 0, &tm);
    if (HelloType == NULL) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "hellotype.insert", Insert, "write deny-oom", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hellotype.range", Range, "readonly", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hellotype.len", Len, "readonly", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hellotype.brange", BRange, "readonly", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
