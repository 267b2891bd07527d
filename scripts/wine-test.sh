#!/usr/bin/env bash
# wine-test.sh — run Skiff's non-GUI tests as Windows programs under Wine, so
# path handling on Windows is tested, not assumed. -short: packages whose
# tests start Linux FTP servers (vsftpd, pure-ftpd) cannot run them from a
# Windows binary. WINE_ALL=1 runs every engine package and bookmarks; on
# Go 1.26 + Wine 8.0 those fail today (see docs/packaging.md, "Windows tests").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh windows
pkgs=(./engine ./engine/listing)
if [ "${WINE_ALL:-}" = 1 ]; then pkgs=(./engine/... ./bookmarks/); fi
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -count=1 -short -timeout 15m \
	-exec "$PWD/scripts/wine-exec.sh" "${pkgs[@]}"
