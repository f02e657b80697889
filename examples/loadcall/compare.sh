#!/usr/bin/env bash
# compare.sh measures, in one run with the same settings, the example IVR
# (examples/encrypted-gather, signatures checked), the bare limit server
# (baseline/limit) and the tutorial's Node server (baseline/node), each
# with its backend in the same process, and prints a table of ratios.
#
# For each server: the first step alone (-first-only), whole calls, and the
# last step alone on calls prepared beforehand (-last-only). The limit
# server's calls are two requests (first step, then last), the others' three.
#
# The machine's other load drifts, so each measurement is repeated ROUNDS
# times (3), the servers taking turns, and the table shows medians.
#
# Settings from the environment: CONCURRENCY (32), DURATION per measurement
# (3s), WARMUP whole calls before each (200), PIN=1 to run the load tool
# on CPU 0 and the servers on CPU 1 (taskset), so the tool's own work does
# not take the servers' core, REDIS=1 for a column of our IVR sharing its
# single-use store through redis-server. Needs go; node is optional; with
# wrk installed, the first step is also measured under wrk (a lighter load
# generator: a first request carries no state token, so it can repeat).
# Everything listens on loopback ports found free, and is stopped on exit.
set -euo pipefail

CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-3s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-200}
CALLS=1000000 # the duration bounds each measurement
EXPECT="Your account number is"

tool=() server=()
if [[ ${PIN:-0} == 1 ]]; then
	tool=(taskset -c 0) server=(taskset -c 1)
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

cd "$root"
go build -o "$work/loadcall" ./examples/loadcall
go build -o "$work/ivr" ./examples/encrypted-gather
go build -o "$work/limit" ./examples/loadcall/baseline/limit

key=$(go run ./examples/keygen)
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# wait_port PORT LOG waits up to 30 s for a server to listen.
wait_port() {
	for _ in $(seq 300); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "compare.sh: nothing listens on port $1; its log:" >&2
	cat "$2" >&2
	exit 1
}

servers=(ours limit)
declare -A url digits

p=$(free_port)
# Every state token answers once; the IVR's memory store keeps each for 15
# minutes, so it is sized for every step the whole run answers.
ADDR=127.0.0.1:$p PUBLIC_URL=http://127.0.0.1:$p TWILIO_AUTH_TOKEN=$token AES_SECRET=$key SINGLE_USE_ENTRIES=4000000 \
	"${server[@]}" "$work/ivr" 2>"$work/ivr.log" &
pids+=($!)
url[ours]=http://127.0.0.1:$p/encrypted-gather digits[ours]=1234,4321
wait_port "$p" "$work/ivr.log"

p=$(free_port)
ADDR=127.0.0.1:$p "${server[@]}" "$work/limit" 2>"$work/limit.log" &
pids+=($!)
url[limit]=http://127.0.0.1:$p/first digits[limit]=4321
wait_port "$p" "$work/limit.log"

# REDIS=1 adds our IVR again with its single-use store on a redis-server
# of its own (no persistence), to show what sharing one between replicas costs.
if [[ ${REDIS:-0} == 1 ]]; then
	rp=$(free_port)
	"${server[@]}" redis-server --port "$rp" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
		>"$work/redis.log" 2>&1 &
	pids+=($!)
	wait_port "$rp" "$work/redis.log"
	p=$(free_port)
	ADDR=127.0.0.1:$p PUBLIC_URL=http://127.0.0.1:$p TWILIO_AUTH_TOKEN=$token AES_SECRET=$key \
		REDIS_URL=redis://127.0.0.1:$rp/0 "${server[@]}" "$work/ivr" 2>"$work/ivr-redis.log" &
	pids+=($!)
	url[redis]=http://127.0.0.1:$p/encrypted-gather digits[redis]=1234,4321
	wait_port "$p" "$work/ivr-redis.log"
	servers+=(redis)
fi

if command -v node >/dev/null; then
	p=$(free_port)
	PORT=$p AES_SECRET=$key "${server[@]}" node examples/loadcall/baseline/node/server.js >"$work/node.log" 2>&1 &
	pids+=($!)
	url[node]=http://127.0.0.1:$p/encrypted-gather digits[node]=1234,4321
	wait_port "$p" "$work/node.log"
	servers+=(node)
else
	echo "compare.sh: node not found; no Node column" >&2
fi

# measure SERVER MODE-FLAG prints loadcall's one-line report.
measure() {
	local flag=()
	[[ -n $2 ]] && flag=("$2")
	timeout 600 "${tool[@]}" "$work/loadcall" -format kv -url "${url[$1]}" -token "$token" -digits "${digits[$1]}" \
		-expect "$EXPECT" -calls "$CALLS" -duration "$DURATION" -concurrency "$CONCURRENCY" \
		-warmup "$WARMUP" "${flag[@]}" || true
}

declare -A kv
for round in $(seq "$ROUNDS"); do
	for mode in first call last; do
		case $mode in
		first) flag=-first-only ;;
		call) flag= ;;
		last) flag=-last-only ;;
		esac
		for s in "${servers[@]}"; do
			line=$(measure "$s" "$flag")
			echo "round $round, $s $mode: $line" >&2
			kv[$s.$mode.$round]=$line
		done
	done
done

# get SERVER MODE NAME prints the median over the rounds of one value.
get() {
	for round in $(seq "$ROUNDS"); do
		tr ' ' '\n' <<<"${kv[$1.$2.$round]:-}" | awk -F= -v k="$3" '$1 == k { print $2 }'
	done | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# sum SERVER MODE NAME prints the sum over the rounds of one value.
sum() {
	for round in $(seq "$ROUNDS"); do
		tr ' ' '\n' <<<"${kv[$1.$2.$round]:-}" | awk -F= -v k="$3" '$1 == k { print $2 }'
	done | awk '{ n += $1 } END { print n + 0 }'
}

echo
pinned="$(nproc) cores shared by the servers and the load tool"
[[ ${PIN:-0} == 1 ]] && pinned="servers pinned to CPU 1, the load tool to CPU 0"
echo "medians of $ROUNDS rounds; concurrency $CONCURRENCY, $DURATION per measurement, $WARMUP warm-up calls, $pinned"
printf '%-26s' ""
for s in "${servers[@]}"; do printf '%12s' "$s"; done
printf '%14s%14s\n' "ours/limit" "ours/node"
row() { # row LABEL MODE KEY HIGHER-IS-BETTER
	printf '%-26s' "$1"
	local -A v
	for s in "${servers[@]}"; do
		v[$s]=$(get "$s" "$2" "$3")
		printf '%12s' "${v[$s]:--}"
	done
	for other in limit node; do
		awk -v a="${v[ours]:-}" -v b="${v[$other]:-}" -v up="$4" 'BEGIN {
			if (a == "" || b == "" || a == 0 || b == 0) { printf "%14s", "-"; exit }
			printf "%13.2fx", (up ? a / b : b / a) }'
	done
	echo
}
row "first step req/s" first requests_per_s 1
row "whole calls/s" call calls_per_s 1
row "last step req/s" last requests_per_s 1
row "first step p50 us" first request_p50_us 0
row "last step p50 us" last request_p50_us 0
row "last step p99 us" last request_p99_us 0
row "call p50 us" call call_p50_us 0
row "call p99 us" call call_p99_us 0
printf '%-26s' "calls not as expected"
for s in "${servers[@]}"; do
	n=0
	for mode in first call last; do
		n=$((n + $(sum "$s" "$mode" wrong) + $(sum "$s" "$mode" errors)))
	done
	printf '%12s' "$n"
done
echo
echo "(ratios: ours/other for rates, other/ours for latencies: above 1 means ours is better)"

if command -v wrk >/dev/null; then
	declare -A wrkrate
	for s in "${servers[@]}"; do
		"$work/loadcall" -wrk-script -url "${url[$s]}" -token "$token" >"$work/$s.lua"
	done
	for round in $(seq "$ROUNDS"); do
		for s in "${servers[@]}"; do
			rate=$("${tool[@]}" wrk -t1 -c"$CONCURRENCY" -d"$DURATION" -s "$work/$s.lua" "${url[$s]}" |
				awk '/Requests\/sec/ { print $2 } /Non-2xx/ { print "non-2xx" > "/dev/stderr" }')
			echo "round $round, $s first step under wrk: $rate requests/s" >&2
			wrkrate[$s.$round]=$rate
		done
	done
	printf '%-26s' "first step req/s (wrk)"
	declare -A wmed
	for s in "${servers[@]}"; do
		wmed[$s]=$(for round in $(seq "$ROUNDS"); do echo "${wrkrate[$s.$round]}"; done | sort -g |
			awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
		printf '%12s' "${wmed[$s]}"
	done
	for other in limit node; do
		awk -v a="${wmed[ours]:-}" -v b="${wmed[$other]:-}" 'BEGIN {
			if (a == "" || b == "" || a == 0 || b == 0) { printf "%14s", "-"; exit }
			printf "%13.2fx", a / b }'
	done
	echo
fi
