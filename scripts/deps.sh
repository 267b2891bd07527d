#!/usr/bin/env bash
# deps.sh GROUP... — install the Debian/Ubuntu packages Skiff needs that are
# missing, and say which. Groups:
#   build  what `go build` of the Fyne window needs (C compiler, GL and X headers)
#   test   what `make test` needs besides build (Xvfb, D-Bus, gnome-keyring, ImageMagick, curl)
#   bench  what bench/ compares against (lftp, wget, GNU time)
#   package  what `make package` checks the Linux files with (desktop-file-utils, appstream)
#   windows  the mingw-w64 C compiler for the cgo skiff.exe, and Wine to run Windows tests
# Uses sudo when not root. On a machine without apt it prints the exact list
# to install by hand and exits 1.
set -euo pipefail

build=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
test=(xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools imagemagick curl procps)
bench=(lftp wget time curl)
package=(desktop-file-utils appstream xz-utils)
windows=(gcc-mingw-w64-x86-64 wine64)

want=()
for g in "${@:-build}"; do
	case "$g" in
	build) want+=("${build[@]}") ;;
	test) want+=("${build[@]}" "${test[@]}") ;;
	bench) want+=("${bench[@]}") ;;
	package) want+=("${package[@]}") ;;
	windows) want+=("${windows[@]}") ;;
	*) echo "deps.sh: unknown group $g (build, test, bench, package, windows)" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		case " ${missing[*]-} " in *" $p "*) ;; *) missing+=("$p") ;; esac
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "Skiff needs these packages (Debian/Ubuntu names); install them with your package manager:" >&2
	echo "  ${missing[*]}" >&2
	exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
echo "Installing missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
