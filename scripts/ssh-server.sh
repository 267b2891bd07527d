#!/usr/bin/env bash
# ssh-server.sh — fetch OpenSSH's sshd for Skiff's SFTP interoperability tests
# without installing it as a system service.
#
# Installing openssh-server would start a daemon on port 22, so this script
# only downloads it (apt-get download) and unpacks it (dpkg -x) into
# <repo>/.cache/sshd/, next to openssh-sftp-server. internal/sshtest then runs
# private instances (sshd -D -e -f <generated config>) on 127.0.0.1 high ports.
#
# The client tools the tests drive (ssh-keygen, ssh-agent, ssh-add, sftp, scp)
# come from openssh-client, installed normally when missing (it starts no
# service).
#
# One-time system setup sshd needs:
#   - the privilege-separation user "sshd" and its empty, root-owned chroot
#     /run/sshd (both compiled into Debian's sshd);
#   - /etc/pam.d/skiff-sshd-test, a PAM service that falls through to pam_unix
#     (sshd names its PAM service after the program, so the harness runs it as
#     .cache/sshd/usr/sbin/skiff-sshd-test, a symlink to sshd);
#   - the local test user "skiffftp" / "skiff-test-pass" that
#     scripts/ftp-servers.sh creates (created here too if missing).
#
# Idempotent: a second run prints what is already there and changes nothing.
# Needs root (or sudo).
set -euo pipefail

# Keep these in sync with internal/sshtest (sshtest.go).
TEST_USER=skiffftp
TEST_PASS=skiff-test-pass
PAM_SERVICE=skiff-sshd-test
PRIVSEP_USER=sshd
PRIVSEP_DIR=/run/sshd

NAME=ssh-server
NO_APT_HINT="sshd and sftp-server unpacked into .cache/sshd/usr/sbin and .cache/sshd/usr/lib/openssh, plus openssh-client"
. "$(dirname "$0")/lib.sh"

dest="$root/.cache/sshd"
mkdir -p "$dest/debs"

# 1. Download and unpack the server packages.
unpack_deb openssh-server "$dest" "$dest/usr/sbin/sshd"
unpack_deb openssh-sftp-server "$dest" "$dest/usr/lib/openssh/sftp-server"
# sshd re-executes itself by its absolute argv[0] and names its PAM service
# after that program name.
if [ "$(readlink "$dest/usr/sbin/$PAM_SERVICE" 2>/dev/null || true)" != sshd ]; then
	say "linking $dest/usr/sbin/$PAM_SERVICE -> sshd"
	$SUDO ln -sfn sshd "$dest/usr/sbin/$PAM_SERVICE"
fi

# 2. Client tools and shared libraries.
missing_pkgs=()
for tool in ssh ssh-keygen ssh-agent ssh-add sftp scp; do
	command -v "$tool" >/dev/null 2>&1 || missing_pkgs+=(openssh-client)
done
[ -n "$(find /lib /usr/lib -name pam_unix.so 2>/dev/null | head -n1)" ] || missing_pkgs+=(libpam-modules)
command -v useradd >/dev/null 2>&1 || missing_pkgs+=(passwd)
install_missing "client tools present" ${missing_pkgs[@]+"${missing_pkgs[@]}"}
if ldd "$dest/usr/sbin/sshd" | grep -q 'not found'; then
	say "sshd is missing libraries:" >&2
	ldd "$dest/usr/sbin/sshd" | grep 'not found' >&2
	exit 1
fi

# 3. Privilege separation: user and chroot directory.
if id "$PRIVSEP_USER" >/dev/null 2>&1; then
	say "privsep user $PRIVSEP_USER exists"
else
	say "creating privsep user $PRIVSEP_USER"
	$SUDO useradd --system --no-create-home --home-dir "$PRIVSEP_DIR" --shell /usr/sbin/nologin --comment "sshd privilege separation (Skiff tests)" "$PRIVSEP_USER"
fi
# /run is a tmpfs: recreated on every boot.
if [ -d "$PRIVSEP_DIR" ]; then
	say "privsep dir $PRIVSEP_DIR present"
else
	say "creating privsep dir $PRIVSEP_DIR"
	$SUDO install -d -m 0755 -o root -g root "$PRIVSEP_DIR"
fi

# 4. The PAM service: plain pam_unix, for password and keyboard-interactive.
pam_file=/etc/pam.d/$PAM_SERVICE
pam_body='# Skiff test harness (scripts/ssh-server.sh): sshd password and keyboard-interactive logins.
auth     required pam_unix.so
account  required pam_unix.so
session  required pam_unix.so'
write_pam "$pam_file" "$pam_body"

# 5. The local test user (shared with scripts/ftp-servers.sh). Its shell is
# nologin: sshd serves internal-sftp and port forwarding without a shell.
if id "$TEST_USER" >/dev/null 2>&1; then
	say "user $TEST_USER exists"
else
	say "creating local user $TEST_USER (home /home/$TEST_USER, shell /usr/sbin/nologin)"
	$SUDO useradd --create-home --shell /usr/sbin/nologin --comment "Skiff FTP test user" "$TEST_USER"
fi
# Always (re)set the password: it is cheap and makes the account's state known.
echo "$TEST_USER:$TEST_PASS" | $SUDO chpasswd
say "password of $TEST_USER set"

say "ready: $dest/usr/sbin/sshd"
