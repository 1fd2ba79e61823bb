package server

import (
	"testing"

	"github.com/modis/modis/module"
)

// clusterTest reports what the public Go cluster and defrag APIs answer
// outside cluster mode.
type clusterTest struct{}

func init() {
	module.Register(module.Info{Name: "clustertest", New: func() module.Module { return clusterTest{} }})
}

func (clusterTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("clustertest", 1); err != nil {
		return err
	}
	defragErr := ctx.RegisterDefragFunc(func(*module.DefragCtx) {})
	ctx.RegisterClusterMessageReceiver(1, func(*module.Ctx, string, uint8, []byte) {})
	return ctx.CreateCommand("ct.cluster", func(ctx *module.Ctx, args [][]byte) error {
		_, idOK := module.GetMyClusterID()
		_, listOK := ctx.GetClusterNodesList()
		_, infoErr := ctx.GetClusterNodeInfo("0123456789012345678901234567890123456789")
		sendErr := ctx.SendClusterMessage("", 1, []byte("hi"))
		ctx.SetClusterFlags(module.ClusterFlagNoFailover)
		flags := []bool{idOK, listOK, infoErr == nil, sendErr == nil, defragErr == nil}
		ctx.ReplyWithArray(int64(len(flags) + 1))
		ctx.ReplyWithLongLong(int64(module.GetClusterSize()))
		for _, f := range flags {
			ctx.ReplyWithBool(f)
		}
		return nil
	}, "", 0, 0, 0)
}

// Outside cluster mode (the only mode Modis has yet) the cluster APIs
// report no cluster, as Redis's do with cluster-enabled no; defrag
// registration succeeds.
func TestModuleClusterAPIs(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "clustertest")
	modExpect(t, c, "*6\r\n:0\r\n:0\r\n:0\r\n:0\r\n:0\r\n:1\r\n", "ct.cluster")
}
