#!/bin/sh
# bench/gsim.sh: the multi-region GSIM, a 10-region solve, beside the same
# computation in Python (numpy + scipy.optimize.root, bench/gsim/gsim.py)
# in the same run.  A measurement, not a test: prints BENCH rows (bench/lib.sh)
# for the table of scripts/bench.sh, exits 0.
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
. bench/lib.sh
bench_tmpdir
tmp=$BENCH_TMP
bench_find_python numpy scipy
[ -x "$TOCALC" ] || { echo "bench/gsim.sh: no $TOCALC (run make first)"; exit 0; }
[ -n "$PY" ] || { echo "bench/gsim.sh: no python3 with numpy and scipy: nothing to compare"; exit 0; }

echo "bench/gsim.sh: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "case: $N regions (gsim.py --write $N $SEED); tocalc: $TOCALC; python: $PY"
"$PY" bench/gsim/gsim.py --write "$N" "$SEED" "$tmp/case.gsim" || exit 0

time_cmd() { name=$1; shift; bench_time "$name" "$RUNS" "$@"; }
ms() { [ -s "$tmp/$1" ] && awk '{ printf "%.1f ms (min %.1f)", $1, $2 }' "$tmp/$1" || echo "n/a"; }

time_cmd c_e2e "$TOCALC" tariff gsim "$tmp/case.gsim" --json
time_cmd py_e2e "$PY" bench/gsim/gsim.py "$tmp/case.gsim"

GSL_LIBS=$(pkg-config --libs gsl 2>/dev/null || echo "-lgsl -lgslcblas -lm")
c_solve=n/a; c_iter=n/a
if ${CC:-cc} -std=c11 -O2 -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o "$tmp/gsim_bench" \
	bench/gsim/gsim_bench.c src/model_gsim.c src/data_gsim.c src/tcsv.c src/util.c \
	-lcsv $GSL_LIBS -lm 2>"$tmp/cc.log"; then
	set -- $("$tmp/gsim_bench" "$tmp/case.gsim" "$SOLVES")
	c_solve=$(awk -v s="$2" 'BEGIN { printf "%.4f", s * 1000 }'); c_iter=$3
else
	echo "bench/gsim.sh: gsim_bench did not build:"; cat "$tmp/cc.log"
fi
PYSOLVES=$((SOLVES / 100)); [ "$PYSOLVES" -ge 5 ] || PYSOLVES=5
py_solve=$("$PY" bench/gsim/gsim.py --repeat "$PYSOLVES" "$tmp/case.gsim" 2>&1 >/dev/null |
	awk '{ printf "%.4f", $1 * 1000 }')

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

echo "end to end: tocalc $(ms c_e2e), python $(ms py_e2e); one solve: $c_iter iterations"
echo "same numbers: $agree"
echo "in-process means: tocalc over $SOLVES solves, python over $PYSOLVES"
bench_row "GSIM $N regions, end to end (read, solve, JSON)" "$(bench_ms c_e2e)" ms "python (numpy + scipy)" "$(bench_ms py_e2e)" ""
bench_row "GSIM $N regions, one solve in process" "$(echo "$c_solve" | sed 's/n\/a//')" ms "python (numpy + scipy)" "$(echo "$py_solve" | sed 's/n\/a//')" ""
exit 0
