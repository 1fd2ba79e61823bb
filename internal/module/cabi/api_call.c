/* Call family. rm_Call walks the format (c, s, b, l, v and option
 * characters) into an argv, then calls the engine through a Go export.
 * Replies are C structs with a handle to the Go reply; their text and
 * elements are materialised in C memory on first use and freed with the
 * root reply. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
#include "_cgo_export.h"

/* fmtArgv is an argv built from an RM_Call-style format. Pointers are
 * borrowed from the caller's arguments, except formatted integers. */
typedef struct {
    const char **ptrs;
    size_t *lens;
    size_t argc, cap;
    char (*nums)[24];
    char opts[64];
    /* Inline storage for the common short calls (no allocation). */
    const char *ptrs0[8];
    size_t lens0[8];
    char nums0[4][24];
} fmtArgv;

static void fmt_push(fmtArgv *a, const char *p, size_t l) {
    if (a->argc == a->cap) {
        a->cap *= 2;
        if (a->ptrs == a->ptrs0) {
            a->ptrs = rm_Alloc(a->cap * sizeof(char *));
            a->lens = rm_Alloc(a->cap * sizeof(size_t));
            memcpy(a->ptrs, a->ptrs0, sizeof(a->ptrs0));
            memcpy(a->lens, a->lens0, sizeof(a->lens0));
        } else {
            a->ptrs = rm_Realloc(a->ptrs, a->cap * sizeof(char *));
            a->lens = rm_Realloc(a->lens, a->cap * sizeof(size_t));
        }
    }
    a->ptrs[a->argc] = p;
    a->lens[a->argc] = l;
    a->argc++;
}

/* fmt_build walks fmt (c, s, b, l, v and option characters); -1 for an
 * unknown specifier. */
static int fmt_build(fmtArgv *a, const char *fmt, va_list ap) {
    size_t nnums = 0, nopts = 0;
    a->cap = 8;
    a->argc = 0;
    a->ptrs = a->ptrs0;
    a->lens = a->lens0;
    for (const char *p = fmt; *p; p++) if (*p == 'l') nnums++;
    a->nums = nnums <= 4 ? a->nums0 : rm_Alloc(nnums * sizeof(*a->nums));
    nnums = 0;
    int rc = 0;
    for (const char *p = fmt; *p && rc == 0; p++) {
        switch (*p) {
        case 'c': {
            const char *s = va_arg(ap, const char *);
            fmt_push(a, s, strlen(s));
            break;
        }
        case 's': {
            RedisModuleString *s = va_arg(ap, RedisModuleString *);
            fmt_push(a, s->ptr, s->len);
            break;
        }
        case 'b': {
            const char *b = va_arg(ap, const char *);
            size_t l = va_arg(ap, size_t);
            fmt_push(a, b, l);
            break;
        }
        case 'l': {
            long long v = va_arg(ap, long long);
            int n = snprintf(a->nums[nnums], sizeof(a->nums[0]), "%lld", v);
            fmt_push(a, a->nums[nnums], (size_t)n);
            nnums++;
            break;
        }
        case 'v': {
            RedisModuleString **v = va_arg(ap, RedisModuleString **);
            size_t n = va_arg(ap, size_t);
            for (size_t i = 0; i < n; i++) fmt_push(a, v[i]->ptr, v[i]->len);
            break;
        }
        case '!': case 'A': case 'R': case '3': case '0': case 'C':
        case 'S': case 'W': case 'M': case 'E': /* 7.0's set: K, D, X came in 7.2 */
            if (nopts < sizeof(a->opts) - 1) a->opts[nopts++] = *p;
            break;
        default:
            rc = -1;
        }
    }
    a->opts[nopts] = 0;
    return rc;
}

static void fmt_release(fmtArgv *a) {
    if (a->ptrs != a->ptrs0) {
        rm_Free(a->ptrs);
        rm_Free(a->lens);
    }
    if (a->nums != a->nums0) rm_Free(a->nums);
}

RedisModuleCallReply *rm_Call(RedisModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    fmtArgv a;
    va_list ap;
    va_start(ap, fmt);
    int bad = fmt_build(&a, fmt, ap);
    va_end(ap);
    RedisModuleCallReply *r = NULL;
    if (bad) {
        errno = EBADF; /* a bad format, as Redis */
    } else {
        int err = 0;
        uintptr_t gproto = 0;
        size_t gprotolen = 0;
        uintptr_t h = goRM_Call(ctx, (char *)cmdname, (char **)a.ptrs, a.lens, (int)a.argc, a.opts, &err,
                                &gproto, &gprotolen);
        if (h != 0) {
            if (ctx != NULL && ctx->freereplies != NULL) {
                r = ctx->freereplies;
                ctx->freereplies = r->attr;
                memset(r, 0, sizeof(*r));
                r->h = h;
            } else {
                r = rmb_reply_new(h, 0);
            }
        }
        if (err) errno = err;
        if (r) {
            r->ctx = ctx;
            r->gproto = (const char *)gproto;
            r->gprotolen = gprotolen;
        }
        if (r && ctx && ctx->automem) rmb_auto_add(ctx, RMB_AUTO_REPLY, r);
    }
    fmt_release(&a);
    return r;
}

int rm_Replicate(RedisModuleCtx *ctx, const char *cmdname, const char *fmt, ...) {
    fmtArgv a;
    va_list ap;
    va_start(ap, fmt);
    int bad = fmt_build(&a, fmt, ap);
    va_end(ap);
    int rc = bad ? REDISMODULE_ERR
                 : goRM_Replicate(ctx, (char *)cmdname, (char **)a.ptrs, a.lens, (int)a.argc, a.opts);
    fmt_release(&a);
    return rc;
}

/* rmb_reply_new wraps a Go reply handle. */
RedisModuleCallReply *rmb_reply_new(uintptr_t h, int child) {
    RedisModuleCallReply *r = rm_Calloc(1, sizeof(*r));
    r->h = h;
    r->child = child;
    return r;
}

/* rmb_reply_free frees r and its materialised children. The Go side is
 * released at once, or after the command for the replies of a command
 * context (ctx: the root's context; see rmb_defer_release). */
static void reply_free(RedisModuleCallReply *r, RedisModuleCtx *ctx) {
    if (r == NULL) return;
    for (size_t i = 0; i < r->nelems; i++) reply_free(r->elems[i], ctx);
    reply_free(r->attr, ctx);
    rm_Free(r->elems);
    rm_Free(r->str);
    rm_Free(r->format);
    rm_Free(r->proto);
    if (ctx != NULL && ctx->deferclose) {
        rmb_defer_release(ctx, r->h, r->child ? RMB_DEFER_CHILD : RMB_DEFER_REPLY);
        if (!r->child) {
            /* Kept for the context's next Call (linked through attr). */
            r->h = 0;
            r->attr = ctx->freereplies;
            ctx->freereplies = r;
            return;
        }
    } else {
        goRM_ReplyRelease(r->h, r->child);
    }
    rm_Free(r);
}

void rm_FreeCallReply(RedisModuleCallReply *reply) {
    if (reply == NULL || reply->child) return;
    rmb_auto_remove(reply->ctx, RMB_AUTO_REPLY, reply);
    reply_free(reply, reply->ctx);
}

int rm_CallReplyType(RedisModuleCallReply *reply) {
    if (reply == NULL) return REDISMODULE_REPLY_UNKNOWN;
    return (int)goRM_ReplyInt(reply->h, 0);
}

size_t rm_CallReplyLength(RedisModuleCallReply *reply) {
    return reply ? (size_t)goRM_ReplyInt(reply->h, 1) : 0;
}

long long rm_CallReplyInteger(RedisModuleCallReply *reply) {
    return reply ? goRM_ReplyInt(reply->h, 2) : 0;
}

int rm_CallReplyBool(RedisModuleCallReply *reply) { return reply ? (int)goRM_ReplyInt(reply->h, 3) : 0; }

double rm_CallReplyDouble(RedisModuleCallReply *reply) { return reply ? goRM_ReplyDouble(reply->h) : 0; }

/* text materialises the reply's text (kind 0 string, 1 bignumber,
 * 2 verbatim, 3 proto) in C memory once. */
static const char *text(RedisModuleCallReply *r, int kind, size_t *len) {
    if (r == NULL) return NULL;
    char **slot = kind == 3 ? &r->proto : &r->str;
    size_t *lslot = kind == 3 ? &r->protolen : &r->len;
    if (*slot == NULL) {
        if (!goRM_CallReplyText(r->h, kind, slot, lslot, &r->format)) return NULL;
    }
    if (len) *len = *lslot;
    return *slot;
}

const char *rm_CallReplyStringPtr(RedisModuleCallReply *reply, size_t *len) { return text(reply, 0, len); }
const char *rm_CallReplyBigNumber(RedisModuleCallReply *reply, size_t *len) { return text(reply, 1, len); }
const char *rm_CallReplyProto(RedisModuleCallReply *reply, size_t *len) { return text(reply, 3, len); }

const char *rm_CallReplyVerbatim(RedisModuleCallReply *reply, size_t *len, const char **format) {
    const char *s = text(reply, 2, len);
    if (s && format) *format = reply->format;
    return s;
}

/* elem returns the i-th element slot (map: 2*idx key, 2*idx+1 value). */
static RedisModuleCallReply *elem(RedisModuleCallReply *r, size_t i) {
    if (r->elems == NULL) {
        r->nelems = (size_t)goRM_ReplyInt(r->h, 4);
        r->elems = rm_Calloc(r->nelems ? r->nelems : 1, sizeof(*r->elems));
    }
    if (i >= r->nelems) return NULL;
    if (r->elems[i] == NULL) {
        uintptr_t h = goRM_ReplyElem(r->h, i);
        if (h == 0) return NULL;
        r->elems[i] = rmb_reply_new(h, 1);
    }
    return r->elems[i];
}

RedisModuleCallReply *rm_CallReplyArrayElement(RedisModuleCallReply *reply, size_t idx) {
    if (reply == NULL || rm_CallReplyType(reply) != REDISMODULE_REPLY_ARRAY) return NULL;
    return elem(reply, idx);
}

RedisModuleCallReply *rm_CallReplySetElement(RedisModuleCallReply *reply, size_t idx) {
    if (reply == NULL || rm_CallReplyType(reply) != REDISMODULE_REPLY_SET) return NULL;
    return elem(reply, idx);
}

int rm_CallReplyMapElement(RedisModuleCallReply *reply, size_t idx, RedisModuleCallReply **key,
                           RedisModuleCallReply **val) {
    if (reply == NULL || rm_CallReplyType(reply) != REDISMODULE_REPLY_MAP) return REDISMODULE_ERR;
    RedisModuleCallReply *k = elem(reply, 2 * idx), *v = elem(reply, 2 * idx + 1);
    if (k == NULL || v == NULL) return REDISMODULE_ERR;
    if (key) *key = k;
    if (val) *val = v;
    return REDISMODULE_OK;
}

RedisModuleCallReply *rm_CallReplyAttribute(RedisModuleCallReply *reply) {
    if (reply == NULL) return NULL;
    if (reply->attr == NULL) {
        uintptr_t h = goRM_ReplyAttr(reply->h);
        if (h == 0) return NULL;
        reply->attr = rmb_reply_new(h, 1);
    }
    return reply->attr;
}

int rm_CallReplyAttributeElement(RedisModuleCallReply *reply, size_t idx, RedisModuleCallReply **key,
                                 RedisModuleCallReply **val) {
    if (reply == NULL || rm_CallReplyType(reply) != REDISMODULE_REPLY_ATTRIBUTE) return REDISMODULE_ERR;
    RedisModuleCallReply *k = elem(reply, 2 * idx), *v = elem(reply, 2 * idx + 1);
    if (k == NULL || v == NULL) return REDISMODULE_ERR;
    if (key) *key = k;
    if (val) *val = v;
    return REDISMODULE_OK;
}

RedisModuleString *rm_CreateStringFromCallReply(RedisModuleCallReply *reply) {
    if (reply == NULL) return NULL;
    int t = rm_CallReplyType(reply);
    if (t == REDISMODULE_REPLY_STRING || t == REDISMODULE_REPLY_ERROR) {
        size_t len;
        const char *s = rm_CallReplyStringPtr(reply, &len);
        return rm_CreateString(NULL, s, len);
    }
    if (t == REDISMODULE_REPLY_INTEGER) return rm_CreateStringFromLongLong(NULL, rm_CallReplyInteger(reply));
    return NULL;
}

void rm_EmitAOF(RedisModuleIO *io, const char *cmdname, const char *fmt, ...) {
    fmtArgv a;
    va_list ap;
    va_start(ap, fmt);
    int bad = fmt_build(&a, fmt, ap);
    va_end(ap);
    if (!bad) goRM_EmitAOF(io->h, (char *)cmdname, (char **)a.ptrs, a.lens, (int)a.argc);
    fmt_release(&a);
}
