//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// SetCommandInfo: the module's arrays are walked with the element sizes
// it declared in info->version (its header's layout), never with ours, so
// a module built against another header version still reads correctly as
// long as the leading fields agree.

// strOrEmpty copies a C string (NULL reads as "").
func strOrEmpty(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

//export goRM_SetCommandInfo
func goRM_SetCommandInfo(cmd *C.RedisModuleCommand, infop unsafe.Pointer, errp *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			*errp = C.int(module.EINVAL)
			ret = module.ERR
		}
	}()
	info := (*C.RedisModuleCommandInfo)(infop)
	if cmd == nil || info == nil || info.version == nil || info.version.version < 1 {
		*errp = C.int(module.EINVAL)
		return module.ERR
	}
	v := info.version
	gi := &module.CommandInfo{
		Summary:    strOrEmpty(info.summary),
		Complexity: strOrEmpty(info.complexity),
		Since:      strOrEmpty(info.since),
		Tips:       strOrEmpty(info.tips),
		Arity:      int(info.arity),
	}
	if p := unsafe.Pointer(info.history); p != nil {
		for i := 0; ; i++ {
			h := (*C.RedisModuleCommandHistoryEntry)(unsafe.Add(p, uintptr(i)*uintptr(v.sizeof_historyentry)))
			if h.since == nil {
				break
			}
			gi.History = append(gi.History, [2]string{C.GoString(h.since), strOrEmpty(h.changes)})
		}
	}
	if p := unsafe.Pointer(info.key_specs); p != nil {
		for i := 0; ; i++ {
			ks := (*C.RedisModuleCommandKeySpec)(unsafe.Add(p, uintptr(i)*uintptr(v.sizeof_keyspec)))
			if ks.begin_search_type == C.REDISMODULE_KSPEC_BS_INVALID {
				break
			}
			gi.KeySpecs = append(gi.KeySpecs, keySpec(ks))
		}
	}
	if p := unsafe.Pointer(info.args); p != nil {
		gi.Args = args(p, uintptr(v.sizeof_arg))
	}
	rc, errno := cgo.Handle(cmd.h).Value().(*cmdState).cmd.SetCommandInfo(gi)
	*errp = C.int(errno)
	return C.int(rc)
}

// keySpec reads one key spec; the unions are read at their C offsets.
func keySpec(ks *C.RedisModuleCommandKeySpec) module.CommandKeySpec {
	g := module.CommandKeySpec{
		Notes:           strOrEmpty(ks.notes),
		Flags:           uint64(ks.flags),
		BeginSearchType: int(ks.begin_search_type),
		FindKeysType:    int(ks.find_keys_type),
	}
	bs := unsafe.Pointer(&ks.bs)
	switch g.BeginSearchType {
	case module.KSpecBSIndex:
		g.Pos = int(*(*C.int)(bs))
	case module.KSpecBSKeyword:
		g.Keyword = strOrEmpty(*(**C.char)(bs))
		g.StartFrom = int(*(*C.int)(unsafe.Add(bs, unsafe.Sizeof(uintptr(0)))))
	}
	fk := (*[3]C.int)(unsafe.Pointer(&ks.fk))
	switch g.FindKeysType {
	case module.KSpecFKRange:
		g.LastKey, g.KeyStep, g.Limit = int(fk[0]), int(fk[1]), int(fk[2])
	case module.KSpecFKKeynum:
		g.KeyNumIdx, g.FirstKey, g.KeyStep = int(fk[0]), int(fk[1]), int(fk[2])
	}
	return g
}

// args reads a name==NULL terminated argument array of element size sz.
func args(p unsafe.Pointer, sz uintptr) []module.CommandArg {
	var out []module.CommandArg
	for i := uintptr(0); ; i++ {
		a := (*C.RedisModuleCommandArg)(unsafe.Add(p, i*sz))
		if a.name == nil {
			return out
		}
		g := module.CommandArg{
			Name:            C.GoString(a.name),
			Type:            int(a._type),
			KeySpecIndex:    int(a.key_spec_index),
			Token:           strOrEmpty(a.token),
			Summary:         strOrEmpty(a.summary),
			Since:           strOrEmpty(a.since),
			Flags:           int(a.flags),
			DeprecatedSince: strOrEmpty(a.deprecated_since),
		}
		if a.subargs != nil {
			g.Subargs = args(unsafe.Pointer(a.subargs), sz)
		}
		out = append(out, g)
	}
}
