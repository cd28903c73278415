# tests/browser/chromium.sh: sourced by the browser tests.  find_chromium sets
# $browser to $CHROMIUM or the first chromium on PATH, or exits 77 (skipped).
find_chromium() {
	browser=${CHROMIUM:-}
	if [ -z "$browser" ]; then
		for b in chromium chromium-browser; do
			if command -v "$b" >/dev/null 2>&1; then
				browser=$(command -v "$b")
				break
			fi
		done
	fi
	if [ -z "$browser" ]; then
		echo "chromium is not installed (Debian: apt-get install chromium); $1 skipped"
		exit 77
	fi
}
