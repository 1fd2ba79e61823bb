//go:build cgo

package cabi

/*
#include "bridge.h"

// cgo cannot name variadic C functions: hand out their addresses.
static void *rmb_fn_CreateStringPrintf(void) { return (void *)rm_CreateStringPrintf; }
static void *rmb_fn_Call(void) { return (void *)rm_Call; }
static void *rmb_fn_Log(void) { return (void *)rm_Log; }
static void *rmb_fn_Replicate(void) { return (void *)rm_Replicate; }
static void *rmb_fn_EmitAOF(void) { return (void *)rm_EmitAOF; }
static void *rmb_fn_LogIOError(void) { return (void *)rm_LogIOError; }
static void *rmb_fn_HashSet(void) { return (void *)rm_HashSet; }
static void *rmb_fn_HashGet(void) { return (void *)rm_HashGet; }
// nor functions with a long double in their type.
static void *rmb_fn_StringToLongDouble(void) { return (void *)rm_StringToLongDouble; }
static void *rmb_fn_CreateStringFromLongDouble(void) { return (void *)rm_CreateStringFromLongDouble; }
static void *rmb_fn_ReplyWithLongDouble(void) { return (void *)rm_ReplyWithLongDouble; }
static void *rmb_fn_SaveLongDouble(void) { return (void *)rm_SaveLongDouble; }
static void *rmb_fn_LoadLongDouble(void) { return (void *)rm_LoadLongDouble; }
*/
import "C"

import (
	"sync"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// The bridge's API table (our moduleRegisterCoreAPI): every name the
// bridge implements with a C function, grouped like module.c. GetApi
// serves a name only if it is here AND the engine registry lists it (or it
// is bridge-native, below), so a module never gets a pointer to an API
// the engine lacks.
var bridgeAPI = []struct {
	name string
	fn   unsafe.Pointer
}{
	// Memory allocation (bridge-native: the C allocator).
	{"RedisModule_Alloc", C.rm_Alloc},
	{"RedisModule_TryAlloc", C.rm_TryAlloc},
	{"RedisModule_Calloc", C.rm_Calloc},
	{"RedisModule_Realloc", C.rm_Realloc},
	{"RedisModule_Free", C.rm_Free},
	{"RedisModule_Strdup", C.rm_Strdup},
	{"RedisModule_PoolAlloc", C.rm_PoolAlloc},

	// Module registration.
	{"RedisModule_SetModuleAttribs", C.rm_SetModuleAttribs},
	{"RedisModule_IsModuleNameBusy", C.rm_IsModuleNameBusy},
	{"RedisModule_AutoMemory", C.rm_AutoMemory},
	{"RedisModule_SetModuleOptions", C.rm_SetModuleOptions},

	// Commands.
	{"RedisModule_CreateCommand", C.rm_CreateCommand},
	{"RedisModule_GetCommand", C.rm_GetCommand},
	{"RedisModule_CreateSubcommand", C.rm_CreateSubcommand},
	{"RedisModule_SetCommandInfo", C.rm_SetCommandInfo},
	{"RedisModule_GetCurrentCommandName", C.rm_GetCurrentCommandName},
	{"RedisModule_IsKeysPositionRequest", C.rm_IsKeysPositionRequest},
	{"RedisModule_KeyAtPos", C.rm_KeyAtPos},
	{"RedisModule_KeyAtPosWithFlags", C.rm_KeyAtPosWithFlags},

	// Replies.
	{"RedisModule_WrongArity", C.rm_WrongArity},
	{"RedisModule_ReplyWithLongLong", C.rm_ReplyWithLongLong},
	{"RedisModule_ReplyWithError", C.rm_ReplyWithError},
	{"RedisModule_ReplyWithSimpleString", C.rm_ReplyWithSimpleString},
	{"RedisModule_ReplyWithArray", C.rm_ReplyWithArray},
	{"RedisModule_ReplyWithMap", C.rm_ReplyWithMap},
	{"RedisModule_ReplyWithSet", C.rm_ReplyWithSet},
	{"RedisModule_ReplyWithAttribute", C.rm_ReplyWithAttribute},
	{"RedisModule_ReplyWithNullArray", C.rm_ReplyWithNullArray},
	{"RedisModule_ReplyWithEmptyArray", C.rm_ReplyWithEmptyArray},
	{"RedisModule_ReplySetArrayLength", C.rm_ReplySetArrayLength},
	{"RedisModule_ReplySetMapLength", C.rm_ReplySetMapLength},
	{"RedisModule_ReplySetSetLength", C.rm_ReplySetSetLength},
	{"RedisModule_ReplySetAttributeLength", C.rm_ReplySetAttributeLength},
	{"RedisModule_ReplyWithString", C.rm_ReplyWithString},
	{"RedisModule_ReplyWithEmptyString", C.rm_ReplyWithEmptyString},
	{"RedisModule_ReplyWithVerbatimString", C.rm_ReplyWithVerbatimString},
	{"RedisModule_ReplyWithVerbatimStringType", C.rm_ReplyWithVerbatimStringType},
	{"RedisModule_ReplyWithStringBuffer", C.rm_ReplyWithStringBuffer},
	{"RedisModule_ReplyWithCString", C.rm_ReplyWithCString},
	{"RedisModule_ReplyWithNull", C.rm_ReplyWithNull},
	{"RedisModule_ReplyWithBool", C.rm_ReplyWithBool},
	{"RedisModule_ReplyWithCallReply", C.rm_ReplyWithCallReply},
	{"RedisModule_ReplyWithDouble", C.rm_ReplyWithDouble},
	{"RedisModule_ReplyWithBigNumber", C.rm_ReplyWithBigNumber},

	// Strings.
	{"RedisModule_CreateString", C.rm_CreateString},
	{"RedisModule_CreateStringFromLongLong", C.rm_CreateStringFromLongLong},
	{"RedisModule_CreateStringFromULongLong", C.rm_CreateStringFromULongLong},
	{"RedisModule_CreateStringFromDouble", C.rm_CreateStringFromDouble},
	{"RedisModule_CreateStringFromString", C.rm_CreateStringFromString},
	{"RedisModule_CreateStringPrintf", C.rmb_fn_CreateStringPrintf()},
	{"RedisModule_FreeString", C.rm_FreeString},
	{"RedisModule_RetainString", C.rm_RetainString},
	{"RedisModule_HoldString", C.rm_HoldString},
	{"RedisModule_StringPtrLen", C.rm_StringPtrLen},
	{"RedisModule_StringToLongLong", C.rm_StringToLongLong},
	{"RedisModule_StringToULongLong", C.rm_StringToULongLong},
	{"RedisModule_StringToDouble", C.rm_StringToDouble},
	{"RedisModule_StringCompare", C.rm_StringCompare},
	{"RedisModule_StringAppendBuffer", C.rm_StringAppendBuffer},
	{"RedisModule_TrimStringAllocation", C.rm_TrimStringAllocation},

	// Call and call replies.
	{"RedisModule_Call", C.rmb_fn_Call()},
	{"RedisModule_CallReplyProto", C.rm_CallReplyProto},
	{"RedisModule_FreeCallReply", C.rm_FreeCallReply},
	{"RedisModule_CallReplyType", C.rm_CallReplyType},
	{"RedisModule_CallReplyLength", C.rm_CallReplyLength},
	{"RedisModule_CallReplyInteger", C.rm_CallReplyInteger},
	{"RedisModule_CallReplyDouble", C.rm_CallReplyDouble},
	{"RedisModule_CallReplyBool", C.rm_CallReplyBool},
	{"RedisModule_CallReplyBigNumber", C.rm_CallReplyBigNumber},
	{"RedisModule_CallReplyVerbatim", C.rm_CallReplyVerbatim},
	{"RedisModule_CallReplyStringPtr", C.rm_CallReplyStringPtr},
	{"RedisModule_CallReplyArrayElement", C.rm_CallReplyArrayElement},
	{"RedisModule_CallReplySetElement", C.rm_CallReplySetElement},
	{"RedisModule_CallReplyMapElement", C.rm_CallReplyMapElement},
	{"RedisModule_CreateStringFromCallReply", C.rm_CreateStringFromCallReply},
	{"RedisModule_CallReplyAttribute", C.rm_CallReplyAttribute},
	{"RedisModule_CallReplyAttributeElement", C.rm_CallReplyAttributeElement},
	{"RedisModule_Replicate", C.rmb_fn_Replicate()},

	// Keys.
	{"RedisModule_GetSelectedDb", C.rm_GetSelectedDb},
	{"RedisModule_SelectDb", C.rm_SelectDb},
	{"RedisModule_KeyExists", C.rm_KeyExists},
	{"RedisModule_OpenKey", C.rm_OpenKey},
	{"RedisModule_CloseKey", C.rm_CloseKey},
	{"RedisModule_KeyType", C.rm_KeyType},
	{"RedisModule_ValueLength", C.rm_ValueLength},
	{"RedisModule_DeleteKey", C.rm_DeleteKey},
	{"RedisModule_UnlinkKey", C.rm_UnlinkKey},
	{"RedisModule_GetExpire", C.rm_GetExpire},
	{"RedisModule_GetAbsExpire", C.rm_GetAbsExpire},
	{"RedisModule_SetAbsExpire", C.rm_SetAbsExpire},
	{"RedisModule_DbSize", C.rm_DbSize},
	{"RedisModule_RandomKey", C.rm_RandomKey},
	{"RedisModule_SignalModifiedKey", C.rm_SignalModifiedKey},
	{"RedisModule_ReplicateVerbatim", C.rm_ReplicateVerbatim},
	{"RedisModule_SetExpire", C.rm_SetExpire},
	{"RedisModule_GetKeyNameFromModuleKey", C.rm_GetKeyNameFromModuleKey},
	{"RedisModule_GetDbIdFromModuleKey", C.rm_GetDbIdFromModuleKey},
	{"RedisModule_StringSet", C.rm_StringSet},
	{"RedisModule_StringDMA", C.rm_StringDMA},
	{"RedisModule_StringTruncate", C.rm_StringTruncate},
	{"RedisModule_HashSet", C.rmb_fn_HashSet()},
	{"RedisModule_HashGet", C.rmb_fn_HashGet()},

	// Lists.
	{"RedisModule_ListPush", C.rm_ListPush},
	{"RedisModule_ListPop", C.rm_ListPop},
	{"RedisModule_ListGet", C.rm_ListGet},
	{"RedisModule_ListSet", C.rm_ListSet},
	{"RedisModule_ListInsert", C.rm_ListInsert},
	{"RedisModule_ListDelete", C.rm_ListDelete},

	// Sorted set keys (api_zset.go).
	{"RedisModule_ZsetAdd", C.rm_ZsetAdd},
	{"RedisModule_ZsetIncrby", C.rm_ZsetIncrby},
	{"RedisModule_ZsetRem", C.rm_ZsetRem},
	{"RedisModule_ZsetScore", C.rm_ZsetScore},
	{"RedisModule_ZsetRangeStop", C.rm_ZsetRangeStop},
	{"RedisModule_ZsetFirstInScoreRange", C.rm_ZsetFirstInScoreRange},
	{"RedisModule_ZsetLastInScoreRange", C.rm_ZsetLastInScoreRange},
	{"RedisModule_ZsetFirstInLexRange", C.rm_ZsetFirstInLexRange},
	{"RedisModule_ZsetLastInLexRange", C.rm_ZsetLastInLexRange},
	{"RedisModule_ZsetRangeCurrentElement", C.rm_ZsetRangeCurrentElement},
	{"RedisModule_ZsetRangeNext", C.rm_ZsetRangeNext},
	{"RedisModule_ZsetRangePrev", C.rm_ZsetRangePrev},
	{"RedisModule_ZsetRangeEndReached", C.rm_ZsetRangeEndReached},

	// Streams.
	{"RedisModule_StreamAdd", C.rm_StreamAdd},
	{"RedisModule_StreamDelete", C.rm_StreamDelete},
	{"RedisModule_StreamIteratorStart", C.rm_StreamIteratorStart},
	{"RedisModule_StreamIteratorStop", C.rm_StreamIteratorStop},
	{"RedisModule_StreamIteratorNextID", C.rm_StreamIteratorNextID},
	{"RedisModule_StreamIteratorNextField", C.rm_StreamIteratorNextField},
	{"RedisModule_StreamIteratorDelete", C.rm_StreamIteratorDelete},
	{"RedisModule_StreamTrimByLength", C.rm_StreamTrimByLength},
	{"RedisModule_StreamTrimByID", C.rm_StreamTrimByID},
	{"RedisModule_CreateStringFromStreamID", C.rm_CreateStringFromStreamID},
	{"RedisModule_StringToStreamID", C.rm_StringToStreamID},

	// Dictionaries.
	{"RedisModule_CreateDict", C.rm_CreateDict},
	{"RedisModule_FreeDict", C.rm_FreeDict},
	{"RedisModule_DictSize", C.rm_DictSize},
	{"RedisModule_DictSetC", C.rm_DictSetC},
	{"RedisModule_DictReplaceC", C.rm_DictReplaceC},
	{"RedisModule_DictSet", C.rm_DictSet},
	{"RedisModule_DictReplace", C.rm_DictReplace},
	{"RedisModule_DictGetC", C.rm_DictGetC},
	{"RedisModule_DictGet", C.rm_DictGet},
	{"RedisModule_DictDelC", C.rm_DictDelC},
	{"RedisModule_DictDel", C.rm_DictDel},
	{"RedisModule_DictIteratorStartC", C.rm_DictIteratorStartC},
	{"RedisModule_DictIteratorStart", C.rm_DictIteratorStart},
	{"RedisModule_DictIteratorStop", C.rm_DictIteratorStop},
	{"RedisModule_DictIteratorReseekC", C.rm_DictIteratorReseekC},
	{"RedisModule_DictIteratorReseek", C.rm_DictIteratorReseek},
	{"RedisModule_DictNextC", C.rm_DictNextC},
	{"RedisModule_DictPrevC", C.rm_DictPrevC},
	{"RedisModule_DictNext", C.rm_DictNext},
	{"RedisModule_DictPrev", C.rm_DictPrev},
	{"RedisModule_DictCompareC", C.rm_DictCompareC},
	{"RedisModule_DictCompare", C.rm_DictCompare},

	// Blocking clients and thread-safe contexts.
	{"RedisModule_BlockClient", C.rm_BlockClient},
	{"RedisModule_UnblockClient", C.rm_UnblockClient},
	{"RedisModule_BlockClientOnKeys", C.rm_BlockClientOnKeys},
	{"RedisModule_SignalKeyAsReady", C.rm_SignalKeyAsReady},
	{"RedisModule_GetBlockedClientReadyKey", C.rm_GetBlockedClientReadyKey},
	{"RedisModule_AbortBlock", C.rm_AbortBlock},
	{"RedisModule_IsBlockedReplyRequest", C.rm_IsBlockedReplyRequest},
	{"RedisModule_IsBlockedTimeoutRequest", C.rm_IsBlockedTimeoutRequest},
	{"RedisModule_BlockedClientDisconnected", C.rm_BlockedClientDisconnected},
	{"RedisModule_GetBlockedClientPrivateData", C.rm_GetBlockedClientPrivateData},
	{"RedisModule_GetThreadSafeContext", C.rm_GetThreadSafeContext},
	{"RedisModule_GetDetachedThreadSafeContext", C.rm_GetDetachedThreadSafeContext},
	{"RedisModule_FreeThreadSafeContext", C.rm_FreeThreadSafeContext},
	{"RedisModule_ThreadSafeContextLock", C.rm_ThreadSafeContextLock},
	{"RedisModule_ThreadSafeContextTryLock", C.rm_ThreadSafeContextTryLock},
	{"RedisModule_ThreadSafeContextUnlock", C.rm_ThreadSafeContextUnlock},

	// Module data types (version-1 methods).
	{"RedisModule_CreateDataType", C.rm_CreateDataType},
	{"RedisModule_ModuleTypeSetValue", C.rm_ModuleTypeSetValue},
	{"RedisModule_ModuleTypeReplaceValue", C.rm_ModuleTypeReplaceValue},
	{"RedisModule_ModuleTypeGetType", C.rm_ModuleTypeGetType},
	{"RedisModule_ModuleTypeGetValue", C.rm_ModuleTypeGetValue},
	{"RedisModule_GetTypeMethodVersion", C.rm_GetTypeMethodVersion},

	// RDB/AOF IO and digest.
	{"RedisModule_IsIOError", C.rm_IsIOError},
	{"RedisModule_SaveUnsigned", C.rm_SaveUnsigned},
	{"RedisModule_LoadUnsigned", C.rm_LoadUnsigned},
	{"RedisModule_SaveSigned", C.rm_SaveSigned},
	{"RedisModule_LoadSigned", C.rm_LoadSigned},
	{"RedisModule_SaveString", C.rm_SaveString},
	{"RedisModule_SaveStringBuffer", C.rm_SaveStringBuffer},
	{"RedisModule_LoadString", C.rm_LoadString},
	{"RedisModule_LoadStringBuffer", C.rm_LoadStringBuffer},
	{"RedisModule_SaveDouble", C.rm_SaveDouble},
	{"RedisModule_LoadDouble", C.rm_LoadDouble},
	{"RedisModule_SaveFloat", C.rm_SaveFloat},
	{"RedisModule_LoadFloat", C.rm_LoadFloat},
	{"RedisModule_GetContextFromIO", C.rm_GetContextFromIO},
	{"RedisModule_GetKeyNameFromIO", C.rm_GetKeyNameFromIO},
	{"RedisModule_GetDbIdFromIO", C.rm_GetDbIdFromIO},
	{"RedisModule_GetKeyNameFromOptCtx", C.rm_GetKeyNameFromOptCtx},
	{"RedisModule_GetToKeyNameFromOptCtx", C.rm_GetToKeyNameFromOptCtx},
	{"RedisModule_GetDbIdFromOptCtx", C.rm_GetDbIdFromOptCtx},
	{"RedisModule_GetToDbIdFromOptCtx", C.rm_GetToDbIdFromOptCtx},
	{"RedisModule_GetKeyNameFromDigest", C.rm_GetKeyNameFromDigest},
	{"RedisModule_GetDbIdFromDigest", C.rm_GetDbIdFromDigest},
	{"RedisModule_DigestAddStringBuffer", C.rm_DigestAddStringBuffer},
	{"RedisModule_DigestAddLongLong", C.rm_DigestAddLongLong},
	{"RedisModule_DigestEndSequence", C.rm_DigestEndSequence},
	{"RedisModule_EmitAOF", C.rmb_fn_EmitAOF()},
	{"RedisModule_LogIOError", C.rmb_fn_LogIOError()},

	// Keyspace notifications and pub/sub.
	{"RedisModule_SubscribeToKeyspaceEvents", C.rm_SubscribeToKeyspaceEvents},
	{"RedisModule_NotifyKeyspaceEvent", C.rm_NotifyKeyspaceEvent},
	{"RedisModule_GetNotifyKeyspaceEvents", C.rm_GetNotifyKeyspaceEvents},
	{"RedisModule_GetKeyspaceNotificationFlagsAll", C.rm_GetKeyspaceNotificationFlagsAll},
	{"RedisModule_PublishMessage", C.rm_PublishMessage},

	// Module configs.
	{"RedisModule_RegisterStringConfig", C.rm_RegisterStringConfig},
	{"RedisModule_RegisterBoolConfig", C.rm_RegisterBoolConfig},
	{"RedisModule_RegisterNumericConfig", C.rm_RegisterNumericConfig},
	{"RedisModule_RegisterEnumConfig", C.rm_RegisterEnumConfig},
	{"RedisModule_LoadConfigs", C.rm_LoadConfigs},

	// INFO.
	{"RedisModule_RegisterInfoFunc", C.rm_RegisterInfoFunc},
	{"RedisModule_InfoAddSection", C.rm_InfoAddSection},
	{"RedisModule_InfoBeginDictField", C.rm_InfoBeginDictField},
	{"RedisModule_InfoEndDictField", C.rm_InfoEndDictField},
	{"RedisModule_InfoAddFieldString", C.rm_InfoAddFieldString},
	{"RedisModule_InfoAddFieldCString", C.rm_InfoAddFieldCString},
	{"RedisModule_InfoAddFieldDouble", C.rm_InfoAddFieldDouble},
	{"RedisModule_InfoAddFieldLongLong", C.rm_InfoAddFieldLongLong},
	{"RedisModule_InfoAddFieldULongLong", C.rm_InfoAddFieldULongLong},

	// Server info.
	{"RedisModule_GetServerInfo", C.rm_GetServerInfo},
	{"RedisModule_FreeServerInfo", C.rm_FreeServerInfo},
	{"RedisModule_ServerInfoGetField", C.rm_ServerInfoGetField},
	{"RedisModule_ServerInfoGetFieldC", C.rm_ServerInfoGetFieldC},
	{"RedisModule_ServerInfoGetFieldSigned", C.rm_ServerInfoGetFieldSigned},
	{"RedisModule_ServerInfoGetFieldUnsigned", C.rm_ServerInfoGetFieldUnsigned},
	{"RedisModule_ServerInfoGetFieldDouble", C.rm_ServerInfoGetFieldDouble},

	// Scan and command keys.
	{"RedisModule_ScanCursorCreate", C.rm_ScanCursorCreate},
	{"RedisModule_ScanCursorRestart", C.rm_ScanCursorRestart},
	{"RedisModule_ScanCursorDestroy", C.rm_ScanCursorDestroy},
	{"RedisModule_Scan", C.rm_Scan},
	{"RedisModule_GetCommandKeys", C.rm_GetCommandKeys},
	{"RedisModule_GetCommandKeysWithFlags", C.rm_GetCommandKeysWithFlags},

	// Server events and client info.
	{"RedisModule_SubscribeToServerEvent", C.rm_SubscribeToServerEvent},
	{"RedisModule_IsSubEventSupported", C.rm_IsSubEventSupported},
	{"RedisModule_GetClientInfoById", C.rm_GetClientInfoById},

	// Command filters.
	{"RedisModule_RegisterCommandFilter", C.rm_RegisterCommandFilter},
	{"RedisModule_UnregisterCommandFilter", C.rm_UnregisterCommandFilter},
	{"RedisModule_CommandFilterArgsCount", C.rm_CommandFilterArgsCount},
	{"RedisModule_CommandFilterArgGet", C.rm_CommandFilterArgGet},
	{"RedisModule_CommandFilterArgInsert", C.rm_CommandFilterArgInsert},
	{"RedisModule_CommandFilterArgReplace", C.rm_CommandFilterArgReplace},
	{"RedisModule_CommandFilterArgDelete", C.rm_CommandFilterArgDelete},

	// Timers.
	{"RedisModule_CreateTimer", C.rm_CreateTimer},
	{"RedisModule_StopTimer", C.rm_StopTimer},
	{"RedisModule_GetTimerInfo", C.rm_GetTimerInfo},

	// Context, clients, time, logging.
	{"RedisModule_GetClientId", C.rm_GetClientId},
	{"RedisModule_GetContextFlags", C.rm_GetContextFlags},
	{"RedisModule_GetContextFlagsAll", C.rm_GetContextFlagsAll},
	{"RedisModule_AvoidReplicaTraffic", C.rm_AvoidReplicaTraffic},
	{"RedisModule_MonotonicMicroseconds", C.rm_MonotonicMicroseconds},
	{"RedisModule_GetRandomBytes", C.rm_GetRandomBytes},
	{"RedisModule_GetRandomHexChars", C.rm_GetRandomHexChars},
	{"RedisModule_Milliseconds", C.rm_Milliseconds},
	{"RedisModule_GetServerVersion", C.rm_GetServerVersion},
	{"RedisModule_Log", C.rmb_fn_Log()},
	{"RedisModule_ExportSharedAPI", C.rm_ExportSharedAPI},
	{"RedisModule_GetSharedAPI", C.rm_GetSharedAPI},
	{"RedisModule_GetClientNameById", C.rm_GetClientNameById},

	// ACL: module users, checks, authentication (api_acl.c).
	{"RedisModule_CreateModuleUser", C.rm_CreateModuleUser},
	{"RedisModule_FreeModuleUser", C.rm_FreeModuleUser},
	{"RedisModule_SetModuleUserACL", C.rm_SetModuleUserACL},
	{"RedisModule_SetModuleUserACLString", C.rm_SetModuleUserACLString},
	{"RedisModule_GetModuleUserACLString", C.rm_GetModuleUserACLString},
	{"RedisModule_GetCurrentUserName", C.rm_GetCurrentUserName},
	{"RedisModule_GetModuleUserFromUserName", C.rm_GetModuleUserFromUserName},
	{"RedisModule_ACLCheckCommandPermissions", C.rm_ACLCheckCommandPermissions},
	{"RedisModule_ACLCheckKeyPermissions", C.rm_ACLCheckKeyPermissions},
	{"RedisModule_ACLCheckChannelPermissions", C.rm_ACLCheckChannelPermissions},
	{"RedisModule_ACLAddLogEntry", C.rm_ACLAddLogEntry},
	{"RedisModule_AuthenticateClientWithUser", C.rm_AuthenticateClientWithUser},
	{"RedisModule_AuthenticateClientWithACLUser", C.rm_AuthenticateClientWithACLUser},
	{"RedisModule_DeauthenticateAndCloseClient", C.rm_DeauthenticateAndCloseClient},
	{"RedisModule_GetClientUserNameById", C.rm_GetClientUserNameById},
	{"RedisModule_SetContextUser", C.rm_SetContextUser},

	// Long doubles, values as strings, clients by id, blocked-client
	// handles (api_extra.c).
	{"RedisModule_StringToLongDouble", C.rmb_fn_StringToLongDouble()},
	{"RedisModule_CreateStringFromLongDouble", C.rmb_fn_CreateStringFromLongDouble()},
	{"RedisModule_ReplyWithLongDouble", C.rmb_fn_ReplyWithLongDouble()},
	{"RedisModule_SaveLongDouble", C.rmb_fn_SaveLongDouble()},
	{"RedisModule_LoadLongDouble", C.rmb_fn_LoadLongDouble()},
	{"RedisModule_SaveDataTypeToString", C.rm_SaveDataTypeToString},
	{"RedisModule_LoadDataTypeFromString", C.rm_LoadDataTypeFromString},
	{"RedisModule_LoadDataTypeFromStringEncver", C.rm_LoadDataTypeFromStringEncver},
	{"RedisModule_SetClientNameById", C.rm_SetClientNameById},
	{"RedisModule_ResetDataset", C.rm_ResetDataset},
	{"RedisModule_GetBlockedClientHandle", C.rm_GetBlockedClientHandle},
	{"RedisModule_SetDisconnectCallback", C.rm_SetDisconnectCallback},
}

// bridgeNative are names implemented entirely in C by the bridge, which
// the engine's registry does not list.
var bridgeNative = map[string]bool{
	"RedisModule_Alloc": true, "RedisModule_TryAlloc": true, "RedisModule_Calloc": true,
	"RedisModule_Realloc": true, "RedisModule_Free": true, "RedisModule_Strdup": true,
	"RedisModule_PoolAlloc": true,
}

var (
	apiOnce sync.Once
	apiMap  map[string]unsafe.Pointer
)

// apiTable is the name -> C function map GetApi serves.
func apiTable() map[string]unsafe.Pointer {
	apiOnce.Do(func() {
		apiMap = make(map[string]unsafe.Pointer, len(bridgeAPI))
		for _, e := range bridgeAPI {
			if bridgeNative[e.name] || module.APIImplemented(e.name) {
				apiMap[e.name] = e.fn
			}
		}
	})
	return apiMap
}

// APINames lists the API names GetApi serves to C modules.
func APINames() []string {
	t := apiTable()
	out := make([]string, 0, len(t))
	for n := range t {
		out = append(out, n)
	}
	return out
}
