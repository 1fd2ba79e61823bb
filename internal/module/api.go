package module

import "strings"

// The API registry (Redis's moduleRegisterCoreAPI): every RedisModule_*
// API the engine implements, with the engine function or method that
// implements it. The C bridge's GetApi hands out a function pointer only
// for names listed here, so a C module finds every other API NULL and can
// test for it (RMAPI_FUNC_SUPPORTED) instead of calling a stub. The Go
// package exposes the same set.
//
// An entry "Ctx.X" is a method on *Ctx; a bare "X" is a package function
// or a method of another handle type named in the entry.
var apiRegistry = map[string]string{
	// Module registration.
	"RedisModule_SetModuleAttribs": "Ctx.SetModuleAttribs",
	"RedisModule_IsModuleNameBusy": "Ctx.IsModuleNameBusy",
	"RedisModule_AutoMemory":       "Ctx.AutoMemory",
	"RedisModule_SetModuleOptions": "Ctx.SetModuleOptions",

	// Commands.
	"RedisModule_CreateCommand":         "Ctx.CreateCommand",
	"RedisModule_GetCommand":            "Ctx.GetCommand",
	"RedisModule_CreateSubcommand":      "Ctx.CreateSubcommand",
	"RedisModule_SetCommandInfo":        "Ctx.SetCommandInfo",
	"RedisModule_GetCurrentCommandName": "Ctx.GetCurrentCommandName",
	"RedisModule_IsKeysPositionRequest": "Ctx.IsKeysPositionRequest",
	"RedisModule_KeyAtPos":              "Ctx.KeyAtPos",
	"RedisModule_KeyAtPosWithFlags":     "Ctx.KeyAtPosWithFlags",

	// Replies.
	"RedisModule_WrongArity":                  "Ctx.WrongArity",
	"RedisModule_ReplyWithLongLong":           "Ctx.ReplyWithLongLong",
	"RedisModule_ReplyWithError":              "Ctx.ReplyWithError",
	"RedisModule_ReplyWithSimpleString":       "Ctx.ReplyWithSimpleString",
	"RedisModule_ReplyWithArray":              "Ctx.ReplyWithArray",
	"RedisModule_ReplyWithMap":                "Ctx.ReplyWithMap",
	"RedisModule_ReplyWithSet":                "Ctx.ReplyWithSet",
	"RedisModule_ReplyWithAttribute":          "Ctx.ReplyWithAttribute",
	"RedisModule_ReplyWithNullArray":          "Ctx.ReplyWithNullArray",
	"RedisModule_ReplyWithEmptyArray":         "Ctx.ReplyWithEmptyArray",
	"RedisModule_ReplySetArrayLength":         "Ctx.ReplySetArrayLength",
	"RedisModule_ReplySetMapLength":           "Ctx.ReplySetMapLength",
	"RedisModule_ReplySetSetLength":           "Ctx.ReplySetSetLength",
	"RedisModule_ReplySetAttributeLength":     "Ctx.ReplySetAttributeLength",
	"RedisModule_ReplyWithString":             "Ctx.ReplyWithString",
	"RedisModule_ReplyWithEmptyString":        "Ctx.ReplyWithEmptyString",
	"RedisModule_ReplyWithVerbatimString":     "Ctx.ReplyWithVerbatimString",
	"RedisModule_ReplyWithVerbatimStringType": "Ctx.ReplyWithVerbatimStringType",
	"RedisModule_ReplyWithStringBuffer":       "Ctx.ReplyWithStringBuffer",
	"RedisModule_ReplyWithCString":            "Ctx.ReplyWithCString",
	"RedisModule_ReplyWithNull":               "Ctx.ReplyWithNull",
	"RedisModule_ReplyWithBool":               "Ctx.ReplyWithBool",
	"RedisModule_ReplyWithCallReply":          "Ctx.ReplyWithCallReply",
	"RedisModule_ReplyWithDouble":             "Ctx.ReplyWithDouble",
	"RedisModule_ReplyWithBigNumber":          "Ctx.ReplyWithBigNumber",
	"RedisModule_ReplyWithLongDouble":         "Ctx.ReplyWithLongDouble",

	// Strings.
	"RedisModule_CreateString":               "Ctx.CreateString",
	"RedisModule_CreateStringFromLongLong":   "Ctx.CreateStringFromLongLong",
	"RedisModule_CreateStringFromULongLong":  "Ctx.CreateStringFromULongLong",
	"RedisModule_CreateStringFromDouble":     "Ctx.CreateStringFromDouble",
	"RedisModule_CreateStringFromLongDouble": "Ctx.CreateStringFromLongDouble",
	"RedisModule_CreateStringFromString":     "Ctx.CreateStringFromString",
	"RedisModule_CreateStringPrintf":         "Ctx.CreateStringPrintf",
	"RedisModule_FreeString":                 "Ctx.FreeString",
	"RedisModule_RetainString":               "Ctx.RetainString",
	"RedisModule_HoldString":                 "Ctx.HoldString",
	"RedisModule_StringPtrLen":               "StringPtrLen",
	"RedisModule_StringToLongLong":           "StringToLongLong",
	"RedisModule_StringToULongLong":          "StringToULongLong",
	"RedisModule_StringToDouble":             "StringToDouble",
	"RedisModule_StringToLongDouble":         "StringToLongDouble",
	"RedisModule_StringCompare":              "StringCompare",
	"RedisModule_StringAppendBuffer":         "Ctx.StringAppendBuffer",
	"RedisModule_TrimStringAllocation":       "TrimStringAllocation",

	// Call and call replies.
	"RedisModule_Call":                      "Ctx.Call",
	"RedisModule_CallReplyProto":            "CallReply.Proto",
	"RedisModule_FreeCallReply":             "Ctx.FreeCallReply",
	"RedisModule_CallReplyType":             "CallReplyType",
	"RedisModule_CallReplyLength":           "CallReplyLength",
	"RedisModule_CallReplyInteger":          "CallReplyInteger",
	"RedisModule_CallReplyDouble":           "CallReplyDouble",
	"RedisModule_CallReplyBool":             "CallReplyBool",
	"RedisModule_CallReplyBigNumber":        "CallReplyBigNumber",
	"RedisModule_CallReplyVerbatim":         "CallReplyVerbatim",
	"RedisModule_CallReplyStringPtr":        "CallReplyStringPtr",
	"RedisModule_CallReplyArrayElement":     "CallReplyArrayElement",
	"RedisModule_CallReplySetElement":       "CallReplySetElement",
	"RedisModule_CallReplyMapElement":       "CallReplyMapElement",
	"RedisModule_CallReplyAttribute":        "CallReplyAttribute",
	"RedisModule_CallReplyAttributeElement": "CallReplyAttributeElement",
	"RedisModule_CreateStringFromCallReply": "Ctx.CreateStringFromCallReply",
	"RedisModule_Replicate":                 "Ctx.Replicate",
	"RedisModule_ReplicateVerbatim":         "Ctx.ReplicateVerbatim",

	// Keys.
	"RedisModule_GetSelectedDb":           "Ctx.GetSelectedDb",
	"RedisModule_SelectDb":                "Ctx.SelectDb",
	"RedisModule_KeyExists":               "Ctx.KeyExists",
	"RedisModule_OpenKey":                 "Ctx.OpenKey",
	"RedisModule_CloseKey":                "Ctx.CloseKey",
	"RedisModule_KeyType":                 "KeyType",
	"RedisModule_ValueLength":             "ValueLength",
	"RedisModule_DeleteKey":               "DeleteKey",
	"RedisModule_UnlinkKey":               "UnlinkKey",
	"RedisModule_GetExpire":               "GetExpire",
	"RedisModule_SetExpire":               "SetExpire",
	"RedisModule_GetAbsExpire":            "GetAbsExpire",
	"RedisModule_SetAbsExpire":            "SetAbsExpire",
	"RedisModule_ResetDataset":            "Ctx.ResetDataset",
	"RedisModule_DbSize":                  "Ctx.DbSize",
	"RedisModule_RandomKey":               "Ctx.RandomKey",
	"RedisModule_SignalModifiedKey":       "Ctx.SignalModifiedKey",
	"RedisModule_GetKeyNameFromModuleKey": "GetKeyNameFromModuleKey",
	"RedisModule_GetDbIdFromModuleKey":    "GetDbIdFromModuleKey",
	"RedisModule_StringSet":               "StringSet",
	"RedisModule_StringDMA":               "StringDMA",
	"RedisModule_StringTruncate":          "StringTruncate",
	"RedisModule_HashSet":                 "HashSet",
	"RedisModule_HashGet":                 "HashGet",

	// Lists.
	"RedisModule_ListPush":   "ListPush",
	"RedisModule_ListPop":    "ListPop",
	"RedisModule_ListGet":    "ListGet",
	"RedisModule_ListSet":    "ListSet",
	"RedisModule_ListInsert": "ListInsert",
	"RedisModule_ListDelete": "ListDelete",

	// Sorted set keys (key_zset.go).
	"RedisModule_ZsetAdd":                 "ZsetAdd",
	"RedisModule_ZsetIncrby":              "ZsetIncrby",
	"RedisModule_ZsetRem":                 "ZsetRem",
	"RedisModule_ZsetScore":               "ZsetScore",
	"RedisModule_ZsetRangeStop":           "ZsetRangeStop",
	"RedisModule_ZsetFirstInScoreRange":   "ZsetFirstInScoreRange",
	"RedisModule_ZsetLastInScoreRange":    "ZsetLastInScoreRange",
	"RedisModule_ZsetFirstInLexRange":     "ZsetFirstInLexRange",
	"RedisModule_ZsetLastInLexRange":      "ZsetLastInLexRange",
	"RedisModule_ZsetRangeCurrentElement": "ZsetRangeCurrentElement",
	"RedisModule_ZsetRangeNext":           "ZsetRangeNext",
	"RedisModule_ZsetRangePrev":           "ZsetRangePrev",
	"RedisModule_ZsetRangeEndReached":     "ZsetRangeEndReached",

	// Streams (key_stream.go).
	"RedisModule_StreamAdd":                "StreamAdd",
	"RedisModule_StreamDelete":             "StreamDelete",
	"RedisModule_StreamIteratorStart":      "StreamIteratorStart",
	"RedisModule_StreamIteratorStop":       "StreamIteratorStop",
	"RedisModule_StreamIteratorNextID":     "StreamIteratorNextID",
	"RedisModule_StreamIteratorNextField":  "StreamIteratorNextField",
	"RedisModule_StreamIteratorDelete":     "StreamIteratorDelete",
	"RedisModule_StreamTrimByLength":       "StreamTrimByLength",
	"RedisModule_StreamTrimByID":           "StreamTrimByID",
	"RedisModule_CreateStringFromStreamID": "Ctx.CreateStringFromStreamID",
	"RedisModule_StringToStreamID":         "StringToStreamID",

	// Data types and their IO.
	"RedisModule_CreateDataType":         "Ctx.CreateDataType",
	"RedisModule_ModuleTypeSetValue":     "ModuleTypeSetValue",
	"RedisModule_ModuleTypeGetType":      "ModuleTypeGetType",
	"RedisModule_ModuleTypeGetValue":     "ModuleTypeGetValue",
	"RedisModule_ModuleTypeReplaceValue": "ModuleTypeReplaceValue",
	"RedisModule_GetTypeMethodVersion":   "GetTypeMethodVersion",
	"RedisModule_IsIOError":              "IsIOError",
	"RedisModule_SaveUnsigned":           "SaveUnsigned",
	"RedisModule_LoadUnsigned":           "LoadUnsigned",
	"RedisModule_SaveSigned":             "SaveSigned",
	"RedisModule_LoadSigned":             "LoadSigned",
	"RedisModule_SaveString":             "SaveString",
	"RedisModule_SaveStringBuffer":       "SaveStringBuffer",
	"RedisModule_LoadString":             "LoadString",
	"RedisModule_LoadStringBuffer":       "LoadStringBuffer",
	"RedisModule_SaveDouble":             "SaveDouble",
	"RedisModule_LoadDouble":             "LoadDouble",
	"RedisModule_SaveFloat":              "SaveFloat",
	"RedisModule_LoadFloat":              "LoadFloat",
	"RedisModule_SaveLongDouble":         "SaveLongDouble",
	"RedisModule_LoadLongDouble":         "LoadLongDouble",
	"RedisModule_EmitAOF":                "EmitAOF",
	"RedisModule_LogIOError":             "LogIOError",
	"RedisModule_GetContextFromIO":       "GetContextFromIO",
	"RedisModule_GetKeyNameFromIO":       "GetKeyNameFromIO",
	"RedisModule_GetDbIdFromIO":          "GetDbIdFromIO",
	"RedisModule_GetKeyNameFromOptCtx":   "GetKeyNameFromOptCtx",
	"RedisModule_GetToKeyNameFromOptCtx": "GetToKeyNameFromOptCtx",
	"RedisModule_GetDbIdFromOptCtx":      "GetDbIdFromOptCtx",
	"RedisModule_GetToDbIdFromOptCtx":    "GetToDbIdFromOptCtx",
	"RedisModule_GetKeyNameFromDigest":   "GetKeyNameFromDigest",
	"RedisModule_GetDbIdFromDigest":      "GetDbIdFromDigest",
	"RedisModule_DigestAddStringBuffer":  "DigestAddStringBuffer",
	"RedisModule_DigestAddLongLong":      "DigestAddLongLong",
	"RedisModule_DigestEndSequence":      "DigestEndSequence",

	// Blocking on keys.
	"RedisModule_BlockClientOnKeys":        "Ctx.BlockClientOnKeys",
	"RedisModule_SignalKeyAsReady":         "Ctx.SignalKeyAsReady",
	"RedisModule_GetBlockedClientReadyKey": "Ctx.GetBlockedClientReadyKey",
	"RedisModule_GetBlockedClientHandle":   "Ctx.GetBlockedClientHandle",

	// Serialising module values to strings.
	"RedisModule_SaveDataTypeToString":         "Ctx.SaveDataTypeToString",
	"RedisModule_LoadDataTypeFromString":       "Ctx.LoadDataTypeFromString",
	"RedisModule_LoadDataTypeFromStringEncver": "Ctx.LoadDataTypeFromStringEncver",

	// Timers, keyspace events.
	"RedisModule_CreateTimer":                     "Ctx.CreateTimer",
	"RedisModule_StopTimer":                       "Ctx.StopTimer",
	"RedisModule_GetTimerInfo":                    "Ctx.GetTimerInfo",
	"RedisModule_SubscribeToKeyspaceEvents":       "Ctx.SubscribeToKeyspaceEvents",
	"RedisModule_NotifyKeyspaceEvent":             "Ctx.NotifyKeyspaceEvent",
	"RedisModule_GetNotifyKeyspaceEvents":         "Ctx.GetNotifyKeyspaceEvents",
	"RedisModule_GetKeyspaceNotificationFlagsAll": "GetKeyspaceNotificationFlagsAll",

	// Blocking and thread-safe contexts.
	"RedisModule_BlockClient":                  "Ctx.BlockClient",
	"RedisModule_UnblockClient":                "BlockedClient.UnblockClient",
	"RedisModule_AbortBlock":                   "BlockedClient.AbortBlock",
	"RedisModule_SetDisconnectCallback":        "BlockedClient.SetDisconnectCallback",
	"RedisModule_IsBlockedReplyRequest":        "Ctx.IsBlockedReplyRequest",
	"RedisModule_IsBlockedTimeoutRequest":      "Ctx.IsBlockedTimeoutRequest",
	"RedisModule_BlockedClientDisconnected":    "Ctx.BlockedClientDisconnected",
	"RedisModule_GetBlockedClientPrivateData":  "Ctx.GetBlockedClientPrivateData",
	"RedisModule_GetThreadSafeContext":         "Ctx.GetThreadSafeContext",
	"RedisModule_GetDetachedThreadSafeContext": "Ctx.GetDetachedThreadSafeContext",
	"RedisModule_FreeThreadSafeContext":        "Ctx.FreeThreadSafeContext",
	"RedisModule_ThreadSafeContextLock":        "Ctx.ThreadSafeContextLock",
	"RedisModule_ThreadSafeContextTryLock":     "Ctx.ThreadSafeContextTryLock",
	"RedisModule_ThreadSafeContextUnlock":      "Ctx.ThreadSafeContextUnlock",

	// Dictionaries.
	"RedisModule_CreateDict":          "Ctx.CreateDict",
	"RedisModule_FreeDict":            "Ctx.FreeDict",
	"RedisModule_DictSize":            "Dict.DictSize",
	"RedisModule_DictSet":             "Dict.DictSet",
	"RedisModule_DictSetC":            "Dict.DictSet",
	"RedisModule_DictReplace":         "Dict.DictReplace",
	"RedisModule_DictReplaceC":        "Dict.DictReplace",
	"RedisModule_DictGet":             "Dict.DictGet",
	"RedisModule_DictGetC":            "Dict.DictGet",
	"RedisModule_DictDel":             "Dict.DictDel",
	"RedisModule_DictDelC":            "Dict.DictDel",
	"RedisModule_DictIteratorStart":   "Dict.DictIteratorStart",
	"RedisModule_DictIteratorStartC":  "Dict.DictIteratorStart",
	"RedisModule_DictIteratorReseek":  "DictIter.DictIteratorReseek",
	"RedisModule_DictIteratorReseekC": "DictIter.DictIteratorReseek",
	"RedisModule_DictIteratorStop":    "DictIter.DictIteratorStop",
	"RedisModule_DictNext":            "DictIter.DictNext",
	"RedisModule_DictNextC":           "DictIter.DictNext",
	"RedisModule_DictPrev":            "DictIter.DictPrev",
	"RedisModule_DictPrevC":           "DictIter.DictPrev",
	"RedisModule_DictCompare":         "DictIter.DictCompare",
	"RedisModule_DictCompareC":        "DictIter.DictCompare",

	// INFO.
	"RedisModule_RegisterInfoFunc":      "Ctx.RegisterInfoFunc",
	"RedisModule_InfoAddSection":        "InfoCtx.InfoAddSection",
	"RedisModule_InfoBeginDictField":    "InfoCtx.InfoBeginDictField",
	"RedisModule_InfoEndDictField":      "InfoCtx.InfoEndDictField",
	"RedisModule_InfoAddFieldString":    "InfoCtx.InfoAddFieldString",
	"RedisModule_InfoAddFieldCString":   "InfoCtx.InfoAddFieldCString",
	"RedisModule_InfoAddFieldDouble":    "InfoCtx.InfoAddFieldDouble",
	"RedisModule_InfoAddFieldLongLong":  "InfoCtx.InfoAddFieldLongLong",
	"RedisModule_InfoAddFieldULongLong": "InfoCtx.InfoAddFieldULongLong",

	// Server events.
	"RedisModule_SubscribeToServerEvent": "Ctx.SubscribeToServerEvent",
	"RedisModule_IsSubEventSupported":    "IsSubEventSupported",

	// Module configs.
	"RedisModule_RegisterStringConfig":  "Ctx.RegisterStringConfig",
	"RedisModule_RegisterBoolConfig":    "Ctx.RegisterBoolConfig",
	"RedisModule_RegisterNumericConfig": "Ctx.RegisterNumericConfig",
	"RedisModule_RegisterEnumConfig":    "Ctx.RegisterEnumConfig",
	"RedisModule_LoadConfigs":           "Ctx.LoadConfigs",

	// Server info.
	"RedisModule_GetServerInfo":              "Ctx.GetServerInfo",
	"RedisModule_FreeServerInfo":             "Ctx.FreeServerInfo",
	"RedisModule_ServerInfoGetField":         "Ctx.ServerInfoGetField",
	"RedisModule_ServerInfoGetFieldC":        "ServerInfo.ServerInfoGetFieldC",
	"RedisModule_ServerInfoGetFieldSigned":   "ServerInfo.ServerInfoGetFieldSigned",
	"RedisModule_ServerInfoGetFieldUnsigned": "ServerInfo.ServerInfoGetFieldUnsigned",
	"RedisModule_ServerInfoGetFieldDouble":   "ServerInfo.ServerInfoGetFieldDouble",

	// Shared APIs between modules.
	"RedisModule_ExportSharedAPI": "Ctx.ExportSharedAPI",
	"RedisModule_GetSharedAPI":    "Ctx.GetSharedAPI",

	// Command filters.
	"RedisModule_RegisterCommandFilter":   "Ctx.RegisterCommandFilter",
	"RedisModule_UnregisterCommandFilter": "Ctx.UnregisterCommandFilter",
	"RedisModule_CommandFilterArgsCount":  "CommandFilterCtx.CommandFilterArgsCount",
	"RedisModule_CommandFilterArgGet":     "CommandFilterCtx.CommandFilterArgGet",
	"RedisModule_CommandFilterArgInsert":  "CommandFilterCtx.CommandFilterArgInsert",
	"RedisModule_CommandFilterArgReplace": "CommandFilterCtx.CommandFilterArgReplace",
	"RedisModule_CommandFilterArgDelete":  "CommandFilterCtx.CommandFilterArgDelete",

	// ACL: module users, permission checks, authentication (acl.go).
	"RedisModule_CreateModuleUser":              "Engine.CreateModuleUser",
	"RedisModule_FreeModuleUser":                "Engine.FreeModuleUser",
	"RedisModule_SetModuleUserACL":              "Engine.SetModuleUserACL",
	"RedisModule_SetModuleUserACLString":        "Ctx.SetModuleUserACLString",
	"RedisModule_GetModuleUserACLString":        "Engine.GetModuleUserACLString",
	"RedisModule_GetCurrentUserName":            "Ctx.GetCurrentUserName",
	"RedisModule_GetModuleUserFromUserName":     "Engine.GetModuleUserFromUserName",
	"RedisModule_ACLCheckCommandPermissions":    "Engine.ACLCheckCommandPermissions",
	"RedisModule_ACLCheckKeyPermissions":        "Engine.ACLCheckKeyPermissions",
	"RedisModule_ACLCheckChannelPermissions":    "Engine.ACLCheckChannelPermissions",
	"RedisModule_ACLAddLogEntry":                "Ctx.ACLAddLogEntry",
	"RedisModule_AuthenticateClientWithUser":    "Ctx.AuthenticateClientWithUser",
	"RedisModule_AuthenticateClientWithACLUser": "Ctx.AuthenticateClientWithACLUser",
	"RedisModule_DeauthenticateAndCloseClient":  "Ctx.DeauthenticateAndCloseClient",
	"RedisModule_GetClientUserNameById":         "Ctx.GetClientUserNameById",
	"RedisModule_SetContextUser":                "Ctx.SetContextUser",

	// Misc.
	"RedisModule_GetServerVersion":        "GetServerVersion",
	"RedisModule_GetRandomBytes":          "GetRandomBytes",
	"RedisModule_GetRandomHexChars":       "GetRandomHexChars",
	"RedisModule_AvoidReplicaTraffic":     "AvoidReplicaTraffic",
	"RedisModule_PublishMessage":          "Ctx.PublishMessage",
	"RedisModule_GetClientNameById":       "Ctx.GetClientNameById",
	"RedisModule_SetClientNameById":       "Ctx.SetClientNameById",
	"RedisModule_GetCommandKeys":          "Ctx.GetCommandKeys",
	"RedisModule_GetCommandKeysWithFlags": "Ctx.GetCommandKeysWithFlags",
	"RedisModule_ScanCursorCreate":        "ScanCursorCreate",
	"RedisModule_ScanCursorRestart":       "ScanCursor.ScanCursorRestart",
	"RedisModule_ScanCursorDestroy":       "ScanCursor.ScanCursorDestroy",
	"RedisModule_Scan":                    "Ctx.Scan",

	// Cluster (behaving as with cluster-enabled no; see cluster.go).
	"RedisModule_GetClusterSize":                 "GetClusterSize",
	"RedisModule_GetMyClusterID":                 "GetMyClusterID",
	"RedisModule_GetClusterNodesList":            "Ctx.GetClusterNodesList",
	"RedisModule_FreeClusterNodesList":           "FreeClusterNodesList",
	"RedisModule_GetClusterNodeInfo":             "Ctx.GetClusterNodeInfo",
	"RedisModule_SendClusterMessage":             "Ctx.SendClusterMessage",
	"RedisModule_RegisterClusterMessageReceiver": "Ctx.RegisterClusterMessageReceiver",
	"RedisModule_SetClusterFlags":                "Ctx.SetClusterFlags",

	// Active defrag (never triggered: no active defrag; see defrag.go).
	"RedisModule_RegisterDefragFunc":      "Ctx.RegisterDefragFunc",
	"RedisModule_DefragShouldStop":        "DefragShouldStop",
	"RedisModule_DefragCursorSet":         "DefragCursorSet",
	"RedisModule_DefragCursorGet":         "DefragCursorGet",
	"RedisModule_GetKeyNameFromDefragCtx": "GetKeyNameFromDefragCtx",
	"RedisModule_GetDbIdFromDefragCtx":    "GetDbIdFromDefragCtx",

	// Context, clients, time, logging.
	"RedisModule_GetContextFlags":       "Ctx.GetContextFlags",
	"RedisModule_GetContextFlagsAll":    "GetContextFlagsAll",
	"RedisModule_GetClientId":           "Ctx.GetClientId",
	"RedisModule_GetClientInfoById":     "Ctx.GetClientInfoById",
	"RedisModule_Milliseconds":          "Milliseconds",
	"RedisModule_MonotonicMicroseconds": "MonotonicMicroseconds",
	"RedisModule_Log":                   "Ctx.Log",
}

// APIImplemented reports whether an API name is in the registry. The
// Valkey spelling (ValkeyModule_X) is accepted for RedisModule_X.
func APIImplemented(name string) bool {
	if rest, ok := strings.CutPrefix(name, "ValkeyModule_"); ok {
		name = "RedisModule_" + rest
	}
	_, ok := apiRegistry[name]
	return ok
}

// APINames returns every implemented API name (unordered).
func APINames() []string {
	out := make([]string, 0, len(apiRegistry))
	for n := range apiRegistry {
		out = append(out, n)
	}
	return out
}

// APIImplementation returns the engine identifier implementing an API.
func APIImplementation(name string) string { return apiRegistry[name] }
