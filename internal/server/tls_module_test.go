package server

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"
)

// gotlscert is the Go-module twin of the tlscert C test module: tc.cert
// replies with the caller's TLS certificate in PEM, or null.
type gotlscert struct{}

func init() {
	module.Register(module.Info{Name: "gotlscert", New: func() module.Module { return gotlscert{} }})
}

func (gotlscert) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("gotlscert", 1); err != nil {
		return err
	}
	return ctx.CreateCommand("tc.cert", func(ctx *module.Ctx, args [][]byte) error {
		if pem := ctx.GetClientCertificate(ctx.GetClientId()); pem != nil {
			return ctx.ReplyWithStringBuffer(pem)
		}
		return ctx.ReplyWithNull()
	}, "", 0, 0, 0)
}

// TestTLSGoModuleCertificate checks GetClientCertificate of the public Go
// module API: the client's PEM over TLS, null on a plain connection.
func TestTLSGoModuleCertificate(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	mport := difftest.FreePort(t)
	s := startTestServer(t, func(c *config.Config) {
		c.Port, c.TLSPort, c.EnableModuleCommand = difftest.FreePort(t), mport, "yes"
		c.TLSCertFile, c.TLSKeyFile, c.TLSCACertFile = f.ServerCert, f.ServerKey, f.CACert
	})
	mc := dial(t, s.Addr().String())
	mustDo(t, mc, "MODULE", "LOAD", "gotlscert")
	if raw, _, _ := mc.Do("tc.cert"); string(raw) != "$-1\r\n" {
		t.Errorf("plain: %q", raw)
	}
	pem, err := os.ReadFile(f.ClientCert)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("$%d\r\n", len(pem))
	got := tlsDo("127.0.0.1:"+strconv.Itoa(mport), f.TLSClientConfig(t, f.ClientCert, f.ClientKey), "tc.cert")
	if got != want {
		t.Errorf("TLS: header %q, want %q", got, want)
	}
}
