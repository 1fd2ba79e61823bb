/*
 * acltest: the module ACL API checked against redis-server.
 *   acl.create <name> [rule ...]      CreateModuleUser (freeing the previous
 *                                     one) and SetModuleUserACL per rule:
 *                                     OK, or "ERR rule <i> errno <n>"
 *   acl.setstring <rules>             SetModuleUserACLString: OK or the error
 *   acl.getstring                     GetModuleUserACLString
 *   acl.free                          FreeModuleUser of the module user
 *   acl.auth                          AuthenticateClientWithUser (module
 *                                     user): the client id, or an error
 *   acl.authacl <name>                AuthenticateClientWithACLUser
 *   acl.changes                       user-changed callbacks fired so far
 *   acl.deauth <id>                   DeauthenticateAndCloseClient
 *   acl.whoami                        GetCurrentUserName
 *   acl.username <id>                 GetClientUserNameById (or errno)
 *   acl.checkcmd <user> <cmd> [arg..] ACLCheckCommandPermissions as a
 *                                     server user (or "-": the module user)
 *   acl.checkkey <user> <flags> <key> ACLCheckKeyPermissions
 *   acl.checkchan <user> <flags> <ch> ACLCheckChannelPermissions
 *   acl.log <user> <object> <reason>  ACLAddLogEntry
 *   acl.call <user> <cmd> [arg ...]   Call with 'C' (and 'E'), as the
 *                                     server user set by SetContextUser, or
 *                                     the caller's ("-")
 */
#include <errno.h>
#include <string.h>
#include "redismodule.h"

static RedisModuleUser *global = NULL;
static long long changes = 0;

static void UserChanged(uint64_t client_id, void *privdata) {
    (void)client_id;
    (void)privdata;
    changes++;
}

static int errnoReply(RedisModuleCtx *ctx, int e) {
    char buf[64];
    snprintf(buf, sizeof(buf), "ERR errno %d", e);
    return RedisModule_ReplyWithError(ctx, buf);
}

static int Create(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    if (global) RedisModule_FreeModuleUser(global);
    global = RedisModule_CreateModuleUser(RedisModule_StringPtrLen(argv[1], NULL));
    for (int i = 2; i < argc; i++) {
        errno = 0;
        if (RedisModule_SetModuleUserACL(global, RedisModule_StringPtrLen(argv[i], NULL)) != REDISMODULE_OK) {
            char buf[64];
            snprintf(buf, sizeof(buf), "ERR rule %d errno %d", i - 2, errno);
            return RedisModule_ReplyWithError(ctx, buf);
        }
    }
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int SetString(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    if (!global) return RedisModule_ReplyWithError(ctx, "ERR no user");
    RedisModuleString *err = NULL;
    if (RedisModule_SetModuleUserACLString(ctx, global, RedisModule_StringPtrLen(argv[1], NULL), &err) == REDISMODULE_OK)
        return RedisModule_ReplyWithSimpleString(ctx, "OK");
    if (!err) return RedisModule_ReplyWithError(ctx, "ERR failed without a message");
    RedisModule_ReplyWithString(ctx, err);
    RedisModule_FreeString(ctx, err);
    return REDISMODULE_OK;
}

static int GetString(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    if (!global) return RedisModule_ReplyWithError(ctx, "ERR no user");
    RedisModuleString *s = RedisModule_GetModuleUserACLString(global);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(NULL, s);
    return REDISMODULE_OK;
}

static int Free(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (global) RedisModule_FreeModuleUser(global);
    global = NULL;
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Auth(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    uint64_t id = 0;
    if (!global) return RedisModule_ReplyWithError(ctx, "ERR no user");
    if (RedisModule_AuthenticateClientWithUser(ctx, global, UserChanged, NULL, &id) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR auth failed");
    return RedisModule_ReplyWithLongLong(ctx, id == RedisModule_GetClientId(ctx));
}

static int AuthACL(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    size_t len;
    const char *name = RedisModule_StringPtrLen(argv[1], &len);
    uint64_t id = 0;
    if (RedisModule_AuthenticateClientWithACLUser(ctx, name, len, UserChanged, NULL, &id) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR auth failed");
    return RedisModule_ReplyWithLongLong(ctx, id == RedisModule_GetClientId(ctx));
}

static int Changes(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return RedisModule_ReplyWithLongLong(ctx, changes);
}

static int Deauth(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long id;
    if (argc != 2 || RedisModule_StringToLongLong(argv[1], &id) != REDISMODULE_OK) return RedisModule_WrongArity(ctx);
    if (id == 0) id = (long long)RedisModule_GetClientId(ctx);
    if (RedisModule_DeauthenticateAndCloseClient(ctx, (uint64_t)id) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR no such client");
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Whoami(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    RedisModuleString *s = RedisModule_GetCurrentUserName(ctx);
    if (!s) return RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    return REDISMODULE_OK;
}

static int UserName(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long id;
    if (argc != 2 || RedisModule_StringToLongLong(argv[1], &id) != REDISMODULE_OK) return RedisModule_WrongArity(ctx);
    if (id == 0) id = (long long)RedisModule_GetClientId(ctx);
    errno = 0;
    RedisModuleString *s = RedisModule_GetClientUserNameById(ctx, (uint64_t)id);
    if (!s) return errnoReply(ctx, errno);
    RedisModule_ReplyWithString(ctx, s);
    return REDISMODULE_OK;
}

/* userFor returns a server user by name, or the module user for "-". */
static RedisModuleUser *userFor(RedisModuleString *name, int *owned) {
    if (!strcmp(RedisModule_StringPtrLen(name, NULL), "-")) {
        *owned = 0;
        return global;
    }
    *owned = 1;
    return RedisModule_GetModuleUserFromUserName(name);
}

static int Check(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int kind) {
    if (argc < (kind == 0 ? 3 : 4)) return RedisModule_WrongArity(ctx);
    int owned;
    RedisModuleUser *u = userFor(argv[1], &owned);
    if (!u) return RedisModule_ReplyWithError(ctx, "ERR no such user");
    long long flags = 0;
    if (kind != 0 && RedisModule_StringToLongLong(argv[2], &flags) != REDISMODULE_OK) {
        if (owned) RedisModule_FreeModuleUser(u);
        return RedisModule_ReplyWithError(ctx, "ERR flags");
    }
    errno = 0;
    int rc;
    if (kind == 0) rc = RedisModule_ACLCheckCommandPermissions(u, argv + 2, argc - 2);
    else if (kind == 1) rc = RedisModule_ACLCheckKeyPermissions(u, argv[3], (int)flags);
    else rc = RedisModule_ACLCheckChannelPermissions(u, argv[3], (int)flags);
    int e = errno;
    if (owned) RedisModule_FreeModuleUser(u);
    if (rc == REDISMODULE_OK) return RedisModule_ReplyWithSimpleString(ctx, "OK");
    return errnoReply(ctx, e);
}

static int CheckCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return Check(ctx, argv, argc, 0); }
static int CheckKey(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return Check(ctx, argv, argc, 1); }
static int CheckChan(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) { return Check(ctx, argv, argc, 2); }

static int Log(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    long long reason;
    if (argc != 4 || RedisModule_StringToLongLong(argv[3], &reason) != REDISMODULE_OK) return RedisModule_WrongArity(ctx);
    int owned;
    RedisModuleUser *u = userFor(argv[1], &owned);
    if (!u) return RedisModule_ReplyWithError(ctx, "ERR no such user");
    RedisModule_ACLAddLogEntry(ctx, u, argv[2], (RedisModuleACLLogEntryReason)reason);
    if (owned) RedisModule_FreeModuleUser(u);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int CallAs(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    RedisModuleUser *u = NULL;
    if (strcmp(RedisModule_StringPtrLen(argv[1], NULL), "-")) {
        u = RedisModule_GetModuleUserFromUserName(argv[1]);
        if (!u) return RedisModule_ReplyWithError(ctx, "ERR no such user");
        RedisModule_SetContextUser(ctx, u);
    }
    const char *cmd = RedisModule_StringPtrLen(argv[2], NULL);
    errno = 0;
    RedisModuleCallReply *r = RedisModule_Call(ctx, cmd, "CEv", argv + 3, (size_t)(argc - 3));
    if (r == NULL) {
        if (u) RedisModule_FreeModuleUser(u);
        return errnoReply(ctx, errno);
    }
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    if (u) {
        RedisModule_SetContextUser(ctx, NULL);
        RedisModule_FreeModuleUser(u);
    }
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "acltest", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    struct {
        const char *name;
        RedisModuleCmdFunc fn;
    } cmds[] = {
        {"acl.create", Create},     {"acl.setstring", SetString}, {"acl.getstring", GetString},
        {"acl.free", Free},         {"acl.auth", Auth},           {"acl.authacl", AuthACL},
        {"acl.changes", Changes},   {"acl.deauth", Deauth},       {"acl.whoami", Whoami},
        {"acl.username", UserName}, {"acl.checkcmd", CheckCmd},   {"acl.checkkey", CheckKey},
        {"acl.checkchan", CheckChan}, {"acl.log", Log},           {"acl.call", CallAs},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, "", 0, 0, 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
