#!/usr/bin/env bash
# listing.sh — `skiff ls --json` of a 100,000-entry directory on a private
# vsftpd (loopback, plain FTP and explicit FTPS) against curl downloading
# the same raw LIST, in turn: each round runs both clients back to back
# (who goes first alternates), RUNS rounds (default 9). Target (issue 16):
# skiff <= 1.2x curl. The ratio is reported per round — its median and its
# best — since a slow spell of a shared machine hits both clients of a
# round alike but moves either one's median.
#
#   bash bench/listing.sh
#   SKIFF_BIN=path ENTRIES=20000 RUNS=9 CASES=plain bash bench/listing.sh
#
# Needs root (vsftpd); results also go to bench/out/listing.md.
RUNS=${RUNS:-9}
. "$(dirname "$0")/lib.sh"

ENTRIES=${ENTRIES:-100000}
CASES=${CASES:-plain tls}
need
build_skiff
start_server SKIFF_BENCH_ENTRIES="$ENTRIES"
URL=ftp://$USER:$PASS@$HOST:$PORT

skiff_cmd() {
	case $1 in
	plain) echo "$SKIFF" ls --json --tls=off "$URL/big/" ;;
	tls) echo "$SKIFF" ls --json --tls=explicit --cacert "$CAFILE" "$URL/big/" ;;
	esac
}
curl_cmd() {
	case $1 in
	plain) echo curl -sS "$URL/big/" ;;
	tls) echo curl -sS --ssl-reqd --cacert "$CAFILE" "$URL/big/" ;;
	esac
}

for run in $(seq 1 "$RUNS"); do
	for k in $CASES; do
		# shellcheck disable=SC2046
		if [ $((run % 2)) = 1 ]; then
			timed "$k-skiff" $(skiff_cmd "$k")
			timed "$k-curl" $(curl_cmd "$k")
		else
			timed "$k-curl" $(curl_cmd "$k")
			timed "$k-skiff" $(skiff_cmd "$k")
		fi
	done
done
for k in $CASES; do
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

# rounds A B — each round's A/B time ratio, one per line, in round order.
rounds() { paste -d' ' "$WORK/$1" "$WORK/$2" | awk '{printf "%.2f\n", $1 / $5}'; }
best() { rounds "$1" "$2" | sort -n | head -1; }

{
	echo "## Listing: $ENTRIES entries from vsftpd on loopback, $RUNS rounds of skiff and curl in turn ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs; $PLACEMENT)"
	echo
	echo "| case | skiff ls --json s (median) | curl LIST s (median) | skiff / curl per round: median | best | CPU s skiff / curl | RSS MiB skiff / curl |"
	echo "|---|---|---|---|---|---|---|"
	for k in $CASES; do
		s=$(median "$k-skiff")
		c=$(median "$k-curl")
		echo "| $([ "$k" = tls ] && echo "explicit FTPS" || echo "plain FTP") | $s | $c | $(paired "$k-skiff" "$k-curl")x | $(best "$k-skiff" "$k-curl")x | $(cpu "$k-skiff") / $(cpu "$k-curl") | $(maxrss "$k-skiff") / $(maxrss "$k-curl") |"
	done
	echo
	for k in $CASES; do
		echo "$k, skiff/curl by round: $(rounds "$k-skiff" "$k-curl" | tr '\n' ' ')"
	done
} | tee "$OUT/listing.md"
