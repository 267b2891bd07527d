#!/usr/bin/env bash
# gui.sh — the window's benchmark, measured the way FileZilla 3.63 was
# (issue 7): under Xvfb, against a private vsftpd on 127.0.0.1 (plain FTP,
# the account from scripts/ftp-servers.sh).
#
#   1. `skiff ftp://…/bigdir/` with 100,000 entries in bigdir: time from
#      launch to the window being up and to the rows being on screen, the
#      time to scroll to the last row, and the peak RSS (/usr/bin/time -v);
#   2. the same window downloading a 2,000 × 4 KiB tree (20 folders) from its
#      queue: time from queueing to the queue being empty, and peak RSS;
#   3. the idle window (no connection) for comparison.
#
# The app reports its own timestamps when SKIFF_BENCH=1 (see
# ui.AutomationFromEnv): "window-up", "first-rows" (the listing is in the
# table; the next frame shows it), "scrolled" and "queue-done".
# SKIFF_BENCH_QUIT makes it quit by itself. FileZilla 3.63's numbers on
# this kind of machine are in the table for comparison (they come from the
# issue, not from this run).
#
# Each download run writes into a folder no earlier run used, and the
# downloaded files are deleted only after the last run. The root file
# system here is ext4 without a journal, where creating a file within a
# minute or more of many files being deleted is slow: the inode allocator
# skips every recently freed inode (ext4_create → find_inode_bit →
# recently_deleted dominated a profile). Deleting the previous run's 2,000
# files right before the next one measured that, not the client (runs
# varied 1.4–3.6 s). Deletions by the previous invocation's clean-up and
# by other processes do the same (wait a minute or two between
# invocations), so before each run the script times creating 2,000 empty
# files in 20 fresh folders next to the download ("file system floor"):
# when that takes most of a second, so does the download, whatever the
# client does. DOWNLOADS=/dev/shm takes the disk out of the measure.
#
# Needs root (vsftpd's local logins), .cache/ftpservers (bash
# scripts/ftp-servers.sh), xvfb-run, /usr/bin/time and bench/out/skiff
# (go build -o bench/out/skiff .). Env: RUNS (default 3), PORT (default
# 27400; passive ports PORT+100..PORT+299), ENTRIES (default 100000),
# DOWNLOADS (where the download runs write; default: the temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
RUNS=${RUNS:-3}
PORT=${PORT:-27400}
ENTRIES=${ENTRIES:-100000}
SKIFF=${SKIFF:-$repo/bench/out/skiff}
NAME=gui
. bench/vsftpd.sh

for need in "$VSFTPD" "$SKIFF" /usr/bin/time /usr/bin/xvfb-run; do
	[ -x "$need" ] || { echo "gui: missing $need" >&2; exit 1; }
done

mkdir -p "$root/bigdir"

echo "gui: generating $ENTRIES entries and 2000 x 4 KiB in 20 folders" >&2
# bigdir's entries are hard links to a few empty files (ext4 allows 65,000
# links per inode): deleting them at the end frees 4 inodes, not 100,000
# that would slow the next invocation's downloads (see the top of the
# file). LIST shows their link count, 4 more digits a line.
(cd "$root/bigdir" && perl -e 'my ($n) = @ARGV; my @src = map { my $f = ".src$_"; open(my $h, ">", $f) or die "$f: $!"; $f } 0 .. 3;
	for my $i (1 .. $n) { my $f = sprintf("file-%06d.dat", $i); link($src[$i % 4], $f) or die "$f: $!" }
	unlink @src' "$ENTRIES")
small_tree "$root/tree"
vsftpd_start

# window ENV... -- ARGS...: runs skiff under Xvfb and /usr/bin/time with a
# fresh HOME (preferences, queue, sites); leaves its stderr in $work/app.log
# and the time report in $work/time.txt; prints the launch time in ms.
window() {
	local envs=()
	while [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	rm -rf "$work/home" && mkdir -p "$work/home"
	local t0
	t0=$(date +%s%3N)
	env HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
		SKIFF_CONFIG_DIR="$work/home/sites" LANG=en_US.UTF-8 SKIFF_BENCH=1 "${envs[@]}" \
		timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" \
		/usr/bin/time -v -o "$work/time.txt" "$SKIFF" "$@" >"$work/app.log" 2>&1 || {
		echo "gui: skiff failed: $*" >&2
		tail -20 "$work/app.log" >&2
		exit 1
	}
	echo "$t0"
}
field() { sed -n "s/.*SKIFF_BENCH $1 .*$2=\([0-9.]*\).*/\1/p" "$work/app.log" | head -1; }
rss_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time.txt"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

up=() rows=() rowsx=() scroll=() rss=()
for _ in $(seq "$RUNS"); do
	t0=$(window SKIFF_BENCH_SCROLL=1 SKIFF_BENCH_QUIT=rows -- "$url/bigdir/")
	n=$(field first-rows n)
	[ "$n" = "$ENTRIES" ] || { echo "gui: listed $n entries, want $ENTRIES" >&2; tail -20 "$work/app.log" >&2; exit 1; }
	# From the process's start (what a user's launch costs); the external
	# clock also counts xvfb-run starting the X server.
	up+=("$(field window-up after)")
	rows+=("$(field first-rows after)")
	rowsx+=("$(awk -v a="$(field first-rows unix_ms)" -v b="$t0" 'BEGIN {printf "%.3f", (a-b)/1000}')")
	scroll+=("$(field scrolled took)")
	rss+=("$(rss_mib)")
done

# floor DIR: creates 2,000 empty files in 20 new folders under DIR (bash
# builtins only) and prints the seconds it took.
floor() {
	local t0 d f
	t0=$(date +%s%N)
	for d in $(seq -w 1 20); do
		mkdir -p "$1/dir$d"
		for f in $(seq -w 1 100); do : >"$1/dir$d/file$f.part"; done
	done
	awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN {printf "%.3f", (b-a)/1e9}'
}

downloads=$work
if [ -n "${DOWNLOADS:-}" ]; then
	downloads=$(mktemp -d "$DOWNLOADS/skiff-bench-gui.XXXXXX")
	trap 'rm -rf "$downloads"; cleanup' EXIT
fi
dl=() dlrss=() fsfloor=()
for i in $(seq "$RUNS"); do
	fsfloor+=("$(floor "$downloads/floor$i")")
	dst=$downloads/dst$i # never used before; see the top of the file
	mkdir -p "$dst"
	window SKIFF_BENCH_DOWNLOAD=/tree SKIFF_BENCH_INTO="$dst" SKIFF_BENCH_QUIT=queue -- "$url/" >/dev/null
	n=$(find "$dst" -type f -name '*.bin' | wc -l)
	[ "$n" -eq 2000 ] || { echo "gui: downloaded $n files, want 2000" >&2; tail -20 "$work/app.log" >&2; exit 1; }
	dl+=("$(field queue-done elapsed)")
	dlrss+=("$(rss_mib)")
	echo "gui: download run $i: ${dl[-1]} s, file system floor ${fsfloor[-1]} s" >&2
done

# The idle window: no connection, quits after 3 s.
window SKIFF_BENCH_QUIT=3s -- >/dev/null
idle=$(rss_mib)

m() { printf '%s\n' "$@" | median; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
# spread: the median and, when there are several runs, the range.
spread() {
	if [ $# -gt 1 ]; then
		echo "$(m "$@") ($(printf '%s\n' "$@" | sort -g | head -1)–$(max "$@"))"
	else
		m "$@"
	fi
}
echo
echo "### Skiff's window vs FileZilla 3.63 (vsftpd on 127.0.0.1, Xvfb; Skiff: median of $RUNS, range in brackets)"
echo
echo "| measure | Skiff | FileZilla 3.63 |"
echo "| --- | ---: | ---: |"
echo "| launch → window up (s) | $(m "${up[@]}") | 0.30 |"
echo "| launch → $ENTRIES rows on screen (s) | $(spread "${rows[@]}") | 0.75 |"
echo "| same, counting Xvfb's start (s) | $(m "${rowsx[@]}") | — |"
echo "| scroll to the last row (s) | $(m "${scroll[@]}") | — |"
echo "| peak RSS with $ENTRIES rows (MiB) | $(max "${rss[@]}") | 170 |"
echo "| idle window RSS (MiB) | $idle | 146 |"
echo "| queued download of 2,000 × 4 KiB (s) | $(spread "${dl[@]}") | 1.47 |"
echo "| peak RSS during that download (MiB) | $(max "${dlrss[@]}") | — |"
echo "| file system floor: creating 2,000 empty files (s) | $(spread "${fsfloor[@]}") | — |"
