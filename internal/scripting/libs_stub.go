package scripting

import lua "github.com/yuin/gopher-lua"

func openStruct(L *lua.LState)  { L.G.Global.RawSetString("struct", L.NewTable()) }
