package server

import (
	"sort"

	"github.com/modis/modis/internal/module"
)

// moduleAllocMemory is what modules hold through RedisModule_Alloc (C
// memory of .so modules). Redis allocates it with zmalloc, so it is part
// of used_memory and, not being overhead, of used_memory_dataset.
func moduleAllocMemory() int64 {
	if f := module.AllocatedMemory; f != nil {
		return f()
	}
	return 0
}

func init() {
	debugSubcommands["module-api"] = struct {
		arity int
		fn    func(c *Client)
	}{-2, debugModuleAPI}
}

// debugModuleAPI is DEBUG MODULE-API [<name>]: how many RedisModule_* APIs
// the module engine implements (for Go modules) and how many GetApi
// serves to C modules (the table in docs/module-api-coverage.md), as a
// map {engine, c}; with a name, whether each implements it (0/1).
func debugModuleAPI(c *Client) {
	if len(c.argv) > 3 {
		c.addSubcommandSyntaxError()
		return
	}
	var shared []string
	if f := module.SharedAPINames; f != nil {
		shared = f()
	}
	engine := module.APINames()
	if len(c.argv) == 3 {
		name := string(c.argv[2])
		if len(name) < len("RedisModule_") || name[:len("RedisModule_")] != "RedisModule_" {
			name = "RedisModule_" + name
		}
		inC := 0
		sort.Strings(shared)
		if i := sort.SearchStrings(shared, name); i < len(shared) && shared[i] == name {
			inC = 1
		}
		inEngine := 0
		if module.APIImplemented(name) {
			inEngine = 1
		}
		c.addMapLen(2)
		c.addBulkString("engine")
		c.addInt(int64(inEngine))
		c.addBulkString("c")
		c.addInt(int64(inC))
		return
	}
	c.addMapLen(2)
	c.addBulkString("engine")
	c.addInt(int64(len(engine)))
	c.addBulkString("c")
	c.addInt(int64(len(shared)))
}
