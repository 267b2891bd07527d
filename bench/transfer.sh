#!/usr/bin/env bash
# transfer.sh — download and upload a 1 GiB file over plain FTP and explicit
# FTPS from a private vsftpd on loopback (require_ssl_reuse=YES), with
# skiff, curl and lftp in turn in the same run. Prints the median of RUNS
# (default 15, about 10 minutes: with 7 the same plain upload code came out
# at 1.00-1.33x the faster peer from run to run) wall times per client, skiff's ratio to the faster peer, and
# each client's peak RSS (GNU time), and the CPU seconds of the client, of
# vsftpd (all its processes, SSL helpers included, where a cgroup can count
# them) and of both (client and server share the cores on loopback: a
# client that costs the server more is slower). Target: ratio <= 1.05,
# skiff RSS < 64 MiB. "Per round" is the median of skiff's time over the
# peer's in the same round, against the peer it compares worst with.
#
#   bash bench/transfer.sh                 # builds bench/out/skiff
#   SKIFF_BIN=path SIZE_MIB=256 RUNS=5 bash bench/transfer.sh
#   CASES="tls/down" RUNS=9 bash bench/transfer.sh   # one case only
#
# Downloads are timed until the file is on disk: skiff's get ends with
# syncfs, so curl and lftp are followed by `sync -f` (SYNC_PEERS=0 times
# them to their exit instead; writing 1 GiB back takes about a second here).
# PIN=0 leaves CPU placement to the kernel (see lib.sh).
# Needs root (vsftpd logs in local users); installs lftp/curl/time and the
# FTP servers when missing. Results also go to bench/out/transfer.md.
RUNS=${RUNS:-15}
. "$(dirname "$0")/lib.sh"

SIZE_MIB=${SIZE_MIB:-1024}
CASES=${CASES:-plain/down plain/up tls/down tls/up} # SEC/DIR pairs to run
want() { [[ " $CASES " == *" $1/$2 "* ]]; }
need
build_skiff
start_server SKIFF_BENCH_FILE_MIB="$SIZE_MIB"
SRC=$ROOT/file.bin
SIZE=$((SIZE_MIB * 1024 * 1024))
mkdir -p "$WORK/data"
DL=$WORK/data/dl.bin
URL=ftp://$USER:$PASS@$HOST:$PORT

lftp_cmd() { # lftp_cmd tls|plain COMMANDS — sets CMD
	local sec
	if [ "$1" = tls ]; then
		sec="set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file $CAFILE; set ssl:verify-certificate yes"
	else
		sec="set ftp:ssl-allow no"
	fi
	CMD=(lftp -c "set net:max-retries 1; set xfer:clobber on; $sec; open -u $USER,$PASS -p $PORT $HOST; $2")
}

download() { # download CLIENT SEC — sets CMD
	case "$1/$2" in
	skiff/plain) CMD=("$SKIFF" get --tls=off "$URL/file.bin" "$DL") ;;
	skiff/tls) CMD=("$SKIFF" get --tls=explicit --cacert "$CAFILE" "$URL/file.bin" "$DL") ;;
	curl/plain) CMD=(curl -sS -o "$DL" "$URL/file.bin") ;;
	curl/tls) CMD=(curl -sS --ssl-reqd --cacert "$CAFILE" -o "$DL" "$URL/file.bin") ;;
	lftp/plain) lftp_cmd plain "get /file.bin -o $DL" ;;
	lftp/tls) lftp_cmd tls "get /file.bin -o $DL" ;;
	esac
}

upload() { # upload CLIENT SEC — sets CMD
	case "$1/$2" in
	skiff/plain) CMD=("$SKIFF" put --tls=off "$SRC" "$URL/up/up.bin") ;;
	skiff/tls) CMD=("$SKIFF" put --tls=explicit --cacert "$CAFILE" "$SRC" "$URL/up/up.bin") ;;
	curl/plain) CMD=(curl -sS -T "$SRC" "$URL/up/up.bin") ;;
	curl/tls) CMD=(curl -sS --ssl-reqd --cacert "$CAFILE" -T "$SRC" "$URL/up/up.bin") ;;
	lftp/plain) lftp_cmd plain "put $SRC -o /up/up.bin" ;;
	lftp/tls) lftp_cmd tls "put $SRC -o /up/up.bin" ;;
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

clients=(skiff curl lftp)
for sec in plain tls; do
	for dir in down up; do
		want $sec $dir || continue
		for run in $(seq 1 "$RUNS"); do
			# Rotate the order each run, so no client always goes first.
			order=("${clients[@]:$((run % 3))}" "${clients[@]:0:$((run % 3))}")
			for c in "${order[@]}"; do
				rm -f "$DL" "$ROOT/up/up.bin"
				sync
				if [ $dir = down ]; then
					download "$c" "$sec"
					# skiff's get ends with syncfs (a download is done
					# when it is on disk); the peers end when the bytes
					# are in the page cache. Timing them to the same
					# point, the peers are followed by sync -f, unless
					# SYNC_PEERS=0.
					if [ "$c" != skiff ] && [ "${SYNC_PEERS:-1}" = 1 ]; then
						CMD=(sh -c '"$@" && sync -f "$0"' "$DL" "${CMD[@]}")
					fi
					timed "$dir-$sec-$c" "${CMD[@]}"
					check "$DL"
					if [ "$run" = 1 ] && ! cmp -s "$SRC" "$DL"; then
						echo "bench: $c $sec download differs" >&2
						exit 1
					fi
				else
					upload "$c" "$sec"
					timed "$dir-$sec-$c" "${CMD[@]}"
					check "$ROOT/up/up.bin"
				fi
			done
		done
	done
done
rm -f "$DL" "$ROOT/up/up.bin"

{
	echo "## Transfer: ${SIZE_MIB} MiB from vsftpd on loopback, median of $RUNS rounds ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs; $PLACEMENT)"
	echo
	if [ "${SYNC_PEERS:-1}" = 1 ]; then
		echo "Downloads are timed until the file is on disk: skiff's get ends with syncfs, curl and lftp are followed by sync -f."
	else
		echo "Downloads: skiff ends with syncfs, curl and lftp are timed to their exit (SYNC_PEERS=0)."
	fi
	echo
	echo "| case | skiff s | curl s | lftp s | skiff / faster peer | same, per round | CPU s skiff / curl / lftp | server CPU s with skiff / curl / lftp | client+server CPU s | RSS MiB skiff / curl / lftp |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for sec in plain tls; do
		for dir in down up; do
			want $sec $dir || continue
			k=$dir-$sec
			s=$(median "$k-skiff")
			c=$(median "$k-curl")
			l=$(median "$k-lftp")
			name="$([ $dir = down ] && echo download || echo upload) $([ $sec = tls ] && echo "explicit FTPS" || echo "plain FTP")"
			echo "| $name | $s | $c | $l | $(ratio "$s" "$(fastest "$c" "$l")")x | $(paired "$k-skiff" "$k-curl" "$k-lftp")x | $(cpu "$k-skiff") / $(cpu "$k-curl") / $(cpu "$k-lftp") | $(srvcpu "$k-skiff") / $(srvcpu "$k-curl") / $(srvcpu "$k-lftp") | $(totcpu "$k-skiff") / $(totcpu "$k-curl") / $(totcpu "$k-lftp") | $(maxrss "$k-skiff") / $(maxrss "$k-curl") / $(maxrss "$k-lftp") |"
		done
	done
} | tee "$OUT/transfer.md"
