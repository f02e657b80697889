#!/usr/bin/env bash
# gc.sh measures what GC tuning through the environment buys the example
# IVR (examples/encrypted-gather, signatures checked, single use in
# memory) under whole calls: for each GOGC setting in SETTINGS ("default
# 400"; "default" leaves GOGC unset, Go's defaults), ROUNDS (3) rounds in
# which the IVR and the bare limit server (internal/bench/baseline/limit)
# take turns, the order reversed every other round (A B, then B A, for
# the settings and for each IVR and limit pair alike), so that a steady
# drift falls on both sides. The machine's other load drifts, so each IVR
# figure is read as a ratio to the limit server measured beside it; the
# summary gives each setting's median ratio and the range over the
# rounds, the same for each one's call p99, and the IVR's garbage
# collections (GODEBUG=gctrace=1) and peak resident memory over the run.
#
# Settings from the environment, as compare.sh: CONCURRENCY (32),
# DURATION per measurement (5s), WARMUP whole calls before each (200),
# PIN=1 for the servers on CPU 1 and the load tool on CPU 0. A setting
# may name a prebuilt IVR after an @, to compare a change in the same
# rounds: SETTINGS="400 400@/tmp/old-ivr" runs the example built from
# this tree and /tmp/old-ivr, both with GOGC=400.
# Everything listens on loopback ports found free, and is stopped on exit.
set -euo pipefail

CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-200}
SETTINGS=${SETTINGS:-default 400}
EXPECT="Your account number is"

tool=() server=()
if [[ ${PIN:-0} == 1 ]]; then
	tool=(taskset -c 0) server=(taskset -c 1)
fi

source "$(dirname "$0")/servers.sh"

cd "$root"
go build -o "$work/loadcall" ./internal/bench/loadcall
go build -o "$work/limit" ./internal/bench/baseline/limit
go build -o "$work/ivr" ./examples/encrypted-gather

key=$(go run ./examples/keygen)
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

declare -A url digits pid log

# One IVR process per setting, all started before the first round, so
# that each round measures warm servers alike.
for gc in $SETTINGS; do
	ivr=$work/ivr
	[[ $gc == *@* ]] && ivr=${gc#*@}
	gcenv=(env GOGC="${gc%%@*}")
	[[ ${gc%%@*} == default ]] && gcenv=(env -u GOGC)
	n=$((${n:-0} + 1)) log[$gc]=$work/ivr-$n.log
	p=$(free_port)
	ADDR=127.0.0.1:$p PUBLIC_URL=http://127.0.0.1:$p TWILIO_AUTH_TOKEN=$token AES_SECRET=$key SINGLE_USE_ENTRIES=4000000 \
		GODEBUG=gctrace=1 "${gcenv[@]}" "${server[@]}" "$ivr" 2>"${log[$gc]}" &
	pids+=($!)
	pid[$gc]=$!
	url[$gc]=http://127.0.0.1:$p/encrypted-gather digits[$gc]=1234,4321
	wait_port "$p" "${log[$gc]}"
done

p=$(free_port)
ADDR=127.0.0.1:$p "${server[@]}" "$work/limit" 2>"$work/limit.log" &
pids+=($!)
url[limit]=http://127.0.0.1:$p/first digits[limit]=4321
wait_port "$p" "$work/limit.log"

# measure SERVER prints loadcall's one-line report for whole calls.
measure() {
	timeout 600 "${tool[@]}" "$work/loadcall" -format kv -url "${url[$1]}" -token "$token" -digits "${digits[$1]}" \
		-expect "$EXPECT" -calls 1000000 -duration "$DURATION" -concurrency "$CONCURRENCY" -warmup "$WARMUP" || true
}

# kv LINE NAME prints one value of a name=value line.
kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# notok LINE... prints how many calls of the reports did not end as
# expected; a missing report counts as one.
notok() {
	local line n=0
	for line in "$@"; do
		if [[ -z $line ]]; then n=$((n + 1)); continue; fi
		n=$((n + $(kv "$line" wrong) + $(kv "$line" errors)))
	done
	echo "$n"
}

# reversed WORDS... prints its arguments in reverse order.
reversed() {
	local i out=()
	for ((i = $#; i > 0; i--)); do out+=("${!i}"); done
	echo "${out[@]}"
}

declare -A ratio p99 lp99 served
printf '%-6s %-8s %12s %12s %12s %12s %8s %8s\n' round GOGC "ivr calls/s" "ivr p99 ms" "limit calls/s" "limit p99 ms" ratio "not ok"
for round in $(seq "$ROUNDS"); do
	order=$SETTINGS
	((round % 2 == 0)) && order=$(reversed $SETTINGS)
	for gc in $order; do
		if ((round % 2)); then
			ours=$(measure "$gc")
			limit=$(measure limit)
		else
			limit=$(measure limit)
			ours=$(measure "$gc")
		fi
		served[$gc]=$((${served[$gc]:-0} + WARMUP + $(kv "$ours" calls)))
		r=$(awk -v a="$(kv "$ours" calls_per_s)" -v b="$(kv "$limit" calls_per_s)" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b }')
		ratio[$gc]+="$r " p99[$gc]+="$(kv "$ours" call_p99_us) " lp99[$gc]+="$(kv "$limit" call_p99_us) "
		printf '%-6s %-8s %12s %12s %12s %12s %8s %8s\n' "$round" "$gc" \
			"$(kv "$ours" calls_per_s)" "$(awk -v u="$(kv "$ours" call_p99_us)" 'BEGIN { printf "%.1f", u / 1000 }')" \
			"$(kv "$limit" calls_per_s)" "$(awk -v u="$(kv "$limit" call_p99_us)" 'BEGIN { printf "%.1f", u / 1000 }')" \
			"${r:--}" "$(notok "$ours" "$limit")"
	done
done

echo
pinned="$(nproc) cores shared by the servers and the load tool"
[[ ${PIN:-0} == 1 ]] && pinned="servers pinned to CPU 1, the load tool to CPU 0"
echo "whole calls/s of the IVR over the limit server's in the same round (limit calls are 2 requests, the IVR's 3);"
echo "$ROUNDS rounds, concurrency $CONCURRENCY, $DURATION per measurement, $WARMUP warm-up calls, $pinned"
# spread VALUES... prints the median and the range of numbers.
spread() {
	tr ' ' '\n' <<<"$*" | awk NF | sort -g |
		awk -v s="${SCALE:-1}" -v f="${FORMAT:-%.2f}" '{ v[NR] = $1 / s } END { if (NR) printf f " (" f " to " f ")", v[int((NR + 1) / 2)], v[1], v[NR] }'
}
for gc in $SETTINGS; do
	printf 'GOGC=%-8s ratio %s; call p99 ms: ivr %s, limit %s\n' "$gc" "$(spread "${ratio[$gc]}")" \
		"$(SCALE=1000 FORMAT=%.1f spread "${p99[$gc]}")" "$(SCALE=1000 FORMAT=%.1f spread "${lp99[$gc]}")"
done
for gc in $SETTINGS; do
	cycles=$(grep -o 'gc [0-9][0-9]* @[0-9.]*s [0-9]*%:' "${log[$gc]}" | wc -l)
	rss=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/${pid[$gc]}/status" 2>/dev/null || true)
	printf 'GOGC=%-8s %s GC cycles over %s calls (%s per 1,000), peak RSS %s MB\n' "$gc" "$cycles" "${served[$gc]}" \
		"$(awk -v c="$cycles" -v n="${served[$gc]}" 'BEGIN { if (n > 0) printf "%.1f", 1000 * c / n }')" "${rss:--}"
done
