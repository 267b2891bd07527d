#!/usr/bin/env bash
# matrix.sh — the interop matrix of issue 15 with two clients: Skiff's binary
# and lftp (the reference), on the same cells against the same real servers
# (vsftpd, pure-ftpd, the Go server, proftpd, pyftpdlib, ftp-srv, twisted), started
# on 127.0.0.1 by `go test ./bench -run TestServeMatrix`. The cells are those
# of internal/cli's TestMatrix: login, ls, a parsed listing (skiff ls --json,
# lftp cls -F), get, put, get -r, put -r (a space in names, a nested
# folder), resume of a download and of an upload, active, passive and
# explicit FTPS (n/a where the server has none). A cell passes when the client exits 0 and the bytes (or
# names) are right. Prints a table per server, each client's total and the
# number of cells where lftp passes and Skiff fails (the goal: 0).
#
#   bash bench/matrix.sh                         # every server, builds bench/out/skiff
#   KINDS="proftpd ftp-srv" bash bench/matrix.sh # some servers
#   SKIFF_BIN=./skiff bash bench/matrix.sh
#
# Each command gets CELL_TIMEOUT seconds (default 60): a hang fails the cell.
# Needs root (the real servers); installs lftp and the servers when missing.
# Results also go to bench/out/matrix.md.
. "$(dirname "$0")/lib.sh"

CELL_TIMEOUT=${CELL_TIMEOUT:-60}
need
[ -x .cache/ftpservers/usr/sbin/proftpd ] || [ -n "${SKIFF_FTPSERVERS:-}" ] || bash scripts/more-ftp-servers.sh
build_skiff
export XDG_DATA_HOME=$WORK/xdg # skiff's queue files

go test -c -o "$OUT/bench.test" ./bench
env SKIFF_BENCH_DIR="$WORK" SKIFF_MATRIX_KINDS="${KINDS:-}" "$OUT/bench.test" \
	-test.run '^TestServeMatrix$' -test.count=1 -test.timeout=0 -test.v >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
stop() {
	touch "$WORK/stop"
	wait "$SERVER_PID" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 240); do
	[ -f "$WORK/servers.env" ] && break
	if ! kill -0 "$SERVER_PID" 2>/dev/null; then
		cat "$WORK/server.log" >&2
		exit 1
	fi
	sleep 0.5
done
[ -f "$WORK/servers.env" ] || { echo "matrix: servers did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$WORK/servers.env"
LOCAL=$WORK/local
CELLS=(login ls listing get put "get -r" "put -r" "resume get" "resume put" active passive tls)

# run LOG CMD... — the command with the cell's time limit, output to LOG.
run() {
	local log=$1
	shift
	timeout -k 5 "$CELL_TIMEOUT" "$@" >>"$log" 2>&1
}

same() { # same GOT WANT — byte-identical; says where not in the cell's log ($log)
	cmp -- "$1" "$2" >>"$log" 2>&1
}

has_names() { # has_names FILE NAME... — every NAME appears in FILE
	local f=$1 n
	shift
	for n in "$@"; do grep -qF -- "$n" "$f" || return 1; done
}

# --- Skiff -----------------------------------------------------------------

skiff_cell() { # skiff_cell CELL DIR LOG — 0 when the cell passes
	local cell=$1 d=$2 log=$3 url=ftp://$USER:$PASS@$HOST:$PORT
	local plain=(--tls off) tls=(--tls explicit --cacert "$CAFILE")
	case $cell in
	login) run "$log" "$SKIFF" ls "${plain[@]}" "$url/" ;;
	ls)
		run "$log" "$SKIFF" ls "${plain[@]}" "$url/m/" &&
			"$SKIFF" ls "${plain[@]}" "$url/m/" >"$d/ls" 2>/dev/null &&
			has_names "$d/ls" blob.bin "a b.txt" "sub dir/" "tree/" ;;
	listing)
		"$SKIFF" ls --json "${plain[@]}" "$url/m/" >"$d/ls.json" 2>>"$log" &&
			has_names "$d/ls.json" '"name":"blob.bin","type":"file","size":300000' \
				'"name":"a b.txt","type":"file"' '"name":"sub dir","type":"dir"' '"name":"tree","type":"dir"' ;;
	get) run "$log" "$SKIFF" get "${plain[@]}" "$url/m/blob.bin" "$d/blob.bin" && same "$d/blob.bin" "$LOCAL/blob.bin" ;;
	put) run "$log" "$SKIFF" put "${plain[@]}" "$LOCAL/blob.bin" "$url/up-skiff/put.bin" && same "$ROOT/up-skiff/put.bin" "$LOCAL/blob.bin" ;;
	"get -r") run "$log" "$SKIFF" get -r "${plain[@]}" "$url/m/tree" "$d/tree" && diff -r "$d/tree" "$LOCAL/tree" >>"$log" ;;
	"put -r") run "$log" "$SKIFF" put -r "${plain[@]}" "$LOCAL/tree" "$url/up-skiff/tree" && diff -r "$ROOT/up-skiff/tree" "$LOCAL/tree" >>"$log" ;;
	"resume get")
		head -c 150000 "$LOCAL/blob.bin" >"$d/blob.bin.part"
		run "$log" "$SKIFF" get --resume --debug "${plain[@]}" "$url/m/blob.bin" "$d/blob.bin" &&
			grep -q "REST 150000" "$log" && same "$d/blob.bin" "$LOCAL/blob.bin" ;;
	"resume put")
		run "$log" "$SKIFF" put --resume --debug "${plain[@]}" "$LOCAL/blob.bin" "$url/up-skiff/resume.bin" &&
			grep -qE "REST 100000|APPE " "$log" && same "$ROOT/up-skiff/resume.bin" "$LOCAL/blob.bin" ;;
	active | passive)
		run "$log" "$SKIFF" ls --mode "$cell" "${plain[@]}" "$url/m/" &&
			run "$log" "$SKIFF" get --mode "$cell" "${plain[@]}" "$url/m/blob.bin" "$d/blob.bin" &&
			same "$d/blob.bin" "$LOCAL/blob.bin" &&
			run "$log" "$SKIFF" put --mode "$cell" "${plain[@]}" "$LOCAL/blob.bin" "$url/up-skiff/$cell.bin" &&
			same "$ROOT/up-skiff/$cell.bin" "$LOCAL/blob.bin" ;;
	tls)
		run "$log" "$SKIFF" ls "${tls[@]}" "$url/m/" &&
			run "$log" "$SKIFF" get "${tls[@]}" "$url/m/blob.bin" "$d/blob.bin" &&
			same "$d/blob.bin" "$LOCAL/blob.bin" &&
			run "$log" "$SKIFF" put "${tls[@]}" "$LOCAL/blob.bin" "$url/up-skiff/tls.bin" &&
			same "$ROOT/up-skiff/tls.bin" "$LOCAL/blob.bin" ;;
	esac
}

# --- lftp ------------------------------------------------------------------

lftp_run() { # lftp_run LOG tls|plain COMMANDS
	local log=$1 sec=$2 cmds=$3 set
	# Fail, don't retry for minutes; plain means plain (lftp tries AUTH TLS
	# whenever the server offers it).
	set="set cmd:fail-exit true; set net:max-retries 2; set net:timeout 15; set net:reconnect-interval-base 1; set net:reconnect-interval-max 2"
	if [ "$sec" = tls ]; then
		set="$set; set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file $CAFILE; set ssl:verify-certificate yes; set ssl:check-hostname no"
	else
		set="$set; set ftp:ssl-allow false"
	fi
	echo "lftp: $cmds" >>"$log"
	run "$log" lftp -d -c "$set; open -u $USER,$PASS ftp://$HOST:$PORT; $cmds"
}

lftp_cell() { # lftp_cell CELL DIR LOG
	local cell=$1 d=$2 log=$3
	case $cell in
	login) lftp_run "$log" plain "ls /" ;;
	ls) lftp_run "$log" plain "ls /m/ > $d/ls" && has_names "$d/ls" blob.bin "a b.txt" "sub dir" tree ;;
	listing) lftp_run "$log" plain "cls -F /m/ > $d/cls" && has_names "$d/cls" blob.bin "a b.txt" "sub dir/" "tree/" ;;
	get) lftp_run "$log" plain "get /m/blob.bin -o $d/blob.bin" && same "$d/blob.bin" "$LOCAL/blob.bin" ;;
	put) lftp_run "$log" plain "put $LOCAL/blob.bin -o /up-lftp/put.bin" && same "$ROOT/up-lftp/put.bin" "$LOCAL/blob.bin" ;;
	"get -r") lftp_run "$log" plain "mirror /m/tree $d/tree" && diff -r "$d/tree" "$LOCAL/tree" >>"$log" ;;
	"put -r") lftp_run "$log" plain "mirror -R $LOCAL/tree /up-lftp/tree" && diff -r "$ROOT/up-lftp/tree" "$LOCAL/tree" >>"$log" ;;
	"resume get")
		head -c 150000 "$LOCAL/blob.bin" >"$d/blob.bin"
		lftp_run "$log" plain "get -c /m/blob.bin -o $d/blob.bin" &&
			grep -q "REST 150000" "$log" && same "$d/blob.bin" "$LOCAL/blob.bin" ;;
	"resume put")
		lftp_run "$log" plain "put -c $LOCAL/blob.bin -o /up-lftp/resume.bin" &&
			grep -qE "REST 100000|APPE " "$log" && same "$ROOT/up-lftp/resume.bin" "$LOCAL/blob.bin" ;;
	active | passive)
		local p=on
		[ "$cell" = active ] && p=off
		lftp_run "$log" plain "set ftp:passive-mode $p; ls /m/; get /m/blob.bin -o $d/blob.bin; put $LOCAL/blob.bin -o /up-lftp/$cell.bin" &&
			same "$d/blob.bin" "$LOCAL/blob.bin" && same "$ROOT/up-lftp/$cell.bin" "$LOCAL/blob.bin" ;;
	tls)
		lftp_run "$log" tls "ls /m/; get /m/blob.bin -o $d/blob.bin; put $LOCAL/blob.bin -o /up-lftp/tls.bin" &&
			same "$d/blob.bin" "$LOCAL/blob.bin" && same "$ROOT/up-lftp/tls.bin" "$LOCAL/blob.bin" ;;
	esac
}

# --- the table ---------------------------------------------------------------

REPORT=$OUT/matrix.md
total=0 skiff_ok=0 lftp_ok=0 worse=0
worse_cells=()
{
	echo "# Interop matrix: skiff vs lftp ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	echo "| server | cell | skiff | lftp |"
	echo "| --- | --- | --- | --- |"
} >"$REPORT"
printf '%-10s %-11s %-6s %-6s\n' server cell skiff lftp
for kind in $KINDS; do
	# shellcheck disable=SC1090
	. "$WORK/$kind.env"
	for cell in "${CELLS[@]}"; do
		d=$WORK/cells/$kind/${cell// /-}
		mkdir -p "$d/skiff" "$d/lftp"
		if [ "$cell" = tls ] && [ -z "$CAFILE" ]; then
			printf '%-10s %-11s %-6s %-6s\n' "$kind" "$cell" n/a n/a
			echo "| $kind | $cell | n/a (no FTPS) | n/a |" >>"$REPORT"
			continue
		fi
		s=fail l=fail
		skiff_cell "$cell" "$d/skiff" "$d/skiff.log" && s=pass
		lftp_cell "$cell" "$d/lftp" "$d/lftp.log" && l=pass
		total=$((total + 1))
		[ $s = pass ] && skiff_ok=$((skiff_ok + 1))
		[ $l = pass ] && lftp_ok=$((lftp_ok + 1))
		if [ $l = pass ] && [ $s = fail ]; then
			worse=$((worse + 1))
			worse_cells+=("$kind/$cell")
		fi
		printf '%-10s %-11s %-6s %-6s\n' "$kind" "$cell" "$s" "$l"
		echo "| $kind | $cell | $s | $l |" >>"$REPORT"
	done
done
summary="skiff passed $skiff_ok of $total cells, lftp $lftp_ok of $total; cells where lftp passes and skiff fails: $worse"
echo
echo "$summary"
[ $worse -eq 0 ] || printf '  %s\n' "${worse_cells[@]}"
echo "logs: $WORK/cells/SERVER/CELL/{skiff,lftp}.log"
{
	echo
	echo "$summary"
	[ $worse -eq 0 ] || printf -- '- %s\n' "${worse_cells[@]}"
} >>"$REPORT"
