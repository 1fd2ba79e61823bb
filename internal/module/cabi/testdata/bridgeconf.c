/*
 * bridgeconf: module configs of every kind.
 *   bridgeconf.str  string, default "hello"
 *   bridgeconf.flag bool, default yes
 *   bridgeconf.num  numeric 0..100, default 10; 13 is refused with an error
 *   bridgeconf.mode enum one(1)/two(2), default one
 *   bc.get          [str, flag, num, mode, applies]
 * The apply callback (shared by str and num, with different private data)
 * refuses str "failapply".
 */
#include <string.h>
#include "redismodule.h"

static RedisModuleString *str;
static int flag;
static long long num;
static int mode;
static long long applies;

static RedisModuleString *GetStr(const char *name, void *priv) {
    (void)name;
    (void)priv;
    return str;
}
static int SetStr(const char *name, RedisModuleString *v, void *priv, RedisModuleString **err) {
    (void)name;
    (void)priv;
    (void)err;
    if (str) RedisModule_FreeString(NULL, str);
    RedisModule_RetainString(NULL, v);
    str = v;
    return REDISMODULE_OK;
}
static int GetFlag(const char *name, void *priv) {
    (void)name;
    (void)priv;
    return flag;
}
static int SetFlag(const char *name, int v, void *priv, RedisModuleString **err) {
    (void)name;
    (void)priv;
    (void)err;
    flag = v;
    return REDISMODULE_OK;
}
static long long GetNum(const char *name, void *priv) {
    (void)name;
    return *(long long *)priv;
}
static int SetNum(const char *name, long long v, void *priv, RedisModuleString **err) {
    (void)name;
    if (v == 13) {
        *err = RedisModule_CreateString(NULL, "thirteen is unlucky", 19);
        return REDISMODULE_ERR;
    }
    *(long long *)priv = v;
    return REDISMODULE_OK;
}
static int GetMode(const char *name, void *priv) {
    (void)name;
    (void)priv;
    return mode;
}
static int SetMode(const char *name, int v, void *priv, RedisModuleString **err) {
    (void)name;
    (void)priv;
    (void)err;
    mode = v;
    return REDISMODULE_OK;
}
static int Apply(RedisModuleCtx *ctx, void *priv, RedisModuleString **err) {
    (void)ctx;
    (void)priv;
    applies++;
    size_t len;
    const char *s = str ? RedisModule_StringPtrLen(str, &len) : "";
    if (str && len == 9 && !memcmp(s, "failapply", 9)) {
        *err = RedisModule_CreateString(NULL, "apply refused", 13);
        return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}

static int Get(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithString(ctx, str);
    RedisModule_ReplyWithLongLong(ctx, flag);
    RedisModule_ReplyWithLongLong(ctx, num);
    RedisModule_ReplyWithLongLong(ctx, mode);
    return RedisModule_ReplyWithLongLong(ctx, applies);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "bridgeconf", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    static const char *names[] = {"one", "two"};
    static const int vals[] = {1, 2};
    if (RedisModule_RegisterStringConfig(ctx, "str", "hello", REDISMODULE_CONFIG_DEFAULT, GetStr, SetStr, Apply, NULL) ||
        RedisModule_RegisterBoolConfig(ctx, "flag", 1, REDISMODULE_CONFIG_DEFAULT, GetFlag, SetFlag, NULL, NULL) ||
        RedisModule_RegisterNumericConfig(ctx, "num", 10, REDISMODULE_CONFIG_DEFAULT, 0, 100, GetNum, SetNum, Apply, &num) ||
        RedisModule_RegisterEnumConfig(ctx, "mode", 1, REDISMODULE_CONFIG_DEFAULT, names, vals, 2, GetMode, SetMode, NULL, NULL))
        return REDISMODULE_ERR;
    if (RedisModule_LoadConfigs(ctx) == REDISMODULE_ERR) return REDISMODULE_ERR;
    return RedisModule_CreateCommand(ctx, "bc.get", Get, "readonly", 0, 0, 0);
}

int RedisModule_OnUnload(RedisModuleCtx *ctx) {
    (void)ctx;
    if (str) RedisModule_FreeString(NULL, str);
    str = NULL;
    return REDISMODULE_OK;
}
