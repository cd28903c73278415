#!/bin/sh
# scripts/make-plots.sh [OUT_DIR]: redraw every figure of the datasets into
# OUT_DIR (default plots/) as SVG, and write OUT_DIR/MANIFEST: one line per
# file with its sha256 and the exact command that made it.  `make plots`
# runs it.  The figures are deterministic (docs/plotting.md): the same
# tocalc, datasets and gnuplot give the same bytes, so running it twice
# changes nothing and a fresh run reproduces the committed plots/.
#
# The figures are the recipes of `tocalc plot --list` that read the
# datasets; `series` draws a user's file and has no figure of its own.
#
# TOCALC names the binary (default ./tocalc, built by `make`).  Commands
# run from the top of the source tree with the shipped datasets.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tocalc=${TOCALC:-./tocalc}
out=${1:-plots}
out=${out%/}
unset TOCALC_DATA GNUTERM GNUPLOT_LIB || true
export LC_ALL=C

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "make-plots: gnuplot is not installed (Debian: apt-get install gnuplot-nox)" >&2
	exit 3
fi
[ -x "$tocalc" ] || { echo "make-plots: no tocalc binary at '$tocalc'; run make first" >&2; exit 2; }
version=$(gnuplot --version)
recipes=$("$tocalc" plot --list --csv | awk -F, 'NR > 1 && $1 != "series" { print $1 }')
[ -n "$recipes" ] || { echo "make-plots: 'tocalc plot --list' gave no recipes" >&2; exit 1; }

mkdir -p "$out"
tmp="$out/.MANIFEST.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
{
	echo "# $out/MANIFEST: every figure in $out/, its sha256 and the command that made it."
	echo "# Written by scripts/make-plots.sh (make plots); do not edit by hand."
	echo "# The commands run from the top of the source tree, with the tocalc built"
	echo "# there and the shipped datasets.  Check with: scripts/make-plots.sh DIR and"
	echo "# compare, or run a command and sha256sum its file."
	echo "# gnuplot: $version"
	printf '# file\tsha256\tcommand\n'
} >"$tmp"
for r in $recipes; do
	f="$out/$r.svg"
	"$tocalc" plot "$r" -o "$f"
	sum=$(sha256sum "$f" | cut -d' ' -f1)
	printf '%s\t%s\t%s\n' "$r.svg" "$sum" "tocalc plot $r -o $f" >>"$tmp"
	echo "make-plots: $f"
done
mv -f "$tmp" "$out/MANIFEST"
trap - EXIT INT TERM
echo "make-plots: $out/MANIFEST"
