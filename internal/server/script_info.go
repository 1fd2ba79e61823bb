package server

import "strconv"

// INFO memory fields of scripting: the Lua VMs' memory (Redis reports
// lua_gc's count; here an estimate from a fresh VM's size plus the cached
// code), the script cache and the function libraries.

const (
	luaVMBaseEval      = 32768 // a fresh EVAL VM, as Redis 7.0 reports it
	luaVMBaseFunctions = 33792 // a fresh functions VM
	functionsBaseMem   = 200   // an empty functions library set
)

func (s *Server) luaEvalVMMemory() int64 {
	if s.scripting == nil {
		return luaVMBaseEval
	}
	return luaVMBaseEval + 2*s.scripting.bodyMem
}

func (s *Server) luaFunctionsVMMemory() int64 {
	if s.scripting == nil || s.scripting.fn == nil {
		return luaVMBaseFunctions
	}
	n := int64(0)
	for _, l := range s.scripting.fn.order {
		n += 2 * int64(len(l.code))
	}
	return luaVMBaseFunctions + n
}

func (s *Server) scriptsEvalMemory() int64 {
	if s.scripting == nil {
		return 0
	}
	return s.scripting.bodyMem + int64(len(s.scripting.scripts))*100
}

func (s *Server) functionsMemory() int64 {
	n := int64(functionsBaseMem)
	if s.scripting == nil || s.scripting.fn == nil {
		return n
	}
	for _, l := range s.scripting.fn.order {
		n += int64(len(l.code)) + 100 + int64(len(l.funcs))*120
	}
	return n
}

func (s *Server) numCachedScripts() int {
	if s.scripting == nil {
		return 0
	}
	return len(s.scripting.scripts)
}

func (s *Server) numFunctions() (funcs, libs int) {
	if s.scripting == nil || s.scripting.fn == nil {
		return 0, 0
	}
	return len(s.scripting.fn.funcs), len(s.scripting.fn.libs)
}

func init() {
	i64 := func(f func(s *Server) int64) func(s *Server) string {
		return func(s *Server) string { return strconv.FormatInt(f(s), 10) }
	}
	hum := func(f func(s *Server) int64) func(s *Server) string {
		return func(s *Server) string { return bytesToHuman(uint64(f(s))) }
	}
	vmTotal := func(s *Server) int64 { return s.luaEvalVMMemory() + s.luaFunctionsVMMemory() }
	scripts := func(s *Server) int64 { return s.scriptsEvalMemory() + s.functionsMemory() }
	setInfoField("memory", "used_memory_lua", "", i64((*Server).luaEvalVMMemory))
	setInfoField("memory", "used_memory_vm_eval", "", i64((*Server).luaEvalVMMemory))
	setInfoField("memory", "used_memory_lua_human", "", hum((*Server).luaEvalVMMemory))
	setInfoField("memory", "used_memory_scripts_eval", "", i64((*Server).scriptsEvalMemory))
	setInfoField("memory", "number_of_cached_scripts", "", func(s *Server) string { return strconv.Itoa(s.numCachedScripts()) })
	setInfoField("memory", "number_of_functions", "", func(s *Server) string { f, _ := s.numFunctions(); return strconv.Itoa(f) })
	setInfoField("memory", "number_of_libraries", "", func(s *Server) string { _, l := s.numFunctions(); return strconv.Itoa(l) })
	setInfoField("memory", "used_memory_vm_functions", "", i64((*Server).luaFunctionsVMMemory))
	setInfoField("memory", "used_memory_vm_total", "", i64(vmTotal))
	setInfoField("memory", "used_memory_vm_total_human", "", hum(vmTotal))
	setInfoField("memory", "used_memory_functions", "", i64((*Server).functionsMemory))
	setInfoField("memory", "used_memory_scripts", "", i64(scripts))
	setInfoField("memory", "used_memory_scripts_human", "", hum(scripts))
}
