#!/usr/bin/env bash
# gui.sh — Skiff's window beside FileZilla's, on this machine, in one run
# (issues 7 and 19): both under the same Xvfb settings (1280×800), against
# the same private vsftpd on 127.0.0.1 (plain FTP, the account from
# scripts/ftp-servers.sh) and the same data, interleaved round by round
# (odd rounds run Skiff first, even rounds FileZilla first):
#
#   1. launch → 100,000 rows: `skiff ftp://…/bigdir/` and
#      `filezilla ftp://…/bigdir/`, each from a fresh private HOME;
#   2. a queued download of 2,000 × 4 KiB files in 20 folders: time from
#      queueing to the queue being done, and the files compared with the
#      server's (diff -r);
#   3. the peak RSS of each process (/usr/bin/time -v), and of the idle
#      window (no connection, 3 s).
#
# End points, exactly:
#   - Skiff reports its own timestamps when SKIFF_BENCH=1 (see
#     ui.AutomationFromEnv): "first-rows" is when the parsed listing has
#     been given to the remote table (the frame drawn next shows the rows);
#     "queue-done" is when the queue pane has nothing queued or running, from
#     the moment the folder was queued (which includes listing its 21
#     folders).
#   - FileZilla 3.63 (Debian's package, unpacked by bench/filezilla.sh) logs
#     to a file (settings "Logging file"); a `tail -F` reader stamps each
#     line with the wall clock ($EPOCHREALTIME, no fork) as it is written.
#     Its rows end point is the line `Directory listing of "/bigdir"
#     successful`, which its engine writes after parsing the listing and
#     before the window's list control receives it: FileZilla's number is a
#     lower bound of its time to rows on screen (favouring FileZilla). Each
#     run then saves a screenshot a second later (the last run's is
#     bench/out/gui-filezilla-rows.png), which shows the rows and the
#     status bar's "100000 files." — look at it.
#     Its download is a queue written beforehand into the private
#     queue.sqlite3 (the 2,000 files with their local and remote paths, as
#     FileZilla stores a queued download; no listing is needed, again
#     favouring FileZilla); the clock starts when xdotool presses Ctrl+P
#     (Transfer → Process queue) and stops when FileZilla runs its
#     "Queue completion command" (a script writing the time).
#   Both clients run with their defaults: two transfer connections per site.
#
# Skiff runs from a fresh HOME whose trust.json allows plain FTP to this
# server. FileZilla runs with HOME and XDG_CONFIG_HOME in the run's temp folder and
# a filezilla.xml/trustedcerts.xml written here (greeting seen, logging to a
# file, the completion command, plain FTP allowed for this server), so
# nothing in the machine's settings changes. Its queue.sqlite3 holds the
# test account's password while the run lasts (as FileZilla stores it); the
# temp folder is removed on exit.
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
# scripts/ftp-servers.sh), .cache/filezilla and xdotool (bash
# bench/filezilla.sh), xvfb-run, ImageMagick's import, sqlite3,
# /usr/bin/time and bench/out/skiff (make build BIN=bench/out/skiff: the
# Makefile's tags, as users get it).
# Env: RUNS (default 3), PORT (default 27400; passive ports
# PORT+100..PORT+299), ENTRIES (default 100000), DOWNLOADS (where the
# download runs write; default: the temp folder), SKIFF_PROFILE=DIR (CPU
# and heap profiles of Skiff's listing and download runs, for go tool pprof),
# SKIFF_ONLY=1 (Skiff's runs only, no FileZilla and no table: a quick look
# at its memory). Every Skiff run also prints its own account of its peak
# memory (SKIFF_BENCH_MEMORY, ui/memwatch.go): the Go runtime's share and
# the rest of the anonymous memory, where Mesa keeps the GL textures.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
RUNS=${RUNS:-3}
PORT=${PORT:-27400}
ENTRIES=${ENTRIES:-100000}
SKIFF=${SKIFF:-$repo/bench/out/skiff}
NAME=gui
. bench/vsftpd.sh

FZDIR=$repo/.cache/filezilla/usr
FILEZILLA=$FZDIR/bin/filezilla
for need in "$VSFTPD" "$SKIFF" "$FILEZILLA" /usr/bin/time /usr/bin/xvfb-run; do
	[ -x "$need" ] || { echo "gui: missing $need (FileZilla: bash bench/filezilla.sh)" >&2; exit 1; }
done
for need in xdotool import sqlite3; do
	command -v "$need" >/dev/null || { echo "gui: missing $need (bash bench/filezilla.sh)" >&2; exit 1; }
done
out=$repo/bench/out
mkdir -p "$out" "$root/bigdir"

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

xvfb=(timeout 300 xvfb-run -a -s "-screen 0 1280x800x24")

# window ENV... -- ARGS...: runs skiff under Xvfb and /usr/bin/time with a
# fresh HOME (preferences, queue, sites) and its own D-Bus session, as a
# desktop has (without one, Fyne's D-Bus client autolaunches a session bus
# that outlives the window); leaves its stderr in $work/app.log
# and the time report in $work/time.txt; prints the launch time in ms.
window() {
	local envs=()
	while [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	rm -rf "$work/home" && mkdir -p "$work/home/sites"
	# "Always for this server" to plain FTP, as FileZilla's trustedcerts.xml.
	printf '{"plainOK": ["127.0.0.1:%s"]}\n' "$PORT" >"$work/home/sites/trust.json"
	local t0
	t0=$(date +%s%3N)
	env HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
		SKIFF_CONFIG_DIR="$work/home/sites" LANG=en_US.UTF-8 SKIFF_BENCH=1 SKIFF_BENCH_MEMORY=1 "${envs[@]}" \
		"${xvfb[@]}" dbus-run-session -- /usr/bin/time -v -o "$work/time.txt" "$SKIFF" "$@" >"$work/app.log" 2>&1 || {
		echo "gui: skiff failed: $*" >&2
		tail -20 "$work/app.log" >&2
		exit 1
	}
	echo "$t0"
}
# mem_line: Skiff's own account of its peak (SKIFF_BENCH_MEMORY, ui/memwatch.go):
# how the resident set splits between the Go runtime and the rest.
mem_line() { sed -n 's/.*SKIFF_BENCH memory-peak /gui:   skiff memory peak: /p' "$work/app.log" | head -1 >&2; }
field() { sed -n "s/.*SKIFF_BENCH $1 .*$2=\([0-9.]*\).*/\1/p" "$work/app.log" | head -1; }
cpu_s() { awk -F': ' '/User time|System time/ {t += $2} END {printf "%.2f", t}' "$work/time.txt"; }
rss_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time.txt"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# FileZilla's private configuration: the greeting seen, the log written to
# a file, the queue's completion command, plain FTP to this server allowed
# (its "Always allow insecure plain FTP" answer), passwords not saved.
fzconf=$work/fzconf
mkdir -p "$fzconf"
cat >"$fzconf/filezilla.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.63.0" platform="*nix">
	<Settings>
		<Setting name="Greeting version">3.63.0</Setting>
		<Setting name="Prompt password save">0</Setting>
		<Setting name="Logging file" platform="unix">$work/fz.log</Setting>
		<Setting name="Queue completion action">4</Setting>
		<Setting name="Queue completion command">$work/fz-done.sh</Setting>
	</Settings>
</FileZilla3>
XML
cat >"$fzconf/trustedcerts.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.63.0" platform="*nix">
	<InsecureHosts>
		<Host Port="$PORT">127.0.0.1</Host>
	</InsecureHosts>
</FileZilla3>
XML
printf '#!/bin/sh\ndate +%%s%%3N >"%s"\n' "$work/fz-done.ms" >"$work/fz-done.sh"
chmod +x "$work/fz-done.sh"

# fz_queue DB DST: writes the 2,000-file download of /tree into DST as
# FileZilla's queue.sqlite3 holds a queued download (the rows FileZilla 3.63
# writes for "Add files to queue": flags 16, default priority 2).
fz_queue() {
	local db=$1 dst=$2 d f
	{
		echo "CREATE TABLE servers (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, host TEXT NOT NULL, port INTEGER, user TEXT, password TEXT, account TEXT, keyfile TEXT, protocol INTEGER, type INTEGER, logontype INTEGER, timezone_offset INTEGER, transfer_mode TEXT, max_connections INTEGER, encoding TEXT, bypass_proxy INTEGER, post_login_commands TEXT, name TEXT, parameters TEXT, site_path TEXT DEFAULT NULL);"
		echo "CREATE TABLE files (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, server INTEGER NOT NULL, source_file TEXT, target_file TEXT, local_path INTEGER, remote_path INTEGER, size INTEGER, error_count INTEGER, priority INTEGER, flags INTEGER, default_exists_action INTEGER, extra_flags TEXT);"
		echo "CREATE INDEX server_index ON files (server);"
		echo "CREATE TABLE local_paths (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, path TEXT NOT NULL);"
		echo "CREATE TABLE remote_paths (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, path TEXT NOT NULL);"
		echo "PRAGMA user_version = 7;" # FileZilla 3.63's schema; an older one is dropped
		echo "BEGIN;"
		echo "INSERT INTO servers VALUES(1,'127.0.0.1',$PORT,'$USER_','$PASS','','',0,0,1,0,'default',0,'Auto',0,'','','','');"
		for d in $(seq -w 1 20); do
			echo "INSERT INTO local_paths VALUES($((10#$d)),'$dst/dir$d/');"
			echo "INSERT INTO remote_paths VALUES($((10#$d)),'1 0 4 tree 5 dir$d');"
			for f in $(seq -w 1 100); do
				echo "INSERT INTO files(server,source_file,target_file,local_path,remote_path,size,priority,flags) VALUES(1,'file$f.bin','',$((10#$d)),$((10#$d)),4096,2,16);"
			done
		done
		echo "COMMIT;"
	} | sqlite3 "$db"
}

# filezilla MODE ARGS...: runs FileZilla under Xvfb and /usr/bin/time from a
# fresh private HOME; MODE "rows" waits for the listing's log line, saves a
# screenshot and quits; "queue" presses Ctrl+P once the window is up and
# quits after the completion command ran; "idle" quits after 3 s. Leaves
# the stamped log in $work/fz.stamped ("ms line") and prints the time
# Ctrl+P was pressed (queue) or the launch time (other modes) in ms.
filezilla() {
	local mode=$1
	shift
	rm -rf "$work/fzhome" "$work/fz.log" "$work/fz.stamped" "$work/fz-done.ms" "$work/fz-start.ms"
	mkdir -p "$work/fzhome/.config"
	cp -r "$fzconf" "$work/fzhome/.config/filezilla"
	if [ "$mode" = queue ]; then fz_queue "$work/fzhome/.config/filezilla/queue.sqlite3" "$FZ_INTO"; fi
	: >"$work/fz.log"
	# The stamper: tail -F follows the log with inotify; bash's
	# $EPOCHREALTIME stamps each line without a fork.
	(
		tail -n +1 -F "$work/fz.log" 2>/dev/null &
		echo $! >"$work/tail.pid"
		wait
	) | while IFS= read -r l; do
		printf '%s %s\n' "${EPOCHREALTIME/[.,]/}" "$l"
	done >"$work/fz.stamped" &
	local stamper=$!
	date +%s%3N >"$work/fz-start.ms"
	env HOME="$work/fzhome" XDG_CONFIG_HOME="$work/fzhome/.config" LANG=en_US.UTF-8 \
		LD_LIBRARY_PATH="$FZDIR/lib/x86_64-linux-gnu" FZ_MODE="$mode" FZ_WORK="$work" FILEZILLA="$FILEZILLA" \
		"${xvfb[@]}" bash -c '
		/usr/bin/time -v -o "$FZ_WORK/time.txt" "$FILEZILLA" "$@" >"$FZ_WORK/fz.out" 2>&1 &
		fz=$!
		until xdotool search --name "FileZilla" >/dev/null 2>&1; do sleep 0.05; done
		case $FZ_MODE in
		rows)
			until grep -q "Directory listing of .* successful" "$FZ_WORK/fz.stamped"; do sleep 0.02; done
			sleep 1 # the list control shows the rows
			import -window root "$FZ_WORK/fz-rows.png"
			;;
		queue)
			# Ctrl+P (Transfer → Process queue) once the window takes keys:
			# pressed again only when no connection started within 3 s, and
			# the clock starts at the press that started it.
			sleep 1
			until grep -q "Connecting to" "$FZ_WORK/fz.stamped"; do
				date +%s%3N >"$FZ_WORK/fz-start.ms"
				xdotool key ctrl+p
				for _ in $(seq 150); do
					grep -q "Connecting to" "$FZ_WORK/fz.stamped" && break
					sleep 0.02
				done
			done
			until [ -s "$FZ_WORK/fz-done.ms" ]; do sleep 0.02; done
			;;
		idle) sleep 3 ;;
		esac
		# Ctrl+Q (File → Exit), again while a press arrives before the
		# window takes keys.
		while kill -0 $fz 2>/dev/null; do
			xdotool key ctrl+q
			for _ in $(seq 100); do kill -0 $fz 2>/dev/null || break; sleep 0.02; done
		done
		wait $fz' bash "$@" || {
		kill "$(cat "$work/tail.pid")" 2>/dev/null || true
		echo "gui: filezilla ($mode) failed: $*" >&2
		tail -5 "$work/fz.out" "$work/fz.stamped" >&2
		exit 1
	}
	sleep 0.1
	kill "$(cat "$work/tail.pid")" 2>/dev/null || true
	wait "$stamper" 2>/dev/null || true
	cat "$work/fz-start.ms"
}
# fz_line PATTERN: the stamp (µs) of the first log line matching PATTERN.
fz_line() { grep -m1 -e "$1" "$work/fz.stamped" | cut -d' ' -f1; }

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
prof=()

up=() rows=() rowsx=() scroll=() rss=()
fzrows=() fzrss=()
dl=() dlrss=() fsfloor=() fzdl=() fzdlrss=()

skiff_rows() {
	[ -n "${SKIFF_PROFILE:-}" ] && prof=("SKIFF_BENCH_CPUPROFILE=$SKIFF_PROFILE/rows$1.prof" "SKIFF_BENCH_HEAPPROFILE=$SKIFF_PROFILE/rows$1.heap")
	t0=$(window SKIFF_BENCH_SCROLL=1 SKIFF_BENCH_QUIT=rows ${prof[@]+"${prof[@]}"} -- "$url/bigdir/")
	n=$(field first-rows n)
	[ "$n" = "$ENTRIES" ] || { echo "gui: skiff listed $n entries, want $ENTRIES" >&2; tail -20 "$work/app.log" >&2; exit 1; }
	# From the process's start (what a user's launch costs); the external
	# clock also counts xvfb-run starting the X server.
	up+=("$(field window-up after)")
	rows+=("$(field first-rows after)")
	rowsx+=("$(awk -v a="$(field first-rows unix_ms)" -v b="$t0" 'BEGIN {printf "%.3f", (a-b)/1000}')")
	scroll+=("$(field scrolled took)")
	rss+=("$(rss_mib)")
	echo "gui: round $1 skiff rows: ${rowsx[-1]} s (counting Xvfb), ${rows[-1]} s from its start, RSS ${rss[-1]} MiB, CPU $(cpu_s) s" >&2
	mem_line
}
fz_rows() {
	t0=$(filezilla rows "$url/bigdir/")
	t=$(fz_line "Directory listing of \"/bigdir\" successful")
	[ -n "$t" ] || { echo "gui: filezilla did not list /bigdir" >&2; tail -20 "$work/fz.stamped" >&2; exit 1; }
	fzrows+=("$(awk -v a="$t" -v b="$t0" 'BEGIN {printf "%.3f", (a/1000-b)/1000}')")
	fzrss+=("$(rss_mib)")
	cp "$work/fz-rows.png" "$out/gui-filezilla-rows.png"
	echo "gui: round $1 filezilla rows: ${fzrows[-1]} s (counting Xvfb), RSS ${fzrss[-1]} MiB" >&2
}
skiff_dl() {
	fsfloor+=("$(floor "$downloads/floor$1")")
	dst=$downloads/dst$1 # never used before; see the top of the file
	mkdir -p "$dst"
	[ -n "${SKIFF_PROFILE:-}" ] && prof=("SKIFF_BENCH_CPUPROFILE=$SKIFF_PROFILE/download$1.prof" "SKIFF_BENCH_HEAPPROFILE=$SKIFF_PROFILE/download$1.heap")
	window SKIFF_BENCH_DOWNLOAD=/tree SKIFF_BENCH_INTO="$dst" SKIFF_BENCH_QUIT=queue ${prof[@]+"${prof[@]}"} -- "$url/" >/dev/null
	diff -r "$root/tree" "$dst/tree" >/dev/null || { echo "gui: skiff's download differs from the server's files" >&2; exit 1; }
	dl+=("$(field queue-done elapsed)")
	dlrss+=("$(rss_mib)")
	echo "gui: round $1 skiff download: ${dl[-1]} s, RSS ${dlrss[-1]} MiB, CPU $(cpu_s) s, file system floor ${fsfloor[-1]} s" >&2
	mem_line
}
fz_dl() {
	FZ_INTO=$downloads/fz$1
	mkdir -p "$FZ_INTO"
	t0=$(filezilla queue)
	diff -r "$root/tree" "$FZ_INTO" >/dev/null || { echo "gui: filezilla's download differs from the server's files" >&2; exit 1; }
	fzdl+=("$(awk -v a="$(cat "$work/fz-done.ms")" -v b="$t0" 'BEGIN {printf "%.3f", (a-b)/1000}')")
	fzdlrss+=("$(rss_mib)")
	echo "gui: round $1 filezilla download: ${fzdl[-1]} s, RSS ${fzdlrss[-1]} MiB" >&2
}

if [ -n "${SKIFF_ONLY:-}" ]; then
	# SKIFF_ONLY=1: Skiff's runs alone, for quick looks at its memory and
	# times; no comparison is printed.
	for i in $(seq "$RUNS"); do skiff_rows "$i" && skiff_dl "$i"; done
	window SKIFF_BENCH_QUIT=3s -- >/dev/null
	echo "gui: skiff idle: RSS $(rss_mib) MiB" >&2
	mem_line
	exit 0
fi
for i in $(seq "$RUNS"); do
	if [ $((i % 2)) -eq 1 ]; then
		skiff_rows "$i" && fz_rows "$i" && skiff_dl "$i" && fz_dl "$i"
	else
		fz_rows "$i" && skiff_rows "$i" && fz_dl "$i" && skiff_dl "$i"
	fi
done

# The idle windows: no connection, quit after 3 s.
window SKIFF_BENCH_QUIT=3s -- >/dev/null
idle=$(rss_mib)
filezilla idle >/dev/null
fzidle=$(rss_mib)

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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
echo
echo "### Skiff's window vs FileZilla 3.63, this machine, one run (vsftpd on 127.0.0.1, Xvfb 1280×800; median of $RUNS interleaved rounds, range in brackets)"
echo
echo "| measure | Skiff | FileZilla 3.63 | Skiff ÷ FileZilla |"
echo "| --- | ---: | ---: | ---: |"
echo "| launch → $ENTRIES rows (s, counting Xvfb's start) | $(spread "${rowsx[@]}") | $(spread "${fzrows[@]}") | $(ratio "$(m "${rowsx[@]}")" "$(m "${fzrows[@]}")") |"
echo "| peak RSS with $ENTRIES rows (MiB) | $(max "${rss[@]}") | $(max "${fzrss[@]}") | $(ratio "$(max "${rss[@]}")" "$(max "${fzrss[@]}")") |"
echo "| queued download of 2,000 × 4 KiB (s) | $(spread "${dl[@]}") | $(spread "${fzdl[@]}") | $(ratio "$(m "${dl[@]}")" "$(m "${fzdl[@]}")") |"
echo "| peak RSS during that download (MiB) | $(max "${dlrss[@]}") | $(max "${fzdlrss[@]}") | $(ratio "$(max "${dlrss[@]}")" "$(max "${fzdlrss[@]}")") |"
echo "| idle window RSS (MiB) | $idle | $fzidle | $(ratio "$idle" "$fzidle") |"
echo "| Skiff: launch → window up, from the process's start (s) | $(m "${up[@]}") | — | |"
echo "| Skiff: launch → rows, from the process's start (s) | $(spread "${rows[@]}") | — | |"
echo "| Skiff: scroll to the last row (s) | $(m "${scroll[@]}") | — | |"
echo "| file system floor: creating 2,000 empty files (s) | $(spread "${fsfloor[@]}") | | |"
