#!/bin/sh
# bench/report.sh: `tocalc report` end to end with every figure (issue 18:
# under 1 s): the tables, the five figures through gnuplot into a scratch
# directory and the HTML page, the shipped datasets and scenarios.
# A benchmark, not a test: it prints one row and exits 0 (skips without
# gnuplot).  No peer tool does this job, so the peer fields are empty.
#
#   bench/report.sh            best of 5 wall times
#   BENCH_REPS=3 bench/report.sh
#
# Row (the one-table format of `make bench`, bench/lib.sh; target "<1": under 1 s):
#   BENCH  report  SECONDS  s  <no peer>  <no peer value>  <1
set -u
cd "$(dirname "$0")/.." || exit 1
REPS=${BENCH_REPS:-5}
TOCALC=${TOCALC:-./tocalc}
[ -x "$TOCALC" ] || { echo "bench/report.sh: no $TOCALC (run make)"; exit 1; }
command -v gnuplot >/dev/null 2>&1 || { echo "bench/report.sh: gnuplot is not installed: skipped"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tocalc-bench-report.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset TOCALC_DATA GNUTERM GNUPLOT_LIB || true
export LC_ALL=C

i=0
: >"$tmp/t"
while [ "$i" -lt "$REPS" ]; do
	t0=$(date +%s%N)
	"$TOCALC" --data-dir datasets report --scenarios scenarios --out-dir "$tmp/plots" \
		--html "$tmp/report.html" --quiet >/dev/null 2>&1 || {
		echo "bench/report.sh: tocalc report failed"
		exit 1
	}
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 )) >>"$tmp/t"
	i=$((i + 1))
done
best=$(sort -n "$tmp/t" | head -1 | awk '{ printf "%.3f", $1 / 1e6 }')
printf 'BENCH\treport\t%s\ts\t\t\t<1\n' "$best"
