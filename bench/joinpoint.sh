#!/bin/sh
# bench/joinpoint.sh: time `tocalc overdose joinpoint` (full sequential
# permutation test, 4,499 permutations) on the 25-point annual series
# (max 4 joinpoints) and the 129-month VSRR series (max 5), beside R's
# `segmented` fitting the same series with the same number of breakpoints,
# in the same session.  Also (issue 14): a synthetic 300-point series with
# the permutation test, 60 groups x 129 points with BIC (--group), and
# empirical-quantile CIs with 4,999 resamples on the annual rates.
# Targets (one core): VSRR < 0.5 s, 300 points < 5 s, 60 groups < 2 s,
# empirical CIs < 1 s.
# Prints its results and BENCH rows (bench/lib.sh) for the table of
# scripts/bench.sh; exits 0 (R is skipped when Rscript or segmented is missing).
# usage: bench/joinpoint.sh   (TOCALC=path/to/tocalc, default ./tocalc)
set -u
cd "$(dirname "$0")/.." || exit 0
. bench/lib.sh
TOCALC=${TOCALC:-./tocalc}
case "$TOCALC" in /*) ;; *) TOCALC="$(pwd)/$TOCALC" ;; esac
REPS=${BENCH_REPS:-3}
tmp=$(mktemp -d) || exit 0
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$TOCALC" ]; then
	echo "bench/joinpoint.sh: $TOCALC not built; skipped"
	exit 0
fi

# the series (same numbers for both tools)
awk -F, '$2 == "all_drugs" && $1 >= 1999 && $1 <= 2023 && $3 != "" { print $1, $3 }' \
	datasets/overdose_annual.csv > "$tmp/annual.txt"
awk -F, '$2 == "all_drugs" && $3 != "" { split($1, a, "-"); printf "%.10f %s\n", a[1] + (a[2] - 1) / 12, $3 }' \
	datasets/overdose_12mo.csv > "$tmp/monthly.txt"
# 300 points: ln y with joinpoints at 80, 150 and 230 and a deterministic wiggle
awk 'BEGIN { print "x,y"; for (i = 0; i < 300; i++) {
	z = 3 + 0.01 * i - 0.02 * (i > 80 ? i - 80 : 0) + 0.03 * (i > 150 ? i - 150 : 0) \
	    - 0.025 * (i > 230 ? i - 230 : 0) + 0.03 * sin(i * 12.9898)
	printf "%d,%.8f\n", i, exp(z) } }' > "$tmp/s300.csv"
awk -F, 'NR > 1 { print $1, $2 }' "$tmp/s300.csv" > "$tmp/s300.txt"
# 60 groups: the VSRR series tilted by a different trend per group, with a wiggle
awk 'BEGIN { print "group,x,y" } { for (g = 0; g < 60; g++) lines[g] = lines[g] sprintf("G%02d,%s,%.4f\n", g, $1,
	$2 * exp(0.002 * (g - 30) * NR + 0.01 * sin(NR * g + g))) }
	END { for (g = 0; g < 60; g++) printf "%s", lines[g] }' "$tmp/monthly.txt" > "$tmp/groups.csv"
# 60 noisy synthetic groups x 129 months: one joinpoint each, hash noise sd ~0.02 (a hard case for the search)
awk 'BEGIN { print "group,x,y"; for (g = 0; g < 60; g++) { a = -0.05 + 0.0025 * g; b = 0.15 - 0.005 * g; tau = 30 + g
	for (i = 0; i < 129; i++) { s = sin(i * 12.9898 + g * 78.233) * 43758.5453; e = 0.07 * (s - int(s) - 0.5)
		z = 3 + a * i / 12 + b * (i > tau ? i - tau : 0) / 12 + e
		printf "S%02d,%.6f,%.5f\n", g, 2015 + i / 12, exp(z) } } }' > "$tmp/noisy.csv"
na=$(wc -l < "$tmp/annual.txt" | tr -d ' ')
nm=$(wc -l < "$tmp/monthly.txt" | tr -d ' ')

now() { date +%s.%N; }
# best of REPS wall-clock runs of a command; prints seconds
best_of() {
	b=""
	i=0
	while [ $i -lt "$REPS" ]; do
		t0=$(now)
		"$@" > "$tmp/out.json" 2> "$tmp/err.txt" || { echo "fail"; return; }
		t1=$(now)
		t=$(echo "$t1 $t0" | awk '{ printf "%.3f", $1 - $2 }')
		if [ -z "$b" ] || [ "$(echo "$t $b" | awk '{ print ($1 < $2) }')" = 1 ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}

jp_summary() {
	if command -v jq >/dev/null 2>&1; then
		jq -r '"\(.selected_joinpoints) (\([.joinpoints[].location] | join(" ")))  SSE(k=max) \(.models[-1].sse * 1e6 | round / 1e6)"' "$tmp/out.json"
	else
		echo "-"
	fi
}

printf '%-34s %-40s %9s  %s\n' "series" "tool" "seconds" "result"
printf '%-34s %-40s %9s  %s\n' "------" "----" "-------" "------"

ta=$(best_of taskset -c 0 "$TOCALC" --quiet overdose joinpoint --series all_drugs --from 1999 --to 2023 \
	--max-joinpoints 4 --permutations 4499 --seed 1 --json 2>/dev/null || true)
if [ "$ta" = "" ] || [ "$ta" = fail ]; then
	ta=$(best_of "$TOCALC" --quiet overdose joinpoint --series all_drugs --from 1999 --to 2023 \
		--max-joinpoints 4 --permutations 4499 --seed 1 --json)
fi
printf '%-34s %-40s %9s  %s\n' "annual deaths 1999-2023 n=$na" "tocalc grid, permutation 4499, max 4" "$ta" "$(jp_summary)"

tm=$(best_of taskset -c 0 "$TOCALC" --quiet overdose joinpoint --source vsrr --series all_drugs \
	--max-joinpoints 5 --permutations 4499 --seed 1 --json 2>/dev/null || true)
if [ "$tm" = "" ] || [ "$tm" = fail ]; then
	tm=$(best_of "$TOCALC" --quiet overdose joinpoint --source vsrr --series all_drugs \
		--max-joinpoints 5 --permutations 4499 --seed 1 --json)
fi
printf '%-34s %-40s %9s  %s\n' "VSRR 12-mo 2015-01..2025-09 n=$nm" "tocalc grid, permutation 4499, max 5" "$tm" "$(jp_summary)"

tb=$(best_of "$TOCALC" --quiet overdose joinpoint --source vsrr --series all_drugs \
	--max-joinpoints 5 --select bic --json)
printf '%-34s %-40s %9s  %s\n' "VSRR 12-mo n=$nm" "tocalc grid, BIC, max 5" "$tb" "$(jp_summary)"

t3=$(best_of taskset -c 0 "$TOCALC" --quiet overdose joinpoint --file "$tmp/s300.csv" --x x --y y \
	--max-joinpoints 5 --permutations 4499 --seed 1 --json 2>/dev/null || true)
[ "$t3" = "" ] && t3=fail
printf '%-34s %-40s %9s  %s\n' "synthetic n=300 (jp 80 150 230)" "tocalc grid, permutation 4499, max 5" "$t3" "$(jp_summary)"

tg=$(best_of taskset -c 0 "$TOCALC" --quiet overdose joinpoint --file "$tmp/groups.csv" --x x --y y \
	--group group --select bic --max-joinpoints 5 --json 2>/dev/null || true)
[ "$tg" = "" ] && tg=fail
printf '%-34s %-40s %9s  %s\n' "60 groups x n=$nm (VSRR-based)" "tocalc --group, BIC, max 5" "$tg" "-"
tn=$(best_of taskset -c 0 "$TOCALC" --quiet overdose joinpoint --file "$tmp/noisy.csv" --x x --y y \
	--group group --select bic --max-joinpoints 5 --json 2>/dev/null || true)
[ "$tn" = "" ] && tn=fail
printf '%-34s %-40s %9s  %s\n' "60 noisy groups x n=129" "tocalc --group, BIC, max 5" "$tn" "-"

te=$(best_of taskset -c 0 "$TOCALC" --quiet overdose joinpoint --measure rate --from 1999 --to 2023 \
	--select bic --max-joinpoints 4 --empirical-ci --resamples 4999 --seed 1 --json 2>/dev/null || true)
[ "$te" = "" ] && te=fail
printf '%-34s %-40s %9s  %s\n' "annual rates 1999-2023" "tocalc BIC + empirical CIs, 4999" "$te" "-"

if command -v Rscript >/dev/null 2>&1 && Rscript -e 'suppressPackageStartupMessages(library(segmented))' >/dev/null 2>&1; then
	for c in "annual:$na:4" "monthly:$nm:5" "s300:300:3"; do
		f=${c%%:*}; rest=${c#*:}; n=${rest%%:*}; k=${rest#*:}
		t0=$(now)
		line=$(Rscript bench/joinpoint/segmented.R "$tmp/$f.txt" "$k" 20 2>/dev/null)
		t1=$(now)
		wall=$(echo "$t1 $t0" | awk '{ printf "%.3f", $1 - $2 }')
		fit=$(echo "$line" | awk '{ printf "%.4f", $1 }')
		eval "r_$f=\$fit"
		printf '%-34s %-40s %9s  %s\n' "$f n=$n" "R segmented npsi=$k (one fit, mean of 20)" "$fit" \
			"psi $(echo "$line" | awk '{ print $2 }')  SSE $(echo "$line" | awk '{ print $3 }') $(echo "$line" | awk '{ print $4 }')"
		printf '%-34s %-40s %9s  %s\n' "" "  Rscript wall time incl. start-up" "$wall" ""
	done
else
	echo "R segmented: skipped (Rscript or r-cran-segmented not installed)"
fi
echo "targets: VSRR permutation < 0.5 s, 300 points < 5 s, 60 groups < 2 s, empirical CIs < 1 s"
R="R segmented (one fit, same series)"
nofail() { [ "$1" = fail ] || echo "$1"; }
bench_row "joinpoint annual n=$na, permutation 4499, max 4" "$(nofail "$ta")" s "$R" "${r_annual:-}" ""
bench_row "joinpoint VSRR n=$nm, permutation 4499, max 5" "$(nofail "$tm")" s "$R" "${r_monthly:-}" "<0.5"
bench_row "joinpoint VSRR n=$nm, BIC, max 5" "$(nofail "$tb")" s "$R" "${r_monthly:-}" ""
bench_row "joinpoint synthetic n=300, permutation, max 5" "$(nofail "$t3")" s "$R" "${r_s300:-}" "<5"
bench_row "joinpoint 60 groups x n=$nm, BIC, max 5" "$(nofail "$tg")" s "" "" "<2"
bench_row "joinpoint 60 noisy groups x n=129, BIC" "$(nofail "$tn")" s "" "" ""
bench_row "joinpoint annual rates, empirical CIs 4999" "$(nofail "$te")" s "" "" "<1"
echo "(one core; tocalc is single-threaded; R segmented fits one model with a given number of breakpoints)"
exit 0
