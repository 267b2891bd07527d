#!/usr/bin/env bash
# ftp-servers.sh — fetch vsftpd and pure-ftpd for Skiff's interoperability tests
# without installing them system-wide.
#
# The Debian packages conflict with each other (Provides/Conflicts: ftp-server)
# and start a daemon on port 21 when installed, so this script only downloads
# them (apt-get download) and unpacks them (dpkg -x) into
# <repo>/.cache/ftpservers/. internal/ftptest then runs private instances on
# 127.0.0.1 high ports with generated configs.
#
# It also does the one-time system setup vsftpd needs for local-user logins:
#   - the shared libraries both binaries link against (apt-get install);
#   - /etc/pam.d/skiff-vsftpd-test, a PAM service that falls through to pam_unix;
#   - a local user "skiffftp" whose password is "skiff-test-pass" (test-only
#     account without a login shell);
#   - a local user "skiffanon" that anonymous sessions run as (vsftpd's
#     ftp_username; its home must exist, and it owns nothing the tests serve,
#     so anonymous stays read-only);
#   - a system user "ftp" (if missing) with home /var/lib/skiff-ftptest/anon:
#     pure-ftpd serves anonymous sessions from ftp's home, which the harness
#     bind-mounts per instance inside a private mount namespace;
#   - /var/run/vsftpd/empty, vsftpd's secure_chroot_dir.
#
# Idempotent: a second run prints what is already there and changes nothing.
# Needs root (or sudo) for apt-get, useradd and /etc/pam.d.
set -euo pipefail

# Keep these in sync with internal/ftptest (vsftpd.go).
TEST_USER=skiffftp
TEST_PASS=skiff-test-pass
ANON_USER=skiffanon
PAM_SERVICE=skiff-vsftpd-test
SECURE_CHROOT=/var/run/vsftpd/empty

NAME=ftp-servers
NO_APT_HINT="vsftpd and pure-ftpd binaries (unpacked into .cache/ftpservers/usr/sbin), libwrap0, libsodium23, libpam-modules, curl"
. "$(dirname "$0")/lib.sh"

dest="$root/.cache/ftpservers"
mkdir -p "$dest/debs"

# 1. Download and unpack the packages.
unpack_deb vsftpd "$dest" "$dest/usr/sbin/vsftpd"
unpack_deb pure-ftpd "$dest" "$dest/usr/sbin/pure-ftpd"

# 2. Shared libraries the binaries need (libwrap0 is not on a minimal Debian 12).
missing_pkgs=()
for lib in $(ldd "$dest/usr/sbin/vsftpd" "$dest/usr/sbin/pure-ftpd" | awk '/not found/ {print $1}' | sort -u); do
	case $lib in
	libwrap.so.*) missing_pkgs+=(libwrap0) ;;
	libsodium.so.*) missing_pkgs+=(libsodium23) ;;
	libpam.so.*) missing_pkgs+=(libpam0g) ;;
	libssl.so.* | libcrypto.so.*) missing_pkgs+=(libssl3) ;;
	libcap.so.*) missing_pkgs+=(libcap2) ;;
	libcrypt.so.*) missing_pkgs+=(libcrypt1) ;;
	*) say "unknown missing library $lib" >&2 ;;
	esac
done
# pam_unix.so lives in libpam-modules; curl drives the smoke tests.
[ -e /lib/x86_64-linux-gnu/security/pam_unix.so ] || [ -n "$(find /lib /usr/lib -name pam_unix.so 2>/dev/null | head -n1)" ] || missing_pkgs+=(libpam-modules)
command -v curl >/dev/null 2>&1 || missing_pkgs+=(curl)
command -v useradd >/dev/null 2>&1 || missing_pkgs+=(passwd)
command -v unshare >/dev/null 2>&1 || missing_pkgs+=(util-linux)
install_missing "shared libraries present" ${missing_pkgs[@]+"${missing_pkgs[@]}"}
if ldd "$dest/usr/sbin/vsftpd" "$dest/usr/sbin/pure-ftpd" | grep -q 'not found'; then
	say "still missing libraries:" >&2
	ldd "$dest/usr/sbin/vsftpd" "$dest/usr/sbin/pure-ftpd" | grep 'not found' >&2
	exit 1
fi

# 3. vsftpd's PAM service: plain pam_unix, no pam_shells or ftpusers list, so
# the no-login-shell test user is accepted.
pam_file=/etc/pam.d/$PAM_SERVICE
pam_body='# Skiff test harness (scripts/ftp-servers.sh): vsftpd local-user logins.
auth     required pam_unix.so
account  required pam_unix.so
session  required pam_unix.so'
write_pam "$pam_file" "$pam_body"

# 4. The local test user vsftpd logs in (its home must exist: vsftpd chdirs
# there before local_root).
if id "$TEST_USER" >/dev/null 2>&1; then
	say "user $TEST_USER exists"
else
	say "creating local user $TEST_USER (home /home/$TEST_USER, shell /usr/sbin/nologin)"
	$SUDO useradd --create-home --shell /usr/sbin/nologin --comment "Skiff FTP test user" "$TEST_USER"
fi
home=$(getent passwd "$TEST_USER" | cut -d: -f6)
if [ ! -d "$home" ]; then
	say "creating home $home"
	$SUDO install -d -o "$TEST_USER" -g "$TEST_USER" "$home"
fi
# Always (re)set the password: it is cheap and makes the account's state known.
echo "$TEST_USER:$TEST_PASS" | $SUDO chpasswd
say "password of $TEST_USER set"

# 5. The account anonymous vsftpd sessions run as.
if id "$ANON_USER" >/dev/null 2>&1; then
	say "user $ANON_USER exists"
else
	say "creating local user $ANON_USER (anonymous FTP sessions run as it)"
	$SUDO useradd --create-home --shell /usr/sbin/nologin --comment "Skiff FTP anonymous test user" "$ANON_USER"
fi
home=$(getent passwd "$ANON_USER" | cut -d: -f6)
[ -d "$home" ] || $SUDO install -d -o "$ANON_USER" -g "$ANON_USER" "$home"

# 6. pure-ftpd's anonymous account "ftp" (its home is replaced per instance by
# a bind mount in the server's own mount namespace, never on the host).
if id ftp >/dev/null 2>&1; then
	say "user ftp exists (home $(getent passwd ftp | cut -d: -f6))"
else
	say "creating system user ftp (home /var/lib/skiff-ftptest/anon) for anonymous pure-ftpd"
	$SUDO useradd --system --create-home --home-dir /var/lib/skiff-ftptest/anon --shell /usr/sbin/nologin --comment "anonymous FTP (Skiff tests)" ftp
fi
home=$(getent passwd ftp | cut -d: -f6)
[ -d "$home" ] || $SUDO install -d -m 0755 "$home"

# 7. vsftpd's secure_chroot_dir: empty, root-owned, not writable by anyone else.
if [ -d "$SECURE_CHROOT" ]; then
	say "secure_chroot_dir $SECURE_CHROOT present"
else
	say "creating secure_chroot_dir $SECURE_CHROOT"
	$SUDO install -d -m 0755 "$SECURE_CHROOT"
fi

say "ready: $dest/usr/sbin/vsftpd, $dest/usr/sbin/pure-ftpd"
