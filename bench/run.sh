#!/usr/bin/env bash
# run.sh — every benchmark in bench/, in one run, on this machine, against
# private servers on 127.0.0.1. Each script prints a Markdown table with
# medians and ratios to its peers; the tables are collected in
# bench/out/results.md. `make bench` builds ./skiff first.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
out=bench/out/results.md
: >"$out"
go test -run '^$' -bench . -benchmem ./engine/listing | tee -a "$out"
# Each script deletes its files when it ends. On ext4 without a journal
# (this VM's root) creating files within 30 s of deleting many is several
# times slower, so the next script waits SETTLE seconds (default 35).
first=1
for s in bench/transfer.sh bench/listing.sh bench/smallfiles.sh bench/gui.sh; do
	[ -f "$s" ] || { echo "missing $s" | tee -a "$out"; continue; }
	[ -n "$first" ] || sleep "${SETTLE:-35}"
	first=
	echo "== $s" | tee -a "$out"
	bash "$s" | tee -a "$out"
done
echo "results in $out"
