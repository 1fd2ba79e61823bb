package module

// Registry entries of the APIs added with propagation, Yield, access
// times and key scanning (kept apart from api.go's table so parallel work
// on the registry merges cleanly).
func init() {
	for name, impl := range map[string]string{
		"RedisModule_Yield":  "Ctx.Yield",
		"RedisModule_SetLRU": "Key.SetLRU",
		"RedisModule_GetLRU": "Key.GetLRU",
		"RedisModule_SetLFU": "Key.SetLFU",
		"RedisModule_GetLFU": "Key.GetLFU",

		"RedisModule_ScanKey": "Key.ScanKey",

		"RedisModule_GetUsedMemoryRatio":            "Ctx.GetUsedMemoryRatio",
		"RedisModule_LatencyAddSample":              "Ctx.LatencyAddSample",
		"RedisModule_PublishMessageShard":           "Ctx.PublishMessageShard",
		"RedisModule_GetClientCertificate":          "Ctx.GetClientCertificate",
		"RedisModule_RedactClientCommandArgument":   "Ctx.RedactClientCommandArgument",
		"RedisModule_IsChannelsPositionRequest":     "Ctx.IsChannelsPositionRequest",
		"RedisModule_ChannelAtPosWithFlags":         "Ctx.ChannelAtPosWithFlags",
		"RedisModule_BlockedClientMeasureTimeStart": "BlockedClient.BlockedClientMeasureTimeStart",
		"RedisModule_BlockedClientMeasureTimeEnd":   "BlockedClient.BlockedClientMeasureTimeEnd",
		"RedisModule_EventLoopAddOneShot":           "Ctx.EventLoopAddOneShot",
		"RedisModule_EventLoopAdd":                  "Ctx.EventLoopAdd",
		"RedisModule_EventLoopDel":                  "Ctx.EventLoopDel",
	} {
		apiRegistry[name] = impl
	}
}
