package stream

import "github.com/modis/modis/internal/rax"

// InvalidEntriesRead marks a group's entries_read counter as unknown
// (Redis's SCG_INVALID_ENTRIES_READ, shown as nil by XINFO).
const InvalidEntriesRead = -1

// NACK is a pending entry: delivered to a consumer, not acknowledged yet.
// The group PEL and the owning consumer's PEL share it.
type NACK struct {
	Consumer      *Consumer
	DeliveryTime  int64 // unix ms of the last delivery
	DeliveryCount int64
}

// Consumer is a consumer of a group.
type Consumer struct {
	Name     string
	SeenTime int64 // unix ms of the last interaction
	PEL      *rax.Tree[*NACK]
}

// Group is a consumer group.
type Group struct {
	Name        string
	LastID      ID    // last delivered ID
	EntriesRead int64 // logical reads counter, or InvalidEntriesRead
	PEL         *rax.Tree[*NACK]
	Consumers   *rax.Tree[*Consumer]
}

// Groups returns the groups tree, nil when none was ever created.
func (s *Stream) Groups() *rax.Tree[*Group] { return s.groups }

// GroupCount is the number of consumer groups.
func (s *Stream) GroupCount() int {
	if s.groups == nil {
		return 0
	}
	return s.groups.Len()
}

// Group returns the named group or nil.
func (s *Stream) Group(name []byte) *Group {
	if s.groups == nil {
		return nil
	}
	g, _ := s.groups.Find(name)
	return g
}

// CreateGroup adds a group; it returns nil if the name is taken.
func (s *Stream) CreateGroup(name []byte, last ID, entriesRead int64) *Group {
	if s.groups == nil {
		s.groups = rax.New[*Group]()
	}
	if _, ok := s.groups.Find(name); ok {
		return nil
	}
	g := &Group{Name: string(name), LastID: last, EntriesRead: entriesRead,
		PEL: rax.New[*NACK](), Consumers: rax.New[*Consumer]()}
	s.groups.Insert(name, g)
	s.mem += int64(len(name)) + 128
	return g
}

// DestroyGroup removes a group and reports whether it existed.
func (s *Stream) DestroyGroup(name []byte) bool {
	if s.groups == nil {
		return false
	}
	g, ok := s.groups.Remove(name)
	if ok {
		s.mem -= int64(len(name)) + 128 + int64(g.PEL.Len())*48
		it := g.Consumers.Iterator()
		it.Seek("^", nil)
		for _, c, ok := it.Next(); ok; _, c, ok = it.Next() {
			s.mem -= int64(len(c.Name)) + 96
		}
	}
	return ok
}

// Consumer returns the named consumer or nil.
func (g *Group) Consumer(name []byte) *Consumer {
	c, _ := g.Consumers.Find(name)
	return c
}

// CreateConsumer adds a consumer seen at now; it returns nil if the name is
// taken.
func (s *Stream) CreateConsumer(g *Group, name []byte, now int64) *Consumer {
	if _, ok := g.Consumers.Find(name); ok {
		return nil
	}
	c := &Consumer{Name: string(name), SeenTime: now, PEL: rax.New[*NACK]()}
	g.Consumers.Insert(name, c)
	s.mem += int64(len(name)) + 96
	return c
}

// DeleteConsumer removes a consumer and its pending entries from the group
// PEL; it returns how many entries it had pending.
func (s *Stream) DeleteConsumer(g *Group, c *Consumer) int {
	n := c.PEL.Len()
	it := c.PEL.Iterator()
	it.Seek("^", nil)
	for k, _, ok := it.Next(); ok; k, _, ok = it.Next() {
		g.PEL.Remove(k)
	}
	g.Consumers.Remove([]byte(c.Name))
	s.mem -= int64(len(c.Name)) + 96 + int64(n)*48
	return n
}

// AddPending records id as delivered to c at now (a new NACK, or an existing
// one reassigned to c with its count reset to 1), as XREADGROUP does.
func (s *Stream) AddPending(g *Group, c *Consumer, id ID, now int64) *NACK {
	k := id.Key()
	if nack, ok := g.PEL.Find(k[:]); ok {
		nack.Consumer.PEL.Remove(k[:])
		nack.Consumer, nack.DeliveryTime, nack.DeliveryCount = c, now, 1
		c.PEL.Insert(k[:], nack)
		return nack
	}
	nack := &NACK{Consumer: c, DeliveryTime: now, DeliveryCount: 1}
	g.PEL.Insert(k[:], nack)
	c.PEL.Insert(k[:], nack)
	s.mem += 48
	return nack
}

// Ack removes id from the group's PEL (and its consumer's) and reports
// whether it was pending.
func (s *Stream) Ack(g *Group, id ID) bool {
	k := id.Key()
	nack, ok := g.PEL.Remove(k[:])
	if !ok {
		return false
	}
	if nack.Consumer != nil {
		nack.Consumer.PEL.Remove(k[:])
	}
	s.mem -= 48
	return true
}

// ForcePending creates an unowned NACK for id in the group PEL (XCLAIM
// FORCE); Claim then gives it an owner.
func (s *Stream) ForcePending(g *Group, id ID, now int64) *NACK {
	k := id.Key()
	nack := &NACK{DeliveryTime: now, DeliveryCount: 1}
	g.PEL.Insert(k[:], nack)
	s.mem += 48
	return nack
}

// Claim moves nack (pending for id) to consumer c.
func (g *Group) Claim(nack *NACK, id ID, c *Consumer) {
	if nack.Consumer == c {
		return
	}
	k := id.Key()
	if nack.Consumer != nil {
		nack.Consumer.PEL.Remove(k[:])
	}
	c.PEL.Insert(k[:], nack)
	nack.Consumer = c
}

// RangeHasTombstones is streamRangeHasTombstones: whether [start, end]
// (end nil = to the end) may contain a deleted entry.
func (s *Stream) RangeHasTombstones(start ID, end *ID) bool {
	if s.length == 0 || s.MaxDeletedID.IsZero() {
		return false
	}
	if s.FirstID.Cmp(s.MaxDeletedID) > 0 {
		return false
	}
	e := MaxID
	if end != nil {
		e = *end
	}
	return start.Cmp(s.MaxDeletedID) <= 0 && s.MaxDeletedID.Cmp(e) <= 0
}

// EstimateDistance is streamEstimateDistanceFromFirstEverEntry: the logical
// read counter of id, or InvalidEntriesRead when it cannot be known.
func (s *Stream) EstimateDistance(id ID) int64 {
	if s.EntriesAdded == 0 {
		return 0
	}
	if s.length == 0 && id.Cmp(s.LastID) < 1 {
		return int64(s.EntriesAdded)
	}
	switch c := id.Cmp(s.LastID); {
	case c == 0:
		return int64(s.EntriesAdded)
	case c > 0:
		return InvalidEntriesRead
	}
	cmpFirst := id.Cmp(s.FirstID)
	if s.MaxDeletedID.IsZero() || s.MaxDeletedID.Cmp(s.FirstID) < 0 {
		if cmpFirst < 0 {
			return int64(s.EntriesAdded - s.length)
		} else if cmpFirst == 0 {
			return int64(s.EntriesAdded - s.length + 1)
		}
	}
	return InvalidEntriesRead
}

// Lag is the group's lag (streamReplyWithCGLag); ok is false when it cannot
// be computed (XINFO shows nil).
func (s *Stream) Lag(g *Group) (lag int64, ok bool) {
	if s.EntriesAdded == 0 {
		return 0, true
	}
	if g.EntriesRead != InvalidEntriesRead && !s.RangeHasTombstones(g.LastID, nil) {
		return int64(s.EntriesAdded) - g.EntriesRead, true
	}
	if er := s.EstimateDistance(g.LastID); er != InvalidEntriesRead {
		return int64(s.EntriesAdded) - er, true
	}
	return 0, false
}

// Delivered updates the group after delivering id (streamReplyWithRange):
// the read counter advances, or is re-estimated, and the last ID moves.
func (s *Stream) Delivered(g *Group, id ID) {
	if id.Cmp(g.LastID) <= 0 {
		return
	}
	if g.EntriesRead != InvalidEntriesRead && !s.RangeHasTombstones(id, nil) {
		g.EntriesRead++
	} else if s.EntriesAdded > 0 {
		g.EntriesRead = s.EstimateDistance(id)
	}
	g.LastID = id
}
