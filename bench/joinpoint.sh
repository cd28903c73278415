#!/bin/sh
# bench/joinpoint.sh: time `tocalc overdose joinpoint` (full sequential
# permutation test, 4,499 permutations) on the 25-point annual series
# (max 4 joinpoints) and the 129-month VSRR series (max 5), beside R's
# `segmented` fitting the same series with the same number of breakpoints,
# in the same session.  Targets: < 0.5 s and < 5 s on one core.
# Prints a table; exits 0 (R is skipped when Rscript or segmented is missing).
# usage: bench/joinpoint.sh   (TOCALC=path/to/tocalc, default ./tocalc)
set -u
cd "$(dirname "$0")/.." || exit 0
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

if command -v Rscript >/dev/null 2>&1 && Rscript -e 'suppressPackageStartupMessages(library(segmented))' >/dev/null 2>&1; then
	for c in "annual:$na:4" "monthly:$nm:5"; do
		f=${c%%:*}; rest=${c#*:}; n=${rest%%:*}; k=${rest#*:}
		t0=$(now)
		line=$(Rscript bench/joinpoint/segmented.R "$tmp/$f.txt" "$k" 20 2>/dev/null)
		t1=$(now)
		wall=$(echo "$t1 $t0" | awk '{ printf "%.3f", $1 - $2 }')
		fit=$(echo "$line" | awk '{ printf "%.4f", $1 }')
		printf '%-34s %-40s %9s  %s\n' "$f n=$n" "R segmented npsi=$k (one fit, mean of 20)" "$fit" \
			"psi $(echo "$line" | awk '{ print $2 }')  SSE $(echo "$line" | awk '{ print $3 }') $(echo "$line" | awk '{ print $4 }')"
		printf '%-34s %-40s %9s  %s\n' "" "  Rscript wall time incl. start-up" "$wall" ""
	done
else
	echo "R segmented: skipped (Rscript or r-cran-segmented not installed)"
fi
echo "targets: annual < 0.5 s, VSRR < 5 s (one core; tocalc is single-threaded)"
exit 0
