/*
 * bridgehash: the hash key API (RedisModule_HashSet / RedisModule_HashGet,
 * both variadic) and KeyType / ValueLength on hashes.
 *   bh.set <key> <flags> <f> <v> [<f> <v> [<f> <v>]]
 *       flags: any of n (NX) x (XX) a (COUNT_ALL) c (CFIELDS) z (an
 *       invalid bit) r (open READ only), or "-"; a value "__del__" is
 *       REDISMODULE_HASH_DELETE. Replies [count, errno or 0].
 *   bh.get <key> <flags> <f> [<f> [<f>]]
 *       flags: e (EXISTS), c (CFIELDS) or "-". Replies the values (null
 *       for missing) or 0/1 per field, or an error when HashGet fails.
 *   bh.info <key>   [KeyType, ValueLength]
 *   bh.auto <key>   HashGet under auto memory, then the value's length
 */
#include <errno.h>
#include <string.h>
#include "redismodule.h"

static int has(RedisModuleString *flags, char c) {
    size_t len;
    const char *s = RedisModule_StringPtrLen(flags, &len);
    return memchr(s, c, len) != NULL;
}

static RedisModuleString *val(RedisModuleString *v) {
    size_t len;
    const char *s = RedisModule_StringPtrLen(v, &len);
    if (len == 7 && memcmp(s, "__del__", 7) == 0) return REDISMODULE_HASH_DELETE;
    return v;
}

static int SetCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 5 && argc != 7 && argc != 9) return RedisModule_WrongArity(ctx);
    RedisModuleString *fl = argv[2];
    int flags = 0;
    if (has(fl, 'n')) flags |= REDISMODULE_HASH_NX;
    if (has(fl, 'x')) flags |= REDISMODULE_HASH_XX;
    if (has(fl, 'a')) flags |= REDISMODULE_HASH_COUNT_ALL;
    if (has(fl, 'c')) flags |= REDISMODULE_HASH_CFIELDS;
    if (has(fl, 'z')) flags |= 1 << 10;
    int mode = has(fl, 'r') ? REDISMODULE_READ : REDISMODULE_READ | REDISMODULE_WRITE;
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], mode);
    /* CFIELDS: the fields as C strings (argument bytes are NUL terminated). */
    const char *cf[3];
    for (int i = 0; i < (argc - 3) / 2; i++) cf[i] = RedisModule_StringPtrLen(argv[3 + 2 * i], NULL);
    int c = flags & REDISMODULE_HASH_CFIELDS;
    errno = 0;
    int n;
    if (argc == 5) {
        n = c ? RedisModule_HashSet(key, flags, cf[0], val(argv[4]), NULL)
              : RedisModule_HashSet(key, flags, argv[3], val(argv[4]), NULL);
    } else if (argc == 7) {
        n = c ? RedisModule_HashSet(key, flags, cf[0], val(argv[4]), cf[1], val(argv[6]), NULL)
              : RedisModule_HashSet(key, flags, argv[3], val(argv[4]), argv[5], val(argv[6]), NULL);
    } else {
        n = c ? RedisModule_HashSet(key, flags, cf[0], val(argv[4]), cf[1], val(argv[6]), cf[2], val(argv[8]), NULL)
              : RedisModule_HashSet(key, flags, argv[3], val(argv[4]), argv[5], val(argv[6]), argv[7], val(argv[8]), NULL);
    }
    int err = n == 0 ? errno : 0;
    RedisModule_CloseKey(key);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, n);
    RedisModule_ReplyWithLongLong(ctx, err);
    return REDISMODULE_OK;
}

static int GetCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 4 || argc > 6) return RedisModule_WrongArity(ctx);
    int flags = 0;
    if (has(argv[2], 'e')) flags |= REDISMODULE_HASH_EXISTS;
    if (has(argv[2], 'c')) flags |= REDISMODULE_HASH_CFIELDS;
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int nf = argc - 3;
    const char *cf[3];
    for (int i = 0; i < nf; i++) cf[i] = RedisModule_StringPtrLen(argv[3 + i], NULL);
    RedisModuleString *v[3] = {NULL, NULL, NULL};
    int ex[3] = {-1, -1, -1};
    void *o0 = (flags & REDISMODULE_HASH_EXISTS) ? (void *)&ex[0] : (void *)&v[0];
    void *o1 = (flags & REDISMODULE_HASH_EXISTS) ? (void *)&ex[1] : (void *)&v[1];
    void *o2 = (flags & REDISMODULE_HASH_EXISTS) ? (void *)&ex[2] : (void *)&v[2];
    int c = flags & REDISMODULE_HASH_CFIELDS;
    int rc;
    if (nf == 1) {
        rc = c ? RedisModule_HashGet(key, flags, cf[0], o0, NULL) : RedisModule_HashGet(key, flags, argv[3], o0, NULL);
    } else if (nf == 2) {
        rc = c ? RedisModule_HashGet(key, flags, cf[0], o0, cf[1], o1, NULL)
               : RedisModule_HashGet(key, flags, argv[3], o0, argv[4], o1, NULL);
    } else {
        rc = c ? RedisModule_HashGet(key, flags, cf[0], o0, cf[1], o1, cf[2], o2, NULL)
               : RedisModule_HashGet(key, flags, argv[3], o0, argv[4], o1, argv[5], o2, NULL);
    }
    RedisModule_CloseKey(key);
    if (rc != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR HashGet failed");
    RedisModule_ReplyWithArray(ctx, nf);
    for (int i = 0; i < nf; i++) {
        if (flags & REDISMODULE_HASH_EXISTS) {
            RedisModule_ReplyWithLongLong(ctx, ex[i]);
        } else if (v[i] == NULL) {
            RedisModule_ReplyWithNull(ctx);
        } else {
            RedisModule_ReplyWithString(ctx, v[i]);
            RedisModule_FreeString(ctx, v[i]);
        }
    }
    return REDISMODULE_OK;
}

static int InfoCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(key));
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_ValueLength(key));
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int AutoCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModuleString *v = NULL;
    if (RedisModule_HashGet(key, REDISMODULE_HASH_NONE, argv[2], &v, NULL) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR HashGet failed");
    if (v == NULL) return RedisModule_ReplyWithNull(ctx);
    size_t len;
    RedisModule_StringPtrLen(v, &len);
    return RedisModule_ReplyWithLongLong(ctx, (long long)len);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "bridgehash", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "bh.set", SetCmd, "write", 1, 1, 1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "bh.get", GetCmd, "write", 1, 1, 1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "bh.info", InfoCmd, "readonly", 1, 1, 1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "bh.auto", AutoCmd, "readonly", 1, 1, 1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
