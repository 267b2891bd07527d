#!/usr/bin/env bash
# listing.sh — `skiff ls --json` of a 100,000-entry directory on a private
# vsftpd (loopback, plain FTP and explicit FTPS) against curl fetching the
# raw LIST, median of RUNS (default 5). Target: skiff <= 1.5x curl.
#
#   bash bench/listing.sh
#   SKIFF_BIN=path ENTRIES=20000 RUNS=3 bash bench/listing.sh
#
# Needs root (vsftpd); results also go to bench/out/listing.md.
RUNS=${RUNS:-5}
. "$(dirname "$0")/lib.sh"

ENTRIES=${ENTRIES:-100000}
need
build_skiff
start_server SKIFF_BENCH_ENTRIES="$ENTRIES"
URL=ftp://$USER:$PASS@$HOST:$PORT

for run in $(seq 1 "$RUNS"); do
	timed plain-skiff "$SKIFF" ls --json --tls=off "$URL/big/"
	timed plain-curl curl -sS "$URL/big/"
	timed tls-skiff "$SKIFF" ls --json --tls=explicit --cacert "$CAFILE" "$URL/big/"
	timed tls-curl curl -sS --ssl-reqd --cacert "$CAFILE" "$URL/big/"
done
for k in plain tls; do
	got=$(grep -c '"unparsed":false' "$WORK/$k-skiff.log" || true)
	if [ "$got" != "$ENTRIES" ]; then
		echo "bench: skiff ls ($k) printed $got parsed entries, want $ENTRIES" >&2
		exit 1
	fi
	got=$(wc -l <"$WORK/$k-curl.log")
	if [ "$got" != "$ENTRIES" ]; then
		echo "bench: curl ($k) printed $got lines, want $ENTRIES" >&2
		exit 1
	fi
done

{
	echo "## Listing: $ENTRIES entries from vsftpd on loopback, median of $RUNS runs ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs; $PLACEMENT)"
	echo
	echo "| case | skiff ls --json s | curl LIST s | skiff / curl | CPU s skiff / curl | RSS MiB skiff / curl |"
	echo "|---|---|---|---|---|---|"
	for k in plain tls; do
		s=$(median "$k-skiff")
		c=$(median "$k-curl")
		echo "| $([ $k = tls ] && echo "explicit FTPS" || echo "plain FTP") | $s | $c | $(ratio "$s" "$c")x | $(cpu "$k-skiff") / $(cpu "$k-curl") | $(maxrss "$k-skiff") / $(maxrss "$k-curl") |"
	done
} | tee "$OUT/listing.md"
