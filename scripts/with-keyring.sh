#!/usr/bin/env bash
# with-keyring.sh CMD... — run CMD with a private, unlocked gnome-keyring
# Secret Service, for tests of Skiff's keychain (and `make test`):
#
#   dbus-run-session -- scripts/with-keyring.sh go test ./bookmarks/
#
# It needs a D-Bus session bus of its own (hence dbus-run-session), makes a
# temporary XDG_DATA_HOME and XDG_RUNTIME_DIR so the user's real keyrings
# are never touched (HOME and XDG_CONFIG_HOME are left alone: go's caches
# and settings live there), starts gnome-keyring-daemon with only the
# secrets component and a "login" keyring unlocked with a throwaway
# password, checks that the Secret Service answers, runs CMD, then stops
# the daemon and deletes the directory. CMD's exit status is the script's.
# Works as root. Prints what is missing and exits 1 when it cannot.
#
# Packages (Debian/Ubuntu): dbus gnome-keyring libsecret-tools
# (scripts/deps.sh test installs them).
set -euo pipefail

die() {
	echo "with-keyring.sh: $*" >&2
	exit 1
}

[ $# -gt 0 ] || die "usage: dbus-run-session -- $0 CMD [ARGS...]"
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] ||
	die "no D-Bus session bus; run me as: dbus-run-session -- $0 $*"
command -v gnome-keyring-daemon >/dev/null ||
	die "gnome-keyring-daemon not found; install it: apt-get install -y gnome-keyring dbus libsecret-tools"
command -v dbus-send >/dev/null ||
	die "dbus-send not found; install it: apt-get install -y dbus"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/skiff-keyring.XXXXXX")
daemon_pid=
cleanup() {
	if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Only the keyring's directories move: XDG_CONFIG_HOME stays, since go reads
# its `go env -w` settings (GOTOOLCHAIN, GOFLAGS) from there. A desktop
# session's GNOME_KEYRING_CONTROL would point --unlock at the user's daemon.
unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p -m 0700 "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"

# --unlock reads the password from stdin, creates the "login" keyring with
# it (or unlocks it) and daemonizes; it prints the variables to export.
if ! out=$(printf %s "skiff-test-keyring" | gnome-keyring-daemon --unlock --components=secrets 2>"$tmp/daemon.log"); then
	cat "$tmp/daemon.log" >&2
	die "gnome-keyring-daemon --unlock failed"
fi
while IFS= read -r line; do
	case "$line" in
	*=*) export "${line?}" ;;
	esac
done <<<"$out"

# Wait until the daemon owns org.freedesktop.secrets (asking NameHasOwner
# does not start a second daemon by D-Bus activation), then check that the
# login collection is there and unlocked.
has_owner() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
ok=
for _ in $(seq 100); do
	if has_owner; then
		ok=1
		break
	fi
	sleep 0.05
done
[ -n "$ok" ] || { cat "$tmp/daemon.log" >&2; die "gnome-keyring-daemon did not register org.freedesktop.secrets"; }
locked=$(dbus-send --session --print-reply --dest=org.freedesktop.secrets \
	/org/freedesktop/secrets/collection/login org.freedesktop.DBus.Properties.Get \
	string:org.freedesktop.Secret.Collection string:Locked 2>&1) || true
case "$locked" in
*"boolean false"*) ;;
*)
	cat "$tmp/daemon.log" >&2
	die "the login keyring is missing or locked: $locked"
	;;
esac
daemon_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
	org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
	awk '/uint32/ {print $2}') || true

set +e
"$@"
status=$?
set -e
exit "$status"
