#!/bin/sh
# bench/gsim.sh: the multi-region GSIM, a 10-region solve, beside the same
# computation in Python (numpy + scipy.optimize.root, bench/gsim/gsim.py)
# in the same run.  A measurement, not a test: prints a table, exits 0.
#   1. end to end: `tocalc tariff gsim FILE --json` vs `python3 gsim.py FILE`
#   2. the solve alone, in process: gsim_solve() vs gsim.py's solve()
# The case: gsim.py --write 10 SEED (random flows, tariffs and elasticities;
# every region raises its tariff on region R0 by 25 points).
# Environment: TOCALC (default ./tocalc), RUNS (default 20), SOLVES (default 2000),
# GSIM_N (default 10), SEED (default 1).
set -u
cd "$(dirname "$0")/.." || exit 1
TOCALC=${TOCALC:-./tocalc}
RUNS=${RUNS:-20}
SOLVES=${SOLVES:-2000}
N=${GSIM_N:-10}
SEED=${SEED:-1}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import numpy, scipy' >/dev/null 2>&1; then PY=$p; break; fi
done
[ -x "$TOCALC" ] || { echo "bench/gsim.sh: no $TOCALC (run make first)"; exit 0; }
[ -n "$PY" ] || { echo "bench/gsim.sh: no python3 with numpy and scipy: nothing to compare"; exit 0; }

echo "bench/gsim.sh: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "case: $N regions (gsim.py --write $N $SEED); tocalc: $TOCALC; python: $PY"
"$PY" bench/gsim/gsim.py --write "$N" "$SEED" "$tmp/case.gsim" || exit 0

# wall time in ms, mean and min over $RUNS runs -> $tmp/NAME
time_cmd() {
	name=$1; shift
	min=; sum=0; i=0
	while [ $i -lt "$RUNS" ]; do
		a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N)
		d=$(( (b - a) / 1000 )); sum=$((sum + d)); i=$((i + 1))
		if [ -z "$min" ] || [ $d -lt $min ]; then min=$d; fi
	done
	awk -v s=$sum -v n="$RUNS" -v m="$min" 'BEGIN { printf "%f %f\n", s / n / 1000, m / 1000 }' >"$tmp/$name"
}
ms() { [ -s "$tmp/$1" ] && awk '{ printf "%.1f ms (min %.1f)", $1, $2 }' "$tmp/$1" || echo "n/a"; }

time_cmd c_e2e "$TOCALC" tariff gsim "$tmp/case.gsim" --json
time_cmd py_e2e "$PY" bench/gsim/gsim.py "$tmp/case.gsim"

GSL_LIBS=$(pkg-config --libs gsl 2>/dev/null || echo "-lgsl -lgslcblas -lm")
c_solve=n/a; c_iter=n/a
if ${CC:-cc} -std=c11 -O2 -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o "$tmp/gsim_bench" \
	bench/gsim/gsim_bench.c src/model_gsim.c src/data_gsim.c src/tcsv.c src/util.c \
	-lcsv $GSL_LIBS -lm 2>"$tmp/cc.log"; then
	set -- $("$tmp/gsim_bench" "$tmp/case.gsim" "$SOLVES")
	c_solve=$(awk -v s="$2" 'BEGIN { printf "%.3f ms", s * 1000 }'); c_iter=$3
else
	echo "bench/gsim.sh: gsim_bench did not build:"; cat "$tmp/cc.log"
fi
PYSOLVES=$((SOLVES / 100)); [ "$PYSOLVES" -ge 5 ] || PYSOLVES=5
py_solve=$("$PY" bench/gsim/gsim.py --repeat "$PYSOLVES" "$tmp/case.gsim" 2>&1 >/dev/null |
	awk '{ printf "%.3f ms", $1 * 1000 }')

# the same numbers? largest gap in world-price change (percentage points)
"$TOCALC" --json tariff gsim "$tmp/case.gsim" >"$tmp/c.json" 2>/dev/null
"$PY" bench/gsim/gsim.py "$tmp/case.gsim" >"$tmp/py.json" 2>/dev/null
agree=$("$PY" - "$tmp/c.json" "$tmp/py.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2]))
gap = max(abs(r["world_price_change_pct"] - p["world_price_change_pct"][i])
          for i, r in enumerate(c["regions"]) if r["world_price_change_pct"] is not None)
gw = max(abs(r["net_welfare"] - p["net_welfare"][i]) for i, r in enumerate(c["regions"]))
print("largest gap: world price %.2g points, net welfare %.2g" % (gap, gw))
PYEOF
)

printf '\n%-46s %-26s %-26s\n' "benchmark ($N-region GSIM)" "tocalc (C, GSL)" "python (numpy + scipy)"
printf '%-46s %-26s %-26s\n' "----------------------------------------------" "--------------------------" "--------------------------"
printf '%-46s %-26s %-26s\n' "end to end (read, solve, print JSON)" "$(ms c_e2e)" "$(ms py_e2e)"
printf '%-46s %-26s %-26s\n' "one solve in process (mean)" "$c_solve ($c_iter iterations)" "$py_solve"
echo
echo "same numbers: $agree"
echo "in-process means: tocalc over $SOLVES solves, python over $PYSOLVES"
exit 0
