package server

import (
	"strconv"

	"github.com/modis/modis/internal/types/stream"
)

// Propagation of consumer-group changes as Redis 7.0 writes them to the
// AOF and replicas: XREADGROUP, XCLAIM and XAUTOCLAIM depend on the time
// (idle times, delivery times) and are not replayed as such; each entry
// they deliver or claim propagates as an XCLAIM that sets its state
// exactly, and the group's last ID as XGROUP SETID.

// propagateXClaim queues "XCLAIM key group consumer 0 id TIME t
// RETRYCOUNT n FORCE JUSTID LASTID last" for a pending entry (Redis's
// streamPropagateXCLAIM).
func (c *Client) propagateXClaim(key []byte, g *stream.Group, id stream.ID, consumer string, deliveryTime, deliveryCount int64) {
	c.srv.alsoPropagate(c.db.ID, [][]byte{
		[]byte("XCLAIM"), key, []byte(g.Name), []byte(consumer), []byte("0"), id.Append(nil),
		[]byte("TIME"), strconv.AppendInt(nil, deliveryTime, 10),
		[]byte("RETRYCOUNT"), strconv.AppendInt(nil, deliveryCount, 10),
		[]byte("FORCE"), []byte("JUSTID"), []byte("LASTID"), g.LastID.Append(nil),
	}, propagateAll)
}

// propagateGroupID queues "XGROUP SETID key group last ENTRIESREAD n"
// (Redis's streamPropagateGroupID).
func (c *Client) propagateGroupID(key []byte, g *stream.Group) {
	c.srv.alsoPropagate(c.db.ID, [][]byte{
		[]byte("XGROUP"), []byte("SETID"), key, []byte(g.Name), g.LastID.Append(nil),
		[]byte("ENTRIESREAD"), strconv.AppendInt(nil, g.EntriesRead, 10),
	}, propagateAll)
}

// propagateConsumerCreation queues "XGROUP CREATECONSUMER key group name".
func (c *Client) propagateConsumerCreation(key []byte, g *stream.Group, consumer []byte) {
	c.srv.alsoPropagate(c.db.ID, [][]byte{
		[]byte("XGROUP"), []byte("CREATECONSUMER"), key, []byte(g.Name), consumer,
	}, propagateAll)
}

// propagateDelivered queues the XCLAIM of each of the n entries an
// XREADGROUP just delivered from start on (the first n live entries).
func (c *Client) propagateDelivered(key []byte, s *stream.Stream, g *stream.Group, start stream.ID, n int64) {
	it := s.Iter(start, stream.MaxID, false)
	for id, _, ok := it.Next(); ok && n > 0; id, _, ok = it.Next() {
		k := id.Key()
		if nack, found := g.PEL.Find(k[:]); found && nack.Consumer != nil {
			c.propagateXClaimLast(key, g, id, nack, id)
		}
		n--
	}
}

// propagateXClaimLast is propagateXClaim with the group's last ID as it
// was right after id was delivered (XREADGROUP moves it entry by entry).
func (c *Client) propagateXClaimLast(key []byte, g *stream.Group, id stream.ID, nack *stream.NACK, last stream.ID) {
	saved := g.LastID
	g.LastID = last
	c.propagateXClaim(key, g, id, nack.Consumer.Name, nack.DeliveryTime, nack.DeliveryCount)
	g.LastID = saved
}
