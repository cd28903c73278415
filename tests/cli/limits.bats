#!/usr/bin/env bats
# Every joinpoint search has a size limit or a cost estimate (issue 19,
# item 10), held in the model's options (jp_options, model_joinpoint.h) so that
# every caller gets it: the refusal comes before any work, exit 2 with the
# advice to use.  Each run here is one refusal, so the suite is cheap
# under valgrind too.  `guard` stops a regression from hanging CI: it is a
# hang guard, not a measure of speed (speed is measured in bench/).

bats_require_minimum_version 1.5.0

load helpers

setup() {
	W="$BATS_TEST_TMPDIR"
}

guard() { timeout 600 $TOCALC_WRAP "$TOCALC" "$@"; }

# refused STATUS TEXT ARGS...: exit STATUS, stderr holds TEXT, nothing on stdout.
refused() {
	local want=$1 text=$2
	shift 2
	run --separate-stderr guard "$@"
	if [ "$status" -ne "$want" ] || [[ "$stderr" != *"$text"* ]] || [ -n "$output" ]; then
		echo "tocalc $*: exit $status (want $want); stderr: ${stderr:0:400}; stdout: ${output:0:200}"
		return 1
	fi
}

@test "plot series --joinpoint keeps the point limits of the permutation test" {
	awk 'BEGIN { print "x,y"; for (i = 0; i < 1000; i++) printf "%d,%.4f\n", i, 1000 * exp(0.001 * i) }' >"$W/k.csv"
	refused 2 "1000 points is more than the 400 the permutation test accepts" \
		plot series --file "$W/k.csv" --x x --y y --joinpoint --script-only
}

@test "plot series --joinpoint keeps the limit of the joinpoint search" {
	awk 'BEGIN { print "x,y"; for (i = 0; i < 1001; i++) printf "%d,%.4f\n", i, 1000 * exp(0.001 * i) }' >"$W/k.csv"
	refused 2 "more than the" plot series --file "$W/k.csv" --x x --y y --joinpoint --script-only
}

@test "overdose joinpoint --source vsrr --method hudson is refused up front, with the advice" {
	refused 2 "use --method grid, an information criterion (--select bic)" \
		overdose joinpoint --source vsrr --method hudson
	refused 2 "Hudson's search with the permutation test" \
		overdose events --source vsrr --method hudson
}

@test "--exhaustive on 100 points is refused up front, with the advice" {
	awk 'BEGIN { print "x,y"; for (i = 0; i < 100; i++) printf "%d,%.4f\n", i, 1000 * exp(0.01 * i + (i > 50 ? 0.02 * (i - 50) : 0)) }' >"$W/h.csv"
	refused 2 "drop --exhaustive" overdose joinpoint --file "$W/h.csv" --x x --y y --exhaustive
	# an information criterion fits once, but C(96, 5) combinations are still too many
	refused 2 "drop --exhaustive" overdose joinpoint --file "$W/h.csv" --x x --y y --exhaustive --select bic
}

@test "the comparison's permutations and the empirical resamples have a cost limit too" {
	refused 2 "use fewer --permutations or fewer points" \
		overdose joinpoint --source vsrr --select bic --compare synthetic_opioids --permutations 100000000
	refused 2 "use fewer --resamples or fewer points" \
		overdose joinpoint --source vsrr --select bic --empirical-ci --resamples 10000000
}
