#!/usr/bin/env bash
# compare.sh measures, in one run with the same settings, the example IVR
# (examples/encrypted-gather, signatures checked), the bare limit server
# (internal/bench/baseline/limit) and the tutorial's Node server
# (internal/bench/baseline/node) twice:
# "node" as the tutorial is published, with its twilio and axios packages,
# and "node-bare" on the shim that replaces them (BASELINE=bare). Each
# serves its backend in the same process. It prints a table of ratios.
#
# For each server: the first step alone (-first-only), whole calls, and the
# last step alone on calls prepared beforehand (-last-only). The limit
# server's calls are two requests (first step, then last), the others' three.
#
# The machine's other load drifts, so each measurement is repeated ROUNDS
# times (3), the servers taking turns, and the table shows medians.
#
# With wrk installed, the first and last steps are also measured under wrk
# (a lighter load generator), with the issue's settings: -t2 -c32 and
# nothing pinned (PIN=1: wrk -t1 on CPU 0). A first request carries no
# state token, so it repeats; for the last step, loadcall -wrk-last-script
# prepares a pool of calls up to their last request before each run (sized
# from the loadcall last-step rate: WRK_POOL_FACTOR (4) times it, over
# DURATION) and wrk sends each request once. The pool row says how much of
# it the busiest round used; a rate marked * comes from a round whose pool
# ran out, and is over the time answers came, not the whole DURATION.
#
# Settings from the environment: CONCURRENCY (32), DURATION per measurement
# (3s), WARMUP whole calls before each (200), PIN=1 to run the load tools
# on CPU 0 and the servers on CPU 1 (taskset), so the tools' own work does
# not take the servers' core, REDIS=1 for a column of our IVR sharing its
# single-use store through redis-server. Needs go; node is optional: when
# the Node baseline's packages are missing and npm is installed, they are
# installed with `npm ci` (when that fails, only node-bare runs).
#
# IVR_GOGC (400) is the GC target our IVR runs with, set through its
# environment as the README's tuning section advises for load: the
# example itself runs on Go's defaults, and set GOGC=400 in-process before
# it did, so the default keeps these figures comparable with earlier ones.
# IVR_GOGC=default runs it on Go's defaults (GOGC unset); gc.sh, beside
# this script, measures the two against the limit server.
# Everything listens on loopback ports found free, and is stopped on exit.
set -euo pipefail

CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-3s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-200}
WRK_POOL_FACTOR=${WRK_POOL_FACTOR:-4}
IVR_GOGC=${IVR_GOGC:-400}
CALLS=1000000 # the duration bounds each measurement
EXPECT="Your account number is"

tool=() server=()
if [[ ${PIN:-0} == 1 ]]; then
	tool=(taskset -c 0) server=(taskset -c 1)
fi
ivrgc=(env GOGC="$IVR_GOGC")
[[ $IVR_GOGC == default ]] && ivrgc=(env -u GOGC)

source "$(dirname "$0")/servers.sh"

cd "$root"
go build -o "$work/loadcall" ./internal/bench/loadcall
go build -o "$work/ivr" ./examples/encrypted-gather
go build -o "$work/limit" ./internal/bench/baseline/limit

key=$(go run ./examples/keygen)
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

servers=(ours limit)
declare -A url digits

p=$(free_port)
# Every state token answers once; the IVR's memory store keeps each for 15
# minutes, so it is sized for every step the whole run answers.
ADDR=127.0.0.1:$p PUBLIC_URL=http://127.0.0.1:$p TWILIO_AUTH_TOKEN=$token AES_SECRET=$key SINGLE_USE_ENTRIES=4000000 \
	"${ivrgc[@]}" "${server[@]}" "$work/ivr" 2>"$work/ivr.log" &
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
		REDIS_URL=redis://127.0.0.1:$rp/0 "${ivrgc[@]}" "${server[@]}" "$work/ivr" 2>"$work/ivr-redis.log" &
	pids+=($!)
	url[redis]=http://127.0.0.1:$p/encrypted-gather digits[redis]=1234,4321
	wait_port "$p" "$work/ivr-redis.log"
	servers+=(redis)
fi

# start_node NAME BASELINE starts the Node baseline as server NAME.
start_node() {
	local p
	p=$(free_port)
	PORT=$p AES_SECRET=$key BASELINE=$2 "${server[@]}" node internal/bench/baseline/node/server.js >"$work/$1.log" 2>&1 &
	pids+=($!)
	url[$1]=http://127.0.0.1:$p/encrypted-gather digits[$1]=1234,4321
	wait_port "$p" "$work/$1.log"
	servers+=("$1")
}

nodedir=internal/bench/baseline/node
packaged() { [[ -f $nodedir/node_modules/twilio/package.json && -f $nodedir/node_modules/axios/package.json ]]; }
if command -v node >/dev/null; then
	if ! packaged; then
		if ! command -v npm >/dev/null; then
			echo "compare.sh: npm not found and $nodedir has no node_modules; no node column, only node-bare" >&2
		elif ! (cd "$nodedir" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
			echo "compare.sh: npm ci failed in $nodedir; no node column, only node-bare:" >&2
			tail -5 "$work/npm.log" >&2
		fi
	fi
	if packaged; then start_node node ""; fi
	start_node node-bare bare
else
	echo "compare.sh: node not found; no Node columns" >&2
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
echo "medians of $ROUNDS rounds; concurrency $CONCURRENCY, $DURATION per measurement, $WARMUP warm-up calls, $pinned; our IVR with GOGC=$IVR_GOGC"
printf '%-26s' ""
for s in "${servers[@]}"; do printf '%12s' "$s"; done
printf '%14s%14s%15s\n' "ours/limit" "ours/node" "ours/node-bare"
# ratios OURS LIMIT NODE NODE-BARE HIGHER-IS-BETTER prints the ratio columns.
ratios() {
	local a=$1 i b
	for i in 2 3 4; do
		b=${!i}
		awk -v a="$a" -v b="${b%\*}" -v up="$5" -v w=$((i == 4 ? 15 : 14)) 'BEGIN {
			if (a == "" || b == "" || a == 0 || b == 0) { printf("%" w "s", "-"); exit }
			printf("%" (w - 1) ".2fx", (up ? a / b : b / a)) }'
	done
}
row() { # row LABEL MODE KEY HIGHER-IS-BETTER
	printf '%-26s' "$1"
	local -A v
	for s in "${servers[@]}"; do
		v[$s]=$(get "$s" "$2" "$3")
		printf '%12s' "${v[$s]:--}"
	done
	ratios "${v[ours]:-}" "${v[limit]:-}" "${v[node]:-}" "${v[node-bare]:-}" "$4"
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

# kv LINE NAME prints one value of a name=value line.
kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# median prints the median of the numbers on its input.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# seconds DURATION prints a duration such as 3s, 500ms or 1m in seconds.
seconds() {
	case $1 in
	*ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;;
	*s) echo "${1%s}" ;;
	*m) awk -v v="${1%m}" 'BEGIN { print v * 60 }' ;;
	*) echo "$1" ;;
	esac
}

if command -v wrk >/dev/null; then
	wthreads=2
	[[ ${PIN:-0} == 1 ]] && wthreads=1
	declare -A wfirst wlast pool
	for s in "${servers[@]}"; do
		"$work/loadcall" -wrk-script -url "${url[$s]}" -token "$token" >"$work/$s.lua"
		# The pool covers the run at WRK_POOL_FACTOR times loadcall's own
		# last-step rate, which is tool-bound; a pool that runs out is reported.
		pool[$s]=$(awk -v r="$(get "$s" last requests_per_s)" -v f="$WRK_POOL_FACTOR" -v d="$(seconds "$DURATION")" \
			'BEGIN { n = int(r * f * d); if (n < 2000) n = 2000; if (n > 300000) n = 300000; print n }')
	done
	for round in $(seq "$ROUNDS"); do
		for s in "${servers[@]}"; do
			rate=$("${tool[@]}" wrk -t"$wthreads" -c"$CONCURRENCY" -d"$DURATION" -s "$work/$s.lua" "${url[$s]}" |
				awk '/Requests\/sec/ { print $2 } /Non-2xx/ { print "non-2xx" > "/dev/stderr" }')
			echo "round $round, $s first step under wrk: $rate requests/s" >&2
			wfirst[$s.$round]=$rate
		done
		for s in "${servers[@]}"; do
			prep=$(timeout 900 "${tool[@]}" "$work/loadcall" -format kv -url "${url[$s]}" -token "$token" -digits "${digits[$s]}" \
				-expect "$EXPECT" -calls "${pool[$s]}" -duration 10m -concurrency "$CONCURRENCY" \
				-wrk-threads "$wthreads" -wrk-last-script "$work/$s-last.lua") ||
				echo "compare.sh: preparing $s's last steps: $prep" >&2
			line=$("${tool[@]}" wrk -t"$wthreads" -c"$CONCURRENCY" -d"$DURATION" -s "$work/$s-last.lua" "${url[$s]}" -- "$wthreads" |
				grep '^loadcall-wrk' || true)
			rm -f "$work/$s-last.lua"
			echo "round $round, $s last step under wrk: ${line#loadcall-wrk }" >&2
			wlast[$s.$round]=$line
		done
	done
	echo
	echo "under wrk -t$wthreads -c$CONCURRENCY -d$DURATION, medians of $ROUNDS rounds"
	printf '%-26s' ""
	for s in "${servers[@]}"; do printf '%12s' "$s"; done
	printf '%14s%14s%15s\n' "ours/limit" "ours/node" "ours/node-bare"
	declare -A wmed
	printf '%-26s' "first step req/s (wrk)"
	for s in "${servers[@]}"; do
		wmed[$s]=$(for round in $(seq "$ROUNDS"); do echo "${wfirst[$s.$round]}"; done | median)
		printf '%12s' "${wmed[$s]:--}"
	done
	ratios "${wmed[ours]:-}" "${wmed[limit]:-}" "${wmed[node]:-}" "${wmed[node-bare]:-}" 1
	echo
	printf '%-26s' "last step req/s (wrk)"
	declare -A lmed
	ranout=0
	for s in "${servers[@]}"; do
		lmed[$s]=$(for round in $(seq "$ROUNDS"); do kv "${wlast[$s.$round]}" requests_per_s; done | median)
		mark=
		for round in $(seq "$ROUNDS"); do
			[[ $(kv "${wlast[$s.$round]}" ran_out) == 1 ]] && mark='*' ranout=1
		done
		printf '%12s' "${lmed[$s]:--}$mark"
	done
	ratios "${lmed[ours]:-}" "${lmed[limit]:-}" "${lmed[node]:-}" "${lmed[node-bare]:-}" 1
	echo
	printf '%-26s' "last step pool used (wrk)"
	for s in "${servers[@]}"; do
		most=$(for round in $(seq "$ROUNDS"); do
			awk -v a="$(kv "${wlast[$s.$round]}" answered)" -v p="$(kv "${wlast[$s.$round]}" pool)" 'BEGIN { if (p > 0) printf "%d\n", 100 * a / p }'
		done | sort -g | tail -1)
		printf '%12s' "${most:--}%"
	done
	echo "   (the busiest round's answers, of its pool of ${pool[ours]} for ours)"
	printf '%-26s' "last step wrong (wrk)"
	for s in "${servers[@]}"; do
		n=0
		for round in $(seq "$ROUNDS"); do
			line=${wlast[$s.$round]}
			if [[ -z $line ]]; then n=$((n + 1)); continue; fi # no summary: counted as wrong
			n=$((n + $(kv "$line" wrong)))
		done
		printf '%12s' "$n"
	done
	echo
	((ranout)) && echo "(* a round's pool ran out: its rate is over the time answers came, not the whole $DURATION)"
	echo "(wrong: answers not 200 or without \"$EXPECT\", must be 0; per-round pools and counts are on stderr)"
fi
