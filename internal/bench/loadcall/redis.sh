#!/usr/bin/env bash
# redis.sh measures what sharing single use through Redis costs the
# example IVR (examples/encrypted-gather): the IVR with its in-memory store
# beside the same IVR with REDIS_URL naming a redis-server of its own on
# loopback (no persistence), in the same rounds, whole calls and the last
# step alone (-last-only), at each concurrency in CONCURRENCIES ("8 32
# 128"). Each round measures every store at every concurrency, the order
# of the stores reversed every other round, so that a steady drift falls
# on both sides; the summary gives, per concurrency, each store's median
# and range over the rounds and the ratio of the medians to the memory
# store's, and what a whole call cost in CPU: the IVR's own, and that of
# redis-server, which shares the same cores, read from /proc.
#
# STORES ("memory redis") names the IVRs; an entry NAME=VAR=VALUE adds one
# running on Redis with VAR=VALUE in its environment, and NAME@PATH one
# built elsewhere (on Redis), to compare a change in the same rounds.
# Settings from the environment, as compare.sh: ROUNDS (3), DURATION per
# measurement (3s), WARMUP whole calls before each (100), CALLS (1000000),
# IVR_GOGC (400, the documented setting; "default" for Go's defaults),
# PIN=1 for the servers on CPU 1 and the load tool on CPU 0.
set -euo pipefail

CONCURRENCIES=${CONCURRENCIES:-8 32 128}
DURATION=${DURATION:-3s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-100}
CALLS=${CALLS:-1000000}
STORES=${STORES:-memory redis}
IVR_GOGC=${IVR_GOGC:-400}
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

key=$(go run ./examples/keygen)
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

rp=$(free_port)
"${server[@]}" redis-server --port "$rp" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
	>"$work/redis.log" 2>&1 &
pids+=($!)
redispid=$!
wait_port "$rp" "$work/redis.log"

declare -A url pid
names=()
for s in $STORES; do
	name=${s%%[=@]*} ivr=$work/ivr storeenv=(REDIS_URL=redis://127.0.0.1:$rp/0)
	[[ $s == memory ]] && storeenv=(SINGLE_USE_ENTRIES=4000000)
	[[ $s == *=* ]] && storeenv+=("${s#*=}")
	[[ $s == *@* ]] && ivr=${s#*@}
	p=$(free_port)
	env ADDR=127.0.0.1:$p PUBLIC_URL=http://127.0.0.1:$p TWILIO_AUTH_TOKEN=$token AES_SECRET=$key "${storeenv[@]}" \
		"${ivrgc[@]}" "${server[@]}" "$ivr" 2>"$work/ivr-$name.log" &
	pids+=($!)
	pid[$name]=$!
	url[$name]=http://127.0.0.1:$p/encrypted-gather
	wait_port "$p" "$work/ivr-$name.log"
	names+=("$name")
done

# measure NAME CONCURRENCY [FLAG] prints loadcall's one-line report.
measure() {
	local flag=()
	[[ -n ${3:-} ]] && flag=("$3")
	timeout 600 "${tool[@]}" "$work/loadcall" -format kv -url "${url[$1]}" -token "$token" -digits 1234,4321 \
		-expect "$EXPECT" -calls "$CALLS" -duration "$DURATION" -concurrency "$2" -warmup "$WARMUP" "${flag[@]}" || true
}

# cputicks PID prints the CPU time a process has used, user and system, in
# clock ticks; idleticks the time the cores have been idle, summed over them.
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
idleticks() { awk '$1 == "cpu" { print $5 }' /proc/stat; }
hz=$(getconf CLK_TCK)
# percall TICKS CALLS prints clock ticks of CPU as µs per call.
percall() { awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { print t / hz * 1e6 / n }'; }

# kv LINE NAME prints one value of a name=value line.
kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

declare -A vals
bad=0
for round in $(seq "$ROUNDS"); do
	order=("${names[@]}")
	if ((round % 2 == 0)); then
		order=()
		for ((i = ${#names[@]} - 1; i >= 0; i--)); do order+=("${names[i]}"); done
	fi
	for c in $CONCURRENCIES; do
		for s in "${order[@]}"; do
			i0=$(cputicks "${pid[$s]}") r0=$(cputicks "$redispid") z0=$(idleticks) t0=$(date +%s%N)
			call=$(measure "$s" "$c")
			i1=$(cputicks "${pid[$s]}") r1=$(cputicks "$redispid") z1=$(idleticks) t1=$(date +%s%N)
			last=$(measure "$s" "$c" -last-only)
			echo "round $round, c=$c, $s: calls: $call" >&2
			echo "round $round, c=$c, $s: last: $last" >&2
			for line in "$call" "$last"; do
				if [[ -z $line ]]; then bad=$((bad + 1)); continue; fi
				bad=$((bad + $(kv "$line" wrong) + $(kv "$line" errors)))
			done
			vals[$s.$c.calls]+="$(kv "$call" calls_per_s) "
			vals[$s.$c.cp50]+="$(kv "$call" call_p50_us) "
			vals[$s.$c.cp99]+="$(kv "$call" call_p99_us) "
			# CPU µs per whole call, warm-up calls included, and the share
			# of the cores left idle meanwhile.
			n=$(($(kv "$call" calls) + WARMUP))
			vals[$s.$c.ivrcpu]+="$(percall $((i1 - i0)) "$n") "
			vals[$s.$c.rediscpu]+="$(percall $((r1 - r0)) "$n") "
			vals[$s.$c.idle]+="$(awk -v t=$((z1 - z0)) -v ns=$((t1 - t0)) -v hz="$hz" -v cores="$(nproc)" 'BEGIN { print 100 * t / hz / (ns / 1e9) / cores }') "
			vals[$s.$c.last]+="$(kv "$last" requests_per_s) "
			vals[$s.$c.lp50]+="$(kv "$last" last_p50_us) "
			vals[$s.$c.lp99]+="$(kv "$last" last_p99_us) "
		done
	done
done

# median VALUES... prints the median of numbers.
median() { tr ' ' '\n' <<<"$*" | awk NF | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
# spread VALUES... prints the median and the range of numbers, over SCALE.
spread() {
	tr ' ' '\n' <<<"$*" | awk NF | sort -g |
		awk -v s="${SCALE:-1}" -v f="${FORMAT:-%.0f}" '{ v[NR] = $1 / s } END { if (NR) printf f " (" f "-" f ")", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

echo
pinned="$(nproc) cores shared by the servers and the load tool"
[[ ${PIN:-0} == 1 ]] && pinned="servers pinned to CPU 1, the load tool to CPU 0"
echo "medians of $ROUNDS rounds (range); $DURATION per measurement, $WARMUP warm-up calls, $pinned; IVR GOGC=$IVR_GOGC"
echo "ratio: median over the memory store's median, same run; p50/p99 in ms"
echo "CPU per call: µs of CPU the IVR and redis-server used per whole call; idle: share of the cores idle meanwhile"
for c in $CONCURRENCIES; do
	echo "concurrency $c"
	printf '  %-10s %-24s %-8s %-14s %-24s %-8s %-14s %-16s %s\n' store "whole calls/s" ratio "call p50/p99" "last step req/s" ratio "last p50/p99" "CPU IVR/redis" idle
	mc=$(median "${vals[memory.$c.calls]:-}") ml=$(median "${vals[memory.$c.last]:-}")
	for s in "${names[@]}"; do
		sc=$(median "${vals[$s.$c.calls]}") sl=$(median "${vals[$s.$c.last]}")
		printf '  %-10s %-24s %-8s %-14s %-24s %-8s %-14s %-16s %s\n' "$s" \
			"$(spread "${vals[$s.$c.calls]}")" "$(awk -v a="$sc" -v b="$mc" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }')" \
			"$(SCALE=1000 FORMAT=%.1f median "${vals[$s.$c.cp50]}" | awk '{ printf "%.1f", $1 / 1000 }')/$(median "${vals[$s.$c.cp99]}" | awk '{ printf "%.1f", $1 / 1000 }')" \
			"$(spread "${vals[$s.$c.last]}")" "$(awk -v a="$sl" -v b="$ml" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }')" \
			"$(median "${vals[$s.$c.lp50]}" | awk '{ printf "%.1f", $1 / 1000 }')/$(median "${vals[$s.$c.lp99]}" | awk '{ printf "%.1f", $1 / 1000 }')" \
			"$(median "${vals[$s.$c.ivrcpu]}" | awk '{ printf "%.0f", $1 }')/$(median "${vals[$s.$c.rediscpu]}" | awk '{ printf "%.0f", $1 }')" \
			"$(median "${vals[$s.$c.idle]}" | awk '{ printf "%.0f%%", $1 }')"
	done
done
echo "calls or requests not as expected: $bad"
