//go:build cgo

package cabi

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// tlsRaw sends one command over a TLS connection and returns the raw
// reply (a bulk string read whole).
func tlsRaw(t *testing.T, addr string, cfg *tls.Config, args ...string) string {
	t.Helper()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		t.Fatalf("%s: %v", addr, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	req := "*" + strconv.Itoa(len(args)) + "\r\n"
	for _, a := range args {
		req += "$" + strconv.Itoa(len(a)) + "\r\n" + a + "\r\n"
	}
	if _, err := c.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(line, "$") && line != "$-1\r\n" {
		n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
		body := make([]byte, n+2)
		if _, err := io.ReadFull(br, body); err != nil {
			t.Fatal(err)
		}
		line += string(body)
	}
	return line
}

// TestTLSClientCertificateRedis compares RedisModule_GetClientCertificate
// (the tlscert module) between redis-server and Modis: the PEM of the
// client's certificate over TLS, null without one (tls-auth-clients
// optional) and on a plain connection.
func TestTLSClientCertificateRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	f := difftest.GenTLSCerts(t)
	mod := modulePath(t, "tlscert")
	rport, mport := strconv.Itoa(difftest.FreePort(t)), strconv.Itoa(difftest.FreePort(t))
	args := append([]string{"--loadmodule", mod, "--tls-auth-clients", "optional"}, f.ServerArgs(rport)...)
	r := difftest.StartRedis(t, args...)
	margs := append([]string{"--loadmodule", mod, "--tls-auth-clients", "optional"}, f.ServerArgs(mport)...)
	m := startServer(t, margs...)
	withCert := f.TLSClientConfig(t, f.ClientCert, f.ClientKey)
	noCert := f.TLSClientConfig(t, "", "")
	pemWant, err := os.ReadFile(f.ClientCert)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("$%d\r\n%s\r\n", len(pemWant), pemWant)
	for _, tc := range []struct {
		name string
		cfg  *tls.Config
		want string
	}{{"cert", withCert, want}, {"nocert", noCert, "$-1\r\n"}} {
		rr := tlsRaw(t, "127.0.0.1:"+rport, tc.cfg, "tc.cert")
		mr := tlsRaw(t, "127.0.0.1:"+mport, tc.cfg, "tc.cert")
		if rr != mr || rr != tc.want {
			t.Errorf("%s: redis %q\nmodis %q\nwant %q", tc.name, rr, mr, tc.want)
		}
	}
	// A plain connection has no certificate; an unknown client id neither.
	for _, addr := range []string{r.Addr, m.addr} {
		c, err := difftest.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"tc.cert"}, {"tc.certof", "999999"}} {
			if raw, _, err := c.Do(cmd...); err != nil || string(raw) != "$-1\r\n" {
				t.Errorf("%s %v: %q %v", addr, cmd, raw, err)
			}
		}
		c.Close()
	}
}
