#!/usr/bin/env bash
# wine-test.sh — run Skiff's non-GUI tests as Windows programs under Wine, so
# path handling on Windows (drive letters, \, reserved names, os.Root) is
# tested, not assumed: every engine package, bookmarks and the Wine shim.
# -short: tests that start Linux FTP servers (vsftpd, pure-ftpd) or sshd
# cannot run them from a Windows binary; they run in the Linux pass.
# -checklinkname=0: internal/winetest flips Go's own file-deletion fallback
# under Wine 8.0 (see its doc).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh windows
pkgs=(./engine/... ./bookmarks/ ./internal/winetest/)
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -count=1 -short -timeout 20m \
	-ldflags=-checklinkname=0 -exec "$PWD/scripts/wine-exec.sh" "${pkgs[@]}" "$@"
