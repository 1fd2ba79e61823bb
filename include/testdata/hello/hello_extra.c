/*
 * The second source file of the hello test module: a data type, a timer,
 * a blocking command served by a thread, events, configs, INFO and a dict.
 * Everything optional is registered only when the server provides the API.
 */
#include "hello.h"

#include <pthread.h>
#include <string.h>

/* ---- a data type holding one integer ---- */

static RedisModuleType *counter_type;

typedef struct {
    long long value;
} counter;

static void *counter_rdb_load(RedisModuleIO *rdb, int encver) {
    counter *c;
    if (encver != 0) return NULL;
    c = RedisModule_Alloc(sizeof(*c));
    c->value = RedisModule_LoadSigned(rdb);
    return c;
}

static void counter_rdb_save(RedisModuleIO *rdb, void *value) {
    RedisModule_SaveSigned(rdb, ((counter *)value)->value);
}

static void counter_aof_rewrite(RedisModuleIO *aof, RedisModuleString *key,
                                void *value) {
    RedisModule_EmitAOF(aof, "HELLO.COUNTER.INCRBY", "sl", key,
                        ((counter *)value)->value);
}

static size_t counter_mem_usage(const void *value) {
    REDISMODULE_NOT_USED(value);
    return sizeof(counter);
}

static void counter_digest(RedisModuleDigest *md, void *value) {
    RedisModule_DigestAddLongLong(md, ((counter *)value)->value);
    RedisModule_DigestEndSequence(md);
}

static void counter_free(void *value) { RedisModule_Free(value); }

static void *counter_copy2(RedisModuleKeyOptCtx *ctx, const void *value) {
    counter *c = RedisModule_Alloc(sizeof(*c));
    REDISMODULE_NOT_USED(ctx);
    c->value = ((const counter *)value)->value;
    return c;
}

/* HELLO.COUNTER.INCRBY key n */
static int counter_incrby(RedisModuleCtx *ctx, RedisModuleString **argv,
                          int argc) {
    RedisModuleKey *key;
    counter *c;
    long long n;
    if (argc != 3) return RedisModule_WrongArity(ctx);
    if (RedisModule_StringToLongLong(argv[2], &n) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid increment");
    key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    if (RedisModule_KeyType(key) == REDISMODULE_KEYTYPE_EMPTY) {
        c = RedisModule_Calloc(1, sizeof(*c));
        RedisModule_ModuleTypeSetValue(key, counter_type, c);
    } else if (RedisModule_ModuleTypeGetType(key) != counter_type) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    } else {
        c = RedisModule_ModuleTypeGetValue(key);
    }
    c->value += n;
    RedisModule_CloseKey(key);
    RedisModule_ReplicateVerbatim(ctx);
    return RedisModule_ReplyWithLongLong(ctx, c->value);
}

/* ---- blocking, served by a thread ---- */

static void *block_worker(void *arg) {
    RedisModuleBlockedClient *bc = arg;
    RedisModuleCtx *tctx = RedisModule_GetThreadSafeContext(bc);
    RedisModule_ThreadSafeContextLock(tctx);
    RedisModule_ThreadSafeContextUnlock(tctx);
    RedisModule_FreeThreadSafeContext(tctx);
    RedisModule_UnblockClient(bc, NULL);
    return NULL;
}

static int block_reply(RedisModuleCtx *ctx, RedisModuleString **argv,
                       int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    return RedisModule_ReplyWithSimpleString(ctx, "DONE");
}

static int block_timeout(RedisModuleCtx *ctx, RedisModuleString **argv,
                         int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    return RedisModule_ReplyWithNull(ctx);
}

static void block_free(RedisModuleCtx *ctx, void *privdata) {
    REDISMODULE_NOT_USED(ctx);
    REDISMODULE_NOT_USED(privdata);
}

static void block_disconnected(RedisModuleCtx *ctx,
                               RedisModuleBlockedClient *bc) {
    RedisModule_Log(ctx, "warning", "client %p went away", (void *)bc);
}

/* HELLO.BLOCK: replies DONE from a worker thread. */
static int hello_block(RedisModuleCtx *ctx, RedisModuleString **argv,
                       int argc) {
    RedisModuleBlockedClient *bc;
    pthread_t tid;
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    bc = RedisModule_BlockClient(ctx, block_reply, block_timeout, block_free,
                                 1000);
    RedisModule_SetDisconnectCallback(bc, block_disconnected);
    if (pthread_create(&tid, NULL, block_worker, bc) != 0) {
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "ERR can't start thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

/* ---- timer, events, notifications, configs, info, dict ---- */

static long long timer_fired;
static long long cron_loops;
static int verbose_config;
static RedisModuleDict *seen_keys;

static void on_timer(RedisModuleCtx *ctx, void *data) {
    REDISMODULE_NOT_USED(ctx);
    REDISMODULE_NOT_USED(data);
    timer_fired++;
}

static void on_server_event(RedisModuleCtx *ctx, RedisModuleEvent eid,
                            uint64_t subevent, void *data) {
    REDISMODULE_NOT_USED(ctx);
    REDISMODULE_NOT_USED(subevent);
    if (eid.id == REDISMODULE_EVENT_CRON_LOOP) {
        RedisModuleCronLoop *info = data;
        cron_loops += info->hz > 0;
    }
}

static int on_keyspace(RedisModuleCtx *ctx, int type, const char *event,
                       RedisModuleString *key) {
    REDISMODULE_NOT_USED(ctx);
    REDISMODULE_NOT_USED(type);
    REDISMODULE_NOT_USED(event);
    RedisModule_DictReplace(seen_keys, key, NULL);
    return REDISMODULE_OK;
}

static int get_verbose(const char *name, void *privdata) {
    REDISMODULE_NOT_USED(name);
    REDISMODULE_NOT_USED(privdata);
    return verbose_config;
}

static int set_verbose(const char *name, int val, void *privdata,
                       RedisModuleString **err) {
    REDISMODULE_NOT_USED(name);
    REDISMODULE_NOT_USED(privdata);
    REDISMODULE_NOT_USED(err);
    verbose_config = val;
    return REDISMODULE_OK;
}

static void info_func(RedisModuleInfoCtx *ctx, int for_crash_report) {
    REDISMODULE_NOT_USED(for_crash_report);
    RedisModule_InfoAddSection(ctx, "stats");
    RedisModule_InfoAddFieldLongLong(ctx, "timer_fired", timer_fired);
    RedisModule_InfoAddFieldULongLong(ctx, "seen_keys",
                                      RedisModule_DictSize(seen_keys));
}

int hello_extra_load(RedisModuleCtx *ctx) {
    if (RedisModule_CreateCommand(ctx, "hello.block", hello_block, "", 0, 0,
                                  0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "hello.counter.incrby", counter_incrby,
                                  "write deny-oom", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;

    if (RMAPI_FUNC_SUPPORTED(RedisModule_CreateDataType)) {
        RedisModuleTypeMethods tm;
        memset(&tm, 0, sizeof(tm));
        tm.version = REDISMODULE_TYPE_METHOD_VERSION;
        tm.rdb_load = counter_rdb_load;
        tm.rdb_save = counter_rdb_save;
        tm.aof_rewrite = counter_aof_rewrite;
        tm.mem_usage = counter_mem_usage;
        tm.digest = counter_digest;
        tm.free = counter_free;
        tm.copy2 = counter_copy2;
        counter_type = RedisModule_CreateDataType(ctx, "hellocntr", 0, &tm);
        if (counter_type == NULL) return REDISMODULE_ERR;
    }
    if (RMAPI_FUNC_SUPPORTED(RedisModule_CreateTimer))
        RedisModule_CreateTimer(ctx, 100, on_timer, NULL);
    if (RMAPI_FUNC_SUPPORTED(RedisModule_SubscribeToServerEvent))
        RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_CronLoop,
                                           on_server_event);
    if (RMAPI_FUNC_SUPPORTED(RedisModule_CreateDict))
        seen_keys = RedisModule_CreateDict(NULL);
    if (RMAPI_FUNC_SUPPORTED(RedisModule_SubscribeToKeyspaceEvents))
        RedisModule_SubscribeToKeyspaceEvents(
            ctx, REDISMODULE_NOTIFY_GENERIC | REDISMODULE_NOTIFY_STRING,
            on_keyspace);
    if (RMAPI_FUNC_SUPPORTED(RedisModule_RegisterInfoFunc))
        RedisModule_RegisterInfoFunc(ctx, info_func);
    if (RMAPI_FUNC_SUPPORTED(RedisModule_RegisterBoolConfig) &&
        RMAPI_FUNC_SUPPORTED(RedisModule_LoadConfigs)) {
        if (RedisModule_RegisterBoolConfig(ctx, "verbose", 0,
                                           REDISMODULE_CONFIG_DEFAULT,
                                           get_verbose, set_verbose, NULL,
                                           NULL) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
        if (RedisModule_LoadConfigs(ctx) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
