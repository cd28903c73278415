#!/bin/sh
# tests/browser/layout.sh HTML OUTDIR WIDTH: lay the report page out in headless
# chromium at a window WIDTH pixels wide (1280: a laptop, 390: a phone) and fail
# on what a reader would see as broken:
#   - the page wider than the window (something sticks out: a horizontal
#     scrollbar on the whole page); tables and figures may scroll inside their
#     own box, the page may not;
#   - figure text smaller than MIN_TEXT_PX (default 9) once the SVG is scaled
#     into its box (the font size gnuplot wrote times the SVG's scale);
#   - a table cell whose text wraps inside "A -> B" (an arrow split over lines).
# It saves OUTDIR/layout-WIDTH.png (a screenshot of the top of the page) and
# OUTDIR/layout-WIDTH.txt (the measurements).  The page itself has no script:
# a copy with one measuring script appended is what chromium loads.
#
# Exit 0 when the page passes, 1 when it does not (each failure printed), 77
# when chromium is not installed.
set -u

if [ $# -lt 3 ]; then
	echo "usage: tests/browser/layout.sh HTML OUTDIR WIDTH" >&2
	exit 2
fi
html=$1
out=$2
width=$3
min_text=${MIN_TEXT_PX:-9}

. "$(dirname "$0")/chromium.sh"
find_chromium "layout test"
[ -f "$html" ] || { echo "no such page: $html"; exit 1; }
mkdir -p "$out"
page="$out/layout-$width.html"
# the page, then the measuring script just before </body>
sed '/<\/body>/,$d' "$html" >"$page"
cat >>"$page" <<'JS'
<script>
(function () {
	var W = window.innerWidth, r = [];
	var doc = document.documentElement;
	r.push("viewport " + W);
	r.push("page_width " + doc.scrollWidth);
	// elements that stick out of the window and are not inside a box that scrolls
	var all = document.body.getElementsByTagName("*"), stick = 0;
	for (var i = 0; i < all.length; i++) {
		var e = all[i], b = e.getBoundingClientRect();
		if (b.right <= W + 0.5 || e.closest("svg"))
			continue;
		var p = e.parentElement, inside = false;
		for (; p && p !== document.body; p = p.parentElement) {
			var o = getComputedStyle(p).overflowX;
			if (o === "auto" || o === "scroll" || o === "hidden") { inside = true; break; }
		}
		if (!inside) { stick++; if (stick <= 5) r.push("sticks_out " + e.tagName + " " + (e.id || e.className) + " right " + Math.round(b.right)); }
	}
	r.push("sticking_out " + stick);
	// the smallest figure text as drawn
	var svgs = document.querySelectorAll("figure svg"), min = 1e9;
	for (var k = 0; k < svgs.length; k++) {
		var s = svgs[k], vb = s.viewBox && s.viewBox.baseVal;
		var scale = vb && vb.width ? s.getBoundingClientRect().width / vb.width : 1;
		var ts = s.querySelectorAll("text");
		for (var j = 0; j < ts.length; j++) {
			if (!ts[j].textContent.trim()) continue;
			var px = parseFloat(getComputedStyle(ts[j]).fontSize) * scale;
			if (px < min) min = px;
		}
	}
	r.push("min_figure_text_px " + (min === 1e9 ? 0 : min.toFixed(2)));
	// arrows split over two lines: "A -> B" laid out on more than one line
	var cells = document.querySelectorAll("td"), split = 0;
	for (var c = 0; c < cells.length; c++) {
		var node, walker = document.createTreeWalker(cells[c], NodeFilter.SHOW_TEXT);
		while ((node = walker.nextNode())) {
			var re = /\S+\s*(->|\u2192)\s*\S+/g, m;
			while ((m = re.exec(node.data))) {
				var rg = document.createRange(), lines = {}, n = 0;
				rg.setStart(node, m.index);
				rg.setEnd(node, m.index + m[0].length);
				var rs = rg.getClientRects();
				for (var q = 0; q < rs.length; q++) lines[Math.round(rs[q].top)] = 1;
				for (var key in lines) n++;
				if (n > 1) split++;
			}
		}
	}
	r.push("split_arrows " + split);
	var pre = document.createElement("pre");
	pre.id = "layout-result";
	pre.textContent = r.join("\n");
	// the page runs in an iframe (srcdoc: the host's origin) of the tested width
	(window.parent && window.parent !== window ? window.parent.document : document).body.appendChild(pre);
})();
</script>
</body>
</html>
JS

# Chromium will not make a window narrower than 500 px, so the page is laid out
# in an iframe WIDTH px wide (srcdoc, so it shares the host page's origin).
host="$out/layout-$width-host.html"
python3 - "$page" "$host" "$width" <<'PY'
import html, sys
page, host, width = sys.argv[1], sys.argv[2], sys.argv[3]
src = open(page, encoding="utf-8").read()
open(host, "w", encoding="utf-8").write(
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
    '<iframe style="border:0;width:%spx;height:4000px" srcdoc="%s"></iframe></body></html>\n'
    % (width, html.escape(src, quote=True)))
PY
page=$host

profile=$(mktemp -d "$out/chromium-profile.XXXXXX")
run_chromium() {
	timeout 120 "$browser" --headless=old --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --disable-default-apps --mute-audio \
		--user-data-dir="$profile" --hide-scrollbars --window-size="$((width < 500 ? 500 : width + 20)),900" "$@" \
		"file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
}
run_chromium --virtual-time-budget=3000 --dump-dom 2>"$out/chromium-layout-$width.log" |
	sed -n '/<pre id="layout-result">/,/<\/pre>/p' | sed 's/<[^>]*>//g' >"$out/layout-$width.txt"
run_chromium --screenshot="$out/layout-$width.png" >/dev/null 2>&1
rm -rf "$profile"

res="$out/layout-$width.txt"
if ! grep -q '^viewport ' "$res"; then
	echo "FAIL: no measurements from chromium (log: $out/chromium-layout-$width.log)"
	exit 1
fi
fail=0
val() { awk -v k="$1" '$1 == k { print $2 }' "$res"; }
vw=$(val viewport)
pw=$(val page_width)
[ "$pw" -le "$vw" ] || { echo "FAIL: at $width px the page is $pw px wide"; fail=1; }
[ "$(val sticking_out)" -eq 0 ] || { echo "FAIL: at $width px elements stick out of the window:"; grep '^sticks_out' "$res"; fail=1; }
awk -v m="$min_text" '$1 == "min_figure_text_px" { exit ($2 >= m) ? 0 : 1 }' "$res" ||
	{ echo "FAIL: at $width px figure text is $(val min_figure_text_px) px (< $min_text)"; fail=1; }
[ "$(val split_arrows)" -eq 0 ] || { echo "FAIL: at $width px $(val split_arrows) table cells split an arrow over lines"; fail=1; }
[ -s "$out/layout-$width.png" ] || { echo "FAIL: no screenshot"; fail=1; }
[ $fail -eq 0 ] && echo "layout at $width px: page $pw px, smallest figure text $(val min_figure_text_px) px"
exit $fail
