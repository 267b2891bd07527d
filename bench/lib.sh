# lib.sh — shared by bench/transfer.sh and bench/listing.sh (source it).
#
# Starts a private vsftpd on 127.0.0.1 through `go test ./bench -run TestServe`
# (internal/ftptest; explicit FTPS offered, require_ssl_reuse=YES), builds
# skiff unless SKIFF_BIN names one, and provides timing helpers. Everything
# generated goes under bench/out/ (gitignored).

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d "$PWD/$OUT/run.XXXXXX")
RUNS=${RUNS:-3}

need() {
	if ! bash scripts/deps.sh bench >/dev/null; then
		echo "bench: missing tools (lftp, curl, GNU time); see scripts/deps.sh bench" >&2
		exit 1
	fi
	if [ ! -x .cache/ftpservers/usr/sbin/vsftpd ] && [ -z "${SKIFF_FTPSERVERS:-}" ]; then
		bash scripts/ftp-servers.sh
	fi
}

build_skiff() {
	if [ -n "${SKIFF_BIN:-}" ]; then
		SKIFF=$SKIFF_BIN
	else
		echo "building skiff (the first cgo build of the window takes minutes)..." >&2
		go build -tags no_emoji -o "$OUT/skiff" . # as the Makefile builds it
		SKIFF=$OUT/skiff
	fi
}

# start_server VAR=VALUE... — env for TestServe (SKIFF_BENCH_FILE_MIB, SKIFF_BENCH_ENTRIES).
start_server() {
	go test -c -o "$OUT/bench.test" ./bench
	env SKIFF_BENCH_DIR="$WORK" "$@" "$OUT/bench.test" -test.run '^TestServe$' -test.count=1 -test.timeout=0 -test.v \
		>"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	trap stop_server EXIT
	for _ in $(seq 1 600); do
		[ -f "$WORK/server.env" ] && break
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			cat "$WORK/server.log" >&2
			exit 1
		fi
		sleep 0.5
	done
	# shellcheck disable=SC1091
	. "$WORK/server.env"
	VSFTPD_PID=$(pgrep -P "$SERVER_PID" -x vsftpd | head -1 || true)
	server_cgroup
	pin_server
}

# Placement. On loopback the client and vsftpd share the machine's cores,
# and where the kernel happens to put them decides a run more than the
# client does: a 1 GiB FTPS download took lftp 1.8-2.1 s with vsftpd on the
# other core and 2.7-3.0 s on the same one, curl 2.1-2.6 s against
# 3.1-3.2 s, skiff 1.8-2.3 s against 3.1-3.3 s (2 CPUs, 2026-12-03), and
# the kernel picks one or the other from run to run. PIN=1 (the default
# with 2 CPUs or more) keeps vsftpd on the last CPU and every client on the
# others, as if they were two machines; PIN=0 leaves it to the kernel.
PIN=${PIN:-1}
CLIENT_PIN=()
PLACEMENT="client and server placed by the kernel"
pin_server() {
	local n
	n=$(nproc)
	[ "$PIN" = 1 ] && [ "$n" -ge 2 ] && [ -n "${VSFTPD_PID:-}" ] && command -v taskset >/dev/null || return 0
	# Sessions fork from the listener and keep its CPU.
	taskset -a -p -c $((n - 1)) "$VSFTPD_PID" >/dev/null 2>&1 || return 0
	CLIENT_PIN=(taskset -c "0-$((n - 2))")
	PLACEMENT="vsftpd on CPU $((n - 1)), clients on CPU 0-$((n - 2))"
}

# server_cgroup — puts the vsftpd listener in a CPU-accounting cgroup of
# its own, so that every process of every session counts, also vsftpd's SSL
# helper, which may outlive its session unreaped (its time is then missing
# from the listener's children's times). Sets SERVER_CG to the cgroup's
# directory, or leaves it empty where there is no cgroup to use; then only
# sessions reaped by the listener count.
SERVER_CG=
server_cgroup() {
	local d
	[ -n "${VSFTPD_PID:-}" ] || return 0
	if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then
		d=/sys/fs/cgroup/cpuacct/skiff-bench-$$ # cgroup v1
	elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		d=/sys/fs/cgroup/skiff-bench-$$ # cgroup v2
	else
		return 0
	fi
	if mkdir -p "$d" 2>/dev/null && echo "$VSFTPD_PID" >"$d/cgroup.procs" 2>/dev/null; then
		SERVER_CG=$d
	fi
}

# server_cpu — CPU nanoseconds the server has used so far: the cgroup's
# usage, else the listener's reaped sessions (user+system ticks); 0 when the
# server is not known.
server_cpu() {
	if [ -f "$SERVER_CG/cpuacct.usage" ]; then
		cat "$SERVER_CG/cpuacct.usage"
	elif [ -f "$SERVER_CG/cpu.stat" ]; then
		awk '$1 == "usage_usec" {print $2 * 1000}' "$SERVER_CG/cpu.stat"
	elif [ -n "${VSFTPD_PID:-}" ] && [ -r "/proc/$VSFTPD_PID/stat" ]; then
		awk -v hz="$(getconf CLK_TCK)" '{printf "%d\n", ($16 + $17) * 1e9 / hz}' "/proc/$VSFTPD_PID/stat"
	else
		echo 0
	fi
}

# server_idle — waits (at most 5 s) until the last session and its helpers
# have ended, so their CPU time is counted.
server_idle() {
	[ -n "${VSFTPD_PID:-}" ] || return 0
	for _ in $(seq 1 100); do
		if [ -n "$SERVER_CG" ]; then
			[ "$(wc -l <"$SERVER_CG/cgroup.procs")" -le 1 ] && break
		else
			pgrep -P "$VSFTPD_PID" >/dev/null || break
		fi
		sleep 0.05
	done
	sleep 0.05
}

stop_server() {
	touch "$WORK/stop"
	wait "$SERVER_PID" 2>/dev/null || true
	rm -rf "$WORK/data"
	if [ -n "$SERVER_CG" ]; then
		rmdir "$SERVER_CG" 2>/dev/null || true
	fi
}

# timed LABEL CMD... — runs CMD under GNU time; appends "seconds rss_kib
# cpu_seconds server_cpu_seconds" to $WORK/LABEL. Output of CMD goes to
# $WORK/LABEL.log. The server's CPU time shows what a client makes the
# server do: on loopback both share the machine's cores.
timed() {
	local label=$1
	shift
	local t0 t1 s0 s1
	server_idle
	s0=$(server_cpu)
	t0=$(date +%s.%N)
	if ! /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "${CLIENT_PIN[@]}" "$@" >"$WORK/$label.log" 2>&1; then
		echo "bench: $label failed:" >&2
		cat "$WORK/$label.log" >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	server_idle
	s1=$(server_cpu)
	echo "$t0 $t1 $(tail -1 "$WORK/rss") $((s1 - s0))" |
		awk '{printf "%.3f %s %.2f %.2f\n", $2-$1, $3, $4+$5, $6/1e9}' >>"$WORK/$label"
}

# median LABEL — median seconds of LABEL's runs; cpu LABEL — median CPU
# seconds (user+sys: steadier than wall time on a busy machine); srvcpu
# LABEL — the server's; totcpu LABEL — of client and server together;
# maxrss LABEL — peak RSS MiB.
median() { sort -n "$WORK/$1" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
cpu() { sort -n -k3 "$WORK/$1" | awk '{a[NR]=$3} END {printf "%.2f", a[int((NR+1)/2)]}'; }
srvcpu() { sort -n -k4 "$WORK/$1" | awk '{a[NR]=$4} END {printf "%.2f", a[int((NR+1)/2)]}'; }
totcpu() { awk '{print $3 + $4}' "$WORK/$1" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'; }
maxrss() { awk 'BEGIN {m=0} $2>m {m=$2} END {printf "%.1f", m/1024}' "$WORK/$1"; }
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1/$2}'; }

# paired A B... — the ratio of A to the faster of B...: for each, the
# median over rounds of A's time over B's in the same round, and the
# largest of those. The clients of a round run back to back, so a slow
# spell of the machine (seconds long here, every client alike) cancels in
# the round's ratio where it moves the medians of whoever it hit.
paired() {
	local a=$1 b r m=0
	shift
	for b in "$@"; do
		r=$(paste -d' ' "$WORK/$a" "$WORK/$b" | awk '{print $1 / $5}' | sort -n | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]}')
		m=$(echo "$m $r" | awk '{print ($2 > $1) ? $2 : $1}')
	done
	echo "$m"
}
fastest() { printf '%s\n' "$@" | sort -n | head -1; }
