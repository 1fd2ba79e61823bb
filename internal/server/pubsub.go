package server

import (
	"sort"

	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/resp"
)

// Pub/sub: channel, pattern and shard-channel subscriptions, PUBLISH and
// PUBSUB introspection. Messages to other clients go into their output
// buffers under the execution lock and are written by wakeWriterLocked, so
// a publisher never waits for a slow subscriber.

func init() {
	register(map[string]func(*Client){
		"subscribe":            subscribeCommand,
		"unsubscribe":          unsubscribeCommand,
		"psubscribe":           psubscribeCommand,
		"punsubscribe":         punsubscribeCommand,
		"ssubscribe":           ssubscribeCommand,
		"sunsubscribe":         sunsubscribeCommand,
		"publish":              publishCommand,
		"spublish":             spublishCommand,
		"pubsub|channels":      pubsubChannelsCommand,
		"pubsub|shardchannels": pubsubShardChannelsCommand,
		"pubsub|numsub":        pubsubNumsubCommand,
		"pubsub|shardnumsub":   pubsubShardNumsubCommand,
		"pubsub|numpat":        pubsubNumpatCommand,
		"pubsub|help":          pubsubHelpCommand,
	})
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) { s.unsubscribeAll(c, false) })
}

// subKind distinguishes the three subscription namespaces.
type subKind int

const (
	subChannel subKind = iota
	subPattern
	subShard
)

// Reply and message type names per kind.
var (
	subscribeNames   = [3]string{"subscribe", "psubscribe", "ssubscribe"}
	unsubscribeNames = [3]string{"unsubscribe", "punsubscribe", "sunsubscribe"}
)

// orderedSet is a set of strings that remembers insertion order, so
// "unsubscribe from all" replies in a stable order.
type orderedSet struct {
	idx  map[string]int
	list []string
}

func (o *orderedSet) add(s string) bool {
	if _, ok := o.idx[s]; ok {
		return false
	}
	if o.idx == nil {
		o.idx = map[string]int{}
	}
	o.idx[s] = len(o.list)
	o.list = append(o.list, s)
	return true
}

func (o *orderedSet) remove(s string) bool {
	i, ok := o.idx[s]
	if !ok {
		return false
	}
	delete(o.idx, s)
	copy(o.list[i:], o.list[i+1:])
	o.list = o.list[:len(o.list)-1]
	for j := i; j < len(o.list); j++ {
		o.idx[o.list[j]] = j
	}
	return true
}

func (o *orderedSet) len() int { return len(o.list) }

// pubsubState is one client's subscriptions.
type pubsubState struct {
	sets [3]orderedSet
}

// pubsubServer is the server side: subscribers per channel / pattern /
// shard channel, in subscription order (the delivery order).
type pubsubServer struct {
	subs [3]map[string][]*Client
}

// pubsubReg returns the server's pub/sub registry, creating it on first use.
func (s *Server) pubsubReg() *pubsubServer {
	if s.pubsub == nil {
		s.pubsub = &pubsubServer{}
		for i := range s.pubsub.subs {
			s.pubsub.subs[i] = map[string][]*Client{}
		}
	}
	return s.pubsub
}

// subCount is what (un)subscribe replies report: channels plus patterns
// for those two kinds, shard channels for the shard kind.
func (c *Client) subCount(kind subKind) int {
	if c.ps == nil {
		return 0
	}
	if kind == subShard {
		return c.ps.sets[subShard].len()
	}
	return c.ps.sets[subChannel].len() + c.ps.sets[subPattern].len()
}

// inPubsub reports whether the client has any subscription (flag P).
func (c *Client) inPubsub() bool {
	return c.ps != nil && c.ps.sets[0].len()+c.ps.sets[1].len()+c.ps.sets[2].len() > 0
}

// rejectInPubsubContext enforces RESP2's subscribed-mode command subset.
func (c *Client) rejectInPubsubContext(cp *cmdProc) bool {
	if c.resp != 2 || !c.inPubsub() {
		return false
	}
	switch cp.spec.Name {
	case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
		"psubscribe", "punsubscribe", "quit", "reset":
		return false
	}
	cp.rejectedCalls++
	c.srv.rejectCommand(c, "ERR Can't execute '"+cp.spec.Name+"': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
	return true
}

// addPushLen starts a pub/sub reply: an array in RESP2, a push in RESP3.
func (c *Client) addPushLen(n int) {
	if !c.replyOff {
		c.out = resp.AppendPushLen(c.out, n, c.resp)
	}
}

// replySubscribed confirms a (un)subscription. Like every pub/sub push it
// is sent even under CLIENT REPLY OFF/SKIP (Redis's CLIENT_PUSHING).
func (c *Client) replySubscribed(kind subKind, name string, subscribed bool) {
	saved := c.replyOff
	c.replyOff = false
	defer func() { c.replyOff = saved }()
	c.addPushLen(3)
	if subscribed {
		c.addBulkString(subscribeNames[kind])
	} else {
		c.addBulkString(unsubscribeNames[kind])
	}
	c.addBulkString(name)
	c.addInt(int64(c.subCount(kind)))
}

func (s *Server) subscribe(c *Client, kind subKind, name string) {
	if c.ps == nil {
		c.ps = &pubsubState{}
	}
	if c.ps.sets[kind].add(name) {
		reg := s.pubsubReg()
		reg.subs[kind][name] = append(reg.subs[kind][name], c)
	}
	c.replySubscribed(kind, name, true)
}

// unsubscribe removes one subscription; it reports whether there was one.
func (s *Server) unsubscribe(c *Client, kind subKind, name string, notify bool) bool {
	removed := c.ps != nil && c.ps.sets[kind].remove(name)
	if removed {
		reg := s.pubsubReg()
		list := reg.subs[kind][name]
		for i, x := range list {
			if x == c {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(reg.subs[kind], name)
		} else {
			reg.subs[kind][name] = list
		}
	}
	if notify {
		c.replySubscribed(kind, name, false)
	}
	return removed
}

// unsubscribeKind drops every subscription of one kind, replying for each
// when notify is set (and once with a null name when there were none).
func (s *Server) unsubscribeKind(c *Client, kind subKind, notify bool) {
	var names []string
	if c.ps != nil {
		names = append(names, c.ps.sets[kind].list...)
	}
	for _, n := range names {
		s.unsubscribe(c, kind, n, notify)
	}
	if notify && len(names) == 0 {
		saved := c.replyOff
		c.replyOff = false
		defer func() { c.replyOff = saved }()
		c.addPushLen(3)
		c.addBulkString(unsubscribeNames[kind])
		c.addNull()
		c.addInt(int64(c.subCount(kind)))
	}
}

// unsubscribeAll clears every subscription (RESET, disconnect).
func (s *Server) unsubscribeAll(c *Client, notify bool) {
	if c.ps == nil {
		return
	}
	for k := subChannel; k <= subShard; k++ {
		s.unsubscribeKind(c, k, notify)
	}
	c.ps = nil
}

func subscribeGeneric(c *Client, kind subKind) {
	for _, a := range c.argv[1:] {
		c.srv.subscribe(c, kind, string(a))
	}
}

func unsubscribeGeneric(c *Client, kind subKind) {
	if len(c.argv) == 1 {
		c.srv.unsubscribeKind(c, kind, true)
		return
	}
	for _, a := range c.argv[1:] {
		c.srv.unsubscribe(c, kind, string(a), true)
	}
}

func subscribeCommand(c *Client)    { subscribeGeneric(c, subChannel) }
func psubscribeCommand(c *Client)   { subscribeGeneric(c, subPattern) }
func ssubscribeCommand(c *Client)   { subscribeGeneric(c, subShard) }
func unsubscribeCommand(c *Client)  { unsubscribeGeneric(c, subChannel) }
func punsubscribeCommand(c *Client) { unsubscribeGeneric(c, subPattern) }
func sunsubscribeCommand(c *Client) { unsubscribeGeneric(c, subShard) }

// pushTo queues a message for target. Pub/sub messages (push) ignore
// CLIENT REPLY OFF/SKIP as in Redis; other output (MONITOR) respects the
// target's reply mode.
func (s *Server) pushTo(target *Client, push bool, msg func(proto int, dst []byte) []byte) {
	if target.closed {
		return
	}
	if target == s.current {
		if target.replyOff && !push {
			return
		}
		target.out = msg(target.resp, target.out)
		return
	}
	if target.replyOffMode && !push {
		return
	}
	target.out = msg(target.resp, target.out)
	if s.checkOutputLimits(target) {
		return
	}
	target.wakeWriterLocked()
}

// publish delivers message to the subscribers of channel and of matching
// patterns and returns how many received it. Keyspace notifications use
// it too.
func (s *Server) publish(channel, message []byte) int {
	return s.publishKind(subChannel, channel, message)
}

func (s *Server) publishKind(kind subKind, channel, message []byte) int {
	if s.pubsub == nil {
		return 0
	}
	reg := s.pubsub
	n := 0
	msgType := "message"
	if kind == subShard {
		msgType = "smessage"
	}
	if list := reg.subs[kind][string(channel)]; len(list) > 0 {
		// Copy: a subscriber hitting its output limit is unlinked while we
		// iterate.
		for _, t := range append([]*Client(nil), list...) {
			s.pushTo(t, true, func(proto int, dst []byte) []byte {
				dst = resp.AppendPushLen(dst, 3, proto)
				dst = resp.AppendBulkString(dst, msgType)
				dst = resp.AppendBulk(dst, channel)
				return resp.AppendBulk(dst, message)
			})
			n++
		}
	}
	if kind != subChannel || len(reg.subs[subPattern]) == 0 {
		return n
	}
	for pat, list := range reg.subs[subPattern] {
		if !glob.Match([]byte(pat), channel) {
			continue
		}
		for _, t := range append([]*Client(nil), list...) {
			s.pushTo(t, true, func(proto int, dst []byte) []byte {
				dst = resp.AppendPushLen(dst, 4, proto)
				dst = resp.AppendBulkString(dst, "pmessage")
				dst = resp.AppendBulkString(dst, pat)
				dst = resp.AppendBulk(dst, channel)
				return resp.AppendBulk(dst, message)
			})
			n++
		}
	}
	return n
}

func publishCommand(c *Client) {
	c.propForce = PropagateRepl // replicas' subscribers get it too
	c.addInt(int64(c.srv.publishKind(subChannel, c.argv[1], c.argv[2])))
}

func spublishCommand(c *Client) {
	c.propForce = PropagateRepl
	c.addInt(int64(c.srv.publishKind(subShard, c.argv[1], c.argv[2])))
}

func pubsubChannelsGeneric(c *Client, kind subKind) {
	if len(c.argv) > 3 {
		c.addError("ERR unknown subcommand or wrong number of arguments for '" +
			string(c.argv[1]) + "'. Try PUBSUB HELP.")
		return
	}
	var pat []byte
	if len(c.argv) == 3 {
		pat = c.argv[2]
	}
	var names []string
	if c.srv.pubsub != nil {
		for name := range c.srv.pubsub.subs[kind] {
			if pat == nil || glob.Match(pat, []byte(name)) {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	c.addBulkStrings(names)
}

func pubsubChannelsCommand(c *Client)      { pubsubChannelsGeneric(c, subChannel) }
func pubsubShardChannelsCommand(c *Client) { pubsubChannelsGeneric(c, subShard) }

func pubsubNumsubGeneric(c *Client, kind subKind) {
	c.addArrayLen((len(c.argv) - 2) * 2)
	for _, a := range c.argv[2:] {
		c.addBulk(a)
		n := 0
		if c.srv.pubsub != nil {
			n = len(c.srv.pubsub.subs[kind][string(a)])
		}
		c.addInt(int64(n))
	}
}

func pubsubNumsubCommand(c *Client)      { pubsubNumsubGeneric(c, subChannel) }
func pubsubShardNumsubCommand(c *Client) { pubsubNumsubGeneric(c, subShard) }

// pubsubCount is the number of channels (or patterns, or shard channels)
// with at least one subscriber (INFO stats).
func (s *Server) pubsubCount(kind subKind) int64 {
	if s.pubsub == nil {
		return 0
	}
	return int64(len(s.pubsub.subs[kind]))
}

func pubsubNumpatCommand(c *Client) {
	n := 0
	if c.srv.pubsub != nil {
		n = len(c.srv.pubsub.subs[subPattern])
	}
	c.addInt(int64(n))
}

var pubsubHelp = []string{
	"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CHANNELS [<pattern>]",
	"    Return the currently active channels matching a <pattern> (default: '*').",
	"NUMPAT",
	"    Return number of subscriptions to patterns.",
	"NUMSUB [<channel> ...]",
	"    Return the number of subscribers for the specified channels, excluding",
	"    pattern subscriptions(default: no channels).",
	"SHARDCHANNELS [<pattern>]",
	"    Return the currently active shard level channels matching a <pattern> (default: '*').",
	"SHARDNUMSUB [<shardchannel> ...]",
	"    Return the number of subscribers for the specified shard level channel(s)",
	"HELP",
	"    Prints this help.",
}

func pubsubHelpCommand(c *Client) { c.addHelp(pubsubHelp) }

// addHelp replies with help lines as status strings (Redis's addReplyHelp).
func (c *Client) addHelp(lines []string) {
	c.addArrayLen(len(lines))
	for _, l := range lines {
		c.addSimple(l)
	}
}

// pingInPubsub answers PING in RESP2 subscribed mode: ["pong", arg-or-""].
// It reports whether it replied.
func (c *Client) pingInPubsub() bool {
	if c.resp != 2 || !c.inPubsub() {
		return false
	}
	c.addArrayLen(2)
	c.addBulkString("pong")
	if len(c.argv) > 1 {
		c.addBulk(c.argv[1])
	} else {
		c.addBulkString("")
	}
	return true
}
