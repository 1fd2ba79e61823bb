package server

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/modis/modis/internal/command"
)

// INFO is built from sections in Redis 7.0's order. A section has a fixed
// list of fields (name and value function) and optionally dynamic lines
// (commandstats, keyspace, ...). Other command families add or override
// fields from their init functions with setInfoField, e.g. the eviction code
// provides used_memory and maxmemory_policy, the clients code blocked_clients.

// infoField is one "name:value" line of a section.
type infoField struct {
	name  string
	value func(s *Server) string
}

// infoSection is one "# Title" block of INFO.
type infoSection struct {
	name    string // lower case, as INFO arguments name it
	title   string // as printed after "# "
	def     bool   // part of INFO / INFO default
	all     bool   // part of INFO all (everything adds the rest)
	fields  []infoField
	dynamic func(s *Server, b *strings.Builder) // lines after the fields
}

// infoSections lists the sections in output order.
var infoSections []*infoSection

func infoSectionNamed(name string) *infoSection {
	for _, sec := range infoSections {
		if sec.name == name {
			return sec
		}
	}
	return nil
}

// setInfoField sets the value function of a field in a section. A field
// that is not there yet is appended at the section's end, or inserted after
// the field named after when that is given. Call from init.
func setInfoField(section, name, after string, fn func(s *Server) string) {
	sec := infoSectionNamed(section)
	if sec == nil {
		panic("info: no section " + section)
	}
	for i := range sec.fields {
		if sec.fields[i].name == name {
			sec.fields[i].value = fn
			return
		}
	}
	f := infoField{name, fn}
	if after != "" {
		for i := range sec.fields {
			if sec.fields[i].name == after {
				sec.fields = append(sec.fields[:i+1], append([]infoField{f}, sec.fields[i+1:]...)...)
				return
			}
		}
	}
	sec.fields = append(sec.fields, f)
}

// addInfoSection registers an extra section (for example a module's) after
// the built-in ones; it is printed by INFO everything and by name.
func addInfoSection(name, title string, fields []infoField, dynamic func(s *Server, b *strings.Builder)) {
	infoSections = append(infoSections, &infoSection{name: name, title: title, fields: fields, dynamic: dynamic})
}

// Value helpers for field tables.
func fInt(fn func(s *Server) int64) func(s *Server) string {
	return func(s *Server) string { return strconv.FormatInt(fn(s), 10) }
}

func fConst(v string) func(s *Server) string { return func(*Server) string { return v } }

func fFloat2(fn func(s *Server) float64) func(s *Server) string {
	return func(s *Server) string { return strconv.FormatFloat(fn(s), 'f', 2, 64) }
}

func fields(pairs ...any) []infoField {
	out := make([]infoField, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		name := pairs[i].(string)
		switch v := pairs[i+1].(type) {
		case string:
			out = append(out, infoField{name, fConst(v)})
		case func(s *Server) string:
			out = append(out, infoField{name, v})
		case func(s *Server) int64:
			out = append(out, infoField{name, fInt(v)})
		default:
			panic("info: bad field value for " + name)
		}
	}
	return out
}

// bytesToHuman formats a byte count as Redis's INFO does ("1.06M").
func bytesToHuman(n uint64) string {
	units := []string{"K", "M", "G", "T", "P"}
	if n < 1024 {
		return strconv.FormatUint(n, 10) + "B"
	}
	d := float64(n)
	for i, u := range units {
		d /= 1024
		if d < 1024 || i == len(units)-1 {
			if i == len(units)-1 && d >= 1024 {
				return strconv.FormatUint(n, 10) + "B"
			}
			return fmt.Sprintf("%.2f%s", d, u)
		}
	}
	return strconv.FormatUint(n, 10) + "B"
}

var memSamples = []metrics.Sample{
	{Name: "/memory/classes/heap/objects:bytes"},
	{Name: "/memory/classes/total:bytes"},
}

// runtimeHeapMemory is the bytes of live Go heap objects. used_memory
// itself is the eviction code's accounting (Server.usedMemory).
func runtimeHeapMemory() uint64 {
	metrics.Read(memSamples[:1])
	return memSamples[0].Value.Uint64()
}

// usedMem is used_memory as an unsigned count.
func (s *Server) usedMem() uint64 { return uint64(max(s.usedMemory(), 0)) }

// runtimeTotalMemory is what the Go runtime holds from the OS.
func runtimeTotalMemory() uint64 {
	metrics.Read(memSamples[1:])
	return memSamples[1].Value.Uint64()
}

// rssMemory reads the resident set size from /proc, or falls back to the
// runtime's total.
func rssMemory() uint64 {
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		f := strings.Fields(string(b))
		if len(f) > 1 {
			if pages, err := strconv.ParseUint(f[1], 10, 64); err == nil {
				return pages * uint64(os.Getpagesize())
			}
		}
	}
	return runtimeTotalMemory()
}

func totalSystemMemory() uint64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		return uint64(si.Totalram) * uint64(si.Unit)
	}
	return 0
}

var unameOnce string

func osString() string {
	if unameOnce != "" {
		return unameOnce
	}
	var u syscall.Utsname
	str := func(a [65]int8) string {
		var b []byte
		for _, c := range a {
			if c == 0 {
				break
			}
			b = append(b, byte(c))
		}
		return string(b)
	}
	if syscall.Uname(&u) == nil {
		unameOnce = str(u.Sysname) + " " + str(u.Release) + " " + str(u.Machine)
	} else {
		unameOnce = runtime.GOOS + " " + runtime.GOARCH
	}
	return unameOnce
}

func rusage(who int) (sys, user string) {
	var ru syscall.Rusage
	if syscall.Getrusage(who, &ru) != nil {
		return "0.000000", "0.000000"
	}
	f := func(tv syscall.Timeval) string { return fmt.Sprintf("%d.%06d", tv.Sec, tv.Usec) }
	return f(ru.Stime), f(ru.Utime)
}

func (s *Server) uptime() int64 { return int64(time.Since(s.startTime).Seconds()) }

// lruClock is Redis's LRU clock: seconds, modulo 2^24.
func lruClock() int64 { return (time.Now().UnixMilli() / 1000) & (1<<24 - 1) }

func (s *Server) tcpPort() int64 {
	if a := s.addrLocked(); a != nil {
		if _, p, found := strings.Cut(a.String(), "]:"); found {
			n, _ := strconv.Atoi(p)
			return int64(n)
		}
		if i := strings.LastIndexByte(a.String(), ':'); i >= 0 {
			n, _ := strconv.Atoi(a.String()[i+1:])
			return int64(n)
		}
	}
	return int64(s.cfg.Port)
}

func init() {
	exe, _ := os.Executable()
	infoSections = []*infoSection{
		{name: "server", title: "Server", def: true, all: true, fields: fields(
			"redis_version", Version,
			"redis_git_sha1", "00000000",
			"redis_git_dirty", "0",
			"redis_build_id", "0",
			"redis_mode", "standalone",
			"os", func(*Server) string { return osString() },
			"arch_bits", strconv.Itoa(strconv.IntSize),
			"monotonic_clock", "POSIX clock_gettime",
			"multiplexing_api", "epoll",
			"atomicvar_api", "c11-builtin",
			"gcc_version", "0.0.0",
			"process_id", strconv.Itoa(os.Getpid()),
			"process_supervised", "no",
			"run_id", func(s *Server) string { return s.intro.runID },
			"tcp_port", func(s *Server) int64 { return s.tcpPort() },
			"server_time_usec", func(*Server) int64 { return time.Now().UnixMicro() },
			"uptime_in_seconds", func(s *Server) int64 { return s.uptime() },
			"uptime_in_days", func(s *Server) int64 { return s.uptime() / 86400 },
			"hz", func(s *Server) int64 { return int64(s.cfg.HZ) },
			"configured_hz", func(s *Server) int64 { return int64(s.cfg.HZ) },
			"lru_clock", func(*Server) int64 { return lruClock() },
			"executable", exe,
			"config_file", func(s *Server) string { return s.cfg.ConfigFile },
			"io_threads_active", "0",
		)},
		{name: "clients", title: "Clients", def: true, all: true, fields: fields(
			"connected_clients", func(s *Server) int64 { return int64(len(s.clients)) },
			"cluster_connections", "0",
			"maxclients", func(s *Server) int64 { return int64(s.cfg.MaxClients) },
			"client_recent_max_input_buffer", "0",
			"client_recent_max_output_buffer", "0",
			"blocked_clients", (*Server).blockedClientCount,
			"tracking_clients", "0",
			"clients_in_timeout_table", "0",
		)},
		{name: "memory", title: "Memory", def: true, all: true, fields: memoryInfoFields()},
		{name: "persistence", title: "Persistence", def: true, all: true, fields: fields(
			"loading", "0",
			"async_loading", "0",
			"current_cow_peak", func(s *Server) int64 { _, _, _, peak, _ := s.moduleForkInfo(); return peak },
			"current_cow_size", func(s *Server) int64 { _, _, cow, _, _ := s.moduleForkInfo(); return cow },
			"current_cow_size_age", func(s *Server) int64 { _, _, _, _, age := s.moduleForkInfo(); return age },
			"current_fork_perc", fFloat2(func(s *Server) float64 { _, perc, _, _, _ := s.moduleForkInfo(); return perc }),
			"current_save_keys_processed", "0",
			"current_save_keys_total", "0",
			"rdb_changes_since_last_save", func(s *Server) int64 { return s.dirty },
			"rdb_bgsave_in_progress", "0",
			"rdb_last_save_time", func(s *Server) int64 { return s.intro.lastSave.Unix() },
			"rdb_last_bgsave_status", "ok",
			"rdb_last_bgsave_time_sec", "-1",
			"rdb_current_bgsave_time_sec", "-1",
			"rdb_saves", "0",
			"rdb_last_cow_size", "0",
			"rdb_last_load_keys_expired", "0",
			"rdb_last_load_keys_loaded", "0",
			"aof_enabled", "0",
			"aof_rewrite_in_progress", "0",
			"aof_rewrite_scheduled", "0",
			"aof_last_rewrite_time_sec", "-1",
			"aof_current_rewrite_time_sec", "-1",
			"aof_last_bgrewrite_status", "ok",
			"aof_rewrites", "0",
			"aof_rewrites_consecutive_failures", "0",
			"aof_last_write_status", "ok",
			"aof_last_cow_size", "0",
			"module_fork_in_progress", func(s *Server) int64 { return int64(min(s.modules.ForkChildPid(), 1)) },
			"module_fork_last_cow_size", func(s *Server) int64 { return s.forks.moduleCow },
		)},
		{name: "stats", title: "Stats", def: true, all: true, fields: fields(
			"total_connections_received", func(s *Server) int64 { return s.stats.connectionsReceived },
			"total_commands_processed", func(s *Server) int64 { return s.stats.commandsProcessed },
			"instantaneous_ops_per_sec", func(s *Server) int64 { return int64(s.intro.inst[instCommand].value()) },
			"total_net_input_bytes", func(s *Server) int64 { return s.stats.netInputBytes.Load() },
			"total_net_output_bytes", func(s *Server) int64 { return s.stats.netOutputBytes.Load() },
			"total_net_repl_input_bytes", "0",
			"total_net_repl_output_bytes", "0",
			"instantaneous_input_kbps", fFloat2(func(s *Server) float64 { return s.intro.inst[instNetInput].value() / 1024 }),
			"instantaneous_output_kbps", fFloat2(func(s *Server) float64 { return s.intro.inst[instNetOutput].value() / 1024 }),
			"instantaneous_input_repl_kbps", "0.00",
			"instantaneous_output_repl_kbps", "0.00",
			"rejected_connections", func(s *Server) int64 { return s.stats.rejectedConns },
			"sync_full", "0",
			"sync_partial_ok", "0",
			"sync_partial_err", "0",
			"expired_keys", func(s *Server) int64 { return s.stats.expiredKeys },
			"expired_stale_perc", fFloat2(func(s *Server) float64 { return s.expireStats.stalePerc * 100 }),
			"expired_time_cap_reached_count", func(s *Server) int64 { return s.expireStats.timeCapReached },
			"expire_cycle_cpu_milliseconds", func(s *Server) int64 { return s.expireStats.cycleTimeUsedUsec / 1000 },
			"evicted_keys", func(s *Server) int64 { return s.stats.evictedKeys },
			"evicted_clients", "0",
			"total_eviction_exceeded_time", func(s *Server) int64 { return s.evictionExceededMs(false) },
			"current_eviction_exceeded_time", func(s *Server) int64 { return s.evictionExceededMs(true) },
			"keyspace_hits", func(s *Server) int64 { return s.stats.keyspaceHits },
			"keyspace_misses", func(s *Server) int64 { return s.stats.keyspaceMisses },
			"pubsub_channels", func(s *Server) int64 { return s.pubsubCount(subChannel) },
			"pubsub_patterns", func(s *Server) int64 { return s.pubsubCount(subPattern) },
			"pubsubshard_channels", func(s *Server) int64 { return s.pubsubCount(subShard) },
			"latest_fork_usec", func(s *Server) int64 { return s.forks.latestUsec },
			"total_forks", func(s *Server) int64 { return s.forks.total },
			"migrate_cached_sockets", (*Server).migrateCachedSockets,
			"slave_expires_tracked_keys", "0",
			"active_defrag_hits", "0",
			"active_defrag_misses", "0",
			"active_defrag_key_hits", "0",
			"active_defrag_key_misses", "0",
			"total_active_defrag_time", "0",
			"current_active_defrag_time", "0",
			"tracking_total_keys", "0",
			"tracking_total_items", "0",
			"tracking_total_prefixes", "0",
			"unexpected_error_replies", "0",
			"total_error_replies", func(s *Server) int64 { return s.stats.errorReplies },
			"dump_payload_sanitizations", func(s *Server) int64 { return s.stats.payloadSanitized },
			"total_reads_processed", func(s *Server) int64 { return s.stats.readsProcessed.Load() },
			"total_writes_processed", func(s *Server) int64 { return s.stats.writesProcessed.Load() },
			"io_threaded_reads_processed", "0",
			"io_threaded_writes_processed", "0",
			"reply_buffer_shrinks", "0",
			"reply_buffer_expands", "0",
		)},
		{name: "replication", title: "Replication", def: true, all: true, fields: fields(
			"role", "master",
			"connected_slaves", "0",
			"master_failover_state", "no-failover",
			"master_replid", func(s *Server) string { return s.intro.replID },
			"master_replid2", "0000000000000000000000000000000000000000",
			"master_repl_offset", "0",
			"second_repl_offset", "-1",
			"repl_backlog_active", "0",
			"repl_backlog_size", "1048576",
			"repl_backlog_first_byte_offset", "0",
			"repl_backlog_histlen", "0",
		)},
		{name: "cpu", title: "CPU", def: true, all: true, fields: fields(
			"used_cpu_sys", func(*Server) string { sys, _ := rusage(syscall.RUSAGE_SELF); return sys },
			"used_cpu_user", func(*Server) string { _, user := rusage(syscall.RUSAGE_SELF); return user },
			"used_cpu_sys_children", func(*Server) string { sys, _ := rusage(syscall.RUSAGE_CHILDREN); return sys },
			"used_cpu_user_children", func(*Server) string { _, user := rusage(syscall.RUSAGE_CHILDREN); return user },
			// Go has no main thread; the process figures stand in for it.
			"used_cpu_sys_main_thread", func(*Server) string { sys, _ := rusage(syscall.RUSAGE_SELF); return sys },
			"used_cpu_user_main_thread", func(*Server) string { _, user := rusage(syscall.RUSAGE_SELF); return user },
		)},
		{name: "modules", title: "Modules", def: true, all: true, dynamic: func(s *Server, b *strings.Builder) {
			for _, fn := range infoModuleLines {
				fn(s, b)
			}
		}},
		{name: "commandstats", title: "Commandstats", all: true, dynamic: (*Server).infoCommandStats},
		{name: "errorstats", title: "Errorstats", def: true, all: true, dynamic: (*Server).infoErrorStats},
		{name: "latencystats", title: "Latencystats", all: true, dynamic: (*Server).infoLatencyStats},
		{name: "cluster", title: "Cluster", def: true, all: true, fields: fields("cluster_enabled", "0")},
		{name: "keyspace", title: "Keyspace", def: true, all: true, dynamic: (*Server).infoKeyspace},
	}
	pubsubCount := func(k subKind) func(s *Server) int64 {
		return func(s *Server) int64 {
			if s.pubsub == nil {
				return 0
			}
			return int64(len(s.pubsub.subs[k]))
		}
	}
	setInfoField("stats", "pubsub_channels", "", fInt(pubsubCount(subChannel)))
	setInfoField("stats", "pubsub_patterns", "", fInt(pubsubCount(subPattern)))
	setInfoField("stats", "pubsubshard_channels", "", fInt(pubsubCount(subShard)))
}

// infoModuleLines print the Modules section (module_name:... lines); the
// module engine registers here.
var infoModuleLines []func(s *Server, b *strings.Builder)

func memoryInfoFields() []infoField {
	// used_memory is the eviction code's deterministic estimate
	// (Server.usedMemory, evict.go), the figure maxmemory is checked against.
	used := func(s *Server) int64 { return s.usedMemory() }
	usedU := func(s *Server) uint64 { return uint64(s.usedMemory()) }
	human := func(fn func(s *Server) uint64) func(s *Server) string {
		return func(s *Server) string { return bytesToHuman(fn(s)) }
	}
	peak := func(s *Server) uint64 {
		if m := usedU(s); m > s.intro.peakMemory {
			s.intro.peakMemory = m
		}
		return s.intro.peakMemory
	}
	return fields(
		"used_memory", used,
		"used_memory_human", human(usedU),
		"used_memory_rss", func(*Server) int64 { return int64(rssMemory()) },
		"used_memory_rss_human", human(func(*Server) uint64 { return rssMemory() }),
		"used_memory_peak", func(s *Server) int64 { return int64(peak(s)) },
		"used_memory_peak_human", human(peak),
		"used_memory_peak_perc", func(s *Server) string {
			return fmt.Sprintf("%.2f%%", float64(usedU(s))*100/float64(max(peak(s), 1)))
		},
		"used_memory_overhead", func(s *Server) int64 { return s.usedMemory() - s.ks.UsedMemory() - moduleAllocMemory() },
		"used_memory_startup", func(*Server) int64 { return baseMemory },
		"used_memory_dataset", func(s *Server) int64 { return s.ks.UsedMemory() + moduleAllocMemory() },
		"used_memory_dataset_perc", func(s *Server) string {
			return fmt.Sprintf("%.2f%%", float64(s.ks.UsedMemory()+moduleAllocMemory())*100/float64(max(s.usedMemory()-baseMemory, 1)))
		},
		"allocator_allocated", used,
		"allocator_active", func(*Server) int64 { return int64(runtimeTotalMemory()) },
		"allocator_resident", func(*Server) int64 { return int64(rssMemory()) },
		"total_system_memory", func(*Server) int64 { return int64(totalSystemMemory()) },
		"total_system_memory_human", human(func(*Server) uint64 { return totalSystemMemory() }),
		"used_memory_lua", "0",
		"used_memory_vm_eval", "0",
		"used_memory_lua_human", "0B",
		"used_memory_scripts_eval", "0",
		"number_of_cached_scripts", "0",
		"number_of_functions", "0",
		"number_of_libraries", "0",
		"used_memory_vm_functions", "0",
		"used_memory_vm_total", "0",
		"used_memory_vm_total_human", "0B",
		"used_memory_functions", "0",
		"used_memory_scripts", "0",
		"used_memory_scripts_human", "0B",
		"maxmemory", func(s *Server) int64 { return s.cfg.MaxMemory },
		"maxmemory_human", human(func(s *Server) uint64 { return uint64(s.cfg.MaxMemory) }),
		"maxmemory_policy", func(s *Server) string { return s.cfg.MaxMemoryPolicy },
		"allocator_frag_ratio", "1.00",
		"allocator_frag_bytes", "0",
		"allocator_rss_ratio", "1.00",
		"allocator_rss_bytes", "0",
		"rss_overhead_ratio", "1.00",
		"rss_overhead_bytes", "0",
		"mem_fragmentation_ratio", func(s *Server) string {
			return fmt.Sprintf("%.2f", float64(rssMemory())/float64(max(usedU(s), 1)))
		},
		"mem_fragmentation_bytes", func(s *Server) int64 { return int64(rssMemory()) - s.usedMemory() },
		"mem_not_counted_for_evict", "0",
		"mem_replication_backlog", "0",
		"mem_total_replication_buffers", "0",
		"mem_clients_slaves", "0",
		"mem_clients_normal", func(s *Server) int64 { return int64(len(s.clients)) * perClientMemory },
		"mem_cluster_links", "0",
		"mem_aof_buffer", "0",
		"mem_allocator", "go-"+runtime.Version(),
		"active_defrag_running", "0",
		"lazyfree_pending_objects", "0",
		"lazyfreed_objects", "0",
	)
}

// infoSafeName replaces the characters INFO cannot carry in a field name
// (getSafeInfoString).
func infoSafeName(n string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '#', ':', '\n', '\r':
			return '_'
		}
		return r
	}, n)
}

// eachProc visits every command and subcommand proc in table order.
func (s *Server) eachProc(fn func(cp *cmdProc)) {
	var walk func(specs []*command.Spec)
	walk = func(specs []*command.Spec) {
		for _, spec := range specs {
			if cp := s.procs[spec]; cp != nil {
				fn(cp)
			}
			walk(spec.Subcommands)
		}
	}
	walk(s.cmds.All())
}

func (s *Server) infoCommandStats(b *strings.Builder) {
	s.eachProc(func(cp *cmdProc) {
		if cp.calls == 0 && cp.failedCalls == 0 && cp.rejectedCalls == 0 {
			return
		}
		per := 0.0
		if cp.calls > 0 {
			per = float64(float32(cp.usec) / float32(cp.calls))
		}
		fmt.Fprintf(b, "cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d\r\n",
			infoSafeName(cp.spec.Name), cp.calls, cp.usec, per, cp.rejectedCalls, cp.failedCalls)
	})
}

func (s *Server) infoErrorStats(b *strings.Builder) {
	codes := make([]string, 0, len(s.stats.errorCodes))
	for code := range s.stats.errorCodes {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		fmt.Fprintf(b, "errorstat_%s:count=%d\r\n", code, s.stats.errorCodes[code])
	}
}

// formatPercentile prints a percentile as Redis does ("%f" trimmed of
// trailing zeros: 50, 99.9).
func formatPercentile(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64)
}

func (s *Server) infoLatencyStats(b *strings.Builder) {
	s.eachProc(func(cp *cmdProc) {
		if cp.latencyHist == nil {
			return
		}
		b.WriteString("latency_percentiles_usec_")
		b.WriteString(infoSafeName(cp.spec.Name))
		b.WriteByte(':')
		for i, p := range s.cfg.LatencyTrackingInfoPercentiles {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, "p%s=%.3f", formatPercentile(p), float64(cp.latencyHist.percentile(p))/1000.0)
		}
		b.WriteString("\r\n")
	})
}

func (s *Server) infoKeyspace(b *strings.Builder) {
	for _, db := range s.ks.DBs {
		if db.Len() == 0 {
			continue
		}
		fmt.Fprintf(b, "db%d:keys=%d,expires=%d,avg_ttl=%d\r\n", db.ID, db.Len(), db.ExpiresLen(), db.AvgTTL)
	}
}

// genInfo builds the INFO text for the requested section names (lower
// case). Like Redis, sections are always printed in their fixed order.
func (s *Server) genInfo(names []string) string {
	want := map[string]bool{}
	all, everything := false, false
	if len(names) == 0 {
		names = []string{"default"}
	}
	for _, n := range names {
		switch n {
		case "default":
			for _, sec := range infoSections {
				if sec.def {
					want[sec.name] = true
				}
			}
		case "all":
			all = true
		case "everything":
			everything = true
		default:
			want[n] = true
		}
	}
	var b strings.Builder
	first := true
	for _, sec := range infoSections {
		if !(want[sec.name] || everything || (all && sec.all)) {
			continue
		}
		if !first {
			b.WriteString("\r\n")
		}
		first = false
		b.WriteString("# ")
		b.WriteString(sec.title)
		b.WriteString("\r\n")
		for _, f := range sec.fields {
			b.WriteString(f.name)
			b.WriteByte(':')
			b.WriteString(f.value(s))
			b.WriteString("\r\n")
		}
		if sec.dynamic != nil {
			sec.dynamic(s, &b)
		}
	}
	if infoExtraHook != nil {
		infoExtraHook(s, &b, names, want, everything, !first)
	}
	return b.String()
}

// infoExtraHook appends sections that are not in infoSections (module INFO
// callbacks); printed tells whether anything was written before.
var infoExtraHook func(s *Server, b *strings.Builder, names []string, want map[string]bool, everything, printed bool)

func init() {
	register(map[string]func(*Client){"info": infoCommand})
}

func infoCommand(c *Client) {
	names := make([]string, 0, len(c.argv)-1)
	for _, a := range c.argv[1:] {
		names = append(names, optLower(a))
	}
	c.addVerbatim([]byte(c.srv.genInfo(names)), "txt")
}
