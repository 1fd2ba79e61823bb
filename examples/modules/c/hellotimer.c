/*
 * hellotimer: the C counterpart of examples/modules/hellotimer.
 * HELLOTIMER.TIMER arms ten timers with random delays below five seconds;
 * each logs "Fired After <delay>!" when it runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include "redismodule.h"

static void Fired(RedisModuleCtx *ctx, void *data) {
    RedisModule_Log(ctx, "notice", "Fired %s!", (char *)data);
    RedisModule_Free(data);
}

static int Timer(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    for (int i = 0; i < 10; i++) {
        int delay = rand() % 5000;
        char *msg = RedisModule_Alloc(32);
        snprintf(msg, 32, "After %d", delay);
        RedisModule_CreateTimer(ctx, delay, Fired, msg);
    }
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv, (void)argc;
    if (RedisModule_Init(ctx, "hellotimer", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "hellotimer.timer", Timer, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
