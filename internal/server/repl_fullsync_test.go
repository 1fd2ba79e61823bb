package server

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// The full sync is streamed: a replica reading slowly never has more than
// about replBulkHighWater bytes of RDB queued in its output, in both the
// socket (diskless, EOF mark) and the disk target (dump.rdb written on the
// master, then sent with its length).
func TestReplFullSyncStreamed(t *testing.T) {
	for _, diskless := range []bool{true, false} {
		t.Run("diskless="+strconv.FormatBool(diskless), func(t *testing.T) {
			dir := t.TempDir()
			s := startTestServer(t, func(c *config.Config) {
				c.EnableDebugCommand = "yes"
				c.ReplDisklessSync = diskless
				c.ReplDisklessSyncDelay = 0
				c.Dir = dir
				c.RDBCompression = false // the RDB is as large as the data
			})
			mc := dial(t, s.Addr().String())
			mustDo(t, mc, "DEBUG", "POPULATE", "16000", "key", "500") // ~8 MB
			mustDo(t, mc, "SET", "dirty", "1")

			conn, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			br := bufio.NewReaderSize(conn, 4096)
			conn.Write([]byte("REPLCONF listening-port 1 capa eof capa psync2\r\n"))
			line := func() string {
				l, err := br.ReadString('\n')
				if err != nil {
					t.Fatal(err)
				}
				return strings.TrimRight(l, "\r\n")
			}
			if l := line(); l != "+OK" {
				t.Fatalf("REPLCONF: %q", l)
			}
			conn.Write([]byte("PSYNC ? -1\r\n"))
			if l := line(); !strings.HasPrefix(l, "+FULLRESYNC ") {
				t.Fatalf("PSYNC: %q", l)
			}
			var maxOut atomic.Int64
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Millisecond):
					}
					s.mu.Lock()
					for _, r := range s.repl.replicas {
						if n := r.c.outputBytes(); n > maxOut.Load() {
							maxOut.Store(n)
						}
					}
					s.mu.Unlock()
				}
			}()
			hdr := line()
			for hdr == "" {
				hdr = line()
			}
			buf := make([]byte, 64<<10)
			total := 0
			if mark, ok := strings.CutPrefix(hdr, "$EOF:"); ok {
				if !diskless {
					t.Fatalf("EOF mark with a disk target")
				}
				var tail []byte
				for !bytes.HasSuffix(tail, []byte(mark)) {
					n, err := br.Read(buf)
					if err != nil {
						t.Fatal(err)
					}
					total += n
					tail = append(tail, buf[:n]...)
					if len(tail) > 80 {
						tail = tail[len(tail)-80:]
					}
					time.Sleep(time.Millisecond)
				}
			} else {
				if diskless {
					t.Fatalf("header %q with a socket target", hdr)
				}
				size, err := strconv.Atoi(strings.TrimPrefix(hdr, "$"))
				if err != nil {
					t.Fatalf("header %q", hdr)
				}
				for total < size {
					n, err := br.Read(buf[:min(len(buf), size-total)])
					if err != nil {
						t.Fatal(err)
					}
					total += n
					time.Sleep(time.Millisecond)
				}
				st, err := os.Stat(filepath.Join(dir, "dump.rdb"))
				if err != nil || st.Size() != int64(size) {
					t.Errorf("dump.rdb on the master: %v (size %d, sent %d)", err, st.Size(), size)
				}
				if v := sectionInfo(t, mc, "persistence", "rdb_changes_since_last_save"); v != "0" {
					t.Errorf("rdb_changes_since_last_save %s after the BGSAVE", v)
				}
			}
			if total < 8_000_000 {
				t.Errorf("RDB of %d bytes", total)
			}
			if m := maxOut.Load(); m > 3*replBulkHighWater {
				t.Errorf("replica output reached %d bytes", m)
			}
		})
	}
}

func sectionInfo(t *testing.T, c *difftest.Conn, section, name string) string {
	t.Helper()
	_, v, _ := c.Do("INFO", section)
	for _, l := range strings.Split(string(v.Str), "\r\n") {
		if val, ok := strings.CutPrefix(l, name+":"); ok {
			return val
		}
	}
	return ""
}
