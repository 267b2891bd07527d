#!/usr/bin/env bash
# smallfiles.sh — many small files, side by side, in one run.
#
# A private vsftpd on 127.0.0.1 (plain FTP, the account from
# scripts/ftp-servers.sh) serves 2,000 files of 4 KiB in 20 folders and one
# 1 GiB file. Each client downloads the tree recursively into a fresh folder,
# RUNS times (default 3), and the table shows the median wall time, the ratio
# to lftp and the peak RSS (/usr/bin/time -v):
#
#   skiff get -r --parallel 4    vs    lftp mirror --parallel=4    vs    wget -m
#
# then the 1 GiB file once per client (time and peak RSS). Target: Skiff
# ≤ 0.8x lftp's time on the tree, peak RSS < 64 MiB in both cases.
#
# Needs root (vsftpd's local logins), .cache/ftpservers (bash
# scripts/ftp-servers.sh), lftp, wget, /usr/bin/time, and bench/out/skiff
# (go build -o bench/out/skiff .). Env: RUNS, BIG_MB (default 1024),
# PORT (default 27000; passive ports PORT+100..PORT+299), DEST (where the
# clients write). By default they write into a fresh ext4 file system made
# for the run (mkfs.ext4's defaults, with a journal, as an installer makes
# it) in a loop file under /tmp, so that every client meets the same new
# disk rather than one that previous runs' deletions slowed down (see below);
# when that cannot be mounted, into a folder under /tmp. DEST=/tmp uses the
# machine's own root file system, DEST=/dev/shm takes the disk out of the
# comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
RUNS=${RUNS:-3}
BIG_MB=${BIG_MB:-1024}
PORT=${PORT:-27000}
SKIFF=${SKIFF:-$repo/bench/out/skiff}
NAME=small
. bench/vsftpd.sh

for need in "$VSFTPD" "$SKIFF" /usr/bin/time; do
	[ -x "$need" ] || { echo "smallfiles: missing $need" >&2; exit 1; }
done
for cmd in lftp wget; do
	command -v $cmd >/dev/null || { echo "smallfiles: missing $cmd (apt-get install $cmd)" >&2; exit 1; }
done

echo "generating 2000 x 4 KiB in 20 folders and a ${BIG_MB} MiB file" >&2
small_tree "$root/tree"
head -c $((BIG_MB << 20)) /dev/urandom >"$root/big.bin"
vsftpd_start

export XDG_DATA_HOME=$work/data # skiff's queue files

# measure DEST CMD...: runs CMD under /usr/bin/time, prints "secs rss_kib cpu_secs"
# (cpu = user + system time: less sensitive than wall time to a busy machine).
measure() {
	local dest=$1
	shift
	rm -rf "$dest"
	mkdir -p "$dest"
	sync
	/usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1 || {
		echo "smallfiles: failed: $*" >&2
		tail -5 "$work/out.txt" >&2
		exit 1
	}
	local wall rss cpu
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
	cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$work/time.txt")
	# wall is [h:]m:ss.xx
	echo "$wall" | awk -F: -v rss="$rss" -v cpu="$cpu" '{s=0; for (i=1;i<=NF;i++) s=s*60+$i; printf "%.3f %d %.2f\n", s, rss, cpu}'
}

count() { find "$1" -type f -name '*.bin' | wc -l; }

# one NAME CMD...: one measured run into $o-NAME, a folder no run used
# before, checked for 2000 files; appends "secs rss_kib cpu_secs" to
# $work/NAME.runs.
one() {
	local name=$1
	shift
	local line n
	line=$(measure "$o-$name" "$@")
	n=$(count "$o-$name")
	[ "$n" -eq 2000 ] || { echo "smallfiles: $name fetched $n files, want 2000" >&2; exit 1; }
	echo "$line" >>"$work/$name.runs"
}

# summary NAME: "median_secs max_rss_kib median_cpu" of NAME's runs.
summary() {
	local cpu
	cpu=$(awk '{print $3}' "$work/$1.runs" | sort -g | awk '{c[NR]=$1} END {print c[int((NR+1)/2)]}')
	sort -g "$work/$1.runs" | awk -v cpu="$cpu" '{t[NR]=$1; if ($2>r) r=$2} END {printf "%s %d %s\n", t[int((NR+1)/2)], r, cpu}'
}

# Rounds interleave the clients, so a load change on the machine hits all
# of them alike.
d=$work/dst
where="/tmp (this machine's root file system)"
if [ -n "${DEST:-}" ]; then
	d=$(mktemp -d "$DEST/skiff-bench-dst.XXXXXX")/dst
	where=$DEST
	trap 'cleanup; rm -rf "$(dirname "$d")"' EXIT
elif truncate -s 4G "$work/ext4.img" && mkfs.ext4 -q -F "$work/ext4.img" &&
	mkdir -p "$work/fs" && mount -o loop "$work/ext4.img" "$work/fs"; then
	d=$work/fs/dst
	where="a fresh ext4 (mkfs.ext4 defaults, journaled) in a loop file"
	trap 'umount "$work/fs" 2>/dev/null; cleanup' EXIT
else
	echo "smallfiles: could not mount a fresh ext4; writing under /tmp" >&2
fi
load=$(cut -d' ' -f1 /proc/loadavg)
#
# Every run writes into a folder of its own and nothing is deleted until
# the end: on ext4 without a journal (this VM's root) creating files within
# 30 s of deleting thousands is several times slower (the inode allocator
# skips recently deleted inodes, kernel recently_deleted()), so deleting the
# previous run's tree would charge that to whichever client runs next.
#
# Each round starts with a different client (round 1: skiff, 2: skiff2,
# 3: lftp, 4: wget, ...), so that none always follows the same one: a run
# inherits the previous run's write-back and its thousands of TIME_WAIT
# sockets on the server's passive ports.
clients=(skiff skiff2 lftp wget)
run_client() { # run_client NAME: one run of that client in round $r
	case $1 in
	skiff) one skiff "$SKIFF" get -r --parallel 4 "$url/tree" "$o-skiff/tree" ;;
	skiff2) one skiff2 "$SKIFF" get -r --parallel 2 "$url/tree" "$o-skiff2/tree" ;;
	lftp) one lftp lftp -e "set ftp:ssl-allow no; set cmd:fail-exit yes; mirror --parallel=4 /tree $o-lftp/tree; quit" "$url" ;;
	wget) one wget wget -m -q -nH -P "$o-wget" "$url/tree/" ;;
	esac
}
for r in $(seq "$RUNS"); do
	echo "tree: round $r of $RUNS" >&2
	o=$d/$r
	for i in 0 1 2 3; do
		run_client "${clients[$(((r - 1 + i) % 4))]}"
	done
done
diff -r "$root/tree" "$d/1-skiff/tree" >/dev/null || { echo "smallfiles: skiff's tree differs" >&2; exit 1; }
skiff_t=$(summary skiff)
skiff2_t=$(summary skiff2)
lftp_t=$(summary lftp)
wget_t=$(summary wget)

echo "big file" >&2
big_skiff=$(measure "$d-bigs" "$SKIFF" get "$url/big.bin" "$d-bigs/big.bin")
cmp -s "$root/big.bin" "$d-bigs/big.bin" || { echo "smallfiles: skiff's big.bin differs" >&2; exit 1; }
rm -rf "$d-bigs"
big_lftp=$(measure "$d-bigl" lftp -e "set ftp:ssl-allow no; set cmd:fail-exit yes; get /big.bin -o $d-bigl/big.bin; quit" "$url")
rm -rf "$d-bigl"
big_wget=$(measure "$d-bigw" wget -q -O "$d-bigw/big.bin" "$url/big.bin")
rm -rf "$d-bigw"

lftp_s=${lftp_t%% *}
row() { # name "secs rss cpu"
	read -r sec rss cpu <<<"$2"
	awk -v n="$1" -v s="$sec" -v r="$rss" -v c="$cpu" -v l="$lftp_s" \
		'BEGIN {printf "| %s | %.2f | %.2fx | %.2f | %.1f |\n", n, s, s/l, c, r/1024}'
}
bigrow() {
	read -r sec rss cpu <<<"$2"
	awk -v n="$1" -v s="$sec" -v r="$rss" -v c="$cpu" -v mb="$BIG_MB" \
		'BEGIN {printf "| %s | %.2f | %.0f | %.2f | %.1f |\n", n, s, mb/s, c, r/1024}'
}

echo
echo "### 2,000 x 4 KiB in 20 folders from vsftpd on 127.0.0.1 into $where (median of $RUNS; load average before: $load)"
echo
echo "| client | seconds | vs lftp | CPU s (user+sys) | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: | ---: |"
row "skiff get -r --parallel 4" "$skiff_t"
row "skiff get -r --parallel 2 (the window's default)" "$skiff2_t"
row "lftp mirror --parallel=4" "$lftp_t"
row "wget -m" "$wget_t"
echo
echo "### one ${BIG_MB} MiB file (one run each)"
echo
echo "| client | seconds | MiB/s | CPU s | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: | ---: |"
bigrow "skiff get" "$big_skiff"
bigrow "lftp get" "$big_lftp"
bigrow "wget" "$big_wget"
