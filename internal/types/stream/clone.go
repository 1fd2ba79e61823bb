package stream

import "github.com/modis/modis/internal/rax"

// Clone returns a deep copy (Redis's streamDup for COPY): entries,
// metadata, groups, consumers and their shared pending entries.
func (s *Stream) Clone() *Stream {
	d := &Stream{rax: rax.New[*node](), length: s.length, LastID: s.LastID, FirstID: s.FirstID,
		MaxDeletedID: s.MaxDeletedID, EntriesAdded: s.EntriesAdded, mem: s.mem}
	it := s.rax.Iterator()
	it.Seek("^", nil)
	for k, n, ok := it.Next(); ok; k, n, ok = it.Next() {
		c := *n
		c.buf = append([]byte(nil), n.buf...)
		c.fields = append([]byte(nil), n.fields...)
		d.rax.Insert(k, &c)
	}
	if s.groups == nil {
		return d
	}
	d.groups = rax.New[*Group]()
	git := s.groups.Iterator()
	git.Seek("^", nil)
	for name, g, ok := git.Next(); ok; name, g, ok = git.Next() {
		ng := &Group{Name: g.Name, LastID: g.LastID, EntriesRead: g.EntriesRead,
			PEL: rax.New[*NACK](), Consumers: rax.New[*Consumer]()}
		cons := map[*Consumer]*Consumer{}
		cit := g.Consumers.Iterator()
		cit.Seek("^", nil)
		for cname, c, ok := cit.Next(); ok; cname, c, ok = cit.Next() {
			nc := &Consumer{Name: c.Name, SeenTime: c.SeenTime, PEL: rax.New[*NACK]()}
			cons[c] = nc
			ng.Consumers.Insert(cname, nc)
		}
		pit := g.PEL.Iterator()
		pit.Seek("^", nil)
		for id, nack, ok := pit.Next(); ok; id, nack, ok = pit.Next() {
			nn := &NACK{Consumer: cons[nack.Consumer], DeliveryTime: nack.DeliveryTime, DeliveryCount: nack.DeliveryCount}
			ng.PEL.Insert(id, nn)
			if nn.Consumer != nil {
				nn.Consumer.PEL.Insert(id, nn)
			}
		}
		d.groups.Insert(name, ng)
	}
	return d
}
