#!/usr/bin/env bash
# more-ftp-servers.sh — fetch the FTP servers of other code lineages than
# vsftpd and pure-ftpd for Skiff's interop matrix (issue 15), without
# installing any of them as a system service:
#
#   - ProFTPD 1.3.8 (C, its own lineage): proftpd-core and proftpd-mod-crypto
#     (mod_tls) are downloaded (apt-get download) and unpacked (dpkg -x) into
#     <repo>/.cache/ftpservers/ next to vsftpd and pure-ftpd; installing
#     proftpd-basic would start a daemon on port 21. Its shared libraries are
#     installed with apt-get (libraries only).
#   - pyftpdlib 1.5.7 (Python): python3-pyftpdlib and python3-openssl (for
#     TLS_FTPHandler) are libraries that start nothing; apt-get installs them
#     for Debian's /usr/bin/python3.
#   - Twisted 22.4's FTP server (Python, twisted.protocols.ftp): the library
#     python3-twisted, installed with apt-get like pyftpdlib.
#   - ftp-srv 4.6.3 (Node.js): npm installs the pinned version into
#     <repo>/.cache/ftp-srv/node_modules.
#   - lftp, the reference client bench/matrix.sh compares Skiff with.
#
# internal/ftptest runs private instances of each on 127.0.0.1 high ports
# with generated configs (proftpd.go, pyftpdlib.go, ftpsrv.go, twisted.go).
# Idempotent: a second run prints what is there and changes nothing. Needs
# root (or sudo) for apt-get.
set -euo pipefail

FTPSRV_VERSION=4.6.3

NAME=more-ftp-servers
NO_APT_HINT="proftpd (unpacked into .cache/ftpservers/usr/sbin), python3-pyftpdlib, python3-openssl, node + npm ftp-srv@$FTPSRV_VERSION in .cache/ftp-srv, lftp"
. "$(dirname "$0")/lib.sh"

dest="$root/.cache/ftpservers"
mkdir -p "$dest/debs"

# 1. ProFTPD: unpack, never install (the package starts a daemon on port 21).
unpack_deb proftpd-core "$dest" "$dest/usr/sbin/proftpd"
unpack_deb proftpd-mod-crypto "$dest" "$dest/usr/lib/proftpd/mod_tls.so"

# 2. Libraries (shared objects for proftpd, Python modules for pyftpdlib),
# tools (node/npm for ftp-srv, lftp for the bench).
missing=()
for lib in $(ldd "$dest/usr/sbin/proftpd" "$dest/usr/lib/proftpd/mod_tls.so" | awk '/not found/ {print $1}' | sort -u); do
	case $lib in
	libhiredis.so.*) missing+=(libhiredis0.14) ;;
	libmemcached.so.*) missing+=(libmemcached11) ;;
	libmemcachedutil.so.*) missing+=(libmemcachedutil2) ;;
	libpcre2-posix.so.*) missing+=(libpcre2-posix3) ;;
	libpcre2-8.so.*) missing+=(libpcre2-8-0) ;;
	libsodium.so.*) missing+=(libsodium23) ;;
	libacl.so.*) missing+=(libacl1) ;;
	libidn2.so.*) missing+=(libidn2-0) ;;
	libssl.so.* | libcrypto.so.*) missing+=(libssl3) ;;
	libcap.so.*) missing+=(libcap2) ;;
	libpam.so.*) missing+=(libpam0g) ;;
	*) say "unknown missing library $lib" >&2 ;;
	esac
done
/usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null || missing+=(python3-pyftpdlib)
/usr/bin/python3 -c 'import OpenSSL' 2>/dev/null || missing+=(python3-openssl)
/usr/bin/python3 -c 'import twisted.protocols.ftp' 2>/dev/null || missing+=(python3-twisted)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v lftp >/dev/null 2>&1 || missing+=(lftp)
install_missing "libraries, python3-pyftpdlib, python3-twisted, node and lftp present" ${missing[@]+"${missing[@]}"}
if ldd "$dest/usr/sbin/proftpd" "$dest/usr/lib/proftpd/mod_tls.so" | grep -q 'not found'; then
	say "proftpd still misses libraries:" >&2
	ldd "$dest/usr/sbin/proftpd" "$dest/usr/lib/proftpd/mod_tls.so" | grep 'not found' >&2
	exit 1
fi

# 3. ftp-srv from npm, pinned, in its own folder.
fsdir="$root/.cache/ftp-srv"
if [ -f "$fsdir/node_modules/ftp-srv/package.json" ] &&
	grep -q "\"version\": \"$FTPSRV_VERSION\"" "$fsdir/node_modules/ftp-srv/package.json"; then
	say "ftp-srv $FTPSRV_VERSION present in $fsdir"
else
	say "npm install ftp-srv@$FTPSRV_VERSION into $fsdir"
	mkdir -p "$fsdir"
	(cd "$fsdir" && npm install --no-audit --no-fund --omit=optional --no-save "ftp-srv@$FTPSRV_VERSION" >/dev/null)
fi

say "ready: $dest/usr/sbin/proftpd, pyftpdlib and twisted for /usr/bin/python3, $fsdir/node_modules/ftp-srv, lftp"
