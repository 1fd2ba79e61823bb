/* List key API. The functions return REDISMODULE_ERR (or NULL) with errno
 * set as Redis 7.0 does: EINVAL, ENOTSUP, EBADF or EDOM. Strings returned
 * by ListPop and ListGet belong to the caller (auto memory of the key's
 * context applies). */
#include <errno.h>
#include "bridge.h"
#include "_cgo_export.h"

static int list_op(RedisModuleKey *key, int op, long index, RedisModuleString *v) {
    if (key == NULL || ((op <= 2) && v == NULL)) {
        errno = EINVAL;
        return REDISMODULE_ERR;
    }
    int err = 0;
    int rc = goRM_ListOp(key->h, op, index, v ? v->ptr : NULL, v ? v->len : 0, &err);
    if (rc != REDISMODULE_OK) errno = err;
    return rc;
}

static RedisModuleString *list_get(RedisModuleKey *key, int pop, long arg) {
    if (key == NULL) {
        errno = EINVAL;
        return NULL;
    }
    int err = 0;
    RedisModuleString *s = goRM_ListGet(key->ctx, key->h, pop, arg, &err);
    if (s == NULL) errno = err;
    return s;
}

int rm_ListPush(RedisModuleKey *key, int where, RedisModuleString *ele) {
    return list_op(key, 0, where, ele);
}

int rm_ListSet(RedisModuleKey *key, long index, RedisModuleString *value) {
    return list_op(key, 1, index, value);
}

int rm_ListInsert(RedisModuleKey *key, long index, RedisModuleString *value) {
    return list_op(key, 2, index, value);
}

int rm_ListDelete(RedisModuleKey *key, long index) {
    return list_op(key, 3, index, NULL);
}

RedisModuleString *rm_ListPop(RedisModuleKey *key, int where) { return list_get(key, 1, where); }

RedisModuleString *rm_ListGet(RedisModuleKey *key, long index) { return list_get(key, 0, index); }
