# servers.sh is sourced by compare.sh, gc.sh and redis.sh: a work folder
# removed on exit with every server started into pids, and the loopback
# ports they listen on. It sets root, work and pids.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# free_port prints a loopback port that nothing listens on, below the
# range the kernel hands out to outgoing connections: a port one of them
# holds cannot be listened on, though nothing listens there.
free_port() {
	local p low
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range
	((low > 10000)) || low=32768
	while :; do
		p=$((10000 + RANDOM % (low - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# wait_port PORT LOG waits up to 30 s for a server to listen, and shows
# its log if it never does.
wait_port() {
	for _ in $(seq 300); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "$(basename "$0"): nothing listens on port $1; its log:" >&2
	cat "$2" >&2
	exit 1
}
