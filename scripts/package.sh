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

linux() {
	bash scripts/deps.sh build package
	local stage=dist/stage-linux
	rm -rf "$stage" && mkdir -p "$stage"
	# fyne package builds the binary (-trimpath, release mode) and a tarball
	# with usr/local/{bin,share}; its .desktop cannot say %u for URLs and its
	# Makefile installs to /usr/local, so we keep its binary and icon and put
	# our own reviewed files next to them.
	"${fyne[@]}" package -os linux --release --exe skiff
	tar -C "$stage" -xf Skiff.tar.xz && rm -f Skiff.tar.xz skiff
	local root="$stage/usr/local"
	install -Dm644 packaging/linux/app.skiff.client.desktop "$root/share/applications/app.skiff.client.desktop"
	install -Dm644 packaging/linux/app.skiff.client.metainfo.xml "$root/share/metainfo/app.skiff.client.metainfo.xml"
	install -Dm644 packaging/linux/Makefile "$stage/Makefile"
	desktop-file-validate "$root/share/applications/app.skiff.client.desktop"
	appstreamcli validate --no-net --pedantic "$root/share/metainfo/app.skiff.client.metainfo.xml"
	local out="dist/skiff-$version-linux-amd64.tar.xz"
	tar -C "$stage" --owner=0 --group=0 -cJf "$out" Makefile usr
	rm -rf "$stage"
	echo "built $out"
}

windows() {
	bash scripts/deps.sh windows
	# fyne package -os windows writes the icon and version resource (a .syso)
	# and runs go build with the environment below.
	CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
		"${fyne[@]}" package -os windows --release --exe skiff.exe
	mv skiff.exe dist/skiff.exe
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
