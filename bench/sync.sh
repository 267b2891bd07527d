#!/usr/bin/env bash
# sync.sh — re-synchronizing a tree after a few changes on the server, side
# by side, in one run.
#
# A private vsftpd on 127.0.0.1 (plain FTP, LIST only, the account from
# scripts/ftp-servers.sh) serves 2,000 files of 4 KiB in 20 folders. Each
# client first makes its own copy with itself:
#
#   skiff sync --parallel 4    vs    lftp mirror --parallel=4    vs    rclone copy (ftp backend)
#
# Then, ROUNDS times (default 3): 20 files on the server get new bytes of the
# same size and a newer time (one per folder, 10 minutes newer each round),
# and every client re-syncs its copy, in an order that rotates per round. The
# table shows the median wall time per client, its ratio to the faster peer,
# and how many files the run touched in its copy (inode, ctime, mtime or
# size changed; want exactly 20) and whether the copy then equals the
# server's tree. Goal: Skiff <= 0.5x the faster peer, touching exactly the
# 20 changed files.
#
# Needs root (vsftpd's local logins), .cache/ftpservers (bash
# scripts/ftp-servers.sh), lftp, rclone (Debian's package), /usr/bin/time,
# and bench/out/skiff (go build -o bench/out/skiff .). Env: ROUNDS, PORT
# (default 27600; passive ports PORT+100..PORT+299).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-27600}
SKIFF=${SKIFF:-$repo/bench/out/skiff}
NAME=sync
. bench/vsftpd.sh

for need in "$VSFTPD" "$SKIFF" /usr/bin/time; do
	[ -x "$need" ] || { echo "sync: missing $need" >&2; exit 1; }
done
for cmd in lftp rclone; do
	command -v $cmd >/dev/null || { echo "sync: missing $cmd (apt-get install $cmd)" >&2; exit 1; }
done

echo "generating 2000 x 4 KiB in 20 folders" >&2
small_tree "$root/tree"
# The tree is two hours old, so each round's changes are clearly newer,
# also to a client that reads LIST times to the minute.
base=$(($(date +%s) - 7200))
find "$root/tree" -type f -exec touch -d "@$base" {} +
vsftpd_start

export XDG_DATA_HOME=$work/data # skiff's state files
export RCLONE_CONFIG=$work/rclone.conf
: >"$RCLONE_CONFIG"
rpass=$(rclone obscure "$PASS")
rclone_ftp=(--ftp-host 127.0.0.1 --ftp-port "$PORT" --ftp-user "$USER_" --ftp-pass "$rpass")
d=$work/copies

# run NAME: one sync of NAME's copy.
run() {
	case $1 in
	skiff) "$SKIFF" sync --parallel 4 --tls off "$url/tree" "$d/skiff" ;;
	lftp) lftp -e "set ftp:ssl-allow no; set cmd:fail-exit yes; mirror --parallel=4 /tree $d/lftp; quit" "$url" ;;
	rclone) rclone copy "${rclone_ftp[@]}" :ftp:/tree "$d/rclone" ;;
	esac
}

# state DIR: one line per file: path inode ctime mtime size.
state() { (cd "$1" && find . -type f -printf '%p %i %C@ %T@ %s\n' | sort); }

clients=(skiff lftp rclone)
for c in "${clients[@]}"; do
	echo "first copy: $c" >&2
	mkdir -p "$d/$c"
	run "$c" >"$work/out.txt" 2>&1 || { echo "sync: $c's first copy failed" >&2; tail -5 "$work/out.txt" >&2; exit 1; }
	diff -r "$root/tree" "$d/$c" >/dev/null || { echo "sync: $c's first copy differs" >&2; exit 1; }
done
load=$(cut -d' ' -f1 /proc/loadavg)

# measure NAME: times one re-sync, appends "secs touched identical rss_kib cpu_secs" to $work/NAME.runs.
measure() {
	local c=$1 before after wall rss secs cpu touched same=yes
	state "$d/$c" >"$work/before.txt"
	sync
	/usr/bin/time -v -o "$work/time.txt" bash -c "$(declare -f run); $(declare -p SKIFF url d rclone_ftp); run $c" >"$work/out.txt" 2>&1 || {
		echo "sync: $c failed" >&2
		tail -5 "$work/out.txt" >&2
		exit 1
	}
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
	cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s+=$2} END {printf "%.3f", s}' "$work/time.txt")
	secs=$(echo "$wall" | awk -F: '{s=0; for (i=1;i<=NF;i++) s=s*60+$i; printf "%.3f", s}')
	state "$d/$c" >"$work/after.txt"
	touched=$(comm -3 "$work/before.txt" "$work/after.txt" | awk '{print $1}' | sort -u | wc -l)
	diff -r "$root/tree" "$d/$c" >/dev/null || same=no
	echo "$secs $touched $same $rss $cpu" >>"$work/$c.runs"
}

for r in $(seq "$ROUNDS"); do
	echo "round $r of $ROUNDS" >&2
	t=$((base + r * 600))
	for dir in "$root"/tree/dir*; do
		f=$dir/file$(printf %03d "$r").bin
		head -c 4096 /dev/urandom >"$f"
		touch -d "@$t" "$f"
	done
	for i in 0 1 2; do
		measure "${clients[$(((r - 1 + i) % 3))]}"
	done
done

# summary NAME: "median_secs touched_per_run identical_all max_rss_kib median_cpu_secs".
summary() {
	local touched same cpu
	touched=$(awk '{print $2}' "$work/$1.runs" | sort -u | paste -sd/)
	same=$(awk '$3=="no"{n++} END {print n ? "no" : "yes"}' "$work/$1.runs")
	cpu=$(awk '{print $5}' "$work/$1.runs" | sort -g | awk '{x[NR]=$1} END {print x[int((NR+1)/2)]}')
	sort -g "$work/$1.runs" | awk -v t="$touched" -v s="$same" -v c="$cpu" '{x[NR]=$1; if ($4>r) r=$4} END {printf "%s %s %s %d %s\n", x[int((NR+1)/2)], t, s, r, c}'
}
skiff_s=$(summary skiff)
lftp_s=$(summary lftp)
rclone_s=$(summary rclone)
peer=$(printf '%s\n%s\n' "${lftp_s%% *}" "${rclone_s%% *}" | sort -g | head -1)
row() { # name "secs touched same rss cpu"
	read -r sec touched same rss cpu <<<"$2"
	awk -v n="$1" -v s="$sec" -v p="$peer" -v t="$touched" -v i="$same" -v r="$rss" -v c="$cpu" \
		'BEGIN {printf "| %s | %.3f | %.2fx | %.3f | %s | %s | %.1f |\n", n, s, s/p, c, t, i, r/1024}'
}
echo
echo "### re-sync of 2,000 x 4 KiB in 20 folders from vsftpd (LIST only) on 127.0.0.1 after 20 same-size changes (median of $ROUNDS; load average before: $load)"
echo
echo "| client | seconds | vs the faster peer | CPU seconds | files touched per run | copy identical | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: | ---: | --- | ---: |"
row "skiff sync --parallel 4" "$skiff_s"
row "lftp mirror --parallel=4" "$lftp_s"
row "rclone copy (ftp)" "$rclone_s"
