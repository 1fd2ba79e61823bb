/* Hash family. RedisModule_HashSet and RedisModule_HashGet are variadic:
 * the shims walk the va_list (field/value or field/out-pointer pairs up to
 * a NULL field) into arrays and call the engine once through a Go export.
 * Field and value bytes are borrowed from the module for the call only. */
#include <errno.h>
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

/* hashArgs holds the walked list: field bytes plus one pointer per field
 * (the value string for HashSet, the output slot for HashGet). */
typedef struct {
    const char **fptrs;
    size_t *flens;
    void **vals;
    int n, cap;
} hashArgs;

static void hash_push(hashArgs *a, const char *p, size_t l, void *v) {
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->fptrs = rm_Realloc(a->fptrs, a->cap * sizeof(*a->fptrs));
        a->flens = rm_Realloc(a->flens, a->cap * sizeof(*a->flens));
        a->vals = rm_Realloc(a->vals, a->cap * sizeof(*a->vals));
    }
    a->fptrs[a->n] = p;
    a->flens[a->n] = l;
    a->vals[a->n] = v;
    a->n++;
}

/* hash_walk reads (field, pointer) pairs until a NULL field. */
static void hash_walk(hashArgs *a, int cfields, va_list ap) {
    for (;;) {
        const char *p;
        size_t l;
        if (cfields) {
            p = va_arg(ap, const char *);
            if (p == NULL) break;
            l = strlen(p);
        } else {
            RedisModuleString *f = va_arg(ap, RedisModuleString *);
            if (f == NULL) break;
            p = f->ptr;
            l = f->len;
        }
        hash_push(a, p, l, va_arg(ap, void *));
    }
}

static void hash_free(hashArgs *a) {
    rm_Free(a->fptrs);
    rm_Free(a->flens);
    rm_Free(a->vals);
}

int rm_HashSet(RedisModuleKey *key, int flags, ...) {
    if (key == NULL) {
        errno = EINVAL;
        return 0;
    }
    hashArgs a = {0};
    va_list ap;
    va_start(ap, flags);
    hash_walk(&a, flags & REDISMODULE_HASH_CFIELDS, ap);
    va_end(ap);
    /* Values as bytes; REDISMODULE_HASH_DELETE (the pointer 1) is a
     * marker, never dereferenced. */
    const char **vptrs = rm_Calloc(a.n ? a.n : 1, sizeof(*vptrs));
    size_t *vlens = rm_Calloc(a.n ? a.n : 1, sizeof(*vlens));
    char *dels = rm_Calloc(a.n ? a.n : 1, 1);
    for (int i = 0; i < a.n; i++) {
        RedisModuleString *v = a.vals[i];
        if (v == REDISMODULE_HASH_DELETE) {
            dels[i] = 1;
        } else if (v != NULL) {
            vptrs[i] = v->ptr;
            vlens[i] = v->len;
        }
    }
    int err = 0;
    int n = goRM_HashSet(key->h, flags, (char **)a.fptrs, a.flens, (char **)vptrs, vlens, dels, a.n, &err);
    rm_Free(vptrs);
    rm_Free(vlens);
    rm_Free(dels);
    hash_free(&a);
    if (err) errno = err;
    return n;
}

int rm_HashGet(RedisModuleKey *key, int flags, ...) {
    if (key == NULL) return REDISMODULE_ERR;
    hashArgs a = {0};
    va_list ap;
    va_start(ap, flags);
    hash_walk(&a, flags & REDISMODULE_HASH_CFIELDS, ap);
    va_end(ap);
    int rc = goRM_HashGet(key->h, key->ctx, flags, (char **)a.fptrs, a.flens, a.vals, a.n);
    hash_free(&a);
    return rc;
}
