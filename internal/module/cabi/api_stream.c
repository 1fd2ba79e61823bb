/* Streams family. The entries live in Go; fields and values cross as one
 * packed buffer (StreamAdd) or as new C strings (NextField). errno is set
 * here, on the module's thread, from the code Go returns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

static int fail(int err) {
    errno = err;
    return REDISMODULE_ERR;
}

int rm_StreamAdd(RedisModuleKey *key, int flags, RedisModuleStreamID *id, RedisModuleString **argv, int64_t numfields) {
    if (key == NULL || numfields < 0 || (numfields != 0 && argv == NULL)) return fail(EINVAL);
    size_t n = (size_t)numfields * 2, total = 0;
    for (size_t i = 0; i < n; i++) total += argv[i]->len;
    char *buf = malloc(total ? total : 1);
    size_t *lens = malloc(sizeof(size_t) * (n ? n : 1));
    if (buf == NULL || lens == NULL) abort();
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(buf + off, argv[i]->ptr, argv[i]->len);
        lens[i] = argv[i]->len;
        off += argv[i]->len;
    }
    uint64_t ms = id ? id->ms : 0, seq = id ? id->seq : 0;
    int err = 0;
    int rc = goRM_StreamAdd(key->h, flags, id != NULL, &ms, &seq, buf, lens, (int)n, &err);
    free(buf);
    free(lens);
    if (rc != REDISMODULE_OK) return fail(err);
    if (id) {
        id->ms = ms;
        id->seq = seq;
    }
    return REDISMODULE_OK;
}

int rm_StreamDelete(RedisModuleKey *key, RedisModuleStreamID *id) {
    if (key == NULL || id == NULL) return fail(EINVAL);
    int err = 0;
    int rc = (int)goRM_StreamOp(key->h, 0, 0, 1, id->ms, id->seq, 0, 0, 0, 0, &err);
    return rc == REDISMODULE_OK ? rc : fail(err);
}

int rm_StreamIteratorStart(RedisModuleKey *key, int flags, RedisModuleStreamID *startid, RedisModuleStreamID *endid) {
    if (key == NULL) return fail(EINVAL);
    int err = 0;
    int rc = (int)goRM_StreamOp(key->h, 1, flags, startid != NULL, startid ? startid->ms : 0, startid ? startid->seq : 0,
                                endid != NULL, endid ? endid->ms : 0, endid ? endid->seq : 0, 0, &err);
    return rc == REDISMODULE_OK ? rc : fail(err);
}

int rm_StreamIteratorStop(RedisModuleKey *key) {
    if (key == NULL) return fail(EINVAL);
    int err = 0;
    int rc = (int)goRM_StreamOp(key->h, 2, 0, 0, 0, 0, 0, 0, 0, 0, &err);
    return rc == REDISMODULE_OK ? rc : fail(err);
}

int rm_StreamIteratorDelete(RedisModuleKey *key) {
    if (key == NULL) return fail(EINVAL);
    int err = 0;
    int rc = (int)goRM_StreamOp(key->h, 3, 0, 0, 0, 0, 0, 0, 0, 0, &err);
    return rc == REDISMODULE_OK ? rc : fail(err);
}

long long rm_StreamTrimByLength(RedisModuleKey *key, int flags, long long length) {
    if (key == NULL) {
        errno = EINVAL;
        return -1;
    }
    int err = 0;
    long long n = goRM_StreamOp(key->h, 4, flags, 0, 0, 0, 0, 0, 0, length, &err);
    if (n < 0) errno = err;
    return n;
}

long long rm_StreamTrimByID(RedisModuleKey *key, int flags, RedisModuleStreamID *id) {
    if (key == NULL || id == NULL) {
        errno = EINVAL;
        return -1;
    }
    int err = 0;
    long long n = goRM_StreamOp(key->h, 5, flags, 1, id->ms, id->seq, 0, 0, 0, 0, &err);
    if (n < 0) errno = err;
    return n;
}

int rm_StreamIteratorNextID(RedisModuleKey *key, RedisModuleStreamID *id, long *numfields) {
    if (key == NULL) return fail(EINVAL);
    uint64_t ms = 0, seq = 0;
    long long nf = 0;
    int err = 0;
    int rc = goRM_StreamNextID(key->h, &ms, &seq, &nf, &err);
    if (rc != REDISMODULE_OK) return fail(err);
    if (id) {
        id->ms = ms;
        id->seq = seq;
    }
    if (numfields) *numfields = (long)nf;
    return REDISMODULE_OK;
}

int rm_StreamIteratorNextField(RedisModuleKey *key, RedisModuleString **field_ptr, RedisModuleString **value_ptr) {
    if (key == NULL) return fail(EINVAL);
    RedisModuleString *f = NULL, *v = NULL;
    int err = 0;
    int rc = goRM_StreamNextField(key->h, &f, &v, &err);
    if (rc != REDISMODULE_OK) return fail(err);
    if (field_ptr) {
        *field_ptr = f;
        rmb_auto_add(key->ctx, RMB_AUTO_STRING, f);
    } else {
        rmb_str_decr(f);
    }
    if (value_ptr) {
        *value_ptr = v;
        rmb_auto_add(key->ctx, RMB_AUTO_STRING, v);
    } else {
        rmb_str_decr(v);
    }
    return REDISMODULE_OK;
}

RedisModuleString *rm_CreateStringFromStreamID(RedisModuleCtx *ctx, const RedisModuleStreamID *id) {
    char buf[48];
    int n = snprintf(buf, sizeof(buf), "%llu-%llu", (unsigned long long)id->ms, (unsigned long long)id->seq);
    return rm_CreateString(ctx, buf, n);
}

int rm_StringToStreamID(const RedisModuleString *str, RedisModuleStreamID *id) {
    if (str == NULL) return REDISMODULE_ERR;
    uint64_t ms = 0, seq = 0;
    if (goRM_StringToStreamID(str->ptr, str->len, &ms, &seq) != REDISMODULE_OK) return REDISMODULE_ERR;
    if (id) {
        id->ms = ms;
        id->seq = seq;
    }
    return REDISMODULE_OK;
}
