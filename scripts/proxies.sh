#!/usr/bin/env bash
# proxies.sh — fetch Dante (SOCKS5) and tinyproxy (HTTP CONNECT) for Skiff's
# proxy tests without installing them system-wide.
#
# Like ftp-servers.sh, it only downloads the Debian packages (apt-get
# download) and unpacks them (dpkg -x) into <repo>/.cache/proxies/, so no
# service is started; internal/proxytest runs private instances on
# 127.0.0.1 with generated configs. It also:
#   - installs the shared libraries danted links against (apt-get install);
#   - creates a local user "skiffproxy" with password "skiff-proxy-pass"
#     (no login shell): Dante's username method checks system passwords,
#     and tinyproxy's BasicAuth is given the same pair.
#
# Idempotent. Needs root (or sudo) for apt-get and useradd.
set -euo pipefail

# Keep these in sync with internal/proxytest (proxytest.go).
PROXY_USER=skiffproxy
PROXY_PASS=skiff-proxy-pass

NAME=proxies
NO_APT_HINT="danted and tinyproxy (unpacked into .cache/proxies/usr/sbin/danted and .cache/proxies/usr/bin/tinyproxy)"
. "$(dirname "$0")/lib.sh"

dest="$root/.cache/proxies"
mkdir -p "$dest/debs"

# 1. Download and unpack. tinyproxy's binary is in tinyproxy-bin; the
# tinyproxy package holds only its service files.
unpack_deb dante-server "$dest" "$dest/usr/sbin/danted"
unpack_deb tinyproxy-bin "$dest" "$dest/usr/bin/tinyproxy"

# 2. Shared libraries (libwrap0 is not on a minimal Debian 12).
bins=("$dest/usr/sbin/danted" "$dest/usr/bin/tinyproxy")
missing_pkgs=()
for lib in $(ldd "${bins[@]}" | awk '/not found/ {print $1}' | sort -u); do
	case $lib in
	libwrap.so.*) missing_pkgs+=(libwrap0) ;;
	libpam.so.*) missing_pkgs+=(libpam0g) ;;
	libcrypt.so.*) missing_pkgs+=(libcrypt1) ;;
	*) say "unknown missing library $lib" >&2 ;;
	esac
done
command -v useradd >/dev/null 2>&1 || missing_pkgs+=(passwd)
install_missing "shared libraries present" ${missing_pkgs[@]+"${missing_pkgs[@]}"}
if ldd "${bins[@]}" | grep -q 'not found'; then
	say "still missing libraries:" >&2
	ldd "${bins[@]}" | grep 'not found' >&2
	exit 1
fi

# 3. The proxy test user (Dante checks it against the system's passwords).
if id "$PROXY_USER" >/dev/null 2>&1; then
	say "user $PROXY_USER exists"
else
	say "creating local user $PROXY_USER (no home, shell /usr/sbin/nologin)"
	$SUDO useradd --no-create-home --shell /usr/sbin/nologin --comment "Skiff proxy test user" "$PROXY_USER"
fi
echo "$PROXY_USER:$PROXY_PASS" | $SUDO chpasswd
say "password of $PROXY_USER set"

say "ready: $dest/usr/sbin/danted, $dest/usr/bin/tinyproxy"
