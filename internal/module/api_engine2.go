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
	} {
		apiRegistry[name] = impl
	}
}
