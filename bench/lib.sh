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
		go build -o "$OUT/skiff" .
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
}

# server_cpu — CPU ticks of the vsftpd sessions that ended so far (the
# listener reaps them, so they add to its children's user+system time);
# 0 when the server is not known. A session's own helpers count only when
# it reaped them before it ended (always for plain FTP; with TLS vsftpd's
# SSL process sometimes outlives the session and is not counted).
server_cpu() {
	if [ -n "${VSFTPD_PID:-}" ] && [ -r "/proc/$VSFTPD_PID/stat" ]; then
		awk '{print $16+$17}' "/proc/$VSFTPD_PID/stat"
	else
		echo 0
	fi
}

# server_idle — waits (at most 5 s) until the last session has ended and
# been reaped, so its CPU time is counted.
server_idle() {
	[ -n "${VSFTPD_PID:-}" ] || return 0
	for _ in $(seq 1 100); do
		pgrep -P "$VSFTPD_PID" >/dev/null || break
		sleep 0.05
	done
	sleep 0.05
}

stop_server() {
	touch "$WORK/stop"
	wait "$SERVER_PID" 2>/dev/null || true
	rm -rf "$WORK/data"
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
	if ! /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "$@" >"$WORK/$label.log" 2>&1; then
		echo "bench: $label failed:" >&2
		cat "$WORK/$label.log" >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	server_idle
	s1=$(server_cpu)
	echo "$t0 $t1 $(tail -1 "$WORK/rss") $((s1 - s0)) $(getconf CLK_TCK)" |
		awk '{printf "%.3f %s %.2f %.2f\n", $2-$1, $3, $4+$5, $6/$7}' >>"$WORK/$label"
}

# median LABEL — median seconds of LABEL's runs; cpu LABEL — median CPU
# seconds (user+sys: steadier than wall time on a busy machine); maxrss
# LABEL — peak RSS MiB.
median() { sort -n "$WORK/$1" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
cpu() { sort -n -k3 "$WORK/$1" | awk '{a[NR]=$3} END {printf "%.2f", a[int((NR+1)/2)]}'; }
srvcpu() { sort -n -k4 "$WORK/$1" | awk '{a[NR]=$4} END {printf "%.2f", a[int((NR+1)/2)]}'; }
maxrss() { awk 'BEGIN {m=0} $2>m {m=$2} END {printf "%.1f", m/1024}' "$WORK/$1"; }
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1/$2}'; }
fastest() { printf '%s\n' "$@" | sort -n | head -1; }
