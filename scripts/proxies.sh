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

say() { printf 'proxies: %s\n' "$*"; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		say "not root and no sudo: run this script as root" >&2
		exit 1
	fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
	say "no apt-get on this machine; install by hand: danted and tinyproxy" >&2
	say "(unpacked into .cache/proxies/usr/sbin/danted and .cache/proxies/usr/bin/tinyproxy)" >&2
	exit 1
fi

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.cache/proxies"
mkdir -p "$dest/debs"

apt_updated=
apt_update() {
	if [ -z "$apt_updated" ]; then
		say "apt-get update"
		$SUDO apt-get update -qq
		apt_updated=1
	fi
}

# 1. Download and unpack. tinyproxy's binary is in tinyproxy-bin; the
# tinyproxy package holds only its service files.
for pkg in dante-server tinyproxy-bin; do
	case $pkg in
	dante-server) bin="$dest/usr/sbin/danted" ;;
	tinyproxy-bin) bin="$dest/usr/bin/tinyproxy" ;;
	esac
	if [ -x "$bin" ]; then
		say "$pkg already unpacked at $bin"
		continue
	fi
	say "downloading $pkg (apt-get download, not installed)"
	if ! (cd "$dest/debs" && $SUDO apt-get download -q "$pkg" 2>/dev/null); then
		apt_update
		(cd "$dest/debs" && $SUDO apt-get download -q "$pkg")
	fi
	deb=$(ls -t "$dest/debs/${pkg}"_*.deb | head -n1)
	say "unpacking $(basename "$deb") into $dest"
	$SUDO dpkg -x "$deb" "$dest"
done

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
if [ ${#missing_pkgs[@]} -gt 0 ]; then
	mapfile -t missing_pkgs < <(printf '%s\n' "${missing_pkgs[@]}" | sort -u)
	apt_update
	say "installing: ${missing_pkgs[*]}"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}"
else
	say "shared libraries present"
fi
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
