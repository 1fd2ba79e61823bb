#!/usr/bin/env bash
# Side-by-side benchmark of Modis against redis-server: throughput with
# redis-benchmark and memory per key with bench/loadkeys. See bench/README.md.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: bench/compare.sh [options]
  -n N        requests per redis-benchmark run          (default 200000)
  -r N        repeats; the median is reported           (default 3)
  -c N        parallel clients                          (default 50)
  -t LIST     tests, comma separated                    (default set,get,incr,mset)
  -P LIST     pipeline depths, comma separated          (default 1,16)
  -k N        keys for the memory test, 0 to skip       (default 1000000)
  -d N        value size for the memory test            (default 16)
  -T          skip the throughput test
  -o DIR      keep logs and raw CSV in DIR              (default: a temp dir, removed)
Environment: REDIS_PORT, MODIS_PORT (default: free ports), REDIS_SERVER,
REDIS_BENCHMARK (binaries), MODIS_ARGS and GOGC/GOMEMLIMIT (passed to
modis-server), MODIS_BIN (use this binary instead of building one).
EOF
}

requests=200000 repeats=3 clients=50 tests=set,get,incr,mset pipelines=1,16
keys=1000000 valsize=16 throughput=1 outdir=""
while getopts "n:r:c:t:P:k:d:To:h" opt; do
	case $opt in
	n) requests=$OPTARG ;;
	r) repeats=$OPTARG ;;
	c) clients=$OPTARG ;;
	t) tests=$OPTARG ;;
	P) pipelines=$OPTARG ;;
	k) keys=$OPTARG ;;
	d) valsize=$OPTARG ;;
	T) throughput=0 ;;
	o) outdir=$OPTARG ;;
	*) usage; exit 2 ;;
	esac
done

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

echo "building modis-server and loadkeys..." >&2
build_modis
(cd "$root" && go build -o "$outdir/loadkeys" ./bench/loadkeys)
pick_ports

machine_info
echo "modis env: GOGC=${GOGC:-default} GOMEMLIMIT=${GOMEMLIMIT:-default} args: ${MODIS_ARGS:-none}"

if [[ $keys -gt 0 ]]; then
	start_servers
	echo
	echo "== memory: $keys keys, $valsize-byte values (SET key:<i> <value>, pipelined)"
	r0=$(rss_kb "$rpid") m0=$(rss_kb "$mpid")
	"$outdir/loadkeys" -addr "127.0.0.1:$rport" -n "$keys" -d "$valsize" 2>>"$outdir/load.log"
	"$outdir/loadkeys" -addr "127.0.0.1:$mport" -n "$keys" -d "$valsize" 2>>"$outdir/load.log"
	sleep 1
	r1=$(rss_kb "$rpid") m1=$(rss_kb "$mpid")
	# The Go runtime returns freed pages to the OS in the background; give
	# it a few seconds and measure again.
	sleep 5
	r2=$(rss_kb "$rpid") m2=$(rss_kb "$mpid")
	# Overwrite every key twice more: the old values become garbage, which
	# a garbage-collected heap holds for a while (see GOGC in the README).
	for _ in 1 2; do
		"$outdir/loadkeys" -addr "127.0.0.1:$rport" -n "$keys" -d "$valsize" 2>>"$outdir/load.log"
		"$outdir/loadkeys" -addr "127.0.0.1:$mport" -n "$keys" -d "$valsize" 2>>"$outdir/load.log"
	done
	sleep 1
	r3=$(rss_kb "$rpid") m3=$(rss_kb "$mpid")
	rdb=$("$REDIS_CLI" -p "$rport" dbsize) mdb=$("$REDIS_CLI" -p "$mport" dbsize)
	awk -v k="$keys" -v r0="$r0" -v r1="$r1" -v r2="$r2" -v m0="$m0" -v m1="$m1" -v m2="$m2" \
		-v r3="$r3" -v m3="$m3" -v rdb="$rdb" -v mdb="$mdb" 'BEGIN {
		printf "%-28s %14s %14s %8s\n", "", "redis", "modis", "ratio"
		printf "%-28s %14d %14d\n", "dbsize", rdb, mdb
		printf "%-28s %14.1f %14.1f\n", "RSS empty (MiB)", r0/1024, m0/1024
		printf "%-28s %14.1f %14.1f\n", "RSS loaded, +1s (MiB)", r1/1024, m1/1024
		printf "%-28s %14.1f %14.1f\n", "RSS loaded, +6s (MiB)", r2/1024, m2/1024
		rb=(r2-r0)*1024/k; mb=(m2-m0)*1024/k
		printf "%-28s %14.1f %14.1f %7.2fx\n", "bytes/key (RSS delta, +6s)", rb, mb, mb/rb
		printf "%-28s %14.1f %14.1f %7.2fx\n", "bytes/key (RSS total, +6s)", r2*1024/k, m2*1024/k, m2/r2
		printf "%-28s %14.1f %14.1f\n", "RSS after 2 overwrites (MiB)", r3/1024, m3/1024
		printf "%-28s %14.1f %14.1f %7.2fx\n", "bytes/key after overwrites", (r3-r0)*1024/k, (m3-m0)*1024/k, (m3-m0)/(r3-r0)
	}'
	stop_servers
fi

if [[ $throughput == 1 ]]; then
	start_servers
	echo
	echo "== throughput: $clients clients, $requests requests per run, median of $repeats runs (ops/s)"
	IFS=, read -ra tlist <<<"$tests"
	IFS=, read -ra plist <<<"$pipelines"
	# A command Modis does not know is reported as n/a, not timed.
	declare -A skip
	for t in "${tlist[@]}"; do
		case $t in
		incr) probe=(incr __bench_probe) ;;
		mset) probe=(mset __bench_probe 1) ;;
		get) probe=(get __bench_probe) ;;
		lrange_*) probe=(lrange __bench_probe 0 1) ;;
		*) probe=("$t" __bench_probe 1) ;;
		esac
		if "$REDIS_CLI" -p "$mport" "${probe[@]}" 2>&1 | grep -q '^ERR unknown command'; then
			skip[$t]=1
		fi
		"$REDIS_CLI" -p "$mport" del __bench_probe >/dev/null
		"$REDIS_CLI" -p "$rport" del __bench_probe >/dev/null
	done
	csv=$outdir/runs.csv
	: >"$csv"
	cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
	run() { # run port pid test pipeline -> "ops/s server-cpu-us/op"
		local c0 c1 ops
		c0=$(cputicks "$2")
		ops=$("$REDIS_BENCHMARK" -p "$1" -c "$clients" -n "$requests" -r 100000 -P "$4" -t "$3" --csv 2>/dev/null |
			awk -F'"' 'NR==2 {print $4}')
		c1=$(cputicks "$2")
		awk -v o="$ops" -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
			'BEGIN {printf "%s %.3f\n", o, c / hz / n * 1e6}'
	}
	for rep in $(seq "$repeats"); do
		for t in "${tlist[@]}"; do
			[[ -n ${skip[$t]:-} ]] && continue
			for p in "${plist[@]}"; do
				# Alternate who goes first so drift in machine load hits both.
				if ((rep % 2)); then
					r=$(run "$rport" "$rpid" "$t" "$p"); m=$(run "$mport" "$mpid" "$t" "$p")
				else
					m=$(run "$mport" "$mpid" "$t" "$p"); r=$(run "$rport" "$rpid" "$t" "$p")
				fi
				echo "$t,$p,$rep,${r% *},${m% *},${r#* },${m#* }" >>"$csv"
				echo "  run $rep $t P=$p: redis $r modis $m (ops/s, server CPU us/op)" >&2
			done
		done
	done
	echo "(cpu us/op: CPU time of the server process per request, user+sys; less"
	echo " sensitive to other load on the machine than ops/s)"
	printf "%-6s %8s %14s %14s %8s %10s %10s %8s\n" test pipeline "redis ops/s" "modis ops/s" ratio \
		"redis cpu" "modis cpu" "ratio"
	for t in "${tlist[@]}"; do
		for p in "${plist[@]}"; do
			if [[ -n ${skip[$t]:-} ]]; then
				printf "%-6s %8s %14s %14s %8s\n" "$t" "$p" - "n/a" "(modis: not implemented)"
				continue
			fi
			col() { awk -F, -v t="$t" -v p="$p" -v c="$1" '$1==t && $2==p {print $c}' "$csv" | median; }
			r=$(col 4) m=$(col 5) rc=$(col 6) mc=$(col 7)
			awk -v t="$t" -v p="$p" -v r="$r" -v m="$m" -v rc="$rc" -v mc="$mc" \
				'BEGIN {printf "%-6s %8s %14.0f %14.0f %7.2fx %10.2f %10.2f %7.2fx\n", t, p, r, m,
					(r > 0 ? m/r : 0), rc, mc, (rc > 0 ? mc/rc : 0)}'
		done
	done
	echo "peak RSS after throughput: redis $(( $(rss_kb "$rpid") / 1024 )) MiB, modis $(( $(rss_kb "$mpid") / 1024 )) MiB"
	stop_servers
fi
