#!/usr/bin/env bash
# filezilla.sh — fetch FileZilla for bench/gui.sh's side-by-side run without
# installing it: Debian's filezilla and filezilla-common are downloaded
# (apt-get download) and unpacked (dpkg -x) into <repo>/.cache/filezilla/,
# where the binary finds its resources next to itself (usr/share/filezilla).
# The shared libraries it links against (wxWidgets, GTK 3, libfilezilla,
# pugixml) and the X tools the benchmark drives it with (xdotool, x11-apps'
# xwd, ImageMagick's import is already there) are installed normally: they
# are libraries and programs, none of them starts a service. FileZilla
# itself only ever runs with a private HOME (see bench/gui.sh), so nothing
# in a user's settings changes.
#
# Idempotent. Needs root (or sudo).
set -euo pipefail

NAME=filezilla
NO_APT_HINT="FileZilla 3.63 unpacked into .cache/filezilla/usr/bin/filezilla, plus xdotool"
. "$(dirname "$0")/../scripts/lib.sh"

dest="$root/.cache/filezilla"
mkdir -p "$dest/debs"
unpack_deb filezilla "$dest" "$dest/usr/bin/filezilla"
unpack_deb filezilla-common "$dest" "$dest/usr/share/filezilla/resources"

# FileZilla's own private libraries come in the package, next to the binary;
# bench/gui.sh runs it with the same LD_LIBRARY_PATH.
export LD_LIBRARY_PATH="$dest/usr/lib/x86_64-linux-gnu"
missing_pkgs=()
command -v xdotool >/dev/null 2>&1 || missing_pkgs+=(xdotool)
command -v sqlite3 >/dev/null 2>&1 || missing_pkgs+=(sqlite3)
for lib in $(ldd "$dest/usr/bin/filezilla" | awk '/not found/ {print $1}' | sort -u); do
	case $lib in
	libfilezilla.so.*) missing_pkgs+=(libfilezilla34) ;;
	libwx_gtk3u_*) missing_pkgs+=(libwxgtk3.2-1) ;;
	libwx_baseu*) missing_pkgs+=(libwxbase3.2-1) ;;
	libpugixml.so.*) missing_pkgs+=(libpugixml1v5) ;;
	libgtk-3.so.* | libgdk-3.so.*) missing_pkgs+=(libgtk-3-0) ;;
	libnettle.so.* | libhogweed.so.*) missing_pkgs+=(libnettle8) ;;
	libsqlite3.so.*) missing_pkgs+=(libsqlite3-0) ;;
	libdbus-1.so.*) missing_pkgs+=(libdbus-1-3) ;;
	libgnutls.so.*) missing_pkgs+=(libgnutls30) ;;
	*) say "unknown missing library $lib" >&2 ;;
	esac
done
install_missing "shared libraries and xdotool present" ${missing_pkgs[@]+"${missing_pkgs[@]}"}
if ldd "$dest/usr/bin/filezilla" | grep -q 'not found'; then
	say "still missing libraries:" >&2
	ldd "$dest/usr/bin/filezilla" | grep 'not found' >&2
	exit 1
fi
say "ready: $dest/usr/bin/filezilla"
