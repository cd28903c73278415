#!/bin/sh
# Install the Debian packages tocalc needs, if any are missing.
# Root uses apt-get directly, others sudo; without either, print the command.
set -u
PKGS="gcc make pkg-config libgsl-dev libcsv-dev libjansson-dev libcmocka-dev gnuplot-nox \
bats fonts-dejavu-core mandoc locales valgrind jq"
[ -n "${TOCALC_EXTRA_DEPS:-}" ] && PKGS="$PKGS $TOCALC_EXTRA_DEPS"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "tocalc: missing packages:$missing (no apt-get here; install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	echo "tocalc: missing packages:$missing" >&2
	echo "run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "tocalc: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q $missing >/dev/null || {
	$SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q $missing >/dev/null
} || { echo "tocalc: apt-get install failed" >&2; exit 1; }
