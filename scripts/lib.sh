# lib.sh — what the scripts that fetch test servers share. Source it after
# setting NAME (the prefix of every message) and NO_APT_HINT (what to
# install by hand on a machine without apt-get):
#
#	NAME=ssh-server NO_APT_HINT="sshd unpacked into .cache/sshd/usr/sbin"
#	. "$(dirname "$0")/lib.sh"
#
# It sets SUDO (empty as root), root (the repository) and defines say,
# apt_update (once per run) and unpack_deb, which downloads a Debian package
# without installing it (no service starts) and unpacks it with dpkg -x.

say() { printf '%s: %s\n' "$NAME" "$*"; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		say "not root and no sudo: run this script as root" >&2
		exit 1
	fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
	say "no apt-get on this machine; install by hand: $NO_APT_HINT" >&2
	exit 1
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

apt_updated=
apt_update() {
	if [ -z "$apt_updated" ]; then
		say "apt-get update"
		$SUDO apt-get update -qq
		apt_updated=1
	fi
}

# unpack_deb PKG DEST HAVE: unless HAVE (a file the package brings) exists,
# download PKG into DEST/debs and unpack it into DEST.
unpack_deb() {
	local pkg=$1 dest=$2 have=$3 deb
	if [ -e "$have" ]; then
		say "$pkg already unpacked ($have)"
		return
	fi
	mkdir -p "$dest/debs"
	say "downloading $pkg (apt-get download, not installed)"
	# apt-get download writes into the current directory; _apt cannot write
	# to a root-owned 0700 dir, which is only a warning.
	if ! (cd "$dest/debs" && $SUDO apt-get download -q "$pkg" 2>/dev/null); then
		apt_update
		(cd "$dest/debs" && $SUDO apt-get download -q "$pkg")
	fi
	deb=$(ls -t "$dest/debs/${pkg}"_*.deb | head -n1)
	say "unpacking $(basename "$deb") into $dest"
	$SUDO dpkg -x "$deb" "$dest"
}

# install_missing PRESENT PKG...: apt-get install the packages (each once),
# or say PRESENT when none is missing.
install_missing() {
	local present=$1 pkgs
	shift
	if [ $# -eq 0 ]; then
		say "$present"
		return
	fi
	mapfile -t pkgs < <(printf '%s\n' "$@" | sort -u)
	apt_update
	say "installing: ${pkgs[*]}"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"
}

# write_pam FILE BODY: make /etc/pam.d/FILE hold exactly BODY.
write_pam() {
	local file=$1 body=$2
	if [ -f "$file" ] && [ "$(cat "$file")" = "$body" ]; then
		say "PAM service $file present"
	else
		say "writing PAM service $file"
		printf '%s\n' "$body" | $SUDO tee "$file" >/dev/null
	fi
}
