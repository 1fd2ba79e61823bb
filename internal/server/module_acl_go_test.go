package server

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"
)

// goacl is a Go port, on the public module package, of the acl.*
// commands of internal/module/cabi/testdata/acltest.c. TestModuleACLGoDiff
// runs it in Modis and the C module in redis-server and compares replies.
type goacl struct {
	global  *module.User
	changes int64
}

func init() {
	module.Register(module.Info{Name: "goacl", New: func() module.Module { return &goacl{} }})
}

func (g *goacl) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("goacl", 1); err != nil {
		return err
	}
	for name, fn := range map[string]module.CommandFunc{
		"acl.create": g.create, "acl.setstring": g.setString, "acl.getstring": g.getString,
		"acl.auth": g.auth, "acl.authacl": g.authACL, "acl.changes": g.changesCmd, "acl.whoami": g.whoami,
		"acl.username": g.username, "acl.checkcmd": g.checkCmd, "acl.checkkey": g.checkKey,
		"acl.checkchan": g.checkChan, "acl.call": g.call, "acl.log": g.log,
	} {
		if err := ctx.CreateCommand(name, fn, "", 0, 0, 0); err != nil {
			return err
		}
	}
	return nil
}

func goaclErrno(ctx *module.Ctx, err error) error {
	var ce *module.CallError
	if errors.As(err, &ce) {
		return ctx.ReplyWithError(fmt.Sprintf("ERR errno %d", int(ce.Errno)))
	}
	return ctx.ReplyWithError("ERR errno 0")
}

func (g *goacl) onChange(uint64) { g.changes++ }

func (g *goacl) create(ctx *module.Ctx, args [][]byte) error {
	if len(args) < 2 {
		return ctx.WrongArity()
	}
	if g.global != nil {
		g.global.Free()
	}
	g.global = ctx.CreateModuleUser(string(args[1]))
	for i, r := range args[2:] {
		if err := g.global.SetACL(string(r)); err != nil {
			var ce *module.CallError
			errors.As(err, &ce)
			return ctx.ReplyWithError(fmt.Sprintf("ERR rule %d errno %d", i, int(ce.Errno)))
		}
	}
	return ctx.ReplyWithSimpleString("OK")
}

func (g *goacl) setString(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.SetACLString(g.global, string(args[1])); err != nil {
		return ctx.ReplyWithStringBuffer([]byte(err.Error()))
	}
	return ctx.ReplyWithSimpleString("OK")
}

func (g *goacl) getString(ctx *module.Ctx, args [][]byte) error {
	if g.global == nil {
		return ctx.ReplyWithError("ERR no user")
	}
	return ctx.ReplyWithStringBuffer([]byte(g.global.ACLString()))
}

func (g *goacl) auth(ctx *module.Ctx, args [][]byte) error {
	if _, err := ctx.AuthenticateClientWithUser(g.global, g.onChange); err != nil {
		return ctx.ReplyWithError("ERR auth failed")
	}
	return ctx.ReplyWithLongLong(1)
}

func (g *goacl) authACL(ctx *module.Ctx, args [][]byte) error {
	if _, err := ctx.AuthenticateClientWithACLUser(args[1], g.onChange); err != nil {
		return ctx.ReplyWithError("ERR auth failed")
	}
	return ctx.ReplyWithLongLong(1)
}

func (g *goacl) changesCmd(ctx *module.Ctx, args [][]byte) error {
	return ctx.ReplyWithLongLong(g.changes)
}

func (g *goacl) whoami(ctx *module.Ctx, args [][]byte) error {
	if n := ctx.GetCurrentUserName(); n != nil {
		return ctx.ReplyWithStringBuffer(n)
	}
	return ctx.ReplyWithNull()
}

func (g *goacl) username(ctx *module.Ctx, args [][]byte) error {
	id := ctx.GetClientId()
	if string(args[1]) != "0" {
		id = 999999
	}
	n, err := ctx.GetClientUserNameById(id)
	if err != nil {
		return goaclErrno(ctx, err)
	}
	return ctx.ReplyWithStringBuffer(n)
}

func (g *goacl) userFor(ctx *module.Ctx, name []byte) *module.User {
	if string(name) == "-" {
		return g.global
	}
	return ctx.GetModuleUserFromUserName(name)
}

func (g *goacl) check(ctx *module.Ctx, args [][]byte, kind int) error {
	u := g.userFor(ctx, args[1])
	if u == nil {
		return ctx.ReplyWithError("ERR no such user")
	}
	var err error
	switch kind {
	case 0:
		err = u.CheckCommand(args[2:])
	case 1:
		var flags int
		fmt.Sscan(string(args[2]), &flags)
		err = u.CheckKey(args[3], flags)
	default:
		var flags int
		fmt.Sscan(string(args[2]), &flags)
		err = u.CheckChannel(args[3], flags)
	}
	if err != nil {
		return goaclErrno(ctx, err)
	}
	return ctx.ReplyWithSimpleString("OK")
}

func (g *goacl) checkCmd(ctx *module.Ctx, args [][]byte) error  { return g.check(ctx, args, 0) }
func (g *goacl) checkKey(ctx *module.Ctx, args [][]byte) error  { return g.check(ctx, args, 1) }
func (g *goacl) checkChan(ctx *module.Ctx, args [][]byte) error { return g.check(ctx, args, 2) }

func (g *goacl) log(ctx *module.Ctx, args [][]byte) error {
	u := g.userFor(ctx, args[1])
	if u == nil {
		return ctx.ReplyWithError("ERR no such user")
	}
	var reason int
	fmt.Sscan(string(args[3]), &reason)
	ctx.ACLAddLogEntry(u, args[2], reason)
	return ctx.ReplyWithSimpleString("OK")
}

func (g *goacl) call(ctx *module.Ctx, args [][]byte) error {
	if string(args[1]) != "-" {
		u := ctx.GetModuleUserFromUserName(args[1])
		if u == nil {
			return ctx.ReplyWithError("ERR no such user")
		}
		ctx.SetContextUser(u)
		defer ctx.SetContextUser(nil)
	}
	r, err := ctx.Call(string(args[2]), "CEv", args[3:])
	if err != nil && r == nil {
		return goaclErrno(ctx, err)
	}
	return ctx.ReplyWithCallReply(r)
}

func TestModuleACLGoDiff(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	so := filepath.Join(t.TempDir(), "acltest.so")
	if out, err := exec.Command(cc, "-Wall", "-fPIC", "-shared", "-O1", "-I../../include", "-o", so,
		"../module/cabi/testdata/acltest.c").CombinedOutput(); err != nil {
		t.Fatalf("compile: %v\n%s", err, out)
	}
	r := difftest.StartRedis(t, "--loadmodule", so)
	s := startTestServer(t, func(c *config.Config) { c.EnableModuleCommand = "yes" })
	mc := dial(t, s.Addr().String())
	mustDo(t, mc, "MODULE", "LOAD", "goacl")
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	for _, cmd := range [][]string{
		{"acl.getstring"}, {"acl.create", "modu"}, {"acl.getstring"},
		{"acl.create", "modu", "on", "~k*", "&ch*", "+get", "nosuch"}, {"acl.create", "modu", "on", "+nosuch"},
		{"acl.create", "modu", "on", "~*", "~a"}, {"acl.create", "modu", "on", "<x"}, {"acl.create", "modu", "on", "#abc"},
		{"acl.create", "modu", "on", "~k*", "&ch*", "+@all"}, {"acl.getstring"},
		{"acl.setstring", "off >pw"}, {"acl.getstring"}, {"acl.setstring", "on foo"}, {"acl.setstring", "on (+get"},
		{"acl.setstring", "on \"unbalanced"}, {"acl.setstring", "on resetpass -@all +set (+get ~x)"}, {"acl.getstring"},
		{"acl.whoami"}, {"acl.username", "0"}, {"acl.username", "999999"},
		{"ACL", "SETUSER", "bob", "on", "nopass", "~b*", "%R~r*", "&b*", "-@all", "+get", "+set", "+publish"},
		{"acl.checkcmd", "bob", "get", "b1"}, {"acl.checkcmd", "bob", "get", "x"}, {"acl.checkcmd", "bob", "del", "b1"},
		{"acl.checkcmd", "bob", "nosuch"}, {"acl.checkcmd", "nouser", "get", "x"}, {"acl.checkcmd", "-", "get", "x"},
		{"acl.checkkey", "bob", "0", "b1"}, {"acl.checkkey", "bob", "32", "r1"}, {"acl.checkkey", "bob", "1", "b1"},
		{"acl.checkchan", "bob", "2", "x"}, {"acl.checkchan", "bob", "1", "b*"}, {"acl.checkchan", "bob", "16", "x"},
		{"acl.log", "bob", "obj", "1"},
		{"acl.call", "bob", "get", "b1"}, {"acl.call", "bob", "get", "x"}, {"acl.call", "bob", "del", "b1"}, {"acl.call", "-", "get", "x"},
		{"acl.changes"}, {"acl.authacl", "nosuch"}, {"ACL", "SETUSER", "all", "on", "nopass", "~*", "&*", "+@all"},
		{"acl.authacl", "all"}, {"ACL", "WHOAMI"}, {"acl.changes"}, {"acl.authacl", "default"}, {"acl.changes"},
		{"acl.auth"}, {"acl.changes"}, {"GET", "x"}, {"AUTH", "default", "x"}, {"acl.changes"},
	} {
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Errorf("%q: %v", cmd, err)
		}
	}
}
