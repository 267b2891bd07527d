#!/usr/bin/env bash
# sftp.sh — download and upload a 1 GiB file over SFTP from a private OpenSSH
# sshd on loopback (internal/sshtest, key login), with skiff, OpenSSH's sftp
# and scp, and rclone's sftp backend in turn in the same run, each at its
# defaults. Prints the BEST of RUNS (default 5) interleaved rounds per
# client (wall seconds; the order rotates each round), skiff's ratio to the
# fastest peer, and each client's CPU seconds (user+sys, children included:
# sftp and scp run ssh) and peak RSS (GNU time), and the server's CPU
# seconds. Goal (issue 17): skiff <= 0.8x the fastest peer both ways, RSS <=
# 64 MiB.
#
#   bash bench/sftp.sh                     # builds bench/out/skiff
#   SKIFF_BIN=path SIZE_MIB=256 RUNS=5 bash bench/sftp.sh
#   CASES="down" bash bench/sftp.sh        # one direction only
#   CASES="down up folder" bash bench/sftp.sh
#
# The folder case (not in the default CASES, not in issue 17's goal)
# uploads a folder of 4 files of SIZE_MIB/4 each: skiff put -r at its
# defaults (2 transfers at once), rclone copy (4 at once), scp -r and sftp
# put -r (one at a time).
#
# PIN=0 leaves CPU placement to the kernel (see lib.sh). Needs root (sshd);
# runs scripts/ssh-server.sh and installs rclone when missing. Results also
# go to bench/out/sftp.md.
RUNS=${RUNS:-5}
. "$(dirname "$0")/lib.sh"

SIZE_MIB=${SIZE_MIB:-1024}
CASES=${CASES:-down up}
want() { [[ " $CASES " == *" $1 "* ]]; }

need
[ -x .cache/sshd/usr/sbin/sshd ] || [ -n "${SKIFF_SSHD:-}" ] || bash scripts/ssh-server.sh
if ! command -v rclone >/dev/null 2>&1; then
	echo "bench: installing rclone (Debian package)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rclone >/dev/null
fi
build_skiff

# The server: TestServeSSHD in bench/sshd_test.go (lib.sh's start_server
# runs vsftpd's TestServe).
go test -c -o "$OUT/bench.test" ./bench
env SKIFF_BENCH_DIR="$WORK" SKIFF_BENCH_FILE_MIB="$SIZE_MIB" "$OUT/bench.test" -test.run '^TestServeSSHD$' \
	-test.count=1 -test.timeout=0 -test.v >"$WORK/server.log" 2>&1 &
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
# lib.sh's CPU accounting and pinning work on any listener that forks its
# sessions; they know it by this name.
VSFTPD_PID=$SSHD_PID
server_cgroup
pin_server
PLACEMENT=${PLACEMENT/vsftpd/sshd}

SRC=$ROOT/file.bin
SIZE=$((SIZE_MIB * 1024 * 1024))
mkdir -p "$WORK/data"
DL=$WORK/data/dl.bin
UPSRC=$WORK/data/src.bin
cp "$SRC" "$UPSRC" # uploads read a local file the server does not own
UP=$ROOT/up/up.bin
TREE=$WORK/data/tree # the folder case's: 4 files of a quarter each
UPTREE=$ROOT/up/tree
if want folder; then
	mkdir -p "$TREE"
	for i in 1 2 3 4; do
		dd if="$UPSRC" of="$TREE/part$i.bin" bs=1M skip=$(((i - 1) * SIZE_MIB / 4)) count=$((SIZE_MIB / 4)) status=none
	done
fi
SSH_OPTS=(-F /dev/null -o "UserKnownHostsFile=$KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null
	-o StrictHostKeyChecking=yes -o BatchMode=yes -i "$KEY")
RCLONE_REMOTE=":sftp,host=$HOST,port=$PORT,user=$USER,key_file=$KEY,known_hosts_file=$KNOWN_HOSTS:"
export RCLONE_CONFIG=/dev/null

transfer() { # transfer CLIENT DIR — sets CMD
	case "$1/$2" in
	skiff/down) CMD=("$SKIFF" get -i "$KEY" --known-hosts "$KNOWN_HOSTS" "sftp://$USER@$HOST:$PORT$SRC" "$DL") ;;
	skiff/up) CMD=("$SKIFF" put -i "$KEY" --known-hosts "$KNOWN_HOSTS" "$UPSRC" "sftp://$USER@$HOST:$PORT$UP") ;;
	sftp/down)
		echo "get $SRC $DL" >"$WORK/batch"
		CMD=(sftp -q -b "$WORK/batch" -P "$PORT" "${SSH_OPTS[@]}" "$USER@$HOST")
		;;
	sftp/up)
		echo "put $UPSRC $UP" >"$WORK/batch"
		CMD=(sftp -q -b "$WORK/batch" -P "$PORT" "${SSH_OPTS[@]}" "$USER@$HOST")
		;;
	scp/down) CMD=(scp -q -P "$PORT" "${SSH_OPTS[@]}" "$USER@$HOST:$SRC" "$DL") ;;
	scp/up) CMD=(scp -q -P "$PORT" "${SSH_OPTS[@]}" "$UPSRC" "$USER@$HOST:$UP") ;;
	rclone/down) CMD=(rclone copyto "$RCLONE_REMOTE$SRC" "$DL") ;;
	rclone/up) CMD=(rclone copyto "$UPSRC" "$RCLONE_REMOTE$UP") ;;
	skiff/folder) CMD=("$SKIFF" put -r -i "$KEY" --known-hosts "$KNOWN_HOSTS" "$TREE" "sftp://$USER@$HOST:$PORT$UPTREE/") ;;
	sftp/folder)
		echo "put -r $TREE $UPTREE" >"$WORK/batch"
		CMD=(sftp -q -b "$WORK/batch" -P "$PORT" "${SSH_OPTS[@]}" "$USER@$HOST")
		;;
	scp/folder) CMD=(scp -q -r -P "$PORT" "${SSH_OPTS[@]}" "$TREE" "$USER@$HOST:$UPTREE") ;;
	rclone/folder) CMD=(rclone copy "$TREE" "$RCLONE_REMOTE$UPTREE") ;;
	esac
}

check() { # check FILE — the transfer must be complete
	local got
	got=$(stat -c %s "$1")
	if [ "$got" != "$SIZE" ]; then
		echo "bench: $1 has $got bytes, want $SIZE" >&2
		exit 1
	fi
}

# checktree — the folder case's upload must be complete and identical.
checktree() {
	local i
	for i in 1 2 3 4; do
		if ! cmp -s "$TREE/part$i.bin" "$UPTREE/part$i.bin"; then
			echo "bench: $UPTREE/part$i.bin differs or is missing" >&2
			exit 1
		fi
	done
}

# best LABEL — the fastest run's seconds; and that run's CPU seconds.
best() { sort -n "$WORK/$1" | head -1 | awk '{printf "%.3f", $1}'; }
bestcpu() { sort -n "$WORK/$1" | head -1 | awk '{printf "%.2f", $3}'; }
bestsrv() { sort -n "$WORK/$1" | head -1 | awk '{printf "%.2f", $4}'; }

clients=(skiff sftp scp rclone)
n=${#clients[@]}
for dir in down up folder; do
	want $dir || continue
	for run in $(seq 1 "$RUNS"); do
		# Rotate the order each round, so no client always goes first.
		order=("${clients[@]:$((run % n))}" "${clients[@]:0:$((run % n))}")
		for c in "${order[@]}"; do
			rm -rf "$DL" "$UP" "$UPTREE"
			sync
			transfer "$c" "$dir"
			timed "$dir-$c" "${CMD[@]}"
			if [ $dir = folder ]; then
				checktree
			elif [ $dir = down ]; then
				check "$DL"
				if [ "$run" = 1 ] && ! cmp -s "$SRC" "$DL"; then
					echo "bench: $c download differs" >&2
					exit 1
				fi
			else
				check "$UP"
				if [ "$run" = 1 ] && ! cmp -s "$UPSRC" "$UP"; then
					echo "bench: $c upload differs" >&2
					exit 1
				fi
			fi
		done
	done
done
rm -rf "$DL" "$UP" "$UPTREE"

{
	echo "## SFTP: ${SIZE_MIB} MiB to and from OpenSSH sshd on loopback, key login, best of $RUNS interleaved rounds ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs; $PLACEMENT)"
	echo
	echo "| case | skiff s | sftp s | scp s | rclone s | skiff / fastest peer | client CPU s skiff / sftp / scp / rclone | sshd CPU s with skiff / sftp / scp / rclone | peak RSS MiB skiff / sftp / scp / rclone |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for dir in down up folder; do
		want $dir || continue
		s=$(best "$dir-skiff")
		case $dir in down) name=download ;; up) name=upload ;; folder) name="upload of a folder, 4 files" ;; esac
		echo "| $name | $s | $(best "$dir-sftp") | $(best "$dir-scp") | $(best "$dir-rclone") |" \
			"$(ratio "$s" "$(fastest "$(best "$dir-sftp")" "$(best "$dir-scp")" "$(best "$dir-rclone")")")x |" \
			"$(bestcpu "$dir-skiff") / $(bestcpu "$dir-sftp") / $(bestcpu "$dir-scp") / $(bestcpu "$dir-rclone") |" \
			"$(bestsrv "$dir-skiff") / $(bestsrv "$dir-sftp") / $(bestsrv "$dir-scp") / $(bestsrv "$dir-rclone") |" \
			"$(maxrss "$dir-skiff") / $(maxrss "$dir-sftp") / $(maxrss "$dir-scp") / $(maxrss "$dir-rclone") |"
	done
} | tee "$OUT/sftp.md"
