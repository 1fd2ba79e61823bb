# Shared parts of the side-by-side benchmark scripts (sourced by
# compare.sh and module.sh): tool names, the work directory and its
# clean-up, free ports, building modis-server, starting the two servers and
# the machine summary. The caller sets outdir (empty: a temp dir, removed
# at exit) before sourcing.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_BENCHMARK=${REDIS_BENCHMARK:-redis-benchmark}
REDIS_CLI=${REDIS_CLI:-redis-cli}
keep=1
if [[ -z $outdir ]]; then
	outdir=$(mktemp -d)
	keep=0
fi
mkdir -p "$outdir"

pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	if [[ $keep == 0 ]]; then rm -rf "$outdir"; fi
}
trap cleanup EXIT

# free_port prints a loopback port nobody listens on, starting at $1.
free_port() {
	local p=$1
	while (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}

wait_ready() { # port pid
	for _ in $(seq 100); do
		if ! kill -0 "$2" 2>/dev/null; then
			echo "server for port $1 exited; see the logs in $outdir (-o DIR keeps them)" >&2
			exit 1
		fi
		if [[ $("$REDIS_CLI" -p "$1" ping 2>/dev/null) == PONG ]]; then return 0; fi
		sleep 0.1
	done
	echo "server on port $1 did not start" >&2
	exit 1
}

# build_modis sets MODIS_BIN, building modis-server unless it is given.
build_modis() {
	if [[ -z ${MODIS_BIN:-} ]]; then
		MODIS_BIN=$outdir/modis-server
		(cd "$root" && go build -o "$MODIS_BIN" ./cmd/modis-server)
	fi
}

# pick_ports sets rport and mport (REDIS_PORT/MODIS_PORT or free ones).
pick_ports() {
	local base=$((20000 + RANDOM % 20000))
	rport=${REDIS_PORT:-$(free_port $base)}
	mport=${MODIS_PORT:-$(free_port $((rport + 1)))}
	for p in "$rport" "$mport"; do
		if (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then
			echo "port $p is already in use" >&2
			exit 1
		fi
	done
}

# start_servers starts redis-server and modis-server on rport and mport
# (setting rpid and mpid), each in its own empty directory so a stray
# dump.rdb is never loaded. REDIS_EXTRA and MODIS_EXTRA (arrays) add
# arguments; MODIS_ARGS (a string) adds the user's.
start_servers() {
	mkdir -p "$outdir/redis-dir" "$outdir/modis-dir"
	"$REDIS_SERVER" --port "$rport" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$outdir/redis-dir" --logfile "$outdir/redis.log" ${REDIS_EXTRA[@]+"${REDIS_EXTRA[@]}"} &
	rpid=$!
	# shellcheck disable=SC2086
	"$MODIS_BIN" --port "$mport" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$outdir/modis-dir" ${MODIS_EXTRA[@]+"${MODIS_EXTRA[@]}"} ${MODIS_ARGS:-} >"$outdir/modis.log" 2>&1 &
	mpid=$!
	pids+=("$rpid" "$mpid")
	wait_ready "$rport" "$rpid"
	wait_ready "$mport" "$mpid"
}

stop_servers() {
	kill "$rpid" "$mpid" 2>/dev/null || true
	wait "$rpid" "$mpid" 2>/dev/null || true
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

machine_info() {
	echo "== machine"
	echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc) (nproc)"
	echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these cores)"
	echo "redis:   $("$REDIS_SERVER" --version)"
	echo "modis:   $("$MODIS_BIN" --version) ($(go version | cut -d' ' -f3), commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown))"
}
