// Command loadkeys fills a Redis-protocol server with a deterministic data
// set for memory comparisons: SET key:<i> <value> for i in [0, n), every
// value exactly -d bytes long, sent in pipelined batches. It replaces
// DEBUG POPULATE, which Modis does not have, and sends the same bytes to
// every server so their memory use can be compared.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	n := flag.Int("n", 1000000, "number of keys")
	size := flag.Int("d", 16, "value size in bytes")
	batch := flag.Int("P", 1000, "commands per pipelined batch")
	flag.Parse()
	if err := load(*addr, *n, *size, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "loadkeys:", err)
		os.Exit(1)
	}
}

func load(addr string, n, size, batch int) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	r := bufio.NewReaderSize(conn, 64*1024)
	start := time.Now()
	var buf []byte
	for i := 0; i < n; i += batch {
		end := min(i+batch, n)
		buf = buf[:0]
		for j := i; j < end; j++ {
			buf = appendSet(buf, j, size)
		}
		if _, err := conn.Write(buf); err != nil {
			return err
		}
		for j := i; j < end; j++ {
			line, err := r.ReadSlice('\n')
			if err != nil {
				return err
			}
			if string(line) != "+OK\r\n" {
				return fmt.Errorf("SET key:%d: unexpected reply %q", j, line)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "loaded %d keys in %v\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// appendSet encodes SET key:<i> <value> where value is "v" followed by i in
// decimal, zero-padded (or cut) to size bytes; the leading letter keeps it
// from being stored as an integer.
func appendSet(dst []byte, i, size int) []byte {
	var kb [32]byte
	key := strconv.AppendInt(append(kb[:0], "key:"...), int64(i), 10)
	dst = append(dst, "*3\r\n$3\r\nSET\r\n$"...)
	dst = strconv.AppendInt(dst, int64(len(key)), 10)
	dst = append(dst, '\r', '\n')
	dst = append(dst, key...)
	dst = append(dst, "\r\n$"...)
	dst = strconv.AppendInt(dst, int64(size), 10)
	dst = append(dst, '\r', '\n')
	var vb [32]byte
	digits := strconv.AppendInt(vb[:0], int64(i), 10)
	for k := 0; k < size; k++ {
		switch {
		case k == 0:
			dst = append(dst, 'v')
		case size-k <= len(digits):
			dst = append(dst, digits[len(digits)-(size-k)])
		default:
			dst = append(dst, '0')
		}
	}
	return append(dst, '\r', '\n')
}
