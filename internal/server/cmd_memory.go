package server

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/modis/modis/internal/keyspace"
)

// MEMORY reports memory use. MEMORY USAGE estimates what Redis 7.0 with
// jemalloc would report for the same value: allocation sizes rounded up to
// jemalloc's size classes, so string keys give the same numbers as Redis.

func init() {
	register(map[string]func(*Client){
		"memory|usage":        memoryUsageCommand,
		"memory|stats":        memoryStatsCommand,
		"memory|doctor":       memoryDoctorCommand,
		"memory|malloc-stats": memoryMallocStatsCommand,
		"memory|purge":        memoryPurgeCommand,
		"memory|help":         memoryHelpCommand,
	})
}

// mallocSize rounds a request up to jemalloc's size class: 8, multiples of
// 16 up to 128, then four classes per power of two.
func mallocSize(n int) int {
	if n <= 8 {
		return 8
	}
	if n <= 128 {
		return (n + 15) &^ 15
	}
	grp := 1
	for grp*2 < n {
		grp *= 2
	}
	step := grp / 4
	return (n + step - 1) / step * step
}

// sdsAllocSize is the allocation of an SDS string of n bytes: header by
// length class, the bytes and the terminator.
func sdsAllocSize(n int) int {
	hdr := 17
	switch {
	case n < 1<<5:
		hdr = 1
	case n < 1<<8:
		hdr = 3
	case n < 1<<16:
		hdr = 5
	case uint64(n) < 1<<32:
		hdr = 9
	}
	return mallocSize(hdr + n + 1)
}

const (
	robjSize      = 16 // Redis's object header
	dictEntrySize = 24 // a hash table entry
)

// memoryUsageHooks estimate collection values (samples: how many elements to
// look at, 0 = all); value type families register them.
var memoryUsageHooks = map[keyspace.Kind]func(o *keyspace.Object, samples int) int{}

// objectMemoryUsage is Redis's objectComputeSize for a value.
func objectMemoryUsage(o *keyspace.Object, samples int) int {
	if o.Kind() == keyspace.KindString {
		switch o.Encoding() {
		case keyspace.EncInt:
			return robjSize
		case keyspace.EncEmbstr:
			return mallocSize(robjSize + 3 + len(o.Bytes()) + 1)
		default:
			return sdsAllocSize(len(o.Bytes())) + robjSize
		}
	}
	if fn := memoryUsageHooks[o.Kind()]; fn != nil {
		return fn(o, samples)
	}
	return robjSize
}

// memoryUsageKey, memoryUsageDB and memoryUsageModuleSamples tell the
// module hook which key MEMORY USAGE is sizing and the sample count as
// Redis hands it to mem_usage2 (0 = all is LLONG_MAX there).
var (
	memoryUsageKey           []byte
	memoryUsageDB            = -1
	memoryUsageModuleSamples = 5
)

func memoryUsageCommand(c *Client) {
	samples := 5
	memoryUsageModuleSamples = 5
	for j := 3; j < len(c.argv); j++ {
		if isOpt(c.argv[j], "samples") && j+1 < len(c.argv) {
			v, err := strconv.ParseInt(string(c.argv[j+1]), 10, 64)
			if err != nil || !isStrictInt(c.argv[j+1]) {
				c.addError(errNotInteger)
				return
			}
			if v < 0 {
				c.addError(errSyntax)
				return
			}
			samples = int(min(v, math.MaxInt32))
			memoryUsageModuleSamples = int(v)
			if v == 0 {
				samples = 0
				memoryUsageModuleSamples = math.MaxInt64
			}
			j++
		} else {
			c.addError(errSyntax)
			return
		}
	}
	key := c.argv[2]
	o := c.db.Lookup(key)
	if o == nil {
		c.addNull()
		return
	}
	memoryUsageKey, memoryUsageDB = key, c.db.ID
	n := objectMemoryUsage(o, samples)
	memoryUsageKey, memoryUsageDB = nil, -1
	c.addInt(int64(n + sdsAllocSize(len(key)) + dictEntrySize))
}

// dictOverhead estimates a hash table's own memory: the entries and the
// bucket array.
func dictOverhead(elements, buckets int) int64 {
	return int64(elements*dictEntrySize + buckets*8)
}

// memoryOverhead splits used_memory as Redis's getMemoryOverheadData
// does: the keyspace's accounting is the dataset, the rest (start-up
// footprint, clients) the overhead; per-database hash table sizes are
// reported alongside.
type memoryOverhead struct {
	startup, clients, total, dataset int64
	dbs                              []dbOverhead
}

type dbOverhead struct {
	id            int
	main, expires int64
}

func (s *Server) memoryOverhead() memoryOverhead {
	used := int64(s.usedMem())
	m := memoryOverhead{startup: baseMemory, clients: int64(len(s.clients)) * perClientMemory}
	for _, db := range s.ks.DBs {
		if db.Len() == 0 {
			continue
		}
		m.dbs = append(m.dbs, dbOverhead{id: db.ID,
			main:    dictOverhead(db.Len(), db.Main().Buckets()),
			expires: dictOverhead(db.ExpiresLen(), db.Expires().Buckets())})
	}
	// The keyspace's own accounting and what C modules allocated are the
	// dataset, as INFO memory reports.
	m.dataset = s.ks.UsedMemory() + moduleAllocMemory()
	m.total = max(used-m.dataset, 0)
	return m
}

func memoryStatsCommand(c *Client) {
	s := c.srv
	used := int64(s.usedMem())
	peak := int64(max(s.intro.peakMemory, uint64(used)))
	rss := int64(rssMemory())
	active := int64(runtimeTotalMemory())
	mo := s.memoryOverhead()
	var keys int64
	for _, db := range s.ks.DBs {
		keys += int64(db.Len())
	}
	dbs, overhead, dataset := mo.dbs, mo.total, mo.dataset
	c.addMapLen(27 + len(dbs))
	kv := func(k string, v int64) {
		c.addBulkString(k)
		c.addInt(v)
	}
	kd := func(k string, v float64) {
		c.addBulkString(k)
		c.addDouble(v)
	}
	kv("peak.allocated", peak)
	kv("total.allocated", used)
	kv("startup.allocated", mo.startup)
	kv("replication.backlog", 0)
	kv("clients.slaves", 0)
	kv("clients.normal", mo.clients)
	kv("cluster.links", 0)
	kv("aof.buffer", 0)
	kv("lua.caches", 0)
	kv("functions.caches", 0)
	for _, d := range dbs {
		c.addBulkString("db." + strconv.Itoa(d.id))
		c.addMapLen(3)
		kv("overhead.hashtable.main", d.main)
		kv("overhead.hashtable.expires", d.expires)
		kv("overhead.hashtable.slot-to-keys", 0)
	}
	kv("overhead.total", overhead)
	kv("keys.count", keys)
	perKey := int64(0)
	if keys > 0 {
		perKey = used / keys
	}
	kv("keys.bytes-per-key", perKey)
	kv("dataset.bytes", dataset)
	kd("dataset.percentage", float64(dataset)*100/float64(max(used, 1)))
	kd("peak.percentage", float64(used)*100/float64(max(peak, 1)))
	kv("allocator.allocated", used)
	kv("allocator.active", active)
	kv("allocator.resident", rss)
	kd("allocator-fragmentation.ratio", float64(active)/float64(max(used, 1)))
	kv("allocator-fragmentation.bytes", active-used)
	kd("allocator-rss.ratio", float64(rss)/float64(max(active, 1)))
	kv("allocator-rss.bytes", rss-active)
	kd("rss-overhead.ratio", 1)
	kv("rss-overhead.bytes", 0)
	kd("fragmentation", float64(rss)/float64(max(used, 1)))
	kv("fragmentation.bytes", rss-used)
}

// memoryDoctorCommand gives a short report of our own on the figures
// MEMORY STATS shows.
func memoryDoctorCommand(c *Client) {
	used := c.srv.usedMem()
	rss := rssMemory()
	var b strings.Builder
	if used < 5<<20 {
		b.WriteString("The dataset is still tiny (under 5MB), so there is nothing meaningful to diagnose yet. Come back once it holds some data.\n")
	} else {
		peak := c.srv.intro.peakMemory
		problems := 0
		if peak > 0 && float64(peak) > float64(used)*1.5 {
			problems++
			fmt.Fprintf(&b, "* Peak memory: %s is well above the current %s; RSS may stay high until the runtime returns pages (MEMORY PURGE helps).\n",
				bytesToHuman(peak), bytesToHuman(used))
		}
		if float64(rss) > float64(used)*1.4 {
			problems++
			fmt.Fprintf(&b, "* Fragmentation: the process holds %s of RAM for %s of data (ratio %.2f).\n",
				bytesToHuman(rss), bytesToHuman(used), float64(rss)/float64(used))
		}
		if problems == 0 {
			b.WriteString("No memory problems detected: usage, peak and resident size look consistent.\n")
		}
	}
	c.addVerbatim([]byte(b.String()), "txt")
}

func memoryMallocStatsCommand(c *Client) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	text := fmt.Sprintf("Go runtime memory statistics (%s)\n"+
		"heap_alloc: %d\nheap_inuse: %d\nheap_idle: %d\nheap_released: %d\nheap_objects: %d\n"+
		"stack_inuse: %d\nsys: %d\nnum_gc: %d\nnext_gc: %d\n",
		runtime.Version(), ms.HeapAlloc, ms.HeapInuse, ms.HeapIdle, ms.HeapReleased, ms.HeapObjects,
		ms.StackInuse, ms.Sys, ms.NumGC, ms.NextGC)
	c.addVerbatim([]byte(text), "txt")
}

func memoryPurgeCommand(c *Client) {
	debug.FreeOSMemory()
	c.addOK()
}

func memoryHelpCommand(c *Client) {
	c.addSubcommandHelp([]string{
		"DOCTOR",
		"    Return memory problems reports.",
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"STATS",
		"    Return information about the memory usage of the server.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
	})
}
