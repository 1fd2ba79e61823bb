/*
 * bridgelist: the list key API. Failures reply "ERR errno <name>".
 *   bl.push <key> head|tail <v>...   ListPush each, replies ValueLength
 *   bl.pop <key> head|tail <count>   ListPop up to count, replies them
 *   bl.get <key> <index>             ListGet
 *   bl.set <key> <index> <v>         ListSet
 *   bl.insert <key> <index> <v>      ListInsert
 *   bl.delete <key> <index>          ListDelete, replies ValueLength
 *   bl.getall <key> [reverse]        ListGet of every index, then checks
 *                                    that the next index gives EDOM
 *   bl.edit <key> <ops>              walk with one open key: per op char
 *                                    k keep, d delete, i insert "new"
 *                                    before, r replace by "rep"
 *   bl.errors <key>                  error cases, replies their errnos
 *   bl.auto <key>                    ListPop/ListGet under auto memory
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "redismodule.h"

static const char *errname(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case ENOTSUP: return "ENOTSUP";
    case EBADF: return "EBADF";
    case EDOM: return "EDOM";
    case 0: return "none";
    }
    return "other";
}

static int reply_errno(RedisModuleCtx *ctx) {
    char buf[64];
    strcpy(buf, "ERR errno ");
    strcat(buf, errname(errno));
    return RedisModule_ReplyWithError(ctx, buf);
}

static int where_arg(RedisModuleString *s) {
    const char *p = RedisModule_StringPtrLen(s, NULL);
    return strcasecmp(p, "head") == 0 ? REDISMODULE_LIST_HEAD : REDISMODULE_LIST_TAIL;
}

static int Push(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 4) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int where = where_arg(argv[2]);
    for (int i = 3; i < argc; i++) {
        errno = 0;
        if (RedisModule_ListPush(k, where, argv[i]) != REDISMODULE_OK) {
            RedisModule_CloseKey(k);
            return reply_errno(ctx);
        }
    }
    long long n = (long long)RedisModule_ValueLength(k);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, n);
}

static int Pop(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long count;
    if (RedisModule_StringToLongLong(argv[3], &count) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR count");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int where = where_arg(argv[2]);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    long n = 0;
    while (count-- > 0) {
        errno = 0;
        RedisModuleString *s = RedisModule_ListPop(k, where);
        if (s == NULL) {
            RedisModule_ReplyWithSimpleString(ctx, errname(errno));
            n++;
            break;
        }
        RedisModule_ReplyWithString(ctx, s);
        RedisModule_FreeString(ctx, s);
        n++;
    }
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(k));
    RedisModule_ReplySetArrayLength(ctx, n + 1);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static int index_arg(RedisModuleCtx *ctx, RedisModuleString *s, long *out) {
    long long v;
    if (RedisModule_StringToLongLong(s, &v) != REDISMODULE_OK) {
        RedisModule_ReplyWithError(ctx, "ERR index");
        return 0;
    }
    *out = (long)v;
    return 1;
}

static int Get(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long idx;
    if (!index_arg(ctx, argv[2], &idx)) return REDISMODULE_OK;
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    errno = 0;
    RedisModuleString *s = RedisModule_ListGet(k, idx);
    RedisModule_CloseKey(k);
    if (s == NULL) return reply_errno(ctx);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    return REDISMODULE_OK;
}

static int SetInsertDelete(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int op) {
    if (argc != (op == 2 ? 3 : 4)) return RedisModule_WrongArity(ctx);
    long idx;
    if (!index_arg(ctx, argv[2], &idx)) return REDISMODULE_OK;
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    errno = 0;
    int rc;
    if (op == 0) rc = RedisModule_ListSet(k, idx, argv[3]);
    else if (op == 1) rc = RedisModule_ListInsert(k, idx, argv[3]);
    else rc = RedisModule_ListDelete(k, idx);
    long long n = (long long)RedisModule_ValueLength(k);
    int type = RedisModule_KeyType(k);
    RedisModule_CloseKey(k);
    if (rc != REDISMODULE_OK) return reply_errno(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, n);
    return RedisModule_ReplyWithLongLong(ctx, type);
}

static int Set(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return SetInsertDelete(ctx, argv, argc, 0); }
static int Insert(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return SetInsertDelete(ctx, argv, argc, 1); }
static int Delete(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return SetInsertDelete(ctx, argv, argc, 2); }

static int GetAll(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2 || argc > 3) return RedisModule_WrongArity(ctx);
    int reverse = argc == 3;
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (RedisModule_KeyType(k) != REDISMODULE_KEYTYPE_LIST) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    long n = (long)RedisModule_ValueLength(k);
    RedisModule_ReplyWithArray(ctx, n + 1);
    for (long i = 0; i < n; i++) {
        RedisModuleString *s = RedisModule_ListGet(k, reverse ? -1 - i : i);
        RedisModule_ReplyWithString(ctx, s);
        RedisModule_FreeString(ctx, s);
    }
    errno = 0;
    RedisModuleString *past = RedisModule_ListGet(k, reverse ? -n - 1 : n);
    RedisModule_ReplyWithSimpleString(ctx, past == NULL ? errname(errno) : "found");
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

/* Edit is Redis's tests/modules/list.c idea: one open key, indexes moving
 * forward while elements are deleted, inserted and replaced. */
static int Edit(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    size_t len;
    const char *ops = RedisModule_StringPtrLen(argv[2], &len);
    RedisModuleString *nv = RedisModule_CreateString(ctx, "new", 3);
    RedisModuleString *rv = RedisModule_CreateString(ctx, "rep", 3);
    long idx = 0;
    long long done = 0;
    for (size_t i = 0; i < len; i++) {
        int rc = REDISMODULE_OK;
        switch (ops[i]) {
        case 'k': idx++; break;
        case 'd': rc = RedisModule_ListDelete(k, idx); break;
        case 'i': rc = RedisModule_ListInsert(k, idx, nv); idx += 2; break;
        case 'r': rc = RedisModule_ListSet(k, idx, rv); idx++; break;
        }
        if (rc != REDISMODULE_OK) break;
        done++;
    }
    RedisModule_FreeString(ctx, nv);
    RedisModule_FreeString(ctx, rv);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, done);
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_ValueLength(k));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(k));
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

#define CHECK(expr)                                                    \
    do {                                                               \
        errno = 0;                                                     \
        int ok_ = (expr);                                              \
        RedisModule_ReplyWithSimpleString(ctx, ok_ ? "ok" : errname(errno)); \
        n++;                                                           \
    } while (0)

static int Errors(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long n = 0;
    RedisModuleString *v = RedisModule_CreateString(ctx, "v", 1);
    RedisModuleString *other = RedisModule_CreateStringPrintf(ctx, "%s:other", RedisModule_StringPtrLen(argv[1], NULL));
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    /* NULL key and value. */
    CHECK(RedisModule_ListPush(NULL, REDISMODULE_LIST_TAIL, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListPop(NULL, REDISMODULE_LIST_TAIL) != NULL);
    CHECK(RedisModule_ListGet(NULL, 0) != NULL);
    CHECK(RedisModule_ListSet(NULL, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(NULL, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListDelete(NULL, 0) == REDISMODULE_OK);
    RedisModuleKey *w = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    CHECK(RedisModule_ListPush(w, REDISMODULE_LIST_TAIL, NULL) == REDISMODULE_OK);
    CHECK(RedisModule_ListSet(w, 0, NULL) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, 0, NULL) == REDISMODULE_OK);
    /* Empty key. */
    CHECK(RedisModule_ListPop(w, REDISMODULE_LIST_HEAD) != NULL);
    CHECK(RedisModule_ListGet(w, 0) != NULL);
    CHECK(RedisModule_ListSet(w, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListDelete(w, 0) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, 1, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, -1, v) == REDISMODULE_OK);
    /* Write-only handle on a list: reads are EBADF. */
    CHECK(RedisModule_ListGet(w, 0) != NULL);
    CHECK(RedisModule_ListInsert(w, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, 3, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, -4, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, -2, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, 9, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(w, -9, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListSet(w, 5, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListSet(w, -6, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListDelete(w, 5) == REDISMODULE_OK);
    CHECK(RedisModule_ListDelete(w, -6) == REDISMODULE_OK);
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_ValueLength(w));
    n++;
    RedisModule_CloseKey(w);
    /* Read-only handle: writes are EBADF. */
    RedisModuleKey *r = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    CHECK(RedisModule_ListPush(r, REDISMODULE_LIST_TAIL, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListPop(r, REDISMODULE_LIST_TAIL) != NULL);
    CHECK(RedisModule_ListSet(r, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(r, 1, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(r, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListDelete(r, 0) == REDISMODULE_OK);
    CHECK(RedisModule_ListGet(r, -1) != NULL);
    RedisModule_CloseKey(r);
    /* Another type. */
    RedisModuleKey *s = RedisModule_OpenKey(ctx, other, REDISMODULE_READ | REDISMODULE_WRITE);
    RedisModule_StringSet(s, v);
    CHECK(RedisModule_ListPush(s, REDISMODULE_LIST_TAIL, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListPop(s, REDISMODULE_LIST_TAIL) != NULL);
    CHECK(RedisModule_ListGet(s, 0) != NULL);
    CHECK(RedisModule_ListSet(s, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(s, 0, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListInsert(s, 1, v) == REDISMODULE_OK);
    CHECK(RedisModule_ListDelete(s, 0) == REDISMODULE_OK);
    RedisModule_DeleteKey(s);
    RedisModule_CloseKey(s);
    RedisModule_FreeString(ctx, v);
    RedisModule_FreeString(ctx, other);
    RedisModule_ReplySetArrayLength(ctx, n);
    return REDISMODULE_OK;
}

static int Auto(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    RedisModuleString *a = RedisModule_ListGet(k, 0);
    RedisModuleString *b = RedisModule_ListPop(k, REDISMODULE_LIST_TAIL);
    if (a == NULL || b == NULL) return reply_errno(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithString(ctx, a);
    return RedisModule_ReplyWithString(ctx, b);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "bridgelist", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    struct {
        const char *name;
        RedisModuleCmdFunc fn;
        const char *flags;
    } cmds[] = {
        {"bl.push", Push, "write deny-oom"}, {"bl.pop", Pop, "write"},
        {"bl.get", Get, "readonly"}, {"bl.set", Set, "write"},
        {"bl.insert", Insert, "write deny-oom"}, {"bl.delete", Delete, "write"},
        {"bl.getall", GetAll, "readonly"}, {"bl.edit", Edit, "write"},
        {"bl.errors", Errors, "write"}, {"bl.auto", Auto, "write"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 1, 1, 1) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
