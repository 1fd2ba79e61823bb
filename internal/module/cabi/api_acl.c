/* ACL family: module users and permission checks, ACL LOG entries,
 * authenticating clients. A RedisModuleUser is a small C struct holding a
 * cgo handle to the engine's user; the rules live in Go. */
#include <errno.h>
#include "bridge.h"
#include "_cgo_export.h"

static RedisModuleUser *user_wrap(uintptr_t h) {
    if (h == 0) return NULL;
    RedisModuleUser *u = rm_Calloc(1, sizeof(*u));
    u->h = h;
    return u;
}

RedisModuleUser *rm_CreateModuleUser(const char *name) {
    return user_wrap(goRM_CreateModuleUser((char *)name));
}

int rm_FreeModuleUser(RedisModuleUser *user) {
    if (user == NULL) return REDISMODULE_ERR;
    goRM_FreeModuleUser(user->h);
    rm_Free(user);
    return REDISMODULE_OK;
}

int rm_SetModuleUserACL(RedisModuleUser *user, const char *acl) {
    int e = 0;
    int rc = goRM_SetModuleUserACL(user->h, (char *)acl, &e);
    if (rc != REDISMODULE_OK && e) errno = e;
    return rc;
}

int rm_SetModuleUserACLString(RedisModuleCtx *ctx, RedisModuleUser *user, const char *acl, RedisModuleString **error) {
    return goRM_SetModuleUserACLString(ctx, user->h, (char *)acl, error);
}

RedisModuleString *rm_GetModuleUserACLString(RedisModuleUser *user) {
    return goRM_GetModuleUserACLString(user->h);
}

RedisModuleString *rm_GetCurrentUserName(RedisModuleCtx *ctx) { return goRM_GetCurrentUserName(ctx); }

RedisModuleUser *rm_GetModuleUserFromUserName(RedisModuleString *name) {
    if (name == NULL) return NULL;
    return user_wrap(goRM_GetModuleUserFromUserName(name->ptr, name->len));
}

int rm_ACLCheckCommandPermissions(RedisModuleUser *user, RedisModuleString **argv, int argc) {
    int e = 0;
    int rc = goRM_ACLCheck(user->h, 0, argv, argc, 0, &e);
    if (rc != REDISMODULE_OK && e) errno = e;
    return rc;
}

int rm_ACLCheckKeyPermissions(RedisModuleUser *user, RedisModuleString *key, int flags) {
    int e = 0;
    int rc = goRM_ACLCheck(user->h, 1, &key, 1, flags, &e);
    if (rc != REDISMODULE_OK && e) errno = e;
    return rc;
}

int rm_ACLCheckChannelPermissions(RedisModuleUser *user, RedisModuleString *ch, int flags) {
    int e = 0;
    int rc = goRM_ACLCheck(user->h, 2, &ch, 1, flags, &e);
    if (rc != REDISMODULE_OK && e) errno = e;
    return rc;
}

void rm_ACLAddLogEntry(RedisModuleCtx *ctx, RedisModuleUser *user, RedisModuleString *object, RedisModuleACLLogEntryReason reason) {
    if (user == NULL || object == NULL) return;
    goRM_ACLAddLogEntry(ctx, user->h, object->ptr, object->len, (int)reason);
}

void rmb_call_userchanged(void *fn, uint64_t client_id, void *privdata) {
    ((RedisModuleUserChangedFunc)fn)(client_id, privdata);
}

int rm_AuthenticateClientWithUser(RedisModuleCtx *ctx, RedisModuleUser *user, RedisModuleUserChangedFunc callback, void *privdata, uint64_t *client_id) {
    if (user == NULL) return REDISMODULE_ERR;
    return goRM_AuthenticateClient(ctx, user->h, NULL, 0, (void *)callback, privdata, client_id);
}

int rm_AuthenticateClientWithACLUser(RedisModuleCtx *ctx, const char *name, size_t len, RedisModuleUserChangedFunc callback, void *privdata, uint64_t *client_id) {
    return goRM_AuthenticateClient(ctx, 0, (char *)name, len, (void *)callback, privdata, client_id);
}

int rm_DeauthenticateAndCloseClient(RedisModuleCtx *ctx, uint64_t client_id) {
    return goRM_DeauthenticateAndCloseClient(ctx, client_id);
}

RedisModuleString *rm_GetClientUserNameById(RedisModuleCtx *ctx, uint64_t id) {
    int e = 0;
    RedisModuleString *s = goRM_GetClientUserNameById(ctx, id, &e);
    if (s == NULL && e) errno = e;
    return s;
}

void rm_SetContextUser(RedisModuleCtx *ctx, const RedisModuleUser *user) {
    goRM_SetContextUser(ctx, user ? user->h : 0);
}
