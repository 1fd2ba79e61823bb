package server

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/modis/modis/internal/command"
)

// The latency monitor records, per event class ("command", "fast-command",
// and whatever other subsystems report), spikes at or above
// latency-monitor-threshold milliseconds: one sample per second, the last
// 160 seconds with a spike, plus the all-time maximum.

const latencyTSLen = 160

type latencySample struct {
	time    int64 // unix seconds
	latency int64 // milliseconds
}

type latencyEvent struct {
	idx     int // next slot
	max     int64
	samples [latencyTSLen]latencySample
}

// latencyAddSampleIfNeeded records a latency (ms) for an event when the
// monitor is on and the threshold is reached. Subsystems call it for their
// own event names.
func (s *Server) latencyAddSampleIfNeeded(event string, ms int64) {
	th := s.cfg.LatencyMonitorThreshold
	if th <= 0 || ms < th {
		return
	}
	s.latencyAddSample(event, ms)
}

func (s *Server) latencyAddSample(event string, ms int64) {
	ev := s.intro.latency[event]
	if ev == nil {
		ev = &latencyEvent{}
		s.intro.latency[event] = ev
	}
	now := time.Now().Unix()
	if ms > ev.max {
		ev.max = ms
	}
	prev := (ev.idx + latencyTSLen - 1) % latencyTSLen
	if ev.samples[prev].time == now {
		if ms > ev.samples[prev].latency {
			ev.samples[prev].latency = ms
		}
		return
	}
	ev.samples[ev.idx] = latencySample{now, ms}
	ev.idx = (ev.idx + 1) % latencyTSLen
}

// history returns the samples oldest first.
func (ev *latencyEvent) history() []latencySample {
	var out []latencySample
	for i := 0; i < latencyTSLen; i++ {
		sm := ev.samples[(ev.idx+i)%latencyTSLen]
		if sm.time != 0 {
			out = append(out, sm)
		}
	}
	return out
}

func (ev *latencyEvent) last() latencySample {
	return ev.samples[(ev.idx+latencyTSLen-1)%latencyTSLen]
}

func (s *Server) latencyEventNames() []string {
	names := make([]string, 0, len(s.intro.latency))
	for n := range s.intro.latency {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func init() {
	register(map[string]func(*Client){
		"latency|latest":    latencyLatestCommand,
		"latency|history":   latencyHistoryCommand,
		"latency|reset":     latencyResetCommand,
		"latency|doctor":    latencyDoctorCommand,
		"latency|graph":     latencyGraphCommand,
		"latency|histogram": latencyHistogramCommand,
		"latency|help":      latencyHelpCommand,
	})
}

func latencyLatestCommand(c *Client) {
	names := c.srv.latencyEventNames()
	c.addArrayLen(len(names))
	for _, n := range names {
		ev := c.srv.intro.latency[n]
		last := ev.last()
		c.addArrayLen(4)
		c.addBulkString(n)
		c.addInt(last.time)
		c.addInt(last.latency)
		c.addInt(ev.max)
	}
}

func latencyHistoryCommand(c *Client) {
	ev := c.srv.intro.latency[string(c.argv[2])]
	if ev == nil {
		c.addArrayLen(0)
		return
	}
	h := ev.history()
	c.addArrayLen(len(h))
	for _, sm := range h {
		c.addArrayLen(2)
		c.addInt(sm.time)
		c.addInt(sm.latency)
	}
}

func latencyResetCommand(c *Client) {
	s := c.srv
	if len(c.argv) == 2 {
		n := len(s.intro.latency)
		s.intro.latency = map[string]*latencyEvent{}
		c.addInt(int64(n))
		return
	}
	n := 0
	for _, a := range c.argv[2:] {
		if _, ok := s.intro.latency[string(a)]; ok {
			delete(s.intro.latency, string(a))
			n++
		}
	}
	c.addInt(int64(n))
}

// latencyDoctorCommand writes a short report of our own on the recorded
// events.
func latencyDoctorCommand(c *Client) {
	s := c.srv
	var b strings.Builder
	names := s.latencyEventNames()
	if len(names) == 0 {
		if s.cfg.LatencyMonitorThreshold == 0 {
			b.WriteString("The latency monitor is disabled (latency-monitor-threshold is 0), so no latency spikes were recorded. Enable it with CONFIG SET latency-monitor-threshold <milliseconds>.\n")
		} else {
			b.WriteString("No latency spike at or above the configured threshold was recorded since the server started. Nothing to report.\n")
		}
	} else {
		b.WriteString("Latency spikes were recorded for the following event classes:\n\n")
		for i, n := range names {
			ev := s.intro.latency[n]
			h := ev.history()
			var sum int64
			for _, sm := range h {
				sum += sm.latency
			}
			avg := int64(0)
			if len(h) > 0 {
				avg = sum / int64(len(h))
			}
			fmt.Fprintf(&b, "%d. %s: %d spikes kept, average %dms, worst %dms, last at unix time %d (%dms).\n",
				i+1, n, len(h), avg, ev.max, ev.last().time, ev.last().latency)
		}
		b.WriteString("\nAdvice: check SLOWLOG GET for the commands behind \"command\" spikes; avoid O(N) commands on big values and KEYS in production.\n")
	}
	c.addVerbatim([]byte(b.String()), "txt")
}

// latencyGraphCommand draws the event's samples as a small ASCII chart:
// one column per sample, height proportional to the latency.
func latencyGraphCommand(c *Client) {
	name := string(c.argv[2])
	ev := c.srv.intro.latency[name]
	if ev == nil {
		c.addError(fmt.Sprintf("ERR No samples available for event '%s'", name))
		return
	}
	h := ev.history()
	const rows = 8
	var hi, lo int64 = 0, -1
	for _, sm := range h {
		if sm.latency > hi {
			hi = sm.latency
		}
		if lo < 0 || sm.latency < lo {
			lo = sm.latency
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s - high %d ms, low %d ms (all time high %d ms)\n", name, hi, lo, ev.max)
	b.WriteString(strings.Repeat("-", 80) + "\n")
	for r := rows; r >= 1; r-- {
		for _, sm := range h {
			if hi > 0 && sm.latency*rows >= int64(r)*hi {
				b.WriteByte('#')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	now := time.Now().Unix()
	for _, sm := range h {
		age := now - sm.time
		switch {
		case age < 60:
			b.WriteByte('s')
		case age < 3600:
			b.WriteByte('m')
		default:
			b.WriteByte('h')
		}
	}
	b.WriteString("\n")
	c.addVerbatim([]byte(b.String()), "txt")
}

// addLatencyCDF replies with a command's call count and cumulative latency
// distribution in power-of-two microsecond buckets (Redis's fillCommandCDF).
func (c *Client) addLatencyCDF(h *latencyHistogram) {
	c.addMapLen(2)
	c.addBulkString("calls")
	c.addInt(h.total)
	c.addBulkString("histogram_usec")
	type point struct{ usec, count int64 }
	var pts []point
	var cum, prev int64
	i := 0
	for level := int64(1024); cum < h.total && level <= 2*histMax; level *= 2 {
		for i < histCountsLen && histValueAt(i) <= level {
			cum += h.counts[i]
			i++
		}
		if cum > prev {
			pts = append(pts, point{(level + histRangeSize(level) - 1) / 1000, cum})
		}
		prev = cum
	}
	c.addMapLen(len(pts))
	for _, p := range pts {
		c.addInt(p.usec)
		c.addInt(p.count)
	}
}

func latencyHistogramCommand(c *Client) {
	s := c.srv
	var procs []*cmdProc
	if len(c.argv) == 2 {
		s.eachProc(func(cp *cmdProc) {
			if cp.latencyHist != nil {
				procs = append(procs, cp)
			}
		})
	} else {
		for _, a := range c.argv[2:] {
			spec := s.lookupCommandByName(string(a))
			if spec == nil {
				continue
			}
			for _, sp := range append([]*command.Spec{spec}, spec.Subcommands...) {
				if cp := s.procs[sp]; cp != nil && cp.latencyHist != nil {
					procs = append(procs, cp)
				}
			}
		}
	}
	c.addMapLen(len(procs))
	for _, cp := range procs {
		c.addBulkString(cp.spec.Name)
		c.addLatencyCDF(cp.latencyHist)
	}
}

func latencyHelpCommand(c *Client) {
	c.addSubcommandHelp([]string{
		"DOCTOR",
		"    Return a human readable latency analysis report.",
		"GRAPH <event>",
		"    Return an ASCII latency graph for the <event> class.",
		"HISTORY <event>",
		"    Return time-latency samples for the <event> class.",
		"LATEST",
		"    Return the latest latency samples for all events.",
		"RESET [<event> ...]",
		"    Reset latency data of one or more <event> classes.",
		"    (default: reset all data for all event classes)",
		"HISTOGRAM [COMMAND ...]",
		"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
		"    If no commands are specified then all histograms are replied.",
	})
}
