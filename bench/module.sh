#!/usr/bin/env bash
# Module API overhead, Modis against redis-server in one run (see
# bench/README.md, "Module API overhead"):
#   - the built-in GET on both servers;
#   - the C module bench/cmodbench (CMODBENCH.DMAGET: OpenKey + StringDMA +
#     ReplyWithStringBuffer; CMODBENCH.CALLGET: Call("GET") +
#     ReplyWithCallReply), compiled against include/redismodule.h and
#     loaded into both servers;
#   - the Go module bench/modbench (MODBENCH.DMAGET, MODBENCH.CALLGET),
#     Modis only.
# Every command replies exactly as GET. Each test runs -r times with the
# order of the servers alternating; medians are printed, with the ratios
# Modis/Redis and module command/built-in GET on the same server.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: bench/module.sh [options]
  -n N        requests per redis-benchmark run          (default 200000)
  -r N        repeats; the median is reported           (default 3)
  -c N        parallel clients                          (default 50)
  -P LIST     pipeline depths, comma separated          (default 1,16)
  -k N        keys (key:000000000000.., 16-byte values) (default 100000)
  -o DIR      keep logs and raw CSV in DIR              (default: a temp dir, removed)
Environment: REDIS_PORT, MODIS_PORT (default: free ports), REDIS_SERVER,
REDIS_BENCHMARK, REDIS_CLI (binaries), MODIS_BIN (use this binary instead
of building one), CC (C compiler), MODIS_ARGS and GOGC (passed to
modis-server).
EOF
}

requests=200000 repeats=3 clients=50 pipelines=1,16 keys=100000 outdir=""
while getopts "n:r:c:P:k:o:h" opt; do
	case $opt in
	n) requests=$OPTARG ;;
	r) repeats=$OPTARG ;;
	c) clients=$OPTARG ;;
	P) pipelines=$OPTARG ;;
	k) keys=$OPTARG ;;
	o) outdir=$OPTARG ;;
	*) usage; exit 2 ;;
	esac
done

CC=${CC:-cc}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

echo "building modis-server and bench/cmodbench..." >&2
build_modis
so=$outdir/cmodbench.so
"$CC" -O2 -fPIC -shared -I"$root/include" -o "$so" "$root/bench/cmodbench/cmodbench.c"
pick_ports
REDIS_EXTRA=(--loadmodule "$so")
MODIS_EXTRA=(--loadmodule "$so" --loadmodule modbench)
start_servers

# The same keys on both: every key redis-benchmark's -r draws exists.
for port in "$rport" "$mport"; do
	awk -v n="$keys" 'BEGIN {for (i = 0; i < n; i++) printf "SET key:%012d value-16-bytes!!\r\n", i}' |
		"$REDIS_CLI" -p "$port" --pipe >/dev/null
done

machine_info
echo "keys:    $(${REDIS_CLI} -p "$rport" dbsize) (redis), $(${REDIS_CLI} -p "$mport" dbsize) (modis)"

# Every command must reply as GET does on both servers before it is timed.
for port in "$rport" "$mport"; do
	want=$("$REDIS_CLI" -p "$port" get key:000000000001)
	for cmd in CMODBENCH.DMAGET CMODBENCH.CALLGET; do
		got=$("$REDIS_CLI" -p "$port" "$cmd" key:000000000001)
		if [[ $got != "$want" ]]; then
			echo "$cmd on port $port replied '$got', want '$want'" >&2
			exit 1
		fi
	done
done

cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # port pid pipeline command -> "ops/s server-cpu-us/op"
	local c0 c1 ops
	c0=$(cputicks "$2")
	ops=$("$REDIS_BENCHMARK" -p "$1" -c "$clients" -n "$requests" -r "$keys" -P "$3" --csv "$4" key:__rand_int__ 2>/dev/null |
		awk -F'"' 'NR==2 {print $4}')
	c1=$(cputicks "$2")
	awk -v o="$ops" -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
		'BEGIN {printf "%s %.3f\n", o, c / hz / n * 1e6}'
}

shared=(GET CMODBENCH.DMAGET CMODBENCH.CALLGET)
goonly=(MODBENCH.DMAGET MODBENCH.CALLGET)
IFS=, read -ra plist <<<"$pipelines"
csv=$outdir/runs.csv
: >"$csv"
for rep in $(seq "$repeats"); do
	for p in "${plist[@]}"; do
		for cmd in "${shared[@]}"; do
			if ((rep % 2)); then
				r=$(run "$rport" "$rpid" "$p" "$cmd"); m=$(run "$mport" "$mpid" "$p" "$cmd")
			else
				m=$(run "$mport" "$mpid" "$p" "$cmd"); r=$(run "$rport" "$rpid" "$p" "$cmd")
			fi
			echo "$cmd,$p,$rep,${r% *},${m% *},${r#* },${m#* }" >>"$csv"
			echo "  run $rep P=$p $cmd: redis $r modis $m (ops/s, server CPU us/op)" >&2
		done
		for cmd in "${goonly[@]}"; do
			m=$(run "$mport" "$mpid" "$p" "$cmd")
			echo "$cmd,$p,$rep,0,${m% *},0,${m#* }" >>"$csv"
			echo "  run $rep P=$p $cmd: modis $m (ops/s, server CPU us/op)" >&2
		done
	done
done

col() { awk -F, -v t="$1" -v p="$2" -v c="$3" '$1==t && $2==p {print $c}' "$csv" | median; }

echo
echo "== $clients clients, $requests requests per run, median of $repeats runs"
echo "ops/s and server CPU time per request (user+sys, us; less sensitive to"
echo "other load than ops/s). x GET: the command against the built-in GET on"
echo "the same server. modis/redis: the same command on both servers."
printf "%-18s %3s %10s %10s %7s %7s %8s %8s %7s\n" command P "redis ops" "modis ops" "m/r" \
	"m xGET" "redis us" "modis us" "m/r us"
for p in "${plist[@]}"; do
	rget=$(col GET "$p" 4) mget=$(col GET "$p" 5)
	for cmd in "${shared[@]}" "${goonly[@]}"; do
		r=$(col "$cmd" "$p" 4) m=$(col "$cmd" "$p" 5) rc=$(col "$cmd" "$p" 6) mc=$(col "$cmd" "$p" 7)
		awk -v t="$cmd" -v p="$p" -v r="$r" -v m="$m" -v rc="$rc" -v mc="$mc" -v mg="$mget" '
			function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "-" }
			function num(v) { return v > 0 ? sprintf("%.0f", v) : "-" }
			function us(v) { return v > 0 ? sprintf("%.2f", v) : "-" }
			BEGIN {printf "%-18s %3s %10s %10s %7s %7s %8s %8s %7s\n", t, p, num(r), num(m),
				ratio(m, r), ratio(m, mg), us(rc), us(mc), ratio(mc, rc)}'
	done
	# Redis's own module overhead, for comparison with the "m xGET" column.
	for cmd in "${shared[@]:1}"; do
		r=$(col "$cmd" "$p" 4)
		awk -v t="$cmd" -v p="$p" -v r="$r" -v rg="$rget" \
			'BEGIN {printf "  redis %-18s P=%-3s %.2fx of redis GET\n", t, p, (rg > 0 ? r / rg : 0)}'
	done
done
