package list

import "github.com/modis/modis/internal/resp"

// AppendBulks appends n elements as RESP bulk strings to dst, starting at
// index start (negative counts from the tail) and walking towards the tail,
// or towards the head when reverse; it stops early at the end of the list.
// It is the LRANGE reply loop: walking the nodes' buffers directly costs
// less than an iterator call per element.
func (l *List) AppendBulks(dst []byte, start, n int, reverse bool) []byte {
	nd, i := l.locate(start)
	for nd != nil && n > 0 {
		offs, buf := nd.offs, nd.buf
		if reverse {
			for ; i >= 0 && n > 0; i, n = i-1, n-1 {
				end := len(buf)
				if i+1 < len(offs) {
					end = int(offs[i+1])
				}
				dst = resp.AppendBulk(dst, buf[offs[i]:end])
			}
			if nd = nd.prev; nd != nil {
				i = nd.count() - 1
			}
			continue
		}
		for ; i < len(offs) && n > 0; i, n = i+1, n-1 {
			end := len(buf)
			if i+1 < len(offs) {
				end = int(offs[i+1])
			}
			dst = resp.AppendBulk(dst, buf[offs[i]:end])
		}
		nd, i = nd.next, 0
	}
	return dst
}
