/* Module registration and commands: thin shims over Go exports. */
#include "bridge.h"
#include "_cgo_export.h"

void rm_SetModuleAttribs(RedisModuleCtx *ctx, const char *name, int ver, int apiver) {
    goRM_SetModuleAttribs(ctx, (char *)name, ver, apiver);
}

int rm_IsModuleNameBusy(const char *name) { return goRM_IsModuleNameBusy((char *)name); }

void rm_AutoMemory(RedisModuleCtx *ctx) { ctx->automem = 1; }

void rm_SetModuleOptions(RedisModuleCtx *ctx, int options) { goRM_SetModuleOptions(ctx, options); }

int rm_CreateCommand(RedisModuleCtx *ctx, const char *name, RedisModuleCmdFunc cmdfunc,
                     const char *strflags, int firstkey, int lastkey, int keystep) {
    return goRM_CreateCommand(ctx, NULL, (char *)name, (void *)cmdfunc, (char *)strflags,
                              firstkey, lastkey, keystep);
}

int rm_CreateSubcommand(RedisModuleCommand *parent, const char *name, RedisModuleCmdFunc cmdfunc,
                        const char *strflags, int firstkey, int lastkey, int keystep) {
    if (parent == NULL) return REDISMODULE_ERR;
    return goRM_CreateCommand(NULL, parent, (char *)name, (void *)cmdfunc, (char *)strflags,
                              firstkey, lastkey, keystep);
}

RedisModuleCommand *rm_GetCommand(RedisModuleCtx *ctx, const char *name) {
    return goRM_GetCommand(ctx, (char *)name);
}

const char *rm_GetCurrentCommandName(RedisModuleCtx *ctx) { return goRM_GetCurrentCommandName(ctx); }

#include <errno.h>

int rm_SetCommandInfo(RedisModuleCommand *command, const RedisModuleCommandInfo *info) {
    int err = 0;
    int rc = goRM_SetCommandInfo(command, (void *)info, &err);
    if (rc != REDISMODULE_OK && err) errno = err;
    return rc;
}
