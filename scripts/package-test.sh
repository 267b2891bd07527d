#!/usr/bin/env bash
# package-test.sh — what a user of the release packages gets, checked on this
# machine: `make package` builds dist/skiff-<version>-linux-amd64.tar.xz and
# dist/skiff.exe; the tarball, unpacked and installed by an unprivileged user
# with its own `make install`, puts Skiff in that user's menu (the installed
# .desktop validates and claims ftp://, ftps:// and sftp:// links) and its
# binary runs; `make uninstall` takes it all away again; skiff.exe prints its
# version under Wine. Part of `make test` (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'package-test: %s\n' "$*"; }
fail() { printf 'package-test: FAIL: %s\n' "$*" >&2; exit 1; }

version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
tarball="dist/skiff-$version-linux-amd64.tar.xz"
rm -f "$tarball" dist/skiff.exe
make --no-print-directory package
[ -s "$tarball" ] || fail "make package did not build $tarball"
[ -s dist/skiff.exe ] || fail "make package did not build dist/skiff.exe"

# The user: an account without root (scripts/ftp-servers.sh makes skiffftp).
user=skiffftp
id "$user" >/dev/null 2>&1 || fail "no user $user: run scripts/ftp-servers.sh"
home=$(mktemp -d /tmp/skiff-package-test-XXXXXX)
trap 'rm -rf "$home"' EXIT
chmod 755 "$home"
cp "$tarball" "$home/"
chown -R "$user" "$home"
as_user() { runuser -u "$user" -- env -i HOME="$home" PATH=/usr/bin:/bin bash -c "cd '$home' && $*"; }

as_user "mkdir unpacked && tar -C unpacked -xf $(basename "$tarball") && make -C unpacked install"
entry="$home/.local/share/applications/app.skiff.client.desktop"
for f in "$home/.local/bin/skiff" "$entry" \
	"$home/.local/share/icons/hicolor/512x512/apps/app.skiff.client.png" \
	"$home/.local/share/metainfo/app.skiff.client.metainfo.xml"; do
	[ -e "$f" ] || fail "make install did not install $f"
	[ "$(stat -c %U "$f")" = "$user" ] || fail "$f is not the user's"
done
desktop-file-validate "$entry" || fail "the installed desktop entry does not validate"
grep -qx "Exec=$home/.local/bin/skiff %u" "$entry" || fail "the installed entry does not start the installed binary: $(grep ^Exec "$entry")"
# update-desktop-database (desktop-file-utils) is what makes the menu and a
# browser find the URL handlers.
cache="$home/.local/share/applications/mimeinfo.cache"
for scheme in ftp ftps sftp; do
	grep -q "^x-scheme-handler/$scheme=.*app.skiff.client.desktop" "$cache" ||
		fail "$scheme:// links do not open Skiff (mimeinfo.cache: $(cat "$cache" 2>/dev/null))"
done
got=$(as_user ".local/bin/skiff --version")
[ "$got" = "skiff $version" ] || fail "installed skiff --version said '$got', want 'skiff $version'"
say "installed for $user: $got, menu entry valid, ftp/ftps/sftp handlers registered"

as_user "make -C unpacked uninstall"
left=$(find "$home/.local" -type f ! -name mimeinfo.cache)
[ -z "$left" ] || fail "make uninstall left: $left"
say "uninstalled: nothing left"

got=$(bash scripts/wine-exec.sh dist/skiff.exe --version 2>/dev/null | tr -d '\r')
[ "$got" = "skiff $version" ] || fail "skiff.exe --version under Wine said '$got', want 'skiff $version'"
say "skiff.exe under Wine: $got"
