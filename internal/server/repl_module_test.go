package server

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"
)

// replTestModule records the replication server events and answers
// GetContextFlags.
type replTestModule struct {
	mu     sync.Mutex
	events []string
}

func init() {
	module.Register(module.Info{Name: "repltest", New: func() module.Module { return &replTestModule{} }})
}

func (m *replTestModule) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("repltest", 1)
	record := func(ctx *module.Ctx, event, sub uint64, data any) {
		e := strconv.FormatUint(event, 10) + "/" + strconv.FormatUint(sub, 10)
		if ri, ok := data.(*module.ReplicationInfo); ok {
			e += "/" + strconv.FormatBool(ri.Master) + "/" + strconv.Itoa(ri.MasterPort)
		}
		m.mu.Lock()
		m.events = append(m.events, e)
		m.mu.Unlock()
	}
	for _, ev := range []uint64{module.EventReplicationRoleChanged, module.EventReplicaChange, module.EventMasterLinkChange} {
		ctx.SubscribeToServerEvent(ev, record)
	}
	if err := ctx.CreateCommand("rt.events", func(ctx *module.Ctx, args [][]byte) error {
		m.mu.Lock()
		defer m.mu.Unlock()
		ctx.ReplyWithCString(strings.Join(m.events, " "))
		m.events = nil
		return nil
	}, "", 0, 0, 0); err != nil {
		return err
	}
	return ctx.CreateCommand("rt.flags", func(ctx *module.Ctx, args [][]byte) error {
		ctx.ReplyWithLongLong(int64(ctx.GetContextFlags()))
		return nil
	}, "", 0, 0, 0)
}

// waitEvents polls rt.events until it reports want (events accumulate).
func waitEvents(t *testing.T, c *difftest.Conn, want string) {
	t.Helper()
	var got []string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		_, v, _ := c.Do("rt.events")
		if s := string(v.Str); s != "" {
			got = append(got, s)
		}
		if strings.Join(got, " ") == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("events: want %q, got %q", want, strings.Join(got, " "))
}

// The module events of both roles and GetContextFlags on a replica.
func TestReplModuleEvents(t *testing.T) {
	ms, mc := moduleTestServer(t)
	rs, rc := moduleTestServer(t)
	modExpect(t, mc, "+OK\r\n", "MODULE", "LOAD", "repltest")
	modExpect(t, rc, "+OK\r\n", "MODULE", "LOAD", "repltest")
	ms.mu.Lock()
	ms.cfg.ReplDisklessSyncDelay = 0
	ms.mu.Unlock()
	rs.mu.Lock()
	rs.cfg.Dir = t.TempDir() // the replica writes the master's RDB there
	rs.mu.Unlock()
	host, port := hostPort(t, ms.Addr().String())
	modExpect(t, rc, "+OK\r\n", "REPLICAOF", host, port)
	waitInSync(t, mc, rc)
	waitEvents(t, rc, "0/1/false/"+port+" 7/0")
	waitEvents(t, mc, "6/0")
	want := module.CtxFlagsSlave | module.CtxFlagsReadonly | module.CtxFlagsReplicaIsOnline
	modExpect(t, rc, ":"+strconv.Itoa(want)+"\r\n", "rt.flags")
	modExpect(t, mc, ":"+strconv.Itoa(module.CtxFlagsMaster)+"\r\n", "rt.flags")

	modExpect(t, rc, ":1\r\n", "CLIENT", "KILL", "TYPE", "master")
	waitInSync(t, mc, rc)
	waitEvents(t, rc, "7/1 7/0")
	waitEvents(t, mc, "6/1 6/0")

	modExpect(t, rc, "+OK\r\n", "REPLICAOF", "NO", "ONE")
	waitEvents(t, rc, "7/1 0/0/true/0")
	waitEvents(t, mc, "6/1")
}
