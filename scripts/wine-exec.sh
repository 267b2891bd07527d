#!/usr/bin/env bash
# wine-exec.sh PROGRAM.exe [ARGS...] — run a Windows program under Debian's
# Wine 8 in Skiff's private prefix. Used as `go test -exec`:
#   GOOS=windows go test -exec "$PWD/scripts/wine-exec.sh" ./engine/... ./bookmarks/
# and for `dist/skiff.exe --version`. The first call creates the prefix
# (WINEPREFIX, default .wine/ in the repo, about a minute) and puts the
# bcryptprimitives.dll shim in its system32: Go 1.22+ programs need
# ProcessPrng, which Wine 8.0 lacks (packaging/windows/bcryptprimitives.c).
# The exit status is the program's.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX=${WINEPREFIX:-$repo/.wine}
export WINEDEBUG=${WINEDEBUG:--all}
export WINEARCH=win64
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)

prepare() {
	local dll=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
	[ -f "$dll" ] && return
	mkdir -p "$WINEPREFIX"
	# go test runs several binaries at once; one of them makes the prefix.
	exec 9>"$WINEPREFIX.lock"
	flock 9
	if [ ! -f "$dll" ]; then
		"$wine" wineboot -i >/dev/null 2>&1
		"$(dirname "$wine")/wineserver" -w 2>/dev/null || wineserver -w 2>/dev/null || true
		x86_64-w64-mingw32-gcc -O2 -shared -s -o "$dll.tmp" \
			"$repo/packaging/windows/bcryptprimitives.c" -ladvapi32
		mv "$dll.tmp" "$dll"
	fi
	flock -u 9
}
prepare
exec "$wine" "$@"
