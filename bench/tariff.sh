#!/bin/sh
# bench/tariff.sh: tocalc tariff beside the same computations in Python with
# numpy, run in the same session (issue 3 targets, not tests):
#   1. one what-if from the command line, end to end          target < 5 ms
#   2. the HS10 China file (14,422 lines) with Section 301 lists target < 50 ms
#   3. Monte Carlo scenario draws per second on one core      target >= 10 M/s
#   4. the 10 x 10 x 10 sensitivity grid (eps x sigma x ex, four partners,
#      finite supply solved in levels) beside numpy + scipy (issue 13)
# Prints a results table and exits 0 (a missed target is reported, not fatal).
# Environment: TOCALC (default ./tocalc), TOCALC_STATIC (a `make STATIC=1` build,
# timed on the what-if too; make bench builds it), RUNS (default 30), MC_DRAWS (10000000).
set -u
cd "$(dirname "$0")/.." || exit 1
TOCALC=${TOCALC:-./tocalc}
RUNS=${RUNS:-30}
MC_DRAWS=${MC_DRAWS:-10000000}
SHARED=../shared/data
HS10=$SHARED/us_imports_hs10_2024_china.csv
LISTS=$SHARED/section301_china_hts8_lists.csv
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import numpy' >/dev/null 2>&1; then PY=$p; break; fi
done
[ -x "$TOCALC" ] || { echo "bench/tariff.sh: no $TOCALC (run make first)"; exit 0; }

# time_cmd NAME CMD...: mean and min wall time in ms over $RUNS runs -> $tmp/NAME
time_cmd() {
	name=$1; shift
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$tmp/$name.json" "$*" >/dev/null 2>&1 &&
			jq -r '.results[0] | "\(.mean * 1000) \(.min * 1000)"' "$tmp/$name.json" >"$tmp/$name" && return
	fi
	# fallback: a plain loop
	min=; sum=0; i=0
	while [ $i -lt "$RUNS" ]; do
		a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N)
		d=$(( (b - a) / 1000 )); sum=$((sum + d)); i=$((i + 1))
		if [ -z "$min" ] || [ $d -lt $min ]; then min=$d; fi
	done
	awk -v s=$sum -v n="$RUNS" -v m="$min" 'BEGIN { printf "%f %f\n", s / n / 1000, m / 1000 }' >"$tmp/$name"
}
ms() { [ -s "$tmp/$1" ] && awk '{ printf "%.1f ms (min %.1f)", $1, $2 }' "$tmp/$1" || echo "n/a"; }
meets_ms() { [ -s "$tmp/$1" ] && awk -v t="$2" '{ print ($1 < t ? "yes" : ($2 < t ? "min only" : "no")) }' "$tmp/$1" || echo "n/a"; }

echo "bench/tariff.sh: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tocalc: $TOCALC; python: ${PY:-none with numpy}"

# 0. the floor: starting any process on this machine
time_cmd floor /bin/true

# 1. one what-if
WHATIF="$TOCALC tariff --partner CN --rate 200 --as-of 2025-05-14 --elasticity 1.5 --json"
time_cmd whatif_c $WHATIF
TOCALC_STATIC=${TOCALC_STATIC:-}
if [ -n "$TOCALC_STATIC" ] && [ -x "$TOCALC_STATIC" ]; then
	# the static build has no install prefix of its own: point it at the datasets
	time_cmd whatif_static "$TOCALC_STATIC" --data-dir datasets tariff --partner CN --rate 200 \
		--as-of 2025-05-14 --elasticity 1.5 --json
fi
[ -n "$PY" ] && time_cmd whatif_py "$PY" bench/tariff/whatif.py datasets
agree1=n/a
if [ -n "$PY" ]; then
	a=$($WHATIF | jq -r '.results[] | select(.metric == "revenue_after") | .value')
	b=$("$PY" bench/tariff/whatif.py datasets | jq -r .revenue_after)
	agree1=$(awk -v a="$a" -v b="$b" 'BEGIN { d = (a - b) / b; if (d < 0) d = -d; print (d < 1e-9 ? "yes" : "NO") }')
fi

# 2. the HS10 China file
if [ -f "$HS10" ]; then
	HSCMD="$TOCALC tariff --partner CN --rate 40 --as-of 2025-03-04 --elasticity 1.5 --imports-file $HS10 --product-rates $LISTS --json"
	time_cmd hs10_c $HSCMD
	[ -n "$PY" ] && time_cmd hs10_py "$PY" bench/tariff/hs10.py "$HS10" "$LISTS"
	agree2=n/a
	if [ -n "$PY" ]; then
		a=$($HSCMD | jq -r '.results[] | select(.metric == "revenue_after") | .value')
		b=$("$PY" bench/tariff/hs10.py "$HS10" "$LISTS" | jq -r .revenue_after)
		agree2=$(awk -v a="$a" -v b="$b" 'BEGIN { d = (a - b) / b; if (d < 0) d = -d; print (d < 1e-9 ? "yes" : "NO") }')
	fi
else
	agree2="skipped: $HS10 absent"
fi

# 3. Monte Carlo: the draw-and-evaluate kernel and the exact summaries
GSL_LIBS=$(pkg-config --libs gsl 2>/dev/null || echo "-lgsl -lgslcblas -lm")
${CC:-cc} -std=c11 -O2 -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o "$tmp/mc_bench" \
	bench/tariff/mc_bench.c src/model_tariff.c src/model_tariff_mc.c src/util.c $GSL_LIBS -lm 2>"$tmp/cc.log" ||
	{ echo "bench/tariff.sh: mc_bench did not build:"; cat "$tmp/cc.log"; }
best() {	# best of 3 runs of "mc_bench N model mode" -> draws/s
	for i in 1 2 3; do "$tmp/mc_bench" "$@"; done | awk '$3 > m { m = $3 } END { print m + 0 }'
}
mc_kernel=0; mc_stats=0
if [ -x "$tmp/mc_bench" ]; then
	mc_kernel=$(best "$MC_DRAWS" ces kernel)
	mc_stats=$(best "$MC_DRAWS" ces stats)
fi
time_cmd mc_cli "$TOCALC" tariff --partner CN --rate 200 --as-of 2025-05-14 --elasticity 1.5 --draws 1000000 --json
np_kernel=n/a; np_stats=n/a
if [ -n "$PY" ]; then
	NP=$((MC_DRAWS / 5))	# numpy holds every draw in memory
	"$PY" bench/tariff/mc.py "$NP" >"$tmp/np" 2>/dev/null &&
		{ np_kernel=$(awk '$1 == "kernel" { print $4 }' "$tmp/np"); np_stats=$(awk '$1 == "stats" { print $4 }' "$tmp/np"); }
fi
# 4. the sensitivity grid: tariff_grid() against numpy + scipy.optimize.root
${CC:-cc} -std=c11 -O2 -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o "$tmp/grid_bench" \
	bench/tariff/grid_bench.c src/model_tariff.c src/model_tariff_search.c src/model_tariff_mc.c src/util.c \
	$GSL_LIBS -lm 2>"$tmp/cc2.log" || { echo "bench/tariff.sh: grid_bench did not build:"; cat "$tmp/cc2.log"; }
grid_c=n/a; grid_py=n/a; agree3=n/a
if [ -x "$tmp/grid_bench" ]; then
	grid_c=$("$tmp/grid_bench" 50 | awk '{ printf "%.2f ms/grid (%d rows/s, %d failed)", 1000 * $2 / ($1 / 1000), $3, $4 }')
	"$tmp/grid_bench" 1 dump | tail -n +2 >"$tmp/grid_c.txt"
fi
if [ -n "$PY" ] && "$PY" -c 'import scipy' >/dev/null 2>&1; then
	grid_py=$("$PY" bench/tariff/grid.py 3 | awk '{ printf "%.1f ms/grid (%d rows/s, %d failed)", 1000 * $2 / ($1 / 1000), $3, $4 }')
	"$PY" bench/tariff/grid.py 1 dump | tail -n +2 >"$tmp/grid_py.txt"
	[ -s "$tmp/grid_c.txt" ] && agree3=$(paste -d' ' "$tmp/grid_c.txt" "$tmp/grid_py.txt" | awk '
		{ for (j = 5; j <= 8; j++) { d = $j - $(j + 8); s = ($j < 0 ? -$j : $j) + 1; r = (d < 0 ? -d : d) / s; if (r > m) m = r } }
		END { printf "%s (max relative difference %.1e)", (m < 1e-9 ? "yes" : "NO"), m }')
fi
rate() { awk -v r="$1" 'BEGIN { if (r == "n/a" || r == "") print "n/a"; else printf "%.2f M/s", r / 1e6 }'; }
cli_rate() { [ -s "$tmp/mc_cli" ] && awk '{ printf "%.2f M/s", 1e6 / ($1 / 1000) / 1e6 }' "$tmp/mc_cli" || echo n/a; }

printf '\n%-44s %-24s %-24s %-10s %s\n' "benchmark" "tocalc (C)" "python + numpy" "target" "tocalc meets"
printf '%-44s %-24s %-24s %-10s %s\n' "--------------------------------------------" "------------------------" "------------------------" "----------" "------------"
printf '%-44s %-24s %-24s %-10s %s\n' "process start floor (/bin/true)" "$(ms floor)" "" "" ""
printf '%-44s %-24s %-24s %-10s %s\n' "what-if, end to end" "$(ms whatif_c)" "$(ms whatif_py)" "< 5 ms" "$(meets_ms whatif_c 5)"
[ -s "$tmp/whatif_static" ] &&
	printf '%-44s %-24s %-24s %-10s %s\n' "what-if, static build (make STATIC=1)" "$(ms whatif_static)" "" "< 5 ms" "$(meets_ms whatif_static 5)"
printf '%-44s %-24s %-24s %-10s %s\n' "HS10 China file, 14,422 lines, end to end" "$(ms hs10_c)" "$(ms hs10_py)" "< 50 ms" "$(meets_ms hs10_c 50)"
printf '%-44s %-24s %-24s %-10s %s\n' "Monte Carlo draws/s, draw + evaluate" "$(rate "$mc_kernel")" "$(rate "$np_kernel")" ">= 10 M/s" \
	"$(awk -v r="$mc_kernel" 'BEGIN { print (r >= 1e7 ? "yes" : "no") }')"
printf '%-44s %-24s %-24s %-10s %s\n' "Monte Carlo draws/s, with exact percentiles" "$(rate "$mc_stats")" "$(rate "$np_stats")" "" ""
printf '%-44s %-24s %-24s %-10s %s\n' "tocalc --draws 1000000, end to end" "$(cli_rate) ($(ms mc_cli))" "" "" ""
printf '%-44s %-24s %-24s %-10s %s\n' "sensitivity grid 10x10x10 (1,000 solves)" "$grid_c" "$grid_py" "" ""
echo
echo "same numbers as numpy: what-if revenue $agree1; HS10 revenue $agree2; grid (imports, revenue, dCS, DWL) $agree3"
echo "numpy Monte Carlo ran $((MC_DRAWS / 5)) draws (it keeps all of them in memory); tocalc $MC_DRAWS (3 replayed passes, O(bins) memory)"
exit 0
