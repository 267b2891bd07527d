# vsftpd.sh — a private plain-FTP vsftpd on 127.0.0.1 for the benchmarks
# that build their own tree (gui.sh, smallfiles.sh). Source it with PORT set
# (passive ports PORT+100..PORT+299) and NAME naming the caller. It defines
# USER_ and PASS (the account scripts/ftp-servers.sh creates), VSFTPD, work
# (a temp folder, removed on exit by cleanup), root ($work/root, which the
# account sees as /), and vsftpd_start, which starts the server once the
# tree is in root and sets url; small_tree DIR writes the 2,000 × 4 KiB
# files in 20 folders that the small-files benchmarks download.
USER_=skiffftp
PASS=skiff-test-pass
VSFTPD=$repo/.cache/ftpservers/usr/sbin/vsftpd

work=$(mktemp -d "/tmp/skiff-bench-$NAME.XXXXXX")
chmod 755 "$work" # the server runs as skiffftp
root=$work/root
mkdir -p "$root" /var/run/vsftpd/empty
vs_pid=
cleanup() {
	if [ -n "$vs_pid" ]; then kill -TERM -- "-$vs_pid" 2>/dev/null || true; fi
	sleep 0.2
	if [ -n "$vs_pid" ]; then kill -KILL -- "-$vs_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

vsftpd_start() {
	chown -R "$USER_:" "$root"
	cat >"$work/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$PORT
background=NO
seccomp_sandbox=NO
local_enable=YES
write_enable=NO
pam_service_name=skiff-vsftpd-test
local_root=$root
chroot_local_user=YES
allow_writeable_chroot=YES
secure_chroot_dir=/var/run/vsftpd/empty
anonymous_enable=NO
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$((PORT + 100))
pasv_max_port=$((PORT + 299))
connect_from_port_20=NO
use_localtime=NO
xferlog_enable=NO
ssl_enable=NO
max_per_ip=0
max_clients=0
CONF
	setsid "$VSFTPD" "$work/vsftpd.conf" >"$work/vsftpd.out" 2>&1 &
	vs_pid=$!
	for _ in $(seq 50); do
		(exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break
		sleep 0.1
	done
	url=ftp://$USER_:$PASS@127.0.0.1:$PORT
}

small_tree() {
	for d in $(seq -w 1 20); do
		mkdir -p "$1/dir$d"
		for f in $(seq -w 1 100); do
			head -c 4096 /dev/urandom >"$1/dir$d/file$f.bin"
		done
	done
}
