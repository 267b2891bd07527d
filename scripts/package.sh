#!/usr/bin/env bash
# package.sh [linux] [windows] — build Skiff's release packages into dist/:
#   linux    dist/skiff-<version>-linux-amd64.tar.xz: binary, .desktop entry
#            (with the ftp://, ftps://, sftp:// URL handlers), icon, AppStream
#            metainfo and a Makefile whose `make install` puts them in ~/.local
#   windows  dist/skiff.exe: cross-compiled with cgo by mingw-w64, with the
#            icon and the version resource fyne package writes
# The fyne tool is the one pinned in packaging/tools/go.mod, never a download.
set -euo pipefail
cd "$(dirname "$0")/.."

# Built for this machine (go tool -n prints the cached binary's path), so the
# GOOS=windows of the Windows build applies to skiff.exe, not to fyne itself.
fyne=("$(go tool -modfile=packaging/tools/go.mod -n fyne)")
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
mkdir -p dist
# fyne package --release counts Build up in FyneApp.toml and leaves a
# fyne_metadata_init.go behind when interrupted: a package build must not
# change the checkout.
cp FyneApp.toml dist/.FyneApp.toml.orig
trap 'cp dist/.FyneApp.toml.orig FyneApp.toml; rm -f dist/.FyneApp.toml.orig fyne_metadata_init.go' EXIT

linux() {
	bash scripts/deps.sh build package
	local stage=dist/stage-linux
	rm -rf "$stage" && mkdir -p "$stage"
	# fyne package builds the binary (-trimpath, release mode) and a tarball
	# with usr/local/{bin,share}; its .desktop cannot say %u for URLs and its
	# Makefile installs to /usr/local, so we keep its binary and icon and put
	# our own reviewed files next to them.
	"${fyne[@]}" package -os linux --release --tags no_emoji --exe skiff # as the Makefile builds it
	# Its layout varies with the build machine (usr/ or usr/local/, with or
	# without a Skiff/ prefix, by tar version and whether /usr/local exists),
	# so find the two files we take by name.
	local fz=dist/stage-fyne
	rm -rf "$fz" && mkdir -p "$fz"
	tar -C "$fz" -xf Skiff.tar.xz && rm -f Skiff.tar.xz skiff
	local bin icon
	bin=$(find "$fz" -type f -path '*/bin/skiff' | head -n1)
	icon=$(find "$fz" -type f -path '*/share/pixmaps/*.png' | head -n1)
	if [ -z "$bin" ] || [ -z "$icon" ]; then
		echo "package.sh: fyne's tarball has no bin/skiff or pixmaps icon:" >&2
		find "$fz" >&2
		exit 1
	fi
	local root="$stage/usr/local"
	install -Dm755 "$bin" "$root/bin/skiff"
	install -Dm644 "$icon" "$root/share/pixmaps/app.skiff.client.png"
	rm -rf "$fz"
	install -Dm644 packaging/linux/app.skiff.client.desktop "$root/share/applications/app.skiff.client.desktop"
	install -Dm644 packaging/linux/app.skiff.client.metainfo.xml "$root/share/metainfo/app.skiff.client.metainfo.xml"
	install -Dm644 packaging/linux/Makefile "$stage/Makefile"
	desktop-file-validate "$root/share/applications/app.skiff.client.desktop"
	appstreamcli validate --no-net --pedantic "$root/share/metainfo/app.skiff.client.metainfo.xml"
	local out="dist/skiff-$version-linux-amd64.tar.xz"
	tar -C "$stage" --owner=0 --group=0 -cJf "$out" Makefile usr
	# The tarball's Makefile installs exactly these; fail here, not on a
	# user's machine, when one is missing.
	local want listing
	listing=$(tar -tJf "$out")
	for want in usr/local/bin/skiff usr/local/share/pixmaps/app.skiff.client.png \
		usr/local/share/applications/app.skiff.client.desktop \
		usr/local/share/metainfo/app.skiff.client.metainfo.xml Makefile; do
		grep -qx "$want" <<<"$listing" || { echo "package.sh: $out lacks $want" >&2; exit 1; }
	done
	rm -rf "$stage"
	echo "built $out"
}

windows() {
	bash scripts/deps.sh windows
	# fyne package -os windows writes the icon and version resource (a .syso)
	# and runs go build with the environment below.
	CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
		"${fyne[@]}" package -os windows --release --tags no_emoji --exe skiff.exe
	# It names the result after the app (Skiff.exe), whatever --exe says.
	local exe
	for exe in skiff.exe Skiff.exe; do
		if [ -f "$exe" ]; then mv "$exe" dist/skiff.exe; fi
	done
	[ -s dist/skiff.exe ] || { echo "package.sh: fyne package made no .exe" >&2; exit 1; }
	echo "built dist/skiff.exe"
}

for t in "${@:-linux windows}"; do
	for w in $t; do
		case "$w" in
		linux | windows) "$w" ;;
		*) echo "package.sh: unknown target $w (linux, windows)" >&2; exit 2 ;;
		esac
	done
done
