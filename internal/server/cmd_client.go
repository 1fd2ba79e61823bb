package server

import (
	"net"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/modis/modis/internal/acl"
)

// CLIENT subcommands: introspection (ID, INFO, LIST, GETNAME), control
// (SETNAME, KILL, PAUSE, UNPAUSE, REPLY, NO-EVICT, UNBLOCK) and HELP.

func init() {
	register(map[string]func(*Client){
		"client|id":           clientIDCommand,
		"client|info":         clientInfoCommand,
		"client|list":         clientListCommand,
		"client|getname":      clientGetnameCommand,
		"client|setname":      clientSetnameCommand,
		"client|kill":         clientKillCommand,
		"client|pause":        clientPauseCommand,
		"client|unpause":      clientUnpauseCommand,
		"client|reply":        clientReplyCommand,
		"client|no-evict":     clientNoEvictCommand,
		"client|unblock":      clientUnblockCommand,
		"client|getredir":     clientGetredirCommand,
		"client|trackinginfo": clientTrackinginfoCommand,
		"client|caching":      clientCachingCommand,
		"client|help":         clientHelpCommand,
	})
}

// Client types as Redis numbers them (client-output-buffer-limit classes).
const (
	clientTypeNormal = iota
	clientTypeReplica
	clientTypePubsub
	clientTypeMaster
)

// clientType is Redis's getClientType. MONITOR clients count as normal.
func (c *Client) clientType() int {
	if t := c.replClientType(); t >= 0 {
		return t
	}
	if c.inPubsub() {
		return clientTypePubsub
	}
	return clientTypeNormal
}

// clientTypeByName parses a TYPE argument; -1 if unknown.
func clientTypeByName(name string) int {
	switch strings.ToLower(cstr(name)) {
	case "normal":
		return clientTypeNormal
	case "slave", "replica":
		return clientTypeReplica
	case "pubsub":
		return clientTypePubsub
	case "master":
		return clientTypeMaster
	}
	return -1
}

// clientParseInt parses an integer the way Redis's string2ll does: an
// optional '-', digits without leading zeros, within int64.
func clientParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	d := b
	if d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || d[0] < '1' || d[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	return v, err == nil
}

// connFD returns the socket's file descriptor, or -1.
func connFD(conn net.Conn) int {
	if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		conn = tc.NetConn() // TLS: the socket underneath
	}
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return -1
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	rc.Control(func(f uintptr) { fd = int(f) })
	return fd
}

// peerID is the client's address as CLIENT LIST prints it ("ip:port", or
// the socket path and ":0" for unix sockets).
func (c *Client) peerID() string {
	if c.unixSock {
		return c.srv.cfg.Unixsocket + ":0"
	}
	return c.conn.RemoteAddr().String()
}

// sockName is the local address ("laddr").
func (c *Client) sockName() string {
	if c.unixSock {
		return c.srv.cfg.Unixsocket + ":0"
	}
	return c.conn.LocalAddr().String()
}

// clientFlagsHook lets other families add flag letters (blocked 'b',
// dirty CAS 'd', tracking 't').
var clientFlagsHook func(c *Client) string

func (c *Client) flagString() string {
	var b []byte
	b = append(b, c.replFlags()...)
	if c.monitor {
		b = append(b, 'O')
	}
	if c.inPubsub() {
		b = append(b, 'P')
	}
	if c.multi != nil {
		b = append(b, 'x')
	}
	if clientFlagsHook != nil {
		b = append(b, clientFlagsHook(c)...)
	}
	if c.dirtyCAS {
		b = append(b, 'd')
	}
	if c.closeAfterReply {
		b = append(b, 'c')
	}
	if c.closed {
		b = append(b, 'A')
	}
	if c.unixSock {
		b = append(b, 'U')
	}
	if c.noEvict {
		b = append(b, 'e')
	}
	if len(b) == 0 {
		return "N"
	}
	return string(b)
}

// appendClientInfo writes one CLIENT LIST line (without the newline), with
// Redis 7.0's fields in its order. Memory figures are Modis's own.
func (s *Server) appendClientInfo(b []byte, c *Client) []byte {
	now := time.Now()
	self := c == s.current
	field := func(name string) { b = append(b, ' '); b = append(b, name...); b = append(b, '=') }
	num := func(name string, v int64) { field(name); b = strconv.AppendInt(b, v, 10) }
	b = append(b, "id="...)
	b = strconv.AppendUint(b, c.id, 10)
	field("addr")
	b = append(b, c.peerID()...)
	field("laddr")
	b = append(b, c.sockName()...)
	num("fd", int64(c.fd))
	field("name")
	b = append(b, c.name...)
	num("age", int64(now.Sub(c.createdAt)/time.Second))
	num("idle", int64(now.Sub(c.lastInteract)/time.Second))
	field("flags")
	b = append(b, c.flagString()...)
	num("db", int64(c.db.ID))
	var sub, psub, ssub int
	if c.ps != nil {
		sub, psub, ssub = c.ps.sets[subChannel].len(), c.ps.sets[subPattern].len(), c.ps.sets[subShard].len()
	}
	num("sub", int64(sub))
	num("psub", int64(psub))
	num("ssub", int64(ssub))
	multi, multiMem := int64(-1), int64(0)
	if c.multi != nil {
		multi = int64(len(c.multi.queued))
		for _, q := range c.multi.queued {
			for _, a := range q.argv {
				multiMem += int64(len(a))
			}
		}
	}
	num("multi", multi)
	var qbuf, argvMem int64
	if self {
		// The parser belongs to the connection goroutine; only our own is
		// safe to look at (we are running on it).
		if c.parser != nil { // module call clients have none
			qbuf = int64(c.parser.Buffered())
		}
		for _, a := range c.argv {
			argvMem += int64(len(a))
		}
	}
	num("qbuf", qbuf)
	num("qbuf-free", 0)
	num("argv-mem", argvMem)
	num("multi-mem", multiMem)
	num("rbs", readChunk)
	num("rbp", readChunk)
	obl := int64(len(c.out))
	omem := obl + c.inflight.Load()
	num("obl", obl)
	num("oll", 0)
	num("omem", omem)
	num("tot-mem", int64(readChunk)+omem+qbuf+argvMem+multiMem+int64(cap(c.out)))
	field("events")
	if c.writing.Load() {
		b = append(b, "rw"...)
	} else {
		b = append(b, 'r')
	}
	field("cmd")
	if c.lastCmd == "" {
		b = append(b, "NULL"...)
	} else {
		b = append(b, c.lastCmd...)
	}
	field("user")
	b = append(b, c.userName()...)
	num("redir", -1)
	num("resp", int64(c.resp))
	return b
}

// sortedClients returns the connected clients in creation order.
func (s *Server) sortedClients() []*Client {
	out := make([]*Client, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func clientIDCommand(c *Client) { c.addInt(int64(c.id)) }

func clientInfoCommand(c *Client) {
	b := c.srv.appendClientInfo(nil, c)
	b = append(b, '\n')
	c.addVerbatim(b, "txt")
}

func clientListCommand(c *Client) {
	s := c.srv
	typ := -1
	var b []byte
	switch {
	case len(c.argv) == 4 && isOpt(c.argv[2], "type"):
		typ = clientTypeByName(string(c.argv[3]))
		if typ == -1 {
			c.addError("ERR Unknown client type '" + cstr(string(c.argv[3])) + "'")
			return
		}
	case len(c.argv) > 3 && isOpt(c.argv[2], "id"):
		b = []byte{}
		for _, a := range c.argv[3:] {
			id, ok := clientParseInt(a)
			if !ok {
				c.addError("ERR Invalid client ID")
				return
			}
			if t := s.clients[uint64(id)]; t != nil && id > 0 {
				b = s.appendClientInfo(b, t)
				b = append(b, '\n')
			}
		}
	case len(c.argv) != 2:
		c.addError(errSyntax)
		return
	}
	if b == nil {
		b = []byte{}
		for _, t := range s.sortedClients() {
			if typ != -1 && t.clientType() != typ {
				continue
			}
			b = s.appendClientInfo(b, t)
			b = append(b, '\n')
		}
	}
	c.addVerbatim(b, "txt")
}

func clientGetnameCommand(c *Client) {
	if c.name == "" {
		c.addNull()
		return
	}
	c.addBulkString(c.name)
}

func clientSetnameCommand(c *Client) {
	if c.setClientName(c.argv[2]) {
		c.addOK()
	}
}

// killClient disconnects t at once (Redis's freeClient): it disappears
// from CLIENT LIST and its subscriptions end before the caller continues.
func (s *Server) killClient(t *Client) {
	t.closed = true
	s.unlinkClient(t)
	t.conn.Close()
}

func clientKillCommand(c *Client) {
	s := c.srv
	var addr, laddr *string
	var killUser *acl.User
	typ := -1
	var id int64
	skipme := true
	argc := len(c.argv)
	switch {
	case argc == 3:
		a := string(c.argv[2])
		addr = &a
		skipme = false // the old form may kill the caller
	default:
		for i := 2; i < argc; i += 2 {
			opt := optLower(c.argv[i])
			if i+1 >= argc {
				c.addError(errSyntax)
				return
			}
			val := string(c.argv[i+1])
			switch opt {
			case "id":
				v, ok := clientParseInt(c.argv[i+1])
				if !ok || v < 1 {
					c.addError("ERR client-id should be greater than 0")
					return
				}
				id = v
			case "type":
				typ = clientTypeByName(val)
				if typ == -1 {
					c.addError("ERR Unknown client type '" + cstr(val) + "'")
					return
				}
			case "addr":
				addr = &val
			case "laddr":
				laddr = &val
			case "user":
				if killUser = s.acl.users.Get(val); killUser == nil {
					c.addError("ERR No such user '" + cstr(val) + "'")
					return
				}
			case "skipme":
				switch strings.ToLower(val) {
				case "yes":
					skipme = true
				case "no":
					skipme = false
				default:
					c.addError(errSyntax)
					return
				}
			default:
				c.addError(errSyntax)
				return
			}
		}
	}
	killed := 0
	for _, t := range s.sortedClients() {
		if addr != nil && t.peerID() != *addr {
			continue
		}
		if laddr != nil && t.sockName() != *laddr {
			continue
		}
		if killUser != nil && t.user != killUser {
			continue
		}
		if typ != -1 && t.clientType() != typ {
			continue
		}
		if id != 0 && int64(t.id) != id {
			continue
		}
		if t == c && skipme {
			continue
		}
		if t == c {
			c.closeAfterReply = true
		} else {
			s.killClient(t)
		}
		killed++
	}
	if argc == 3 {
		if killed == 0 {
			c.addError("ERR No such client")
		} else {
			c.addOK()
		}
		return
	}
	c.addInt(int64(killed))
}

func clientPauseCommand(c *Client) {
	if len(c.argv) > 4 {
		c.addSubcommandSyntaxError()
		return
	}
	typ := pauseAll
	if len(c.argv) == 4 {
		switch optLower(c.argv[3]) {
		case "write":
			typ = pauseWrite
		case "all":
			typ = pauseAll
		default:
			c.addError("ERR CLIENT PAUSE mode must be WRITE or ALL")
			return
		}
	}
	ms, ok := clientParseInt(c.argv[2])
	if !ok {
		c.addError("ERR timeout is not an integer or out of range")
		return
	}
	if ms < 0 {
		c.addError(errTimeoutNeg)
		return
	}
	var end int64
	if ms > 0 {
		end = ms + time.Now().UnixMilli() // wraps like Redis's mstime() sum
	}
	c.srv.pauseClients(end, typ)
	c.addOK()
}

func clientUnpauseCommand(c *Client) {
	c.srv.unpauseClients()
	c.addOK()
}

func clientReplyCommand(c *Client) {
	switch optLower(c.argv[2]) {
	case "on":
		c.replyOffMode, c.replySkipNext, c.replyOff = false, false, false
		c.addOK()
	case "off":
		c.replyOffMode, c.replyOff = true, true
	case "skip":
		if !c.replyOffMode {
			c.replySkipNext = true
		}
	default:
		c.addError(errSyntax)
	}
}

func clientNoEvictCommand(c *Client) {
	switch optLower(c.argv[2]) {
	case "on":
		c.noEvict = true
	case "off":
		c.noEvict = false
	default:
		c.addError(errSyntax)
		return
	}
	c.addOK()
}

// unblockClientHook unblocks a blocked client (set by the blocking-command
// family); it reports whether target was blocked.
var unblockClientHook func(target *Client, withError bool) bool

func clientUnblockCommand(c *Client) {
	if len(c.argv) > 4 {
		c.addSubcommandSyntaxError()
		return
	}
	withError := false
	if len(c.argv) == 4 {
		switch optLower(c.argv[3]) {
		case "timeout":
		case "error":
			withError = true
		default:
			c.addError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	id, ok := clientParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	t := c.srv.clients[uint64(id)]
	if t != nil && id > 0 && unblockClientHook != nil && unblockClientHook(t, withError) {
		c.addInt(1)
		return
	}
	c.addInt(0)
}

func clientGetredirCommand(c *Client) { c.addInt(-1) }

// clientCachingCommand: without CLIENT TRACKING (not implemented yet) no
// client is ever in OPTIN/OPTOUT mode.
func clientCachingCommand(c *Client) {
	c.addError("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
}

func clientTrackinginfoCommand(c *Client) {
	c.addMapLen(3)
	c.addBulkString("flags")
	c.addSetLen(1)
	c.addBulkString("off")
	c.addBulkString("redirect")
	c.addInt(-1)
	c.addBulkString("prefixes")
	c.addArrayLen(0)
}

var clientHelp = []string{
	"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
	"         [OPTIN] [OPTOUT] [NOLOOP]",
	"    Control server assisted client side caching.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
	"HELP",
	"    Prints this help.",
}

func clientHelpCommand(c *Client) { c.addHelp(clientHelp) }
