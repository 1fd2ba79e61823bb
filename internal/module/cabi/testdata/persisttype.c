/* persisttype: a module data type that persists through RDB (rdb_save /
 * rdb_load) with aux data before and after the keyspace, and a log of the
 * Persistence and Loading server events it receives.
 *
 *   PTYPE.SET key str double int   store a value
 *   PTYPE.GET key                  [str, double, int] or nil
 *   PTYPE.SETAUX counter text      the aux data (BEFORE: counter, AFTER: text)
 *   PTYPE.AUX                      [counter, text]
 *   PTYPE.EVENTS                   "P<sub> " / "L<sub> " per event, in order
 *   PTYPE.PROGRESS                 LoadingProgress events seen, last progress
 */
#include "redismodule.h"
#include <stdio.h>
#include <string.h>

static RedisModuleType *PType;
static long long auxCounter;
static char auxText[64];
static char events[4096];
static long long nprogress, lastProgress = -2;

typedef struct {
    RedisModuleString *s;
    double d;
    long long n;
} PVal;

static void *PLoad(RedisModuleIO *io, int encver) {
    if (encver != 1) return NULL;
    PVal *v = RedisModule_Alloc(sizeof(*v));
    v->s = RedisModule_LoadString(io);
    v->d = RedisModule_LoadDouble(io);
    v->n = RedisModule_LoadSigned(io);
    return v;
}

static void PSave(RedisModuleIO *io, void *value) {
    PVal *v = value;
    RedisModule_SaveString(io, v->s);
    RedisModule_SaveDouble(io, v->d);
    RedisModule_SaveSigned(io, v->n);
}

static void PFree(void *value) {
    PVal *v = value;
    RedisModule_FreeString(NULL, v->s);
    RedisModule_Free(v);
}

static void PAuxSave(RedisModuleIO *io, int when) {
    if (when == REDISMODULE_AUX_BEFORE_RDB) {
        RedisModule_SaveSigned(io, auxCounter);
    } else {
        RedisModule_SaveStringBuffer(io, auxText, strlen(auxText));
    }
}

static int PAuxLoad(RedisModuleIO *io, int encver, int when) {
    if (encver != 1) return REDISMODULE_ERR;
    if (when == REDISMODULE_AUX_BEFORE_RDB) {
        auxCounter = RedisModule_LoadSigned(io);
    } else {
        size_t len;
        char *b = RedisModule_LoadStringBuffer(io, &len);
        if (b == NULL) return REDISMODULE_ERR;
        if (len >= sizeof(auxText)) len = sizeof(auxText) - 1;
        memcpy(auxText, b, len);
        auxText[len] = 0;
        RedisModule_Free(b);
    }
    return REDISMODULE_OK;
}

static void OnEvent(RedisModuleCtx *ctx, RedisModuleEvent e, uint64_t sub, void *data) {
    REDISMODULE_NOT_USED(ctx);
    if (e.id == REDISMODULE_EVENT_LOADING_PROGRESS) {
        RedisModuleLoadingProgress *p = data;
        nprogress++;
        lastProgress = p->progress;
        return;
    }
    size_t l = strlen(events);
    if (l + 8 < sizeof(events))
        snprintf(events + l, sizeof(events) - l, "%c%llu ", e.id == REDISMODULE_EVENT_PERSISTENCE ? 'P' : 'L',
                 (unsigned long long)sub);
}

static int SetCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 5) return RedisModule_WrongArity(ctx);
    double d;
    long long n;
    if (RedisModule_StringToDouble(argv[3], &d) != REDISMODULE_OK ||
        RedisModule_StringToLongLong(argv[4], &n) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad number");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    int t = RedisModule_KeyType(k);
    if (t != REDISMODULE_KEYTYPE_EMPTY && RedisModule_ModuleTypeGetType(k) != PType) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    PVal *v = RedisModule_Alloc(sizeof(*v));
    v->s = RedisModule_CreateStringFromString(NULL, argv[2]);
    v->d = d;
    v->n = n;
    RedisModule_ModuleTypeSetValue(k, PType, v);
    RedisModule_CloseKey(k);
    RedisModule_ReplicateVerbatim(ctx);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int GetCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (RedisModule_KeyType(k) == REDISMODULE_KEYTYPE_EMPTY) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithNull(ctx);
    }
    if (RedisModule_ModuleTypeGetType(k) != PType) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    PVal *v = RedisModule_ModuleTypeGetValue(k);
    char buf[64];
    snprintf(buf, sizeof(buf), "%.17g", v->d);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithString(ctx, v->s);
    RedisModule_ReplyWithSimpleString(ctx, buf);
    RedisModule_ReplyWithLongLong(ctx, v->n);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

static int SetAuxCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    if (RedisModule_StringToLongLong(argv[1], &auxCounter) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad number");
    size_t len;
    const char *p = RedisModule_StringPtrLen(argv[2], &len);
    if (len >= sizeof(auxText)) len = sizeof(auxText) - 1;
    memcpy(auxText, p, len);
    auxText[len] = 0;
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int AuxCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, auxCounter);
    return RedisModule_ReplyWithStringBuffer(ctx, auxText, strlen(auxText));
}

static int EventsCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithStringBuffer(ctx, events, strlen(events));
    events[0] = 0;
    return REDISMODULE_OK;
}

static int ProgressCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, nprogress);
    return RedisModule_ReplyWithLongLong(ctx, lastProgress);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "persisttype", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModuleTypeMethods tm = {
        .version = REDISMODULE_TYPE_METHOD_VERSION,
        .rdb_load = PLoad,
        .rdb_save = PSave,
        .free = PFree,
        .aux_load = PAuxLoad,
        .aux_save = PAuxSave,
        .aux_save_triggers = REDISMODULE_AUX_BEFORE_RDB | REDISMODULE_AUX_AFTER_RDB,
    };
    PType = RedisModule_CreateDataType(ctx, "persistty", 1, &tm);
    if (PType == NULL) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "ptype.set", SetCmd, "write deny-oom", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "ptype.get", GetCmd, "readonly", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "ptype.setaux", SetAuxCmd, "write", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "ptype.aux", AuxCmd, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "ptype.events", EventsCmd, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "ptype.progress", ProgressCmd, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_Persistence, OnEvent);
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_Loading, OnEvent);
    RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_LoadingProgress, OnEvent);
    return REDISMODULE_OK;
}
