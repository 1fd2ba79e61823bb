/*
 * Shared C declarations of the module bridge: the concrete layouts of the
 * opaque handles modules hold, and the rm_X functions GetApi hands out.
 * Every handle a module can keep is C memory; Go objects are reached only
 * through the integer cgo handle stored in it.
 */
#ifndef MODIS_CABI_BRIDGE_H
#define MODIS_CABI_BRIDGE_H

#define REDISMODULE_CORE
#include "redismodule.h"
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

/* Auto-memory entry kinds. */
#define RMB_AUTO_STRING 1
#define RMB_AUTO_KEY 2
#define RMB_AUTO_REPLY 3

typedef struct rmbAuto {
    int kind;
    void *ptr;
} rmbAuto;

typedef struct rmbPoolBlock {
    struct rmbPoolBlock *next;
} rmbPoolBlock;

/* RedisModuleCtx: GetApi must stay at offset 0 (RedisModule_Init reads it). */
struct RedisModuleCtx {
    void *getapi;
    uintptr_t h;          /* cgo.Handle of the Go ctxState */
    int automem;          /* AutoMemory was called */
    rmbAuto *autov;       /* auto-memory queue, creation order */
    size_t autolen, autocap;
    rmbPoolBlock *pool;   /* PoolAlloc blocks, freed with the ctx */
    /* Command contexts are reused (rmb_run_cmd): Go copies a command's
     * arguments into scratch/lens, and argvc keeps the argv strings the
     * module did not retain for the next command. */
    RedisModuleString **argvc;
    int argvcap;
    char *scratch;
    size_t scratchcap;
    size_t *lens;
    int lenscap;
    /* Command contexts defer closing READ keys and releasing the Go side
     * of freed call replies to the end of the command (closed: handles
     * tagged with RMB_DEFER_*, read by Go after rmb_run_cmd). */
    int deferclose;
    uintptr_t *closed;
    int nclosed, closedcap;
    /* Replies encoded in C (rproto: the client's protocol, 0 when replies
     * must go through Go), handed to Go before any other reply and after
     * the command (api_reply.c). */
    int rproto;
    char *rbuf;
    size_t rlen, rcap;
    /* Closed key structs and freed root call reply structs of a command
     * context, reused by OpenKey and Call. */
    RedisModuleKey *freekeys;
    RedisModuleCallReply *freereplies;
    unsigned long gen;    /* commands run on this context (rmb_run_cmd) */
};

/* RedisModuleString: refcounted bytes in C memory, NUL terminated. */
struct RedisModuleString {
    char *ptr;
    size_t len;
    long refcount;
};

/* RedisModuleKey: an open key. dma is a C copy of the value for
 * StringDMA, written back when dmawrite is set. */
struct RedisModuleKey {
    uintptr_t h;          /* handle of the Go keyState */
    RedisModuleCtx *ctx;
    RedisModuleString *name;
    char *dma;
    size_t dmalen;
    int dmawrite;
    /* What OpenKey (or KeyType) saw, valid while epoch == rmb_epoch (no
     * module write since): the type and, for a string that has bytes, a
     * pointer to them in the server's memory (READ StringDMA returns it,
     * as Redis returns its own buffer). */
    int mode;
    int type;
    unsigned long epoch;
    unsigned long cgen;   /* ctx->gen at open: the cache dies with the command */
    const char *vptr;
    size_t vlen;
    int hasv;
};

/* rmbKeyInfo is what goRM_OpenKey reports besides the handle. */
typedef struct rmbKeyInfo {
    int type;
    int hasv;
    uintptr_t ptr;
    size_t len;
} rmbKeyInfo;

/* rmb_epoch changes before every write a module may make (Call, writes
 * through key handles): key handles trust what they cached only while it
 * is unchanged. */
extern unsigned long rmb_epoch;

/* RedisModuleCallReply: a Go reply plus lazily built C copies. Elements
 * belong to their parent and are freed with it. */
struct RedisModuleCallReply {
    uintptr_t h;
    int child;
    RedisModuleCtx *ctx;  /* auto-memory owner (root replies only) */
    char *str;            /* StringPtr/BigNumber/Verbatim text, C copy */
    size_t len;
    char *format;         /* verbatim format */
    char *proto;          /* CallReplyProto, C copy */
    size_t protolen;
    struct RedisModuleCallReply **elems;
    size_t nelems;
    struct RedisModuleCallReply *attr;
    /* Root replies of a command context: the reply's RESP bytes in the
     * server's memory (kept alive until the reply is released after the
     * command), for ReplyWithCallReply without a call into Go. */
    const char *gproto;
    size_t gprotolen;
};

/* RedisModuleDict and its iterator (key: last key returned, C memory). */
struct RedisModuleDict {
    uintptr_t h;
};

struct RedisModuleDictIter {
    uintptr_t h;
    char *key;
    size_t keycap;
};

/* RedisModuleBlockedClient: handle of the engine's blocked client. */
struct RedisModuleBlockedClient {
    uintptr_t h;
};

/* Module data types and their callback handles. */
struct RedisModuleType {
    uintptr_t h;
};

struct RedisModuleIO {
    uintptr_t h;
    RedisModuleCtx *ctx;      /* GetContextFromIO, freed with the IO */
    RedisModuleString *key;   /* GetKeyNameFromIO, freed with the IO */
};

/* RedisModuleKeyOptCtx: what the v4 type methods (mem_usage2,
 * free_effort2, unlink2, copy2) get; to_key NULL and to_dbid -1 except for
 * copy2. */
struct RedisModuleKeyOptCtx {
    RedisModuleString *from_key;
    RedisModuleString *to_key;
    int from_dbid;
    int to_dbid;
};

struct RedisModuleDigest {
    uintptr_t h;
    RedisModuleString *key; /* GetKeyNameFromDigest, NULL if none */
    int dbid;               /* GetDbIdFromDigest */
};

/* RedisModuleInfoCtx: handle of the engine's INFO context. */
struct RedisModuleInfoCtx {
    uintptr_t h;
};

/* RedisModuleDefragCtx: handle of the engine's defrag context. */
struct RedisModuleDefragCtx {
    uintptr_t h;
    RedisModuleString *key; /* GetKeyNameFromDefragCtx, NULL if none */
    int dbid;               /* GetDbIdFromDefragCtx */
};

/* RedisModuleServerInfoData: handle of an engine INFO snapshot. */
struct RedisModuleServerInfoData {
    uintptr_t h;
};

/* RedisModuleScanCursor: handle of the engine's cursor. */
struct RedisModuleScanCursor {
    uintptr_t h;
};

/* Command filter handles. */
struct RedisModuleCommandFilter {
    uintptr_t h;
};

struct RedisModuleCommandFilterCtx {
    uintptr_t h;
};

/* RedisModuleCommand: handle of a module command. */
struct RedisModuleCommand {
    uintptr_t h;
};

/* Type method slots passed from rm_CreateDataType to Go (api_type.c). */
#define RMB_TYPE_METHODS 16

/* loader.c */
void *rmb_dlopen(const char *path, char **err);
void *rmb_dlsym(void *handle, const char *name);
int rmb_dlclose(void *handle);
RedisModuleCallReply *rmb_reply_new(uintptr_t h, int child);
int rmb_call_onload(void *fn, RedisModuleCtx *ctx, RedisModuleString **argv, int argc);
int rmb_call_onunload(void *fn, RedisModuleCtx *ctx);
int rmb_call_cmd(void *fn, RedisModuleCtx *ctx, RedisModuleString **argv, int argc);
int rmb_run_cmd(uintptr_t fn, uintptr_t ctx, int argc);
void rmb_ctx_scratch(RedisModuleCtx *ctx, size_t bytes, int argc);
#define RMB_DEFER_KEY 0
#define RMB_DEFER_REPLY 1
#define RMB_DEFER_CHILD 2
void rmb_defer_release(RedisModuleCtx *ctx, uintptr_t h, int kind);
void rmb_reply_flush(RedisModuleCtx *ctx);
RedisModuleCtx *rmb_ctx_new(uintptr_t h);
void rmb_ctx_collect(RedisModuleCtx *ctx);
void rmb_ctx_free(RedisModuleCtx *ctx);
void rmb_auto_add(RedisModuleCtx *ctx, int kind, void *ptr);
int rmb_auto_remove(RedisModuleCtx *ctx, int kind, void *ptr);
int rm_GetApi(const char *name, void *target);

/* api_string.c */
RedisModuleString *rmb_str_new(const char *ptr, size_t len);
void rmb_str_decr(RedisModuleString *s);
RedisModuleString **rmb_argv_new(const char *buf, const size_t *lens, int n);
void rmb_argv_free(RedisModuleString **argv, int n);

/* api_alloc.c */
long long rmb_used_memory(void);

/* The API (one prototype per registered name). */
void *rm_Alloc(size_t bytes);
void *rm_TryAlloc(size_t bytes);
void *rm_Calloc(size_t nmemb, size_t size);
void *rm_Realloc(void *ptr, size_t bytes);
void rm_Free(void *ptr);
char *rm_Strdup(const char *str);
void *rm_PoolAlloc(RedisModuleCtx *ctx, size_t bytes);

void rm_SetModuleAttribs(RedisModuleCtx *ctx, const char *name, int ver, int apiver);
int rm_IsModuleNameBusy(const char *name);
void rm_AutoMemory(RedisModuleCtx *ctx);
void rm_SetModuleOptions(RedisModuleCtx *ctx, int options);

int rm_CreateCommand(RedisModuleCtx *ctx, const char *name, RedisModuleCmdFunc cmdfunc, const char *strflags, int firstkey, int lastkey, int keystep);
RedisModuleCommand *rm_GetCommand(RedisModuleCtx *ctx, const char *name);
int rm_CreateSubcommand(RedisModuleCommand *parent, const char *name, RedisModuleCmdFunc cmdfunc, const char *strflags, int firstkey, int lastkey, int keystep);
const char *rm_GetCurrentCommandName(RedisModuleCtx *ctx);
int rm_SetCommandInfo(RedisModuleCommand *command, const RedisModuleCommandInfo *info);

int rm_WrongArity(RedisModuleCtx *ctx);
int rm_ReplyWithLongLong(RedisModuleCtx *ctx, long long ll);
int rm_ReplyWithError(RedisModuleCtx *ctx, const char *err);
int rm_ReplyWithSimpleString(RedisModuleCtx *ctx, const char *msg);
int rm_ReplyWithArray(RedisModuleCtx *ctx, long len);
int rm_ReplyWithMap(RedisModuleCtx *ctx, long len);
int rm_ReplyWithSet(RedisModuleCtx *ctx, long len);
int rm_ReplyWithAttribute(RedisModuleCtx *ctx, long len);
int rm_ReplyWithNullArray(RedisModuleCtx *ctx);
int rm_ReplyWithEmptyArray(RedisModuleCtx *ctx);
void rm_ReplySetArrayLength(RedisModuleCtx *ctx, long len);
void rm_ReplySetMapLength(RedisModuleCtx *ctx, long len);
void rm_ReplySetSetLength(RedisModuleCtx *ctx, long len);
void rm_ReplySetAttributeLength(RedisModuleCtx *ctx, long len);
int rm_ReplyWithString(RedisModuleCtx *ctx, RedisModuleString *str);
int rm_ReplyWithEmptyString(RedisModuleCtx *ctx);
int rm_ReplyWithVerbatimString(RedisModuleCtx *ctx, const char *buf, size_t len);
int rm_ReplyWithVerbatimStringType(RedisModuleCtx *ctx, const char *buf, size_t len, const char *ext);
int rm_ReplyWithStringBuffer(RedisModuleCtx *ctx, const char *buf, size_t len);
int rm_ReplyWithCString(RedisModuleCtx *ctx, const char *buf);
int rm_ReplyWithNull(RedisModuleCtx *ctx);
int rm_ReplyWithBool(RedisModuleCtx *ctx, int b);
int rm_ReplyWithCallReply(RedisModuleCtx *ctx, RedisModuleCallReply *reply);
int rm_ReplyWithDouble(RedisModuleCtx *ctx, double d);
int rm_ReplyWithBigNumber(RedisModuleCtx *ctx, const char *bignum, size_t len);

RedisModuleString *rm_CreateString(RedisModuleCtx *ctx, const char *ptr, size_t len);
RedisModuleString *rm_CreateStringFromLongLong(RedisModuleCtx *ctx, long long ll);
RedisModuleString *rm_CreateStringFromULongLong(RedisModuleCtx *ctx, unsigned long long ull);
RedisModuleString *rm_CreateStringFromDouble(RedisModuleCtx *ctx, double d);
RedisModuleString *rm_CreateStringFromString(RedisModuleCtx *ctx, const RedisModuleString *str);
RedisModuleString *rm_CreateStringPrintf(RedisModuleCtx *ctx, const char *fmt, ...);
void rm_FreeString(RedisModuleCtx *ctx, RedisModuleString *str);
const char *rm_StringPtrLen(const RedisModuleString *str, size_t *len);
int rm_StringToLongLong(const RedisModuleString *str, long long *ll);
int rm_StringToULongLong(const RedisModuleString *str, unsigned long long *ull);
int rm_StringToDouble(const RedisModuleString *str, double *d);
int rm_StringAppendBuffer(RedisModuleCtx *ctx, RedisModuleString *str, const char *buf, size_t len);
void rm_TrimStringAllocation(RedisModuleString *str);
void rm_RetainString(RedisModuleCtx *ctx, RedisModuleString *str);
RedisModuleString *rm_HoldString(RedisModuleCtx *ctx, RedisModuleString *str);
int rm_StringCompare(const RedisModuleString *a, const RedisModuleString *b);

RedisModuleCallReply *rm_Call(RedisModuleCtx *ctx, const char *cmdname, const char *fmt, ...);
int rm_Replicate(RedisModuleCtx *ctx, const char *cmdname, const char *fmt, ...);
const char *rm_CallReplyProto(RedisModuleCallReply *reply, size_t *len);
void rm_FreeCallReply(RedisModuleCallReply *reply);
int rm_CallReplyType(RedisModuleCallReply *reply);
long long rm_CallReplyInteger(RedisModuleCallReply *reply);
double rm_CallReplyDouble(RedisModuleCallReply *reply);
int rm_CallReplyBool(RedisModuleCallReply *reply);
const char *rm_CallReplyBigNumber(RedisModuleCallReply *reply, size_t *len);
const char *rm_CallReplyVerbatim(RedisModuleCallReply *reply, size_t *len, const char **format);
RedisModuleCallReply *rm_CallReplySetElement(RedisModuleCallReply *reply, size_t idx);
int rm_CallReplyMapElement(RedisModuleCallReply *reply, size_t idx, RedisModuleCallReply **key, RedisModuleCallReply **val);
size_t rm_CallReplyLength(RedisModuleCallReply *reply);
RedisModuleCallReply *rm_CallReplyArrayElement(RedisModuleCallReply *reply, size_t idx);
const char *rm_CallReplyStringPtr(RedisModuleCallReply *reply, size_t *len);
RedisModuleString *rm_CreateStringFromCallReply(RedisModuleCallReply *reply);
RedisModuleCallReply *rm_CallReplyAttribute(RedisModuleCallReply *reply);
int rm_CallReplyAttributeElement(RedisModuleCallReply *reply, size_t idx, RedisModuleCallReply **key, RedisModuleCallReply **val);

int rm_GetSelectedDb(RedisModuleCtx *ctx);
int rm_SelectDb(RedisModuleCtx *ctx, int newid);
int rm_KeyExists(RedisModuleCtx *ctx, RedisModuleString *keyname);
RedisModuleKey *rm_OpenKey(RedisModuleCtx *ctx, RedisModuleString *keyname, int mode);
void rm_CloseKey(RedisModuleKey *kp);
int rm_KeyType(RedisModuleKey *kp);
size_t rm_ValueLength(RedisModuleKey *kp);
int rm_DeleteKey(RedisModuleKey *key);
int rm_UnlinkKey(RedisModuleKey *key);
mstime_t rm_GetExpire(RedisModuleKey *key);
int rm_SetExpire(RedisModuleKey *key, mstime_t expire);
const RedisModuleString *rm_GetKeyNameFromModuleKey(RedisModuleKey *key);
int rm_GetDbIdFromModuleKey(RedisModuleKey *key);
int rm_StringSet(RedisModuleKey *key, RedisModuleString *str);
char *rm_StringDMA(RedisModuleKey *key, size_t *len, int mode);
int rm_StringTruncate(RedisModuleKey *key, size_t newlen);
int rm_ListPush(RedisModuleKey *key, int where, RedisModuleString *ele);
RedisModuleString *rm_ListPop(RedisModuleKey *key, int where);
RedisModuleString *rm_ListGet(RedisModuleKey *key, long index);
int rm_ListSet(RedisModuleKey *key, long index, RedisModuleString *value);
int rm_ListInsert(RedisModuleKey *key, long index, RedisModuleString *value);
int rm_ListDelete(RedisModuleKey *key, long index);
int rm_ZsetAdd(RedisModuleKey *key, double score, RedisModuleString *ele, int *flagsptr);
int rm_ZsetIncrby(RedisModuleKey *key, double score, RedisModuleString *ele, int *flagsptr, double *newscore);
int rm_ZsetRem(RedisModuleKey *key, RedisModuleString *ele, int *deleted);
int rm_ZsetScore(RedisModuleKey *key, RedisModuleString *ele, double *score);
void rm_ZsetRangeStop(RedisModuleKey *key);
int rm_ZsetFirstInScoreRange(RedisModuleKey *key, double min, double max, int minex, int maxex);
int rm_ZsetLastInScoreRange(RedisModuleKey *key, double min, double max, int minex, int maxex);
int rm_ZsetFirstInLexRange(RedisModuleKey *key, RedisModuleString *min, RedisModuleString *max);
int rm_ZsetLastInLexRange(RedisModuleKey *key, RedisModuleString *min, RedisModuleString *max);
RedisModuleString *rm_ZsetRangeCurrentElement(RedisModuleKey *key, double *score);
int rm_ZsetRangeNext(RedisModuleKey *key);
int rm_ZsetRangePrev(RedisModuleKey *key);
int rm_ZsetRangeEndReached(RedisModuleKey *key);
int rm_HashSet(RedisModuleKey *key, int flags, ...);
int rm_HashGet(RedisModuleKey *key, int flags, ...);
int rm_StreamAdd(RedisModuleKey *key, int flags, RedisModuleStreamID *id, RedisModuleString **argv, int64_t numfields);
int rm_StreamDelete(RedisModuleKey *key, RedisModuleStreamID *id);
int rm_StreamIteratorStart(RedisModuleKey *key, int flags, RedisModuleStreamID *startid, RedisModuleStreamID *endid);
int rm_StreamIteratorStop(RedisModuleKey *key);
int rm_StreamIteratorNextID(RedisModuleKey *key, RedisModuleStreamID *id, long *numfields);
int rm_StreamIteratorNextField(RedisModuleKey *key, RedisModuleString **field_ptr, RedisModuleString **value_ptr);
int rm_StreamIteratorDelete(RedisModuleKey *key);
long long rm_StreamTrimByLength(RedisModuleKey *key, int flags, long long length);
long long rm_StreamTrimByID(RedisModuleKey *key, int flags, RedisModuleStreamID *id);
RedisModuleString *rm_CreateStringFromStreamID(RedisModuleCtx *ctx, const RedisModuleStreamID *id);
int rm_StringToStreamID(const RedisModuleString *str, RedisModuleStreamID *id);

int rm_IsKeysPositionRequest(RedisModuleCtx *ctx);
void rm_KeyAtPos(RedisModuleCtx *ctx, int pos);
void rm_KeyAtPosWithFlags(RedisModuleCtx *ctx, int pos, int flags);
int rm_GetContextFlags(RedisModuleCtx *ctx);
unsigned long long rm_DbSize(RedisModuleCtx *ctx);
int rm_ReplicateVerbatim(RedisModuleCtx *ctx);
int rm_GetContextFlagsAll(void);
int rm_AvoidReplicaTraffic(void);
uint64_t rm_MonotonicMicroseconds(void);
RedisModuleString *rm_RandomKey(RedisModuleCtx *ctx);
int rm_SignalModifiedKey(RedisModuleCtx *ctx, RedisModuleString *keyname);
void rm_GetRandomBytes(unsigned char *dst, size_t len);
void rm_GetRandomHexChars(char *dst, size_t len);
mstime_t rm_GetAbsExpire(RedisModuleKey *key);
int rm_SetAbsExpire(RedisModuleKey *key, mstime_t expire);
RedisModuleTimerID rm_CreateTimer(RedisModuleCtx *ctx, mstime_t period, RedisModuleTimerProc callback, void *data);
int rm_StopTimer(RedisModuleCtx *ctx, RedisModuleTimerID id, void **data);
int rm_GetTimerInfo(RedisModuleCtx *ctx, RedisModuleTimerID id, uint64_t *remaining, void **data);
RedisModuleDict *rm_CreateDict(RedisModuleCtx *ctx);
void rm_FreeDict(RedisModuleCtx *ctx, RedisModuleDict *d);
uint64_t rm_DictSize(RedisModuleDict *d);
int rm_DictSetC(RedisModuleDict *d, void *key, size_t keylen, void *ptr);
int rm_DictReplaceC(RedisModuleDict *d, void *key, size_t keylen, void *ptr);
int rm_DictSet(RedisModuleDict *d, RedisModuleString *key, void *ptr);
int rm_DictReplace(RedisModuleDict *d, RedisModuleString *key, void *ptr);
void *rm_DictGetC(RedisModuleDict *d, void *key, size_t keylen, int *nokey);
void *rm_DictGet(RedisModuleDict *d, RedisModuleString *key, int *nokey);
int rm_DictDelC(RedisModuleDict *d, void *key, size_t keylen, void *oldval);
int rm_DictDel(RedisModuleDict *d, RedisModuleString *key, void *oldval);
RedisModuleDictIter *rm_DictIteratorStartC(RedisModuleDict *d, const char *op, void *key, size_t keylen);
RedisModuleDictIter *rm_DictIteratorStart(RedisModuleDict *d, const char *op, RedisModuleString *key);
void rm_DictIteratorStop(RedisModuleDictIter *di);
int rm_DictIteratorReseekC(RedisModuleDictIter *di, const char *op, void *key, size_t keylen);
int rm_DictIteratorReseek(RedisModuleDictIter *di, const char *op, RedisModuleString *key);
void *rm_DictNextC(RedisModuleDictIter *di, size_t *keylen, void **dataptr);
void *rm_DictPrevC(RedisModuleDictIter *di, size_t *keylen, void **dataptr);
RedisModuleString *rm_DictNext(RedisModuleCtx *ctx, RedisModuleDictIter *di, void **dataptr);
RedisModuleString *rm_DictPrev(RedisModuleCtx *ctx, RedisModuleDictIter *di, void **dataptr);
int rm_DictCompareC(RedisModuleDictIter *di, const char *op, void *key, size_t keylen);
int rm_DictCompare(RedisModuleDictIter *di, const char *op, RedisModuleString *key);
RedisModuleBlockedClient *rm_BlockClient(RedisModuleCtx *ctx, RedisModuleCmdFunc reply_callback, RedisModuleCmdFunc timeout_callback, void (*free_privdata)(RedisModuleCtx *, void *), long long timeout_ms);
int rm_UnblockClient(RedisModuleBlockedClient *bc, void *privdata);
RedisModuleBlockedClient *rm_BlockClientOnKeys(RedisModuleCtx *ctx, RedisModuleCmdFunc reply_callback, RedisModuleCmdFunc timeout_callback, void (*free_privdata)(RedisModuleCtx *, void *), long long timeout_ms, RedisModuleString **keys, int numkeys, void *privdata);
void rm_SignalKeyAsReady(RedisModuleCtx *ctx, RedisModuleString *key);
RedisModuleString *rm_GetBlockedClientReadyKey(RedisModuleCtx *ctx);
int rm_AbortBlock(RedisModuleBlockedClient *bc);
int rm_IsBlockedReplyRequest(RedisModuleCtx *ctx);
int rm_IsBlockedTimeoutRequest(RedisModuleCtx *ctx);
int rm_BlockedClientDisconnected(RedisModuleCtx *ctx);
void *rm_GetBlockedClientPrivateData(RedisModuleCtx *ctx);
RedisModuleCtx *rm_GetThreadSafeContext(RedisModuleBlockedClient *bc);
RedisModuleCtx *rm_GetDetachedThreadSafeContext(RedisModuleCtx *ctx);
void rm_FreeThreadSafeContext(RedisModuleCtx *ctx);
void rm_ThreadSafeContextLock(RedisModuleCtx *ctx);
int rm_ThreadSafeContextTryLock(RedisModuleCtx *ctx);
void rm_ThreadSafeContextUnlock(RedisModuleCtx *ctx);
RedisModuleType *rm_CreateDataType(RedisModuleCtx *ctx, const char *name, int encver, RedisModuleTypeMethods *typemethods);
int rm_ModuleTypeSetValue(RedisModuleKey *key, RedisModuleType *mt, void *value);
int rm_ModuleTypeReplaceValue(RedisModuleKey *key, RedisModuleType *mt, void *new_value, void **old_value);
RedisModuleType *rm_ModuleTypeGetType(RedisModuleKey *key);
void *rm_ModuleTypeGetValue(RedisModuleKey *key);
int rm_GetTypeMethodVersion(void);
int rm_IsIOError(RedisModuleIO *io);
void rm_SaveUnsigned(RedisModuleIO *io, uint64_t value);
uint64_t rm_LoadUnsigned(RedisModuleIO *io);
void rm_SaveSigned(RedisModuleIO *io, int64_t value);
int64_t rm_LoadSigned(RedisModuleIO *io);
void rm_SaveString(RedisModuleIO *io, RedisModuleString *s);
void rm_SaveStringBuffer(RedisModuleIO *io, const char *str, size_t len);
RedisModuleString *rm_LoadString(RedisModuleIO *io);
char *rm_LoadStringBuffer(RedisModuleIO *io, size_t *lenptr);
void rm_SaveDouble(RedisModuleIO *io, double value);
double rm_LoadDouble(RedisModuleIO *io);
void rm_SaveFloat(RedisModuleIO *io, float value);
float rm_LoadFloat(RedisModuleIO *io);
void rm_EmitAOF(RedisModuleIO *io, const char *cmdname, const char *fmt, ...);
void rm_LogIOError(RedisModuleIO *io, const char *levelstr, const char *fmt, ...);
RedisModuleCtx *rm_GetContextFromIO(RedisModuleIO *io);
const RedisModuleString *rm_GetKeyNameFromIO(RedisModuleIO *io);
int rm_GetDbIdFromIO(RedisModuleIO *io);
const RedisModuleString *rm_GetKeyNameFromOptCtx(RedisModuleKeyOptCtx *ctx);
const RedisModuleString *rm_GetToKeyNameFromOptCtx(RedisModuleKeyOptCtx *ctx);
int rm_GetDbIdFromOptCtx(RedisModuleKeyOptCtx *ctx);
int rm_GetToDbIdFromOptCtx(RedisModuleKeyOptCtx *ctx);
const RedisModuleString *rm_GetKeyNameFromDigest(RedisModuleDigest *dig);
int rm_GetDbIdFromDigest(RedisModuleDigest *dig);
void rm_DigestAddStringBuffer(RedisModuleDigest *md, const char *ele, size_t len);
void rm_DigestAddLongLong(RedisModuleDigest *md, long long ele);
void rm_DigestEndSequence(RedisModuleDigest *md);
int rm_SubscribeToKeyspaceEvents(RedisModuleCtx *ctx, int types, RedisModuleNotificationFunc cb);
int rm_NotifyKeyspaceEvent(RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key);
int rm_GetNotifyKeyspaceEvents(void);
int rm_GetKeyspaceNotificationFlagsAll(void);
int rm_PublishMessage(RedisModuleCtx *ctx, RedisModuleString *channel, RedisModuleString *message);
int rm_RegisterInfoFunc(RedisModuleCtx *ctx, RedisModuleInfoFunc cb);
int rm_InfoAddSection(RedisModuleInfoCtx *ctx, const char *name);
int rm_InfoBeginDictField(RedisModuleInfoCtx *ctx, const char *name);
int rm_InfoEndDictField(RedisModuleInfoCtx *ctx);
int rm_InfoAddFieldString(RedisModuleInfoCtx *ctx, const char *field, RedisModuleString *value);
int rm_InfoAddFieldCString(RedisModuleInfoCtx *ctx, const char *field, const char *value);
int rm_InfoAddFieldDouble(RedisModuleInfoCtx *ctx, const char *field, double value);
int rm_InfoAddFieldLongLong(RedisModuleInfoCtx *ctx, const char *field, long long value);
int rm_InfoAddFieldULongLong(RedisModuleInfoCtx *ctx, const char *field, unsigned long long value);
int rm_ExportSharedAPI(RedisModuleCtx *ctx, const char *apiname, void *func);
void *rm_GetSharedAPI(RedisModuleCtx *ctx, const char *apiname);
RedisModuleString *rm_GetClientNameById(RedisModuleCtx *ctx, uint64_t id);
int rm_RegisterStringConfig(RedisModuleCtx *ctx, const char *name, const char *default_val, unsigned int flags, RedisModuleConfigGetStringFunc getfn, RedisModuleConfigSetStringFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata);
int rm_RegisterBoolConfig(RedisModuleCtx *ctx, const char *name, int default_val, unsigned int flags, RedisModuleConfigGetBoolFunc getfn, RedisModuleConfigSetBoolFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata);
int rm_RegisterNumericConfig(RedisModuleCtx *ctx, const char *name, long long default_val, unsigned int flags, long long min, long long max, RedisModuleConfigGetNumericFunc getfn, RedisModuleConfigSetNumericFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata);
int rm_RegisterEnumConfig(RedisModuleCtx *ctx, const char *name, int default_val, unsigned int flags, const char **enum_values, const int *int_values, int num_enum_vals, RedisModuleConfigGetEnumFunc getfn, RedisModuleConfigSetEnumFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata);
int rm_LoadConfigs(RedisModuleCtx *ctx);
RedisModuleServerInfoData *rm_GetServerInfo(RedisModuleCtx *ctx, const char *section);
void rm_FreeServerInfo(RedisModuleCtx *ctx, RedisModuleServerInfoData *data);
RedisModuleString *rm_ServerInfoGetField(RedisModuleCtx *ctx, RedisModuleServerInfoData *data, const char *field);
const char *rm_ServerInfoGetFieldC(RedisModuleServerInfoData *data, const char *field);
long long rm_ServerInfoGetFieldSigned(RedisModuleServerInfoData *data, const char *field, int *out_err);
unsigned long long rm_ServerInfoGetFieldUnsigned(RedisModuleServerInfoData *data, const char *field, int *out_err);
double rm_ServerInfoGetFieldDouble(RedisModuleServerInfoData *data, const char *field, int *out_err);
RedisModuleScanCursor *rm_ScanCursorCreate(void);
void rm_ScanCursorRestart(RedisModuleScanCursor *cursor);
void rm_ScanCursorDestroy(RedisModuleScanCursor *cursor);
int rm_Scan(RedisModuleCtx *ctx, RedisModuleScanCursor *cursor, RedisModuleScanCB fn, void *privdata);
int *rm_GetCommandKeysWithFlags(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int *num_keys, int **out_flags);
int *rm_GetCommandKeys(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int *num_keys);
int rm_SubscribeToServerEvent(RedisModuleCtx *ctx, RedisModuleEvent event, RedisModuleEventCallback callback);
int rm_IsSubEventSupported(RedisModuleEvent event, uint64_t subevent);
int rm_GetClientInfoById(void *ci, uint64_t id);
RedisModuleCommandFilter *rm_RegisterCommandFilter(RedisModuleCtx *ctx, RedisModuleCommandFilterFunc cb, int flags);
int rm_UnregisterCommandFilter(RedisModuleCtx *ctx, RedisModuleCommandFilter *filter);
int rm_CommandFilterArgsCount(RedisModuleCommandFilterCtx *fctx);
RedisModuleString *rm_CommandFilterArgGet(RedisModuleCommandFilterCtx *fctx, int pos);
int rm_CommandFilterArgInsert(RedisModuleCommandFilterCtx *fctx, int pos, RedisModuleString *arg);
int rm_CommandFilterArgReplace(RedisModuleCommandFilterCtx *fctx, int pos, RedisModuleString *arg);
int rm_CommandFilterArgDelete(RedisModuleCommandFilterCtx *fctx, int pos);
void rm_Log(RedisModuleCtx *ctx, const char *level, const char *fmt, ...);
long long rm_Milliseconds(void);
unsigned long long rm_GetClientId(RedisModuleCtx *ctx);
int rm_GetServerVersion(void);

/* api_extra.c */
int rm_StringToLongDouble(const RedisModuleString *str, long double *d);
RedisModuleString *rm_CreateStringFromLongDouble(RedisModuleCtx *ctx, long double ld, int humanfriendly);
int rm_ReplyWithLongDouble(RedisModuleCtx *ctx, long double d);
void rm_SaveLongDouble(RedisModuleIO *io, long double value);
long double rm_LoadLongDouble(RedisModuleIO *io);
RedisModuleString *rm_SaveDataTypeToString(RedisModuleCtx *ctx, void *data, const RedisModuleType *mt);
void *rm_LoadDataTypeFromString(const RedisModuleString *str, const RedisModuleType *mt);
void *rm_LoadDataTypeFromStringEncver(const RedisModuleString *str, const RedisModuleType *mt, int encver);
int rm_SetClientNameById(uint64_t id, RedisModuleString *name);
void rm_ResetDataset(int restart_aof, int async);
RedisModuleBlockedClient *rm_GetBlockedClientHandle(RedisModuleCtx *ctx);
void rm_SetDisconnectCallback(RedisModuleBlockedClient *bc, RedisModuleDisconnectFunc callback);

/* ACL: module users, checks, authentication (api_acl.c). A
 * RedisModuleUser holds a handle to the engine's *module.User. */
struct RedisModuleUser {
    uintptr_t h;
};
RedisModuleUser *rm_CreateModuleUser(const char *name);
int rm_FreeModuleUser(RedisModuleUser *user);
int rm_SetModuleUserACL(RedisModuleUser *user, const char *acl);
int rm_SetModuleUserACLString(RedisModuleCtx *ctx, RedisModuleUser *user, const char *acl, RedisModuleString **error);
RedisModuleString *rm_GetModuleUserACLString(RedisModuleUser *user);
RedisModuleString *rm_GetCurrentUserName(RedisModuleCtx *ctx);
RedisModuleUser *rm_GetModuleUserFromUserName(RedisModuleString *name);
int rm_ACLCheckCommandPermissions(RedisModuleUser *user, RedisModuleString **argv, int argc);
int rm_ACLCheckKeyPermissions(RedisModuleUser *user, RedisModuleString *key, int flags);
int rm_ACLCheckChannelPermissions(RedisModuleUser *user, RedisModuleString *ch, int flags);
void rm_ACLAddLogEntry(RedisModuleCtx *ctx, RedisModuleUser *user, RedisModuleString *object, RedisModuleACLLogEntryReason reason);
int rm_AuthenticateClientWithUser(RedisModuleCtx *ctx, RedisModuleUser *user, RedisModuleUserChangedFunc callback, void *privdata, uint64_t *client_id);
int rm_AuthenticateClientWithACLUser(RedisModuleCtx *ctx, const char *name, size_t len, RedisModuleUserChangedFunc callback, void *privdata, uint64_t *client_id);
int rm_DeauthenticateAndCloseClient(RedisModuleCtx *ctx, uint64_t client_id);
RedisModuleString *rm_GetClientUserNameById(RedisModuleCtx *ctx, uint64_t id);
void rm_SetContextUser(RedisModuleCtx *ctx, const RedisModuleUser *user);
void rmb_call_userchanged(void *fn, uint64_t client_id, void *privdata);

/* Fork children (api_fork.c). */
extern int rmb_in_fork_child;
void rmb_child_module_log(RedisModuleCtx *ctx, const char *levelstr, const char *msg);

#endif
