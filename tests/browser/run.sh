#!/bin/sh
# tests/browser/run.sh HTML OUTDIR [FIGURE...]: open the report page written by
# `tocalc report --html HTML` in a real browser (headless Debian chromium) from a
# file:// URL, save a screenshot (OUTDIR/report.png) and the DOM after parsing
# (OUTDIR/report.dom.html), and check that the browser sees every table and
# every figure (an inline <svg> in its <figure>).  FIGURE names the figures to
# expect (default: the five of `tocalc report`).
#
# Exit 0 when every check passes, 1 when one fails (each failure is printed),
# 77 when chromium is not installed (the caller skips).
#
# CHROMIUM overrides the browser.  Chromium runs with a fresh profile in
# OUTDIR and with its network features off; --no-sandbox because tests may
# run as root.
set -u

if [ $# -lt 2 ]; then
	echo "usage: tests/browser/run.sh HTML OUTDIR [FIGURE...]" >&2
	exit 2
fi
html=$1
out=$2
shift 2
figures=${*:-overdose-deaths vsrr-12mo tariff-laffer scenarios claims}
tables="data scenarios trends claims"

. "$(dirname "$0")/chromium.sh"
find_chromium "browser test"
[ -f "$html" ] || { echo "no such page: $html"; exit 1; }
mkdir -p "$out"
case $html in /*) abs=$html ;; *) abs=$(pwd)/$html ;; esac
url="file://$abs"

profile=$(mktemp -d "$out/chromium-profile.XXXXXX")
run_chromium() {
	# a fresh profile, nothing that phones home; the page loads nothing anyway
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --disable-default-apps --mute-audio \
		--user-data-dir="$profile" --hide-scrollbars "$@" "$url"
}

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# 1. the screenshot: a PNG, not a blank page
rm -f "$out/report.png"
run_chromium --window-size=1200,2400 --screenshot="$out/report.png" >"$out/chromium-screenshot.log" 2>&1
if [ ! -s "$out/report.png" ]; then
	bad "no screenshot (chromium log: $out/chromium-screenshot.log)"
	tail -5 "$out/chromium-screenshot.log"
else
	magic=$(od -An -tx1 -N8 "$out/report.png" | tr -d ' \n')
	[ "$magic" = 89504e470d0a1a0a ] || bad "the screenshot is not a PNG"
	size=$(wc -c <"$out/report.png")
	[ "$size" -gt 50000 ] || bad "the screenshot is $size bytes: a blank page?"
fi

# 2. the DOM as the browser built it
run_chromium --dump-dom >"$out/report.dom.html" 2>"$out/chromium-dom.log"
dom="$out/report.dom.html"
if [ ! -s "$dom" ]; then
	bad "chromium gave no DOM (log: $out/chromium-dom.log)"
	tail -5 "$out/chromium-dom.log"
	rm -rf "$profile"
	exit 1
fi
grep -q '<h1>tocalc report' "$dom" || bad "no title"

for t in $tables; do
	# the table and at least one body row in it
	awk -v id="table-$t" '
		index($0, "<table id=\"" id "\"") { on = 1 }
		on && /<tbody>/ { body = 1 }
		on && body && /<tr>/ { rows++ }
		on && /<\/table>/ { on = 0 }
		END { exit rows > 0 ? 0 : 1 }' "$dom" || bad "table '$t' missing or empty"
done
for f in $figures; do
	# the figure, an inline <svg> inside it with drawn content, and a caption
	awk -v id="fig-$f" '
		index($0, "<figure id=\"" id "\"") { on = 1 }
		on && /<svg/ { svg = 1 }
		on && svg && /<path/ { drawn = 1 }
		on && /<figcaption>/ { cap = 1 }
		on && /<\/figure>/ { on = 0 }
		END { exit svg && drawn && cap ? 0 : 1 }' "$dom" || bad "figure '$f' missing, without an inline svg or without a caption"
done
nsvg=$(grep -o '<svg' "$dom" | wc -l)
nfig=$(echo $figures | wc -w)
[ "$nsvg" -eq "$nfig" ] || bad "$nsvg inline svg elements, expected $nfig"

# 3. nothing external in what the browser parsed
if grep -Eqi '<(script|iframe|object|embed|link|img)[ >]' "$dom"; then
	bad "the page has active or external elements"
fi
if grep -Eo '(src|href)="[^"#][^"]*"' "$dom" | grep -q .; then
	bad "the page refers to something outside itself"
fi
ext=$(grep -Eo 'https?://[^" <]*' "$dom" | grep -Ev '^http://www\.w3\.org/(2000/svg|1999/xlink)$' | sort -u)
[ -z "$ext" ] || bad "URLs other than the SVG namespaces: $ext"
# every id once
dup=$(grep -Eo ' id="[^"]*"' "$dom" | sort | uniq -d | head -3)
[ -z "$dup" ] || bad "ids used twice: $dup"

rm -rf "$profile"
if [ $fail -eq 0 ]; then
	echo "browser: $(basename "$browser") shows $nsvg figures and the tables $tables; screenshot $out/report.png"
fi
exit $fail
