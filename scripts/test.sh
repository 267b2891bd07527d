#!/usr/bin/env bash
# test.sh — everything CI checks, in the order a newcomer would want to see it
# fail: system packages, FTP server binaries, gofmt, go vet, then go test of
# every package inside a private D-Bus session with an unlocked gnome-keyring
# and an Xvfb display, then a short fuzz run of the listing parsers.
# `make test` and .ci/run call exactly this. -count=1: the real-server tests
# depend on things go test cannot see (server binaries, system users), so a
# cached pass is never reused.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh test
bash scripts/ftp-servers.sh
bash scripts/more-ftp-servers.sh
bash scripts/ssh-server.sh
bash scripts/proxies.sh

echo "== gofmt"
unformatted=$(find . -name '*.go' -not -path './.cache/*' -not -path './bench/out/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test (-race)"
# Every package runs under the race detector: the window's tests drive
# widgets from the engine's goroutines, where a race is a crash waiting for
# a user. It costs CPU, not correctness budgets: the performance tests of ui/
# stretch their time limits under -race (ui/race_test.go). Measured on two
# cores shared with eight other test runs: ui/ 127 s of CPU under -race
# against about 20 s without; engine/queue and bookmarks 18 s together.
# GOTESTFLAGS=-race=false for a quick run.
export SKIFF_TEST_OUTPUT="$PWD/test-output"
mkdir -p "$SKIFF_TEST_OUTPUT"
xvfb-run -a -s "-screen 0 1280x800x24" \
	dbus-run-session -- bash scripts/with-keyring.sh \
	go test -race -count=1 -timeout 30m ${GOTESTFLAGS:-} ./...

echo "== fuzz (short)"
# A real finding always writes its input under engine/listing/testdata/fuzz
# and fails. On a loaded machine the fuzzing coordinator can also give up on
# a worker that did not stop in time ("context deadline exceeded") without
# having found anything: that run is repeated once, a finding never is.
fuzz_once() {
	local out before after
	before=$(find engine/listing/testdata/fuzz -type f 2>/dev/null | wc -l)
	for attempt in 1 2; do
		if out=$(go test -run='^$' -fuzz="^$1\$" -fuzztime="${FUZZTIME:-15s}" ./engine/listing 2>&1); then
			echo "$out"; return 0
		fi
		echo "$out"
		after=$(find engine/listing/testdata/fuzz -type f 2>/dev/null | wc -l)
		if [ "$after" != "$before" ] || ! grep -q 'context deadline exceeded' <<<"$out"; then
			return 1
		fi
		echo "fuzz: $1's coordinator timed out without a finding; running it again"
	done
	return 1
}
for f in FuzzParseList FuzzParseMLSD; do
	if grep -rqs "func $f(" engine/listing; then
		fuzz_once "$f"
	else
		echo "fuzz target $f is missing"; exit 1
	fi
done

# -- packaging (issue 20): desktop files, macOS vet, Windows tests under Wine --
echo "== desktop entry and AppStream metainfo"
bash scripts/deps.sh package
desktop-file-validate packaging/linux/app.skiff.client.desktop
appstreamcli validate --no-net --pedantic packaging/linux/app.skiff.client.metainfo.xml

echo "== GOOS=darwin go vet (every package that does not need cgo)"
# The window and main link Fyne (cgo: GLFW, OpenGL), which needs a macOS
# toolchain; every other package must build and vet for macOS.
nocgo=$(GOOS=darwin go list -e -f '{{.ImportPath}} {{join .Deps " "}}' ./... | grep -v ' fyne.io/fyne/v2' | cut -d' ' -f1)
GOOS=darwin CGO_ENABLED=0 go vet $nocgo

# The Wine tests mostly wait (Wine starts a Windows process per package and
# its timers are coarse) while the package build mostly computes (Fyne's C
# parts for Linux and, with mingw-w64, for Windows): side by side they take
# the time of the longer.
echo "== Windows tests under Wine (log: test-output/wine-test.log), side by side with:"
echo "== packages: make package, a user's make install, skiff.exe under Wine"
bash scripts/deps.sh windows
bash scripts/wine-test.sh >"$SKIFF_TEST_OUTPUT/wine-test.log" 2>&1 &
wine=$!
bash scripts/package-test.sh
if wait "$wine"; then
	grep -E '^(ok|FAIL|---)' "$SKIFF_TEST_OUTPUT/wine-test.log"
else
	grep -v ':fixme:' "$SKIFF_TEST_OUTPUT/wine-test.log"
	echo "Windows tests under Wine failed"
	exit 1
fi
