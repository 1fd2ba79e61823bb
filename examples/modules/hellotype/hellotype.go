// Package hellotype is a Go port of Redis's example module
// src/modules/hellotype.c: a native data type, a sorted list of 64-bit
// integers, with RDB save/load, AOF rewrite, memory usage and digest
// methods, and HELLOTYPE.BRANGE blocking on a key until it holds data.
package hellotype

import (
	"github.com/modis/modis/module"
)

func init() {
	module.Register(module.Info{Name: "hellotype", New: func() module.Module { return &helloType{} }})
}

type helloType struct {
	typ *module.DataType
}

// value is the type's value: a sorted singly linked list, as in the C
// example.
type value struct {
	head *node
	len  uint64
}

type node struct {
	value int64
	next  *node
}

func (v *value) insert(ele int64) {
	var prev *node
	n := v.head
	for n != nil && n.value < ele {
		prev, n = n, n.next
	}
	nn := &node{value: ele, next: n}
	if prev == nil {
		v.head = nn
	} else {
		prev.next = nn
	}
	v.len++
}

func (h *helloType) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("hellotype", 1); err != nil {
		return err
	}
	t, err := ctx.CreateDataType("hellotype", 0, &module.TypeMethods{
		RdbLoad: func(io *module.IO, encver int) any {
			if encver != 0 {
				return nil
			}
			v := &value{}
			for n := io.LoadUnsigned(); n > 0 && !io.IsIOError(); n-- {
				v.insert(io.LoadSigned())
			}
			return v
		},
		RdbSave: func(io *module.IO, x any) {
			v := x.(*value)
			io.SaveUnsigned(v.len)
			for n := v.head; n != nil; n = n.next {
				io.SaveSigned(n.value)
			}
		},
		AofRewrite: func(io *module.IO, key []byte, x any) {
			for n := x.(*value).head; n != nil; n = n.next {
				io.EmitAOF("HELLOTYPE.INSERT", "bl", key, n.value)
			}
		},
		MemUsage: func(x any) uint64 { return 16 + 16*x.(*value).len },
		Digest: func(d *module.Digest, x any) {
			for n := x.(*value).head; n != nil; n = n.next {
				d.AddLongLong(n.value)
			}
			d.EndSequence()
		},
		Free: func(any) {},
	})
	if err != nil {
		return err
	}
	h.typ = t
	if err := ctx.CreateCommand("hellotype.insert", h.insert, "write deny-oom", 1, 1, 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("hellotype.range", h.rangeCmd, "readonly", 1, 1, 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("hellotype.brange", h.brange, "readonly", 1, 1, 1); err != nil {
		return err
	}
	return ctx.CreateCommand("hellotype.len", h.lenCmd, "readonly", 1, 1, 1)
}

// brange is HELLOTYPE.BRANGE key first count timeout: HELLOTYPE.RANGE,
// blocking up to timeout ms while the key is empty.
func (h *helloType) brange(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 5 {
		return ctx.WrongArity()
	}
	k, v, ok := h.open(ctx, args[1], module.Read|module.Write)
	if !ok {
		return nil
	}
	k.Close()
	timeout, err := module.StringToLongLong(args[4])
	if err != nil {
		return ctx.ReplyWithError("ERR invalid timeout parameter")
	}
	if v != nil {
		return h.rangeCmd(ctx, args[:4])
	}
	reply := func(ctx *module.Ctx, args [][]byte) error {
		key := ctx.OpenKey(ctx.GetBlockedClientReadyKey(), module.Read)
		if key.Type() != module.KeyTypeModule || key.ModuleTypeGetType() != h.typ {
			key.Close()
			return module.ErrKeepBlocked
		}
		key.Close()
		return h.rangeCmd(ctx, args[:4])
	}
	timedOut := func(ctx *module.Ctx, args [][]byte) error {
		return ctx.ReplyWithSimpleString("Request timedout")
	}
	ctx.BlockClientOnKeys(reply, timedOut, nil, timeout, [][]byte{args[1]}, nil)
	return nil
}

// open opens key and checks its type; v is nil for an empty key.
func (h *helloType) open(ctx *module.Ctx, name []byte, mode int) (k *module.Key, v *value, ok bool) {
	k = ctx.OpenKey(name, mode)
	if t := k.Type(); t != module.KeyTypeEmpty && k.ModuleTypeGetType() != h.typ {
		k.Close()
		ctx.ReplyWithError(module.ErrWrongType)
		return nil, nil, false
	}
	if x := k.ModuleTypeGetValue(); x != nil {
		v = x.(*value)
	}
	return k, v, true
}

// insert is HELLOTYPE.INSERT key value.
func (h *helloType) insert(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	k, v, ok := h.open(ctx, args[1], module.Read|module.Write)
	if !ok {
		return nil
	}
	defer k.Close()
	ele, err := module.StringToLongLong(args[2])
	if err != nil {
		return ctx.ReplyWithError("ERR invalid value: must be a signed 64 bit integer")
	}
	if v == nil {
		v = &value{}
		k.ModuleTypeSetValue(h.typ, v)
	}
	v.insert(ele)
	// Serve clients blocked in HELLOTYPE.BRANGE on this key.
	ctx.SignalKeyAsReady(args[1])
	ctx.ReplyWithLongLong(int64(v.len))
	return ctx.ReplicateVerbatim()
}

// rangeCmd is HELLOTYPE.RANGE key first count.
func (h *helloType) rangeCmd(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	k, v, ok := h.open(ctx, args[1], module.Read)
	if !ok {
		return nil
	}
	defer k.Close()
	first, err1 := module.StringToLongLong(args[2])
	count, err2 := module.StringToLongLong(args[3])
	if err1 != nil || err2 != nil || first < 0 || count < 0 {
		return ctx.ReplyWithError("ERR invalid first or count parameters")
	}
	ctx.ReplyWithArray(module.PostponedLen)
	var n int64
	if v != nil {
		i := int64(0)
		for e := v.head; e != nil && n < count; e = e.next {
			if i >= first {
				ctx.ReplyWithLongLong(e.value)
				n++
			}
			i++
		}
	}
	ctx.ReplySetArrayLength(n)
	return nil
}

// lenCmd is HELLOTYPE.LEN key.
func (h *helloType) lenCmd(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	k, v, ok := h.open(ctx, args[1], module.Read)
	if !ok {
		return nil
	}
	defer k.Close()
	if v == nil {
		return ctx.ReplyWithLongLong(0)
	}
	return ctx.ReplyWithLongLong(int64(v.len))
}
