#!/bin/sh
# bench/vsrr.sh: import speed of `tocalc data import-vsrr --all` on a full
# all-states VSRR download of about 17 MB, beside pandas read_csv on the same file.
# A benchmark, not a test: it prints BENCH rows (bench/lib.sh) for the table of
# scripts/bench.sh and exits 0 (skips without the
# real download or python3 with pandas).
#
#   bench/vsrr.sh            best of 5
#   BENCH_REPS=3 bench/vsrr.sh
#
# The file is generated from the real rows of ../shared/data/vsrr_2019_download.csv
# (53 jurisdictions, 12 indicators, 12 month-ending counts Jan 2015 - Sep 2018):
# each jurisdiction-indicator series is continued, its 45 real rows repeated in order,
# to Sep 2025 (129 months, as in a 2026 download), written in today's layout
# (quoted numbers with thousands separators, Footnote, Footnote Symbol, Predicted Value).
# A 2026 download has all 12 indicators for every jurisdiction; where the 2019 file has
# only two, the US rows of that indicator stand in (relabelled), so the file has the
# size and shape of a full download: 53 x 12 x 129 = 82,044 rows.
# Readers, same file, same run:
#   tocalc import   tocalc data import-vsrr FILE --all -o OUT: strict read of every
#                   row, completeness checks, sort, write of the vintage file
#   pandas          python3 -c 'pandas.read_csv(FILE, thousands=",")' (the interpreter
#                   start and the pandas import are timed separately and subtracted)
set -u
cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
REPS=${BENCH_REPS:-5}
SRC=../shared/data/vsrr_2019_download.csv
TOCALC=${TOCALC:-./tocalc}
[ -f "$SRC" ] || { echo "bench/vsrr.sh: $SRC is absent: skipped"; exit 0; }
[ -x "$TOCALC" ] || { echo "bench/vsrr.sh: no $TOCALC (run make)"; exit 1; }
bench_find_python pandas
[ -n "$PY" ] || { echo "bench/vsrr.sh: no python3 with pandas: skipped"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tocalc-bench-vsrr.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
big=$tmp/20260214_vsrr_all.csv
"$PY" - "$SRC" "$big" <<'PYEOF' || exit 1
import csv, sys
months = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
series = {}
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        key = (r["State"], r["State Name"], r["Indicator"])
        series.setdefault(key, []).append(r)
def q(v):
    if v == "":
        return '""'
    try:
        x = float(v)
    except ValueError:
        return '"%s"' % v
    return '"{:,}"'.format(int(x)) if x == int(x) and x >= 1000 else '"%s"' % v
# a 2026 download has every indicator for every jurisdiction; where the 2019 file
# has none, borrow the real rows of the same indicator from the US, relabelled
inds = sorted({k[2] for k in series})
for st, name in sorted({(k[0], k[1]) for k in series}):
    for ind in inds:
        if (st, name, ind) not in series:
            series[(st, name, ind)] = series[("US", "United States", ind)]
with open(sys.argv[2], "w", newline="") as out:
    out.write('"State","Year","Month","Period","Indicator","Data Value","Percent Complete",'
              '"Percent Pending Investigation","State Name","Footnote","Footnote Symbol","Predicted Value"\n')
    for (st, name, ind), rows in series.items():
        rows.sort(key=lambda r: (int(r["Year"]), months.index(r["Month"])))
        for k in range(129):
            r = rows[k % len(rows)]
            y, m = 2015 + k // 12, k % 12
            sym = r["Footnote Symbol"] if y < 2024 else "*"
            foot = ("Numbers may differ from published reports using final data. See Technical Notes."
                    if sym == "**" else "Underreported due to incomplete data.")
            out.write(",".join([q(st), '"%d"' % y, q(months[m]), '"12 month-ending"', '"%s"' % ind,
                                q(r["Data Value"]), q(r["Percent Complete"]),
                                q(r["Percent Pending Investigation"]), '"%s"' % name, '"%s"' % foot,
                                '"%s"' % sym, q(r["Predicted Value"])]) + "\n")
PYEOF
bytes=$(wc -c <"$big")
lines=$(($(wc -l <"$big") - 1))
cat "$big" >/dev/null

best() {	# best wall seconds of $REPS runs of a command
	i=0
	: >"$tmp/t"
	while [ $i -lt "$REPS" ]; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo "bench/vsrr.sh: failed: $*" >&2; return 1; }
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) >>"$tmp/t"
		i=$((i + 1))
	done
	sort -n "$tmp/t" | head -1 | awk '{ printf "%.4f", $1 / 1e6 }'
}

t_tocalc=$(best "$TOCALC" data import-vsrr "$big" --all -o "$tmp/out.csv") || exit 1
t_pystart=$(best "$PY" -c 'import pandas') || exit 1
t_pandas=$(best "$PY" -c 'import sys, pandas; pandas.read_csv(sys.argv[1], thousands=",")' "$big") || exit 1
rows_out=$(($(wc -l <"$tmp/out.csv") - 1))

echo "bench/vsrr.sh: $PY, pandas $("$PY" -c 'import pandas; print(pandas.__version__)')"
echo "bench/vsrr.sh: $bytes bytes, $lines rows (53 jurisdictions, 12 indicators, 2015-01 to 2025-09); best of $REPS"
awk -v n="$bytes" -v a="$t_tocalc" -v s="$t_pystart" -v p="$t_pandas" 'BEGIN {
	printf "tocalc %.3f s, %.1f MB/s; pandas read_csv %.3f s (python + import pandas alone %.3f s), %.1f MB/s\n",
		a, n / a / 1e6, p - s, s, n / (p - s) / 1e6 }'
echo "tocalc wrote $rows_out rows (every row kept, checked, sorted and written); pandas only parses."
bench_row "VSRR import --all, 17 MB, best of $REPS" "$(awk -v n="$bytes" -v a="$t_tocalc" 'BEGIN { printf "%.2f", n / a / 1e6 }')" MB/s \
	"pandas read_csv (import excluded)" "$(awk -v n="$bytes" -v p="$t_pandas" -v s="$t_pystart" 'BEGIN { printf "%.2f", n / (p - s) / 1e6 }')" ""
exit 0
