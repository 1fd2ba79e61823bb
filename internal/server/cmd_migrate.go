package server

import (
	"bufio"
	"errors"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/persist/rdb"
	"github.com/modis/modis/internal/resp"
)

// MIGRATE: keys move to another server as RESTORE commands carrying DUMP
// payloads, over a connection kept for reuse (Redis's migrate cached
// sockets). Like Redis, the transfer is synchronous: the server waits for
// the target's replies, within the given timeout.

func init() {
	register(map[string]func(*Client){"migrate": migrateCommand})
	cronJobs = append(cronJobs, (*Server).migrateCloseIdle)
}

const (
	migrateCacheItems = 64               // MIGRATE_SOCKET_CACHE_ITEMS
	migrateCacheTTL   = 10 * time.Second // MIGRATE_SOCKET_CACHE_TTL
	migrateChunk      = 64 * 1024        // writes go out in chunks this big
)

// migrateConn is a cached connection to a target.
type migrateConn struct {
	conn    net.Conn
	r       *bufio.Reader
	lastDB  int64 // database selected on the target, -1 unknown
	lastUse time.Time
}

// migrateCache holds the cached connections by "host:port".
type migrateCache map[string]*migrateConn

// migrateCachedSockets is INFO's migrate_cached_sockets.
func (s *Server) migrateCachedSockets() int64 { return int64(len(s.migrate)) }

// migrateCloseIdle closes connections unused for the cache TTL (Redis's
// migrateCloseTimedoutSockets, run from cron).
func (s *Server) migrateCloseIdle() {
	for name, mc := range s.migrate {
		if time.Since(mc.lastUse) > migrateCacheTTL {
			mc.conn.Close()
			delete(s.migrate, name)
		}
	}
}

func (s *Server) migrateClose(name string) {
	if mc := s.migrate[name]; mc != nil {
		mc.conn.Close()
		delete(s.migrate, name)
	}
}

// migrateGetConn returns the cached connection to host:port or opens one;
// it replies the error itself and returns nil when connecting fails.
func (c *Client) migrateGetConn(name string, timeout time.Duration) *migrateConn {
	s := c.srv
	if mc := s.migrate[name]; mc != nil {
		mc.lastUse = time.Now()
		return mc
	}
	if s.migrate == nil {
		s.migrate = migrateCache{}
	}
	if len(s.migrate) >= migrateCacheItems {
		for victim := range s.migrate { // map order: a random one
			s.migrateClose(victim)
			break
		}
	}
	conn, err := net.DialTimeout("tcp", name, timeout)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			// Redis's non-blocking connect reports a refused
			// connection only when the first write fails (twice,
			// with the retry).
			c.addError("IOERR error or timeout writing to target instance")
		} else {
			c.addError("IOERR error or timeout connecting to the client")
		}
		return nil
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	if s.cfg.TLSCluster { // as Redis: MIGRATE speaks TLS with tls-cluster yes
		if conn, err = s.tlsWrapClient(conn, timeout); err != nil {
			c.addError("IOERR error or timeout connecting to the client")
			return nil
		}
	}
	mc := &migrateConn{conn: conn, r: bufio.NewReader(conn), lastDB: -1, lastUse: time.Now()}
	s.migrate[name] = mc
	return mc
}

// readLine reads one reply line (without CRLF) within the deadline.
func (mc *migrateConn) readLine(timeout time.Duration) (string, error) {
	mc.conn.SetReadDeadline(time.Now().Add(timeout))
	line, err := mc.r.ReadString('\n')
	if err != nil {
		return "", err
	}
	if len(line) >= 2 && line[len(line)-2] == '\r' {
		line = line[:len(line)-2]
	} else {
		line = line[:len(line)-1]
	}
	if line == "" {
		return "", errors.New("empty reply")
	}
	return line, nil
}

// migrateCommand is MIGRATE host port key|"" destination-db timeout
// [COPY] [REPLACE] [AUTH password | AUTH2 username password]
// [KEYS key [key ...]].
func migrateCommand(c *Client) {
	s := c.srv
	copyKeys, replace := false, false
	var username, password []byte
	firstKey, numKeys := 3, 1
	for j := 6; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		switch {
		case isOpt(c.argv[j], "copy"):
			copyKeys = true
		case isOpt(c.argv[j], "replace"):
			replace = true
		case isOpt(c.argv[j], "auth"):
			if more == 0 {
				c.addError(errSyntax)
				return
			}
			j++
			password = append([]byte(nil), c.argv[j]...)
			c.argv[j] = redactedArg
		case isOpt(c.argv[j], "auth2"):
			if more < 2 {
				c.addError(errSyntax)
				return
			}
			j++
			username = append([]byte(nil), c.argv[j]...)
			c.argv[j] = redactedArg
			j++
			password = append([]byte(nil), c.argv[j]...)
			c.argv[j] = redactedArg
		case isOpt(c.argv[j], "keys"):
			if len(c.argv[3]) != 0 {
				c.addError("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string")
				return
			}
			firstKey, numKeys = j+1, len(c.argv)-j-1
			j = len(c.argv)
		default:
			c.addError(errSyntax)
			return
		}
	}
	timeoutMs, ok := keyspace.ParseCanonicalInt(c.argv[5])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	dbid, ok := keyspace.ParseCanonicalInt(c.argv[4])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if timeoutMs <= 0 {
		timeoutMs = 1000
	}
	timeout := time.Duration(timeoutMs) * time.Millisecond

	var keys [][]byte
	var vals []*keyspace.Object
	for j := 0; j < numKeys; j++ {
		k := c.argv[firstKey+j]
		if o := c.lookupRead(k); o != nil {
			keys = append(keys, k)
			vals = append(vals, o)
		}
	}
	if len(keys) == 0 {
		c.addSimple("NOKEY")
		return
	}
	hostPort := net.JoinHostPort(string(c.argv[1]), strconv.Itoa(atoiPrefix(c.argv[2])))
	mayRetry := true
	for {
		mc := c.migrateGetConn(hostPort, timeout)
		if mc == nil {
			return
		}
		done, retry, writeErr := c.migrateOnce(mc, hostPort, keys, vals, username, password, dbid, timeout, copyKeys, replace)
		if done {
			return
		}
		s.migrateClose(hostPort)
		if retry && mayRetry {
			mayRetry = false
			continue
		}
		what := "reading"
		if writeErr {
			what = "writing"
		}
		c.addError("IOERR error or timeout " + what + " to target instance")
		return
	}
}

// migrateOnce sends the keys over mc and reads the replies. done reports
// that a reply was sent to the client; otherwise a socket error happened,
// retry says whether trying again on a fresh connection is allowed, and
// writeErr whether writing failed.
func (c *Client) migrateOnce(mc *migrateConn, name string, keys [][]byte, vals []*keyspace.Object,
	username, password []byte, dbid int64, timeout time.Duration, copyKeys, replace bool) (done, retry, writeErr bool) {
	s := c.srv
	var cmd []byte
	if password != nil {
		if username != nil {
			cmd = resp.AppendCommand(cmd, "AUTH", string(username), string(password))
		} else {
			cmd = resp.AppendCommand(cmd, "AUTH", string(password))
		}
	}
	sel := mc.lastDB != dbid
	if sel {
		cmd = resp.AppendCommand(cmd, "SELECT", strconv.FormatInt(dbid, 10))
	}
	opts := s.rdbSaveOptions()
	opts.DB = c.db.ID
	var sent [][]byte
	now := s.ks.Now
	for i, k := range keys {
		ttl := int64(0)
		if at := c.db.Expire(k); at != -1 {
			ttl = at - now
			if ttl < 0 {
				continue
			}
			if ttl < 1 {
				ttl = 1
			}
		}
		p, err := rdb.DumpPayload(k, vals[i], opts)
		if err != nil {
			continue
		}
		args := []string{"RESTORE", string(k), strconv.FormatInt(ttl, 10), string(p)}
		if replace {
			args = append(args, "REPLACE")
		}
		cmd = resp.AppendCommand(cmd, args...)
		sent = append(sent, k)
	}
	for pos := 0; pos < len(cmd); {
		n := min(len(cmd)-pos, migrateChunk)
		mc.conn.SetWriteDeadline(time.Now().Add(timeout))
		w, err := mc.conn.Write(cmd[pos : pos+n])
		if err != nil || w != n {
			return false, !errors.Is(err, os.ErrDeadlineExceeded), true
		}
		pos += n
	}
	var authReply, selReply string
	var err error
	if password != nil {
		if authReply, err = mc.readLine(timeout); err != nil {
			return false, !errors.Is(err, os.ErrDeadlineExceeded), false
		}
	}
	if sel {
		if selReply, err = mc.readLine(timeout); err != nil {
			return false, !errors.Is(err, os.ErrDeadlineExceeded), false
		}
	}
	targetErr, socketErr := false, false
	var deleted [][]byte
	j := 0
	for ; j < len(sent); j++ {
		line, err := mc.readLine(timeout)
		if err != nil {
			socketErr = true
			if j == 0 && !targetErr && !errors.Is(err, os.ErrDeadlineExceeded) {
				return false, true, false
			}
			break
		}
		if (password != nil && authReply[0] == '-') || (sel && selReply[0] == '-') || line[0] == '-' {
			if !targetErr {
				mc.lastDB = -1
				msg := line
				if password != nil && authReply[0] == '-' {
					msg = authReply
				} else if sel && selReply[0] == '-' {
					msg = selReply
				}
				targetErr = true
				c.addError("ERR Target instance replied with error: " + msg[1:])
			}
			continue
		}
		if !copyKeys {
			k := sent[j]
			c.db.Delete(k)
			s.keyModified(c.db, k)
			s.notify(notifyGeneric, "del", k, c.db.ID)
			s.dirty++
			deleted = append(deleted, k)
		}
	}
	if len(deleted) > 0 {
		c.rewritePropagation(append([][]byte{[]byte("DEL")}, deleted...)...)
	}
	if socketErr {
		s.migrateClose(name)
		if !targetErr {
			c.addError("IOERR error or timeout reading to target instance")
		}
		return true, false, false
	}
	if !targetErr {
		mc.lastDB = dbid
		c.addOK()
	}
	return true, false, false
}

// atoiPrefix is C's atoi: an optional sign and the leading digits, 0 when
// there are none (Redis reads MIGRATE's port with it).
func atoiPrefix(b []byte) int {
	i, neg, n := 0, false, 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9' && n < 1<<31; i++ {
		n = n*10 + int(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}
