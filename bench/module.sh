#!/bin/sh
# Module API overhead: the built-in GET against two module commands doing
# the same (bench/modbench): OpenKey + StringDMA + reply, and Call("GET").
# Usage: bench/module.sh [-n requests] [-P pipeline] [-c clients]
set -e
N=200000 P=16 C=20
while getopts n:P:c: o; do
	case $o in n) N=$OPTARG ;; P) P=$OPTARG ;; c) C=$OPTARG ;; *) exit 2 ;; esac
done
cd "$(dirname "$0")/.."
BIN=${MODIS_BIN:-$(mktemp -d)/modis-server}
[ -n "$MODIS_BIN" ] || go build -o "$BIN" ./cmd/modis-server
PORT=${MODIS_PORT:-$(shuf -i 20000-60000 -n 1)}
"$BIN" --port "$PORT" --bind 127.0.0.1 --save '' --loadmodule modbench --logfile /dev/null &
PID=$!
trap 'kill $PID' EXIT
sleep 0.5
redis-benchmark -p "$PORT" -q -n 100000 -r 100000 -P 16 -t set >/dev/null
cpu() { awk '{print $14+$15}' /proc/$PID/stat; }
for cmd in GET MODBENCH.DMAGET MODBENCH.CALLGET; do
	before=$(cpu)
	ops=$(redis-benchmark -p "$PORT" -q -n "$N" -c "$C" -P "$P" -r 100000 $cmd key:__rand_int__ | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1)
	after=$(cpu)
	ticks=$((after - before))
	us=$(awk -v t="$ticks" -v n="$N" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t/hz*1e6/n}')
	printf '%-18s %12s ops/s %8s us CPU/request\n' "$cmd" "$ops" "$us"
done
